"""Labels: is this a classification-like dataset, and what is each record's label?

Public API (reused by the FT3 rules, FT403/FT404, `ftlint stats` and the splitter's stratification)::

    from ftlint.artifacts.labels import labels_of
    info = labels_of(dataset, field="auto")   # memoized per dataset and field
    if info is not None:
        info.labels      # list[str], one per dataset.examples entry (same order), as written
        info.canonical   # list[str], the same with spelling variants merged (see below)
        info.counts      # Counter of canonical labels
        info.source      # "label" (an explicit "label" key) or "completion"
        info.variants    # {canonical: Counter of the spellings that were merged into it}

``field`` is one of:

- ``"auto"`` (default): an explicit string ``label`` key on at least 90% of the records wins;
  otherwise the completion is the label when the data looks like classification (see
  :func:`looks_like_classification`); otherwise ``None`` (open-ended data has no labels).
- ``"label"``: the explicit ``label`` key (records without one get ``""``).
- ``"completion"``: the completion text (stripped), whatever it looks like.
- ``"none"``: never labels (turns every label rule off for the file).

The decisions are made on aggregates, so that the Spark engine (ftlint.spark.rules.labels) makes
them with this same code: :func:`source_of` on counts of records (with a ``label`` key, with a
long completion) and distinct completions, :func:`label_set` on the distinct spellings with
their counts (in order of first appearance).

``like``: for a validation file, pass the training file's LabelInfo so that the validation file
uses the same source even when it is too small to look like classification on its own.

Spelling variants: labels whose key (lower case, with whitespace, ``_``, ``-``, ``.``, ``/`` and
other punctuation removed) is equal are one class; the canonical spelling is the most frequent
one (ties: the first seen). ``variant_key(label)`` exposes the key.

Number variants (``refund`` / ``refunds``, ``delivery`` / ``deliveries``) are not merged: a plural
is probably the same class but can be a real one, so ``info.canonical`` keeps them apart and
:func:`number_variants` lists them for FT303 to ask about."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

FIELDS = ("auto", "label", "completion", "none")

# a completion that may be a class name: a few words, no sentence
MAX_LABEL_WORDS = 5
MAX_LABEL_CHARS = 60
# distinct completions at most, for the completions to be labels
MAX_DISTINCT = 200

_KEY_STRIP = re.compile(r"[\W_]+", re.UNICODE)


def variant_key(label: str) -> str:
    """The key two spellings of one label share: 'Technical_Bug', 'technical bug ' -> 'technicalbug'."""
    key = _KEY_STRIP.sub("", label.casefold())
    return key or label.strip()


@dataclass
class LabelInfo:
    source: str
    labels: list[str]
    canonical: list[str]
    counts: Counter
    variants: dict[str, Counter] = field(default_factory=dict)

    @property
    def distinct(self) -> int:
        return len(self.counts)


def is_long(completion: str) -> bool:
    """A completion too long to be a class name (more than 5 words or 60 characters)."""
    return len(completion) > MAX_LABEL_CHARS or len(completion.split()) > MAX_LABEL_WORDS


def classification_from(n: int, long_: int, distinct: int) -> bool:
    """The decision of :func:`looks_like_classification` on its aggregates: ``n`` completions,
    ``long_`` of them long (:func:`is_long`), ``distinct`` distinct values once stripped (any
    count above MAX_DISTINCT may be given as MAX_DISTINCT + 1)."""
    return n >= 4 and n - long_ >= 0.95 * n and 2 <= distinct <= min(MAX_DISTINCT, n // 2)


def looks_like_classification(completions: list[str]) -> bool:
    """Few distinct, short completions relative to the record count: at least 4 records, at
    least 2 distinct values, 95% of the completions at most 5 words / 60 characters, distinct
    values at most half the records (and at most 200)."""
    n = len(completions)
    if n < 4:
        return False
    long_ = 0  # stop at the first completion that makes 95% short impossible
    for c in completions:
        if is_long(c):
            long_ += 1
            if n - long_ < 0.95 * n:
                return False
    return classification_from(n, long_, len(set(c.strip() for c in completions)))


def labels_of(dataset, field: str = "auto", like: LabelInfo | None = None) -> LabelInfo | None:
    """The dataset's labels (memoized per field), or None when it is not classification-like."""
    key = f"labels:{field}:{like.source if like else ''}"
    return dataset.memo(key, lambda ds: _build(ds.examples, field, like))


#: ``--stratify`` values that name a field of the labels artifact rather than a top-level key
ARTIFACT_FIELDS = ("label", "completion")


