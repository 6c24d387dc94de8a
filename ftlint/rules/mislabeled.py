"""FT306: records whose label a cross-validated text model finds unlikely (confident learning,
:mod:`ftlint.artifacts.label_noise`), with the label it suggests; `ftlint fix` can relabel or
drop them when asked (option ``fix``)."""
from __future__ import annotations

import copy
from collections.abc import Iterator

from ftlint import formats
from ftlint.artifacts.label_noise import label_issues_of
from ftlint.artifacts.labels import labels_of
from ftlint.finding import Problem
from ftlint.formats.messages import parse_path
from ftlint.rules.base import DROP, Option, rule
from ftlint.rules.labels import LABEL_FIELD

FIXES = ("none", "relabel", "drop")


def _fix(finding, obj: dict, fmt: str, options) -> dict | str | None:
    """``fix = "relabel"`` writes the suggested label where the label lives (the ``label`` key or
    the completion); ``"drop"`` drops the record; ``"none"`` (the default) leaves it."""
    mode = options.get("fix", "none")
    data = finding.data or {}
    if mode == "drop":
        return DROP
    if mode != "relabel" or not isinstance(data.get("suggested"), str):
        return None
    new = copy.deepcopy(obj)
    if data.get("source") == "label":
        new["label"] = data["suggested"]
        return new
    example = formats.normalize(fmt, obj, finding.line or 0)
    for tf in reversed(example.text_fields):
        if tf.text.strip() == example.completion.strip():
            target = new
            parts = parse_path(tf.path)
            for p in parts[:-1]:
                target = target[p]
            target[parts[-1]] = data["suggested"]
            return new
    return None


@rule("FT306", "likely-mislabeled", "warning",
      "A record whose label a cross-validated text model finds unlikely (confident learning).",
      why="a model's disagreement is evidence, not proof: a person confirms before a label changes.",
      scope="dataset", fix=_fix, options={
          "label-field": LABEL_FIELD,
          "folds": Option(5, "cross-validation folds; labels with fewer records are not judged"),
          "min-records": Option(1_000, "files with fewer labelled records are not judged: below this, a 5-fold "
                                "model trains on fewer than 800 records, and judging would start scikit-learn "
                                "(about 1 s) for a file small enough to review by eye, such as a pre-commit "
                                "hook's; set it lower (e.g. 50) to judge small files"),
          "min-accuracy": Option(0.7, "cross-validated accuracy below which the text does not predict the "
                                 "labels well enough to judge single records (the model's own errors would be most findings)"),
          "max-records": Option(10_000, "larger files are judged on a seeded sample of this many records "
                                "(0: every record; about 2 s of CPU per 10,000, so that a default check of a "
                                "large file stays fast; Bedrock jobs take 10,000-20,000 records)"),
          "fix": Option("none", "what `ftlint fix` does with a flagged record: none, relabel (write the "
                        "suggested label) or drop", choices=FIXES),
      })
def likely_mislabeled(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    For classification-like data (see `label-field`), trains a fast text model (TF-IDF of the
    prompt, a linear classifier) in `folds`-fold cross-validation, so that every record gets class
    probabilities from a model that never saw it. Confident learning (Northcutt et al., 2021; the
    method behind cleanlab) then estimates how many labels are wrong from the confident joint of
    given and predicted labels, and reports that many records whose given label has the lowest
    probability, unless the model's top class is their label anyway or gives their label at least
    the probability of a uniform guess (1/number of labels). The message names the given
    label, the suggested one and both probabilities; `data.rank` orders the findings from most to
    least likely wrong.

    Files with fewer than `min-records` labelled records, and files whose labels the text does not
    predict (cross-validated accuracy under `min-accuracy`), are not judged.

    ## Why it matters
    A fine-tuned classifier copies its labels: a few percent of wrong labels lower accuracy and
    teach the model confusions between classes. Wrong labels hide among thousands of right ones;
    a model trained on the rest of the data is the fastest way to find them. On Banking77 with 3%
    of labels flipped at random, this rule finds 92% of them at 70% precision (README).

    ## Example
    ```jsonl bad min-records=12 folds=2 min-accuracy=0.3
    {"input": "I was charged twice for my order", "output": "billing"}
    {"input": "Please refund the double charge", "output": "billing"}
    {"input": "My invoice shows the wrong amount", "output": "billing"}
    {"input": "Why was my card charged again", "output": "billing"}
    {"input": "Refund the charge on my last invoice", "output": "billing"}
    {"input": "The invoice total is wrong, refund me", "output": "billing"}
    {"input": "I forgot my password and cannot log in", "output": "billing"}
    {"input": "Reset my password please", "output": "login"}
    {"input": "The login page rejects my password", "output": "login"}
    {"input": "I cannot log in after the reset", "output": "login"}
    {"input": "How do I change my login password", "output": "login"}
    {"input": "Locked out of login, password expired", "output": "login"}
    {"input": "Forgot password, log in fails", "output": "login"}
    ```
    ```jsonl good min-records=12 folds=2 min-accuracy=0.3
    {"input": "I was charged twice for my order", "output": "billing"}
    {"input": "Please refund the double charge", "output": "billing"}
    {"input": "My invoice shows the wrong amount", "output": "billing"}
    {"input": "Why was my card charged again", "output": "billing"}
    {"input": "Refund the charge on my last invoice", "output": "billing"}
    {"input": "The invoice total is wrong, refund me", "output": "billing"}
    {"input": "Reset my password please", "output": "login"}
    {"input": "The login page rejects my password", "output": "login"}
    {"input": "I cannot log in after the reset", "output": "login"}
    {"input": "How do I change my login password", "output": "login"}
    {"input": "Locked out of login, password expired", "output": "login"}
    {"input": "Forgot password, log in fails", "output": "login"}
    ```

    ## Fix
    Look at each flagged record (`ftlint review` lists them) and correct the label, or keep it
    when the model is wrong. To apply the suggestions wholesale, run `ftlint fix` with
    `--option FT306.fix=relabel` (or `=drop` to remove them); the rejects file and the counts per
    rule say what changed.
    """
    info = labels_of(dataset, options["label-field"])
    if info is None or info.distinct < 2 or len(info.labels) < options["min-records"]:
        return
    issues = label_issues_of(dataset, info, folds=max(2, options["folds"]), max_records=options["max-records"],
                             min_accuracy=options["min-accuracy"])
    if issues is None or len(issues.rows) < options["min-records"]:
        return
    sample = (f"; judged on a seeded sample of {len(issues.rows):,} of {len(info.labels):,} records"
              if issues.sampled else "")
    for rank, pos in enumerate(issues.flagged, 1):
        i = int(issues.rows[pos])
        given, best = int(issues.labels[pos]), issues.suggested(int(pos))
        p_given, p_best = float(issues.probs[pos, given]), float(issues.probs[pos, best])
        label, suggested = issues.classes[given], issues.classes[best]
        yield Problem(dataset.examples[i].line,
                      f"label {label!r} looks wrong: a cross-validated text model gives it p={p_given:.3f} and "
                      f"suggests {suggested!r} (p={p_best:.2f}); about {issues.estimated} of the labels look wrong "
                      f"(model accuracy {issues.accuracy:.0%}{sample}): check the record and relabel it, or keep it",
                      data={"label": label, "suggested": suggested, "p_label": round(p_given, 4),
                            "p_suggested": round(p_best, 4), "rank": rank, "source": info.source,
                            "estimated_errors": issues.estimated, "cv_accuracy": round(issues.accuracy, 4)})


RULES = (likely_mislabeled,)
