"""FT3: label balance, rare labels and label-name variants; label coverage and drift between
the splits (with --validation, FT304 and FT305) are in ftlint.rules.split_labels. All of them
read one shared artifact:
:func:`ftlint.artifacts.labels.labels_of` (classification detection + spelling variants)."""
from __future__ import annotations

from collections.abc import Iterator

from ftlint.artifacts.labels import FIELDS, labels_of, number_variants
from ftlint.finding import Problem, Severity
from ftlint.rules.base import Option, rule

LABEL_FIELD = Option("auto", "where the label is: auto (an explicit `label` key, else the completion when the "
                     "data looks like classification), label, completion, or none", choices=FIELDS)
MAX_RELATED = 20


def _lines_by_label(dataset, info) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for ex, label in zip(dataset.examples, info.canonical, strict=True):
        out.setdefault(label, []).append(ex.line)
    return out


@rule("FT301", "class-imbalance", "warning",
      "The large labels have many times the examples of the small ones, or the small ones are far below the mean.",
      why="imbalance biases the model toward the big classes, but can be the real distribution: a person decides.",
      scope="dataset", options={
          "max-ratio": Option(3.0, "spread (the label at the 90th percentile of counts / the label at the 10th; "
                              "with 10 labels or fewer, largest / smallest) above which the file is imbalanced"),
          "min-mean-share": Option(1 / 3, "the label at the 10th percentile (with 10 labels or fewer, the smallest) "
                                   "below this fraction of the mean count is imbalanced too"),
          "label-field": LABEL_FIELD,
      })