def stratify_labels(examples: list, objs: list[dict], field_name: str | None = None,
                    stratify: str = "auto") -> list[str | None] | None:
    """One label per example for the splitter's stratification, or None when the set is not a
    classification set. ``auto`` (and ``label`` / ``completion``) are this artifact's canonical
    labels (spelling variants merged, as FT3 sees them); any other ``field_name`` (``--stratify
    FIELD``) reads that top-level key of each record (None where it is absent)."""
    if stratify == "none" or not examples:
        return None
    if field_name is not None and field_name not in ARTIFACT_FIELDS:
        return [_top_level(obj, field_name) for obj in objs]
    info = _build(examples, field_name or "auto", None)
    return None if info is None else list(info.canonical)


def _top_level(obj: dict, key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def source_of(field: str, like: LabelInfo | None, n: int, explicit: Callable[[], int],
              looks: Callable[[], bool]) -> str | None:
    """Where the labels of ``n`` records come from ("label" or "completion"), or None when the
    records have none: the decision, on aggregates that are asked for only when needed:
    ``explicit()`` how many records have a ``label`` key, ``looks()`` whether the completions
    look like classification (:func:`looks_like_classification`)."""
    if field == "none" or not n:
        return None
    if like is not None:
        return like.source
    if field in ("label", "completion"):
        return field
    if explicit() >= 0.9 * n:
        return "label"
    return "completion" if looks() else None


def label_text(example, source: str) -> str:
    """One record's label as written, from ``source``."""
    if source == "label":
        return example.label if example.label is not None else ""
    return example.completion


def _build(examples, field: str, like: LabelInfo | None) -> LabelInfo | None:
    source = source_of(field, like, len(examples) if examples else 0,
                       lambda: sum(1 for e in examples if e.label is not None),
                       lambda: looks_like_classification([e.completion for e in examples]))
    if source is None:
        return None
    return _canonicalize(source, [label_text(e, source) for e in examples])


@dataclass
class LabelSet:
    """What is decided on a file's distinct labels: ``written`` each spelling with its records
    (in order of first appearance), ``canon_of`` the spelling each one is merged into,
    ``counts`` the records of each canonical label (in order of first appearance), ``variants``
    {canonical: Counter of its spellings} for the labels with more than one."""

    source: str
    written: Counter
    canon_of: dict[str, str]
    counts: Counter
    variants: dict[str, Counter]

    @property
    def distinct(self) -> int:
        return len(self.counts)


def label_set(source: str, written: Counter) -> LabelSet:
    """The spelling variants of the labels ``written`` (spelling -> records, in order of first
    appearance): those whose key is equal are one class; the canonical spelling is the most
    frequent one, ties to the first seen."""
    key_of = {label: variant_key(label) for label in written}
    spellings: dict[str, Counter] = {}
    for label, n in written.items():  # Counter keeps first-seen order: ties go to the first
        spellings.setdefault(key_of[label], Counter())[label] = n
    keep = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
    canon_of = {label: keep[key_of[label]] for label in written}
    counts: Counter = Counter()
    for label, n in written.items():  # a canonical label first appears with its first spelling
        counts[canon_of[label]] += n
    variants = {keep[k]: c for k, c in spellings.items() if len(c) > 1}
    return LabelSet(source, written, canon_of, counts, variants)


def _canonicalize(source: str, raw: list[str]) -> LabelInfo:
    got = label_set(source, Counter(raw))
    canonical = [got.canon_of[label] for label in raw]
    return LabelInfo(source, raw, canonical, got.counts, got.variants)


_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def number_key(label: str) -> str:
    """The key two labels share when they differ only in the number of their words:
    'Refunds', 'refund' -> 'refund'; 'billing_issues', 'billing issue' -> 'billing issue'."""
    # inflection (the Rails inflector's rules) rather than inflect: as right on the words tried
    # (status, bus, analysis, deliveries) and 6 ms to import against inflect's 1.5 s CPU
    import inflection

    return " ".join(inflection.singularize(w) for w in _WORDS.findall(label.casefold()))


def number_variants(info: LabelInfo | LabelSet) -> dict[str, str]:
    """canonical label -> the label it is a number variant of (the most frequent of its group;
    ties: the first seen), for the labels whose words differ from another label's only in number."""
    groups: dict[str, list[str]] = {}
    for label in info.counts:  # Counter keeps first-seen order
        key = number_key(label)
        if key:  # a label of punctuation only has no words to compare
            groups.setdefault(key, []).append(label)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) > 1:
            keep = max(members, key=lambda m: info.counts[m])  # max keeps the first of equals
            out.update((m, keep) for m in members if m != keep)
    return out
