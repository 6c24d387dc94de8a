"""FT4: coverage: length outliers, low diversity, size, task monoculture (edge cases are in
ftlint.rules.edge_cases, broken completions in ftlint.rules.completions). Every rule reads shared artifacts
(ftlint.artifacts: profile, tfidf, templates, labels) so one file costs one pass of each."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np

from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.profile import profile_of
from ftlint.artifacts.templates import top_template
from ftlint.finding import Problem
from ftlint.rules.base import Option, rule
from ftlint.rules.edge_cases import histogram, median_of
from ftlint.rules.labels import LABEL_FIELD

MAD_SCALE = 1.4826  # MAD * this estimates the standard deviation of a normal distribution


@rule("FT401", "length-outlier", "warning",
      "A prompt or completion far outside the file's length distribution.", why="an outlier may be an error or a genuine long example; a person decides.",
      scope="dataset", options={
          "max-z": Option(5.0, "robust z-score (median/MAD of log length) beyond which a length is extreme"),
          "long-factor": Option(8.0, "and the text must be at least this many times the median length (long side)"),
          "short-factor": Option(20.0, "or at most the median divided by this (short side)"),
          "min-records": Option(20, "files with fewer records are not judged"),
          "label-field": LABEL_FIELD,
      })
def length_outlier(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    For the prompt and the completion separately, takes the log of each length in characters and
    computes a robust z-score from the file's median and median absolute deviation (MAD; scaled
    by 1.4826). A record is reported when its z-score is beyond `max-z` **and** its length is at
    least `long-factor` times the median (or at most the median / `short-factor`). Both tests
    must hold, so a tightly uniform file does not flag a modest difference and a file with a
    wide natural spread does not flag its genuine long and short examples: only the few extreme
    ones. Completions of classification-like data (labels) are not judged.

    ## Why it matters
    A 30,000-character prompt among 300-character ones is usually a merge or export accident (a
    whole thread or file pasted in); it dominates the loss of its batch and may exceed the
    target's token limit. A near-empty completion among paragraphs teaches the model to stop.

    ## Example
    ```jsonl bad min-records=5 max-z=3.0
    {"prompt": "Where is my order?", "completion": "Your order ships today from our Berlin warehouse."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, invoices are available on the annual plan."}
    {"prompt": "How do I reset my password?", "completion": "Use the Forgot password link on the sign-in page."}
    {"prompt": "Do you ship to Norway?", "completion": "Yes, we ship to Norway within five working days."}
    {"prompt": "Is there a student discount?", "completion": "Students get 30% off with a valid university email."}
    {"prompt": "What is your refund policy?", "completion": "Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase. Refunds are possible within 30 days of purchase."}
    ```
    ```jsonl good min-records=5 max-z=3.0
    {"prompt": "Where is my order?", "completion": "Your order ships today from our Berlin warehouse."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, invoices are available on the annual plan."}
    {"prompt": "How do I reset my password?", "completion": "Use the Forgot password link on the sign-in page."}
    {"prompt": "Do you ship to Norway?", "completion": "Yes, we ship to Norway within five working days."}
    {"prompt": "Is there a student discount?", "completion": "Students get 30% off with a valid university email."}
    {"prompt": "What is your refund policy?", "completion": "Refunds are possible within 30 days of purchase."}
    ```

    ## Fix
    Open the record: cut pasted material down to what the task needs, split a merged record, or
    drop it. If long inputs are intended, raise `long-factor`.
    """
    n = len(dataset.examples)
    if n < options["min-records"]:
        return
    prof = profile_of(dataset)
    fields = [("prompt", prof.prompt_chars)]
    if labels_of(dataset, options["label-field"]) is None:
        fields.append(("completion", prof.completion_chars))
    lines = dataset.lines
    for name, chars in fields:
        spread = log_spread(*histogram(chars[chars > 0]), options)
        if spread is None:
            continue
        z, long, short = length_outliers(chars, spread, options)
        for i in np.flatnonzero(long | short):
            e = dataset.examples[i]
            found = length_problem(name, lines[i], int(chars[i]), float(z[i]), bool(long[i]), bool(short[i]),
                                   e.prompt if name == "prompt" else e.completion, spread)
            if found is not None:
                yield found


# FT401 in three steps that both engines run (the Spark engine on a histogram of the lengths and
# on each partition's records: ftlint.spark.rules.coverage)
def log_spread(values: np.ndarray, counts: np.ndarray, options) -> tuple[float, float] | None:
    """The median of the log lengths and their MAD (scaled), from the histogram of the non-zero
    lengths (``values`` ascending, ``counts``); None when fewer than min-records are non-zero."""
    if int(counts.sum()) < options["min-records"]:
        return None
    logs = np.log(values.astype(np.float64))
    med = median_of(logs, counts)
    deviations = np.abs(logs - med)
    order = np.argsort(deviations, kind="stable")
    mad = MAD_SCALE * median_of(deviations[order], counts[order])
    return med, max(mad, 0.05)  # a file of identical lengths: any difference is beyond the spread


