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
from dataclasses import dataclass, field

FIELDS = ("auto", "label", "completion", "none")

# a completion that may be a class name: a few words, no sentence
MAX_LABEL_WORDS = 5
MAX_LABEL_CHARS = 60

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


def looks_like_classification(completions: list[str]) -> bool:
    """Few distinct, short completions relative to the record count: at least 4 records, at
    least 2 distinct values, 95% of the completions at most 5 words / 60 characters, distinct
    values at most half the records (and at most 200)."""
    n = len(completions)
    if n < 4:
        return False
    long_ = 0  # stop at the first completion that makes 95% short impossible
    for c in completions:
        if not label_like(c):
            long_ += 1
            if not short_enough(n, long_):
                return False
    return few_distinct(n, len(set(c.strip() for c in completions)))


# the three tests of looks_like_classification, also run by the Spark engine on its counts
# (ftlint.spark.rules.coverage): a completion short enough to be a label; few enough long
# ones among n; few enough distinct (stripped) completions among n
def label_like(completion: str) -> bool:
    return len(completion) <= MAX_LABEL_CHARS and len(completion.split()) <= MAX_LABEL_WORDS


def short_enough(n: int, long_: int) -> bool:
    return n - long_ >= 0.95 * n


def few_distinct(n: int, distinct: int) -> bool:
    return 2 <= distinct <= min(200, n // 2)


def explicit_source(n: int, explicit: int) -> bool:
    """Whether ``explicit`` records of ``n`` with a ``label`` key make it the labels' source."""
    return explicit >= 0.9 * n


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


def _build(examples, field: str, like: LabelInfo | None) -> LabelInfo | None:
    if field == "none" or not examples:
        return None
    source = None
    if like is not None:
        source = like.source
    elif field == "label":
        source = "label"
    elif field == "completion":
        source = "completion"
    else:
        explicit = sum(1 for e in examples if e.label is not None)
        if explicit_source(len(examples), explicit):
            source = "label"
        elif looks_like_classification([e.completion for e in examples]):
            source = "completion"
    if source is None:
        return None
    if source == "label":
        raw = [e.label if e.label is not None else "" for e in examples]
    else:
        raw = [e.completion for e in examples]
    return _canonicalize(source, raw)


def _canonicalize(source: str, raw: list[str]) -> LabelInfo:
    written = Counter(raw)
    key_of = {label: variant_key(label) for label in written}
    spellings: dict[str, Counter] = {}
    for label, n in written.items():  # Counter keeps first-seen order: ties go to the first
        spellings.setdefault(key_of[label], Counter())[label] = n
    keep = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
    canon_of = {label: keep[key_of[label]] for label in written}
    canonical = [canon_of[label] for label in raw]
    variants = {keep[k]: c for k, c in spellings.items() if len(c) > 1}
    return LabelInfo(source, raw, canonical, Counter(canonical), variants)


_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def number_key(label: str) -> str:
    """The key two labels share when they differ only in the number of their words:
    'Refunds', 'refund' -> 'refund'; 'billing_issues', 'billing issue' -> 'billing issue'."""
    # inflection (the Rails inflector's rules) rather than inflect: as right on the words tried
    # (status, bus, analysis, deliveries) and 6 ms to import against inflect's 1.5 s CPU
    import inflection

    return " ".join(inflection.singularize(w) for w in _WORDS.findall(label.casefold()))


def number_variants(info: LabelInfo) -> dict[str, str]:
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
