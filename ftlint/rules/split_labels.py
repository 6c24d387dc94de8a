"""FT304 and FT305: label coverage and drift between a training and a validation file (with
--validation), on the labels artifact FT3 reads (:func:`ftlint.artifacts.labels.labels_of`)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ftlint.artifacts import chisquare
from ftlint.artifacts.labels import labels_of, variant_key
from ftlint.finding import Problem
from ftlint.rules.base import Option, rule
from ftlint.rules.labels import LABEL_FIELD


def _pair_labels(train, validation, options):
    tinfo = labels_of(train, options["label-field"])
    if tinfo is None:
        return None, None
    vinfo = labels_of(validation, options["label-field"], like=tinfo)
    if vinfo is None:
        return None, None
    return tinfo, vinfo


@rule("FT304", "split-label-coverage", "warning",
      "A label present in one split and missing from the other.", why="a label missing from one split makes validation blind to it; it needs a look, not a failed job.",
      scope="pair",
      options={"label-field": LABEL_FIELD})
def split_label_coverage(train, validation, options) -> Iterator[Problem]:
    """
    ## What it does
    With `--validation`, for classification-like data: reports each label of the validation file
    that never occurs in training (on its first validation line), and once (no line) the labels
    of the training file that the validation file lacks. Spelling variants count as one label.

    ## Why it matters
    A label the model never saw in training cannot be predicted, so its validation examples only
    lower the score; a training label missing from validation is never evaluated, so a model that
    has forgotten it still looks fine.

    ## Example
    ```jsonl bad
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    ```
    ```jsonl bad validation
    {"input": "Card declined on renewal", "output": "billing"}
    {"input": "Is there a dark mode?", "output": "feature_request"}
    ```
    ```jsonl good
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    ```
    ```jsonl good validation
    {"input": "Card declined on renewal", "output": "billing"}
    {"input": "Cancel at the end of the term", "output": "cancellation"}
    ```

    ## Fix
    Split with stratification by label (`ftlint split`), or move examples so that every label has
    some in each file; drop or relabel validation examples whose label does not exist.
    """
    tinfo, vinfo = _pair_labels(train, validation, options)
    if tinfo is None:
        return
    tkeys = {variant_key(label): label for label in tinfo.counts}
    vkeys = {variant_key(label): label for label in vinfo.counts}
    first: dict[str, int] = {}
    for ex, label in zip(validation.examples, vinfo.canonical, strict=True):
        first.setdefault(label, ex.line)
    for key, label in vkeys.items():
        if key not in tkeys:
            yield Problem(first[label], f"label {label!r} ({vinfo.counts[label]} validation records) never occurs in "
                          "training; add training examples of it or relabel these records",
                          data={"label": label, "validation_count": vinfo.counts[label]})
    missing = sorted((label for key, label in tkeys.items() if key not in vkeys), key=lambda s: (-tinfo.counts[s], s))
    if missing:
        shown = ", ".join(repr(m) for m in missing[:10])
        yield Problem(None, f"{len(missing)} training label{'s' if len(missing) != 1 else ''} never occur in the "
                      f"validation file ({shown}); split stratified by label so each label is evaluated",
                      data={"missing": missing, "train_counts": {m: tinfo.counts[m] for m in missing}})


@rule("FT305", "split-label-drift", "warning",
      "The label distribution of the validation file differs from training's.", why="a drifted validation set misleads evaluation; it needs a look, not a failed job.",
      scope="pair",
      options={
          "max-distance": Option(0.15, "total variation distance between the splits' label shares above which they drift"),
          "max-p-value": Option(0.01, "chi-square goodness-of-fit p-value below which the difference is not sampling noise"),
          "label-field": LABEL_FIELD,
      })
def split_label_drift(train, validation, options) -> Iterator[Problem]:
    """
    ## What it does
    With `--validation`, for classification-like data: compares the share of each label in the
    two files. The statistic is the **total variation distance** (half the sum of the absolute
    differences of the label shares, 0 = same distribution, 1 = disjoint). It reports the
    validation file once when the distance exceeds `max-distance` **and** a chi-square
    goodness-of-fit test of the validation counts against the training shares gives a p-value
    below `max-p-value`, so that a small validation file's sampling noise does not fire it.
    Validation labels that training lacks are left out (FT304 reports them).

    ## Why it matters
    A validation set with other proportions than training measures a different task: the score
    is biased and early stopping or model selection optimises for the wrong mix. A distance of
    0.15 means 15% of the validation examples would have to change label to match training;
    a stratified split stays far below it.

    ## Example
    ```jsonl bad max-p-value=1.0
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    ```
    ```jsonl bad validation
    {"input": "Card declined on renewal", "output": "billing"}
    {"input": "Wrong VAT number on invoice", "output": "billing"}
    {"input": "Double charge this month", "output": "billing"}
    {"input": "Cancel at the end of the term", "output": "cancellation"}
    ```
    ```jsonl good max-p-value=1.0
    {"input": "I was charged twice", "output": "billing"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Please close my account", "output": "cancellation"}
    {"input": "Stop my subscription", "output": "cancellation"}
    ```
    ```jsonl good validation
    {"input": "Card declined on renewal", "output": "billing"}
    {"input": "Cancel at the end of the term", "output": "cancellation"}
    ```

    ## Fix
    Re-split the data stratified by label (`ftlint split` does), or resample the validation file.
    """
    tinfo, vinfo = _pair_labels(train, validation, options)
    if tinfo is None:
        return
    tshares = _shares({variant_key(k): v for k, v in tinfo.counts.items()})
    vcounts = Counter({variant_key(k): v for k, v in vinfo.counts.items()})
    common = list(tshares)  # a training label the validation file lacks counts as share 0
    n_v = sum(vcounts[k] for k in common)
    if n_v == 0 or len(common) < 2:
        return
    vshares = {k: vcounts[k] / n_v for k in common}
    tvd = 0.5 * sum(abs(tshares[k] - vshares[k]) for k in common)
    if tvd <= options["max-distance"]:
        return
    observed, expected = [vcounts[k] for k in common], [tshares[k] * n_v for k in common]
    if chisquare.p_value_estimate(observed, expected) >= options["max-p-value"] * (1 + 1e-6):
        return  # sampling noise, as the exact value would also say: no need to load scipy for it
    p_value = chisquare.p_value(observed, expected)
    if p_value < options["max-p-value"]:
        names = {variant_key(k): k for k in tinfo.counts}
        worst = max(common, key=lambda k: abs(tshares[k] - vshares[k]))
        yield Problem(None, f"label shares drift between the splits (total variation distance {tvd:.2f}, "
                      f"chi-square p={p_value:.2g}); {names[worst]!r} is {tshares[worst]:.0%} of training but "
                      f"{vshares[worst]:.0%} of validation: re-split stratified by label",
                      data={"distance": round(tvd, 4), "p_value": p_value,
                            "train_shares": {names[k]: round(tshares[k], 4) for k in common},
                            "validation_shares": {names[k]: round(vshares[k], 4) for k in common}})


def _shares(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()}


RULES = (split_label_coverage, split_label_drift)