def length_outliers(chars: np.ndarray, spread: tuple[float, float], options) -> tuple[np.ndarray, ...]:
    """The robust z-score of each length (0 for an empty text) and which are long and short outliers."""
    med, mad = spread
    present = chars > 0
    median_chars = float(np.exp(med))
    z = np.zeros(len(chars))
    z[present] = (np.log(chars[present].astype(np.float64)) - med) / mad
    long = (z > options["max-z"]) & (chars >= options["long-factor"] * median_chars)
    short = present & (z < -options["max-z"]) & (chars <= median_chars / options["short-factor"])
    return z, long, short


def length_problem(name: str, line: int, chars: int, z: float, long: bool, short: bool, text: str,
                   spread: tuple[float, float]) -> Problem | None:
    if short and not text.strip():
        return None  # empty or blank: FT105's finding, not a length question
    median_chars = float(np.exp(spread[0]))
    side = "longer" if long else "shorter"
    factor = chars / median_chars if long else median_chars / max(chars, 1)
    return Problem(line, f"{name} is {chars} characters, {factor:.0f}x {side} than the file's median "
                   f"({median_chars:.0f}); check it for pasted or missing material",
                   data={"field": name, "chars": chars, "median": round(median_chars, 1), "z": round(z, 2)})


@rule("FT402", "low-diversity", "warning",
      "A large share of the prompts follow one template.", why="one template dominating limits what the model learns, but can be intended.",
      scope="dataset", options={
          "max-share": Option(0.5, "share of prompts in one template above which diversity is low"),
          "min-terms": Option(3, "content terms a template must share (fewer is not a template)"),
          "min-records": Option(20, "files with fewer records are not judged"),
      })
