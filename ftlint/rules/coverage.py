"""FT4: coverage and edge cases: length outliers, low diversity, edge-case share, size,
truncated and degenerate completions, task monoculture. Every rule reads shared artifacts
(ftlint.artifacts: profile, tfidf, templates, labels) so one file costs one pass of each."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np

from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.profile import profile_of
from ftlint.artifacts.templates import top_template
from ftlint.artifacts.tfidf import tfidf_of
from ftlint.finding import Problem
from ftlint.rules.answer_shape import TERMINAL, repetition, truncation
from ftlint.rules.base import Option, rule
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
        present = chars > 0
        if present.sum() < options["min-records"]:
            continue
        logs = np.log(chars[present].astype(np.float64))
        med = float(np.median(logs))
        mad = MAD_SCALE * float(np.median(np.abs(logs - med)))
        mad = max(mad, 0.05)  # a file of identical lengths: any difference is beyond the spread
        median_chars = float(np.exp(med))
        z = np.zeros(n)
        z[present] = (logs - med) / mad
        long = (z > options["max-z"]) & (chars >= options["long-factor"] * median_chars)
        short = present & (z < -options["max-z"]) & (chars <= median_chars / options["short-factor"])
        texts = [e.prompt if name == "prompt" else e.completion for e in dataset.examples] if short.any() else []
        for i in np.flatnonzero(long | short):
            if short[i] and not texts[i].strip():
                continue  # empty or blank: FT105's finding, not a length question
            side = "longer" if long[i] else "shorter"
            factor = chars[i] / median_chars if long[i] else median_chars / max(chars[i], 1)
            yield Problem(lines[i], f"{name} is {chars[i]} characters, {factor:.0f}x {side} than the file's median "
                          f"({median_chars:.0f}); check it for pasted or missing material",
                          data={"field": name, "chars": int(chars[i]), "median": round(median_chars, 1),
                                "z": round(float(z[i]), 2)})


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


EDGE_CASES = ("borderline", "short", "long", "numbers", "code", "non-latin")


def edge_case_shares(dataset, label_field: str = "auto", sample: int = 2000) -> dict[str, float | None]:
    """Share of records in each edge-case category (None where it does not apply): borderline
    (classification only: the nearest neighbour in TF-IDF space carries another label; estimated
    on a seeded sample of at most ``sample`` records), short (prompt at most a third of the
    median length), long (at least three times it), numbers, code, non-Latin script. Also
    ``any``: records in at least one category other than borderline."""
    return dataset.memo(f"edge-cases:{label_field}:{sample}", lambda ds: _edge_cases(ds, label_field, sample))


def _edge_cases(dataset, label_field: str, sample: int) -> dict[str, float | None]:
    n = len(dataset.examples)
    if n == 0:
        return dict.fromkeys(EDGE_CASES + ("any",))
    prof = profile_of(dataset)
    med = float(np.median(prof.prompt_chars))
    short = prof.prompt_chars <= med / 3
    long = prof.prompt_chars >= 3 * med
    out: dict[str, float | None] = {"borderline": None, "short": float(short.mean()), "long": float(long.mean()),
                                    "numbers": float(prof.has_number.mean()), "code": float(prof.has_code.mean()),
                                    "non-latin": float(prof.non_latin.mean())}
    out["any"] = float((short | long | prof.has_number | prof.has_code | prof.non_latin).mean())
    info = labels_of(dataset, label_field)
    t = tfidf_of(dataset)
    if info is not None and info.distinct >= 2 and t is not None:
        m = len(t.rows)
        rows = np.arange(m)  # matrix rows queried: a seeded sample of at most `sample`
        if m > sample:
            rows = np.sort(np.random.default_rng(0).choice(m, sample, replace=False))
        nearest, sims = t.nearest(rows)
        labels = np.array(info.canonical, dtype=object)[t.rows]
        ok = nearest >= 0
        other = np.zeros(len(rows), dtype=bool)
        other[ok] = labels[rows[ok]] != labels[nearest[ok]]
        out["borderline"] = float(other.mean())
    return out


@rule("FT403", "few-edge-cases", "warning",
      "Too few borderline or unusual examples (ambiguous, short, long, numbers, code, other scripts).",
      why="few edge cases make a brittle model; advice that needs a look.",
      scope="dataset", options={
          "min-share": Option(0.02, "least share of records that are short, long, or hold numbers, code or "
                              "non-Latin text"),
          "min-borderline": Option(0.02, "least share of borderline examples (classification only)"),
          "min-records": Option(50, "files with fewer records are not judged"),
          "label-field": LABEL_FIELD,
      })
def few_edge_cases(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Measures the share of edge cases among the prompts: **short** (at most a third of the median
    length), **long** (at least three times it), holding **numbers**, **code** (backticks, calls,
    markup, operators) or **non-Latin** script, and, for classification, **borderline** examples
    (the nearest other prompt in TF-IDF cosine space carries another label; estimated on a seeded
    sample of 2,000 records, neighbours searched among up to 20,000). Warns when the records in any of the first five categories are under
    `min-share`, or borderline ones under `min-borderline`. `data` has every share. To make CI fail
    when a share you need is not met, declare minimums for FT410 (edge-case-minimum).

    ## Why it matters
    A set of uniform, easy examples trains a model that does well on the easy middle and fails on
    everything real users send: one-word messages, pasted logs, order numbers, other languages,
    cases between two classes. Two percent is a floor, not a target: well-kept sets have far more.

    ## Example
    ```jsonl bad min-records=4
    {"prompt": "What is the capital of France?", "completion": "Paris is the capital of France."}
    {"prompt": "What is the capital of Spain?", "completion": "Madrid is the capital of Spain."}
    {"prompt": "What is the capital of Italy?", "completion": "Rome is the capital of Italy."}
    {"prompt": "What is the capital of Greece?", "completion": "Athens is the capital of Greece."}
    ```
    ```jsonl good min-records=4
    {"prompt": "What is the capital of France?", "completion": "Paris is the capital of France."}
    {"prompt": "Capital of Spain?", "completion": "Madrid is the capital of Spain."}
    {"prompt": "Which city has been the capital of Italy since 1871, and was it always the capital?", "completion": "Rome, since 1871; before that Florence and Turin were."}
    {"prompt": "¿Cuál es la capital de Grecia?", "completion": "Atenas es la capital de Grecia."}
    ```

    ## Fix
    Add real examples of the missing kinds: very short and very long inputs, inputs with numbers
    and code, other languages your users write in, and cases close to a class boundary.
    """
    if len(dataset.examples) < options["min-records"]:
        return
    shares = edge_case_shares(dataset, options["label-field"])
    data = {k: (round(v, 4) if v is not None else None) for k, v in shares.items()}
    if shares["any"] < options["min-share"]:
        yield Problem(None, f"only {shares['any']:.1%} of the prompts are short, long, or hold numbers, code or "
                      "non-Latin text; add unusual inputs so the model sees more than the easy middle", data=data)
    if shares["borderline"] is not None and shares["borderline"] < options["min-borderline"]:
        yield Problem(None, f"only {shares['borderline']:.1%} of the examples are borderline (nearest neighbour "
                      "has another label); add cases close to the class boundaries", data=data)