def class_imbalance(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    For classification-like data (few distinct short completions, or an explicit `label` key; see
    `label-field`) counts the examples of each label, with spelling variants merged (FT303), and
    measures the **spread**: the count of the label at the 90th percentile over the count of the
    label at the 10th (nearest rank: with 150 labels, the 15th largest over the 15th smallest;
    with 10 labels or fewer, the largest over the smallest). It reports the file once when the
    spread exceeds `max-ratio` (3), or the label at the 10th percentile has fewer than
    `min-mean-share` (a third) of the mean count. The message names the smallest and largest
    label with their counts; `data` holds every count.

    With many labels the single largest and smallest are the tails of a distribution, not its
    shape: Banking77's training split (77 intents) runs from 35 to 187 examples, a 5.3x
    max/min ratio, yet 90% of its intents lie within 1.8x of each other. CLINC150's imbalanced
    variant gives a quarter of its 150 intents 25 examples and a third 100: a spread of 4x
    across whole groups of labels, which is what biases a model. One small label among many
    is FT302's (rare-label) finding.

    ## Why it matters
    A fine-tuned classifier learns the prior: with 20 times more `billing` than `cancellation`
    examples it answers `billing` whenever it is unsure, and the rare class's recall collapses.
    A spread up to about 3 is usually absorbed by a model of Bedrock's size; a class group
    under a third of the mean is where per-class recall starts to drop in practice.

    ## Example
    ```jsonl bad
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Why is VAT on my bill?", "output": "billing"}
    {"input": "Card declined on renewal", "output": "billing"}
    {"input": "Update my billing address", "output": "billing"}
    {"input": "Invoice shows wrong company", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    ```
    ```jsonl good
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Why is VAT on my bill?", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Cancel at the end of the term", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    ```

    ## Fix
    Collect more examples of the small labels (or generate and review them), downsample the
    large ones, or merge labels that the model need not tell apart. `ftlint split` stratifies by
    label so that both splits keep the same proportions.
    """
    info = labels_of(dataset, options["label-field"])
    if info is not None:
        yield from imbalance(info, options)


def imbalance(info, options) -> Iterator[Problem]:
    """FT301's finding on a file's labels (a LabelInfo or LabelSet: only ``counts`` is read)."""
    counts = info.counts
    if len(counts) < 2:
        return
    (large, n_large), (small, n_small) = counts.most_common(1)[0], min(counts.items(), key=lambda kv: kv[1])
    mean = sum(counts.values()) / len(counts)
    low, high = _spread(sorted(counts.values()))
    spread = high / low
    if spread > options["max-ratio"] or low < options["min-mean-share"] * mean:
        bulk = (f"the 10% largest labels have at least {high} examples, the 10% smallest at most {low} "
                f"({spread:.1f}x)" if len(counts) > 10 else f"{spread:.1f}x")
        yield Problem(None, f"labels are imbalanced: {large!r} has {n_large} examples, {small!r} only {n_small} "
                      f"({bulk}; mean {mean:.1f}); add examples of the small labels or downsample the large ones",
                      data={"largest": large, "largest_count": n_large, "smallest": small, "smallest_count": n_small,
                            "ratio": round(n_large / n_small, 3), "spread": round(spread, 3), "p10_count": low,
                            "p90_count": high, "mean": round(mean, 3), "counts": dict(counts.most_common())})


def _spread(counts: list[int]) -> tuple[int, int]:
    """(count at the 10th percentile, count at the 90th) of sorted counts, by nearest rank toward
    the tails: the smallest and largest when there are 10 labels or fewer."""
    n = len(counts)
    return counts[int(0.1 * (n - 1))], counts[-1 - int(0.1 * (n - 1))]


@rule("FT302", "rare-label", "warning", "A label with fewer examples than the minimum.", why="too few examples to learn a class; a person decides whether to add more or merge it.",
      scope="dataset",
      options={"min-count": Option(10, "a label with fewer examples than this is rare"), "label-field": LABEL_FIELD})
def rare_label(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    For classification-like data, reports each label (spelling variants merged) that has fewer
    than `min-count` examples, on the line of its first example; the other lines are `related`.

    ## Why it matters
    A handful of examples is not enough for the model to learn a class; it also cannot be split
    into training and validation, so the class goes unevaluated. Ten examples is the least with
    which a stratified 80/20 split leaves two in validation. A one-off label is often a typo.
    Only training files are judged: a validation file holds a fraction of each label by design.

    ## Example
    ```jsonl bad min-count=2
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Cancel at the end of the term", "output": "cancellation"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    {"input": "Is there a dark mode?", "output": "feature_request"}
    ```
    ```jsonl good min-count=2
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    ```

    ## Fix
    Add examples of the label, merge it into a related one, or drop it if it was a mistake.
    """
    if dataset.role != "train":
        return  # a validation file holds a fraction of each label by design; FT304 checks its coverage
    info = labels_of(dataset, options["label-field"])
    if info is None:
        return
    lines = _lines_by_label(dataset, info)
    for label, n in rare_labels(info, options):
        yield rare_problem(label, n, lines[label], options)


def rare_labels(info, options) -> list[tuple[str, int]]:
    """FT302's decision: the (canonical label, records) of the rare labels, in the order of the findings."""
    return [(label, n) for label, n in sorted(info.counts.items(), key=lambda kv: (kv[1], kv[0]))
            if n < options["min-count"]]


def rare_problem(label: str, n: int, lines: list[int], options) -> Problem:
    """FT302's finding on a rare label with its records' lines (the first MAX_RELATED + 1 are read)."""
    return Problem(lines[0], f"label {label!r} has only {n} example{'s' if n != 1 else ''} (minimum "
                   f"{options['min-count']}); add examples or merge it into another label",
                   related=tuple(lines[1:MAX_RELATED + 1]), data={"label": label, "count": n})


@rule("FT303", "label-variant", "error",
      "Labels that differ only in case, spacing, punctuation, separators or number.",
      why="two spellings of one label split one class in two: the model learns a distinction that does not exist. "
          "A singular/plural pair ('refund' / 'refunds') is a warning: probably one class, but a plural can name "
          "a real class of its own, so a person decides",
      scope="dataset",
      options={"label-field": LABEL_FIELD})
def label_variant(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Groups labels that are equal once case, whitespace, `_`, `-`, `.`, `/` and other punctuation
    are ignored (`Technical_Bug`, `technical bug`, `Technical-Bug `) and reports every record that
    uses a spelling other than the group's most frequent one, naming the spelling to keep: an
    error. Labels whose words differ only in number (`refund` / `refunds`, `delivery` /
    `deliveries`, `billing_issue` / `billing_issues`; English plural rules from the `inflection`
    package) are reported as a **warning** on the records of the less frequent one, with both
    counts: they are probably one class, but a plural can be a class of its own.

    ## Why it matters
    The model treats each spelling as its own class: it learns to split one class in two and
    emits spellings your code does not recognise. The minority spellings are almost always
    typos or the trace of a merge of two sources.

    ## Example
    ```jsonl bad
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    {"input": "Card declined on renewal", "output": "billing"}
    {"input": "Why is VAT on my bill?", "output": "Billing "}
    {"input": "Cancel at the end of the term", "output": "cancellation"}
    {"input": "End my plan today", "output": "cancellations"}
    ```
    ```jsonl good
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    {"input": "Why is VAT on my bill?", "output": "billing"}
    {"input": "End my plan today", "output": "cancellation"}
    ```

    ## Fix
    Rewrite the variant records with the spelling the message names (`ftlint fix` does for
    spelling variants; a number variant it leaves alone unless you make FT303 an error, since
    only you know whether the plural is a class of its own).
    """
    info = labels_of(dataset, options["label-field"])
    if info is None:
        return
    numbers = variant_numbers(info)
    if numbers is None:
        return
    first_line: dict[str, int] = {}
    for ex, label in zip(dataset.examples, info.labels, strict=True):
        first_line.setdefault(label, ex.line)
    for ex, label, keep in zip(dataset.examples, info.labels, info.canonical, strict=True):
        found = variant_problem(ex.line, label, keep, info, numbers, first_line)
        if found is not None:
            yield found


def variant_numbers(info) -> dict[str, str] | None:
    """FT303's decision on a file's labels (a LabelInfo or LabelSet): the number variants
    (:func:`number_variants`), or None when there is no variant of either kind to report."""
    numbers = number_variants(info) if info.distinct >= 2 else {}
    if not info.variants and not numbers:
        return None
    return numbers


def variant_problem(line: int, label: str, keep: str, info, numbers: dict[str, str],
                    first_line: dict[str, int]) -> Problem | None:
    """FT303's finding on one record, written ``label``, canonical ``keep`` (None when it is
    fine); ``first_line``: the first line of each written label (those of the canonical ones are read)."""
    if label != keep:
        n_keep = info.variants[keep][keep]
        return Problem(line, f"label {label!r} is a variant of {keep!r} ({n_keep} records); write {keep!r}",
                       related=(first_line[keep],), data={"label": label, "keep": keep, "keep_count": n_keep,
                                                          "spellings": dict(info.variants[keep]),
                                                          "kind": "spelling"})
    if keep in numbers:
        other = numbers[keep]
        n_label, n_other = info.counts[keep], info.counts[other]
        return Problem(line, f"label {label!r} ({n_label} records) differs from {other!r} ({n_other} records) "
                       f"only in number; if they are one class, write {other!r}",
                       related=(first_line[other],), severity=Severity.WARNING,
                       data={"label": label, "keep": other, "keep_count": n_other, "count": n_label,
                             "kind": "number"})
    return None


RULES = (class_imbalance, rare_label, label_variant)