def low_diversity(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Mines prompt templates from the TF-IDF vocabulary (scikit-learn): the content terms (not
    English stop words) that each occur in more than `max-share` of the prompts form a template
    when there are at least `min-terms` of them; its share is the fraction of prompts holding all
    of them. The file is reported once when that share exceeds `max-share`; `data` names the
    terms and the share. This is template mining, not clustering: it finds "Classify the
    sentiment of this review: ..." however varied the filled-in text is, and stays silent on
    varied prompts (which never share three frequent content words).

    ## Why it matters
    A model tuned on one template learns the template: it gets brittle on any phrasing it has not
    seen and over-fits the slot values. Real users do not write in templates.

    ## Example
    ```jsonl bad min-records=4
    {"prompt": "Classify the sentiment of this product review: Great blender, very quiet.", "completion": "positive"}
    {"prompt": "Classify the sentiment of this product review: Broke after two days.", "completion": "negative"}
    {"prompt": "Classify the sentiment of this product review: Does the job, nothing more.", "completion": "neutral"}
    {"prompt": "Classify the sentiment of this product review: Love the colour!", "completion": "positive"}
    ```
    ```jsonl good min-records=4
    {"prompt": "Great blender, very quiet. Happy or not?", "completion": "positive"}
    {"prompt": "Review: broke after two days.", "completion": "negative"}
    {"prompt": "What's the tone here? Does the job, nothing more.", "completion": "neutral"}
    {"prompt": "Love the colour!", "completion": "positive"}
    ```

    ## Fix
    Rephrase the instruction in many ways (by hand or with a model, then review), mix in
    examples without the fixed wording, and collect real user inputs.
    """
    n = len(dataset.examples)
    if n < options["min-records"]:
        return
    found = top_template(dataset, options["max-share"], options["min-terms"])
    if found is None:
        return
    terms, share, rows = found
    if share > options["max-share"]:
        lines = dataset.lines
        yield Problem(None, f"{share:.0%} of the prompts follow one template (terms: {', '.join(terms)}); "
                      "vary the wording of the instruction and mix in other phrasings",
                      related=tuple(lines[i] for i in rows[:5]),
                      data={"share": round(share, 4), "terms": list(terms), "records": int(len(rows))})


@rule("FT404", "too-few-examples", "info", "Fewer records than recommended for the task.", why="advice: small sets can still fine-tune.",
      scope="dataset",
      options={
          "min-records": Option(100, "fewer records than this are too few"),
          "min-per-label": Option(20, "for classification: fewer records than this times the number of labels"),
          "label-field": LABEL_FIELD,
      }, default=False)
def too_few_examples(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports the file once when it has fewer than `min-records` valid examples, or, for
    classification-like data, fewer than `min-per-label` times the number of labels (the per-label
    gaps themselves are FT302's). The target's own hard minimum and maximum are FT601's.
    **Opt-in**: it would fire on every small test or sample file, so enable it where size matters
    (`--extend-select FT404`, or `extend-select = ["FT404"]` in the config).

    ## Why it matters
    Bedrock accepts tiny files, but a customization job on a few dozen examples mostly learns
    their surface form; a hundred is a common floor for a measurable gain, and a classifier needs
    a few dozen examples per class. Validation files are not judged.

    ## Example
    ```jsonl bad min-records=3
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```
    ```jsonl good min-records=3
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    {"prompt": "Do you ship to Norway?", "completion": "Yes, within five working days."}
    ```

    ## Fix
    Collect or generate (and review) more examples; for classification, more of each label.
    """
    n = len(dataset.examples)
    if n == 0 or dataset.role != "train":
        return  # a validation file is small by design
    if n >= options["min-records"]:
        info = labels_of(dataset, options["label-field"])
        yield from too_few(n, info.distinct if info is not None else None, options)
    else:
        yield from too_few(n, None, options)


def too_few(n: int, labels: int | None, options) -> Iterator[Problem]:
    """FT404's finding on a training file of ``n`` (> 0) examples with ``labels`` distinct labels
    (None when not classification-like; only read when ``n`` reaches min-records)."""
    if n < options["min-records"]:
        yield Problem(None, f"the file has {n} examples, fewer than the recommended {options['min-records']}; "
                      "collect more", data={"records": n, "minimum": options["min-records"]})
        return
    if labels is not None and labels >= 2:
        need = options["min-per-label"] * labels
        if n < need:
            yield Problem(None, f"the file has {n} examples for {labels} labels, fewer than the recommended "
                          f"{need} ({options['min-per-label']} per label); collect more",
                          data={"records": n, "labels": labels, "minimum": need})


_STRIP = "".join(chr(c) for c in range(33, 128) if not chr(c).isalnum()) + "¿¡“”‘’«»"


def _lead(text: str) -> str:
    """The first two words, lower case, without surrounding punctuation."""
    return " ".join(w.strip(_STRIP).lower() for w in text[:80].split()[:2])


@rule("FT406", "task-monoculture", "info",
      "Nearly all examples are one task type (the same leading instruction).", why="statistics: one task type is a property of the dataset, not a defect.",
      scope="dataset", options={
          "max-share": Option(0.9, "share of prompts that open with the same two words above which the file is one task"),
          "min-records": Option(50, "files with fewer records are not judged"),
      })
def task_monoculture(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Takes the first two words of each prompt (lower case; for chats the first user turn's) as
    its task key ("classify the", "translate into", "summarize this") and reports the file once
    when one key opens more than `max-share` of the prompts.

    ## Why it matters
    Tuning on one task narrows the model: it gets better at that task and forgets much of what it
    could do before (catastrophic forgetting), answering every request as if it were that task.
    If the tuned model must stay general, mix in general instruction examples (10-30% is common).
    A dedicated single-task model may ignore this advice.

    ## Example
    ```jsonl bad min-records=3
    {"prompt": "Translate into French: good morning", "completion": "bonjour"}
    {"prompt": "Translate into French: thank you", "completion": "merci"}
    {"prompt": "Translate into French: see you soon", "completion": "à bientôt"}
    ```
    ```jsonl good min-records=3
    {"prompt": "Translate into French: good morning", "completion": "bonjour"}
    {"prompt": "Summarise: the meeting moved to Friday.", "completion": "Meeting now on Friday."}
    {"prompt": "What is 12 times 7?", "completion": "84"}
    ```

    ## Fix
    Mix in general examples (other tasks, open questions) if the model must keep its general
    abilities; otherwise ignore this rule for the file.
    """
    exs = dataset.examples
    if len(exs) < options["min-records"]:
        return
    keys = Counter(task_key(e) for e in exs)
    key, count = keys.most_common(1)[0]  # ties: the key seen first
    yield from monoculture(key, count, len(exs), options)


def task_key(e) -> str:
    return _lead(_first_user(e))


def monoculture(key: str, count: int, n: int, options) -> Iterator[Problem]:
    """FT406's finding when ``key``, the most common task key (ties: the first seen), opens
    ``count`` of ``n`` prompts."""
    share = count / n
    if key and share > options["max-share"]:
        yield Problem(None, f"{share:.0%} of the prompts open with {key!r}: the file teaches one task; mix in "
                      "general examples if the model must keep its other abilities",
                      data={"key": key, "share": round(share, 4), "records": count})


def _first_user(e) -> str:
    if len(e.turns) == 2 and e.system is None:
        return e.prompt
    for t in e.turns:
        if t.role == "user":
            return t.text
    return e.prompt


RULES = (length_outlier, low_diversity, too_few_examples, task_monoculture)