@rule("FT410", "edge-case-minimum", "error",
      "A share of edge cases below the minimum the project declared.", why="the project declared this minimum, so missing it fails the check as the project asked.",
      scope="dataset", options={
          "borderline": Option(0.0, "least share of borderline examples (classification; 0 = no minimum)"),
          "short": Option(0.0, "least share of short prompts (at most a third of the median length)"),
          "long": Option(0.0, "least share of long prompts (at least three times the median length)"),
          "numbers": Option(0.0, "least share of prompts with a digit"),
          "code": Option(0.0, "least share of prompts with code"),
          "non-latin": Option(0.0, "least share of prompts with non-Latin script"),
          "label-field": LABEL_FIELD,
      })
def edge_case_minimum(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    The CI gate for edge-case coverage: every option is a minimum share you declare (all 0 by
    default, so the rule is silent until you do), measured as FT403 measures it. Each unmet
    minimum is an error, so `ftlint check` exits 1. Declare them in your config:

        [tool.ftlint.rules.FT410]
        short = 0.05
        numbers = 0.2
        non-latin = 0.03

    ## Why it matters
    Coverage decays as a dataset is re-generated and filtered. A declared floor makes a drop
    visible in the pull request that caused it instead of in production.

    ## Example
    ```jsonl bad numbers=0.5
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    {"prompt": "Where is order 1234?", "completion": "Order 1234 ships today."}
    ```
    ```jsonl good numbers=0.5
    {"prompt": "Where is order 98?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    {"prompt": "Where is order 1234?", "completion": "Order 1234 ships today."}
    ```

    ## Fix
    Add examples of the category the message names, or lower the declared minimum on purpose.
    """
    wanted = {k: options[k] for k in EDGE_CASES if options[k] > 0}
    if not wanted or not dataset.examples:
        return
    shares = edge_case_shares(dataset, options["label-field"])
    for key, minimum in wanted.items():
        share = shares[key]
        if share is None:
            continue  # borderline needs labels
        if share < minimum:
            yield Problem(None, f"{share:.1%} of the records are {key} edge cases, below the declared minimum "
                          f"{minimum:.1%}; add {key} examples", data={"category": key, "share": round(share, 4),
                                                                     "minimum": minimum})


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
    if n < options["min-records"]:
        yield Problem(None, f"the file has {n} examples, fewer than the recommended {options['min-records']}; "
                      "collect more", data={"records": n, "minimum": options["min-records"]})
        return
    info = labels_of(dataset, options["label-field"])
    if info is not None and info.distinct >= 2:
        need = options["min-per-label"] * info.distinct
        if n < need:
            yield Problem(None, f"the file has {n} examples for {info.distinct} labels, fewer than the recommended "
                          f"{need} ({options['min-per-label']} per label); collect more",
                          data={"records": n, "labels": info.distinct, "minimum": need})


@rule("FT405", "truncated-completion", "warning",
      "A completion that ends mid-sentence, or leaves brackets, quotes or a code fence open.",
      why="a cut-off answer teaches the model to stop mid-sentence; heuristics can be wrong (a list or code answer "
          "need not end like a sentence), so a person looks.",
      scope="dataset",
      options={
          "min-words": Option(8, "completions with fewer words are not judged for a missing final punctuation"),
          "punctuated-share": Option(0.9, "when this share of the file's completions end with punctuation, one "
                                     "that does not is reported"),
          "label-field": LABEL_FIELD,
      })
def truncated_completion(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Judges open-ended completions only (classification labels such as `billing` are never
    truncated): reports a completion that leaves a code fence, a bracket, a double quote or a
    curly quote open; that has at least `min-words` words and ends on a comma, a hyphen or a
    word that cannot end a sentence (`the`, `and`, `to`...); or that ends without closing
    punctuation while at least `punctuated-share` of the file's completions of that length end
    with it.

    Lists and code are complete answers. A list (bullets, numbers, `key: value` lines, or one
    line of short comma-separated items) needs no closing punctuation, and its last item is
    judged for a dangling word only when it is a phrase of five words or more: `5. Biomass
    energy` and `Skis: Stand On` are fine. A code answer (fenced, or lines only code writes:
    `def`, assignments, braces, markup) is judged only for an open fence; brackets and quotes
    inside closed fences and inline code are not counted, nor an inch mark (`24"`) or an
    emoticon (`:(`, `(:`). A capital article in mid-sentence (`... brown quick The`, a reversed
    sentence) is not a cut, nor a word that ends sentences in speech (`I think so`, `like
    that`, `get back on`): the dangling words are articles, conjunctions, `to`, `of`, `for`,
    `with`, `from`, possessives and `than`.

    ## Why it matters
    A cut-off completion (a token limit during generation, a CSV export that split a field)
    teaches the model to stop mid-thought; an unclosed fence or brace breaks every renderer and
    parser downstream.

    ## Example
    ```jsonl bad
    {"prompt": "How do I reset my password?", "completion": "Open the sign-in page, choose Forgot password and follow the link we send to"}
    {"prompt": "Show me the config", "completion": "Here it is:\\n```yaml\\nretries: 3\\n"}
    ```
    ```jsonl good
    {"prompt": "How do I reset my password?", "completion": "Open the sign-in page, choose Forgot password and follow the link we send to your email."}
    {"prompt": "Show me the config", "completion": "Here it is:\\n```yaml\\nretries: 3\\n```"}
    {"prompt": "Name five renewable energy sources.", "completion": "Five renewable energy sources are:\\n1. Solar energy\\n2. Wind energy\\n3. Hydropower\\n4. Geothermal energy\\n5. Biomass energy"}
    {"prompt": "Stand on or sit on: skis, sled, snowboard", "completion": "Sled: Sit On\\nSnowboard: Stand On\\nSkis: Stand On"}
    {"prompt": "Write a function that adds one.", "completion": "```python\\ndef inc(x):\\n    return (x + 1\\n```"}
    ```

    ## Fix
    Regenerate or rewrite the completion in full (raise the generation's max tokens), or drop it.
    """
    if labels_of(dataset, options["label-field"]) is not None:
        return
    exs = dataset.examples
    min_words = options["min-words"]
    words = profile_of(dataset).completion_words  # shared with FT401: one split per completion
    long = [e.completion.rstrip() for e, n in zip(exs, words.tolist(), strict=True) if n >= min_words]
    punctuated = sum(1 for c in long if c and c[-1] in TERMINAL)
    gate = len(long) >= 10 and punctuated >= options["punctuated-share"] * len(long)
    for e in exs:
        why = truncation(e.completion, min_words, gate)
        if why:
            tail = e.completion.rstrip()[-40:]
            yield Problem(e.line, f"completion {why} (…{tail!r}); complete or drop it", data={"reason": why})


@rule("FT407", "degenerate-completion", "warning", "A completion that repeats one phrase many times.",
      why="a looping answer teaches the model to loop, but enumerations can repeat legitimately.",
      scope="dataset", options={
          "min-repeats": Option(4, "a phrase repeated this many times in a row (a sentence: one time fewer, anywhere) "
                                "is degenerate"),
      })
def degenerate_completion(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports a completion in which one unit of up to 30 words and punctuation repeats
    `min-repeats` times in a row (spanning at least eight tokens), or one sentence of three or
    more words occurs `min-repeats` - 1 times, when the repetition covers at least 30% of the
    answer or runs to its end. The message quotes the unit as written, from a sentence start
    where one is in reach ("Eat a banana!", also when the copies have no space between them),
    and the true number of copies. Only completions with a low share of distinct words are
    examined, which keeps the check cheap.

    Not reported: code (loops, array literals and markup repeat by nature; text inside closed
    code fences is skipped), and a list of short labels that has no more items than the prompt
    enumerates (`even, odd, even, odd, ...` for a list of numbers, `'water', 'not water', ...`
    for a list of animals): one answer per item, not a loop.

    ## Why it matters
    Repetition loops are the signature of a generation that went wrong; a model tuned on them
    learns to loop.

    ## Example
    ```jsonl bad
    {"prompt": "Summarise the ticket", "completion": "The customer wants a refund. The customer wants a refund. The customer wants a refund. The customer wants a refund."}
    {"prompt": "I'm hungry.", "completion": "Eat a banana!Eat a banana!Eat a banana!Eat a banana!Eat a banana!Eat a banana!"}
    ```
    ```jsonl good
    {"prompt": "Summarise the ticket", "completion": "The customer was charged twice in March and wants a refund of the second charge."}
    {"prompt": "Even or odd: 1, 2, 3, 4, 5, 6, 7, 8", "completion": "odd, even, odd, even, odd, even, odd, even"}
    ```

    ## Fix
    Regenerate the completion (with a repetition penalty) or rewrite it; drop it if unsure.
    """
    for e in dataset.examples:
        found = repetition(e.completion, options["min-repeats"], e.prompt)
        if found:
            phrase, count = found
            yield Problem(e.line, f"completion repeats {phrase[:60]!r} {count} times; regenerate or rewrite it",
                          data={"phrase": phrase, "repeats": count})


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
    keys = Counter(_lead(_first_user(e)) for e in exs)
    key, count = keys.most_common(1)[0]
    share = count / len(exs)
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


RULES = (length_outlier, low_diversity, few_edge_cases, too_few_examples, truncated_completion, task_monoculture,
         degenerate_completion, edge_case_minimum)
