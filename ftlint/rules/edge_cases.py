"""Edge cases: how many borderline, short, long, numeric, code and non-Latin examples a dataset
holds (edge_case_shares, also what `ftlint stats` shows), and the rules that ask for enough of
them (FT403 few-edge-cases, FT410 edge-case-minimum)."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.profile import profile_of
from ftlint.artifacts.tfidf import tfidf_of
from ftlint.finding import Problem
from ftlint.rules.base import Option, rule
from ftlint.rules.labels import LABEL_FIELD


def median(values: np.ndarray) -> float:
    """``float(np.median(values))`` for a non-empty array without NaN, the same float, but without
    np.median's NaN check, which imports numpy.ma: 20 ms, a twentieth of a small file's check."""
    n = len(values)
    part = np.partition(values, [(n - 1) // 2, n // 2])
    return float(np.mean(part[(n - 1) // 2:n // 2 + 1]))


def median_of(values: np.ndarray, counts: np.ndarray) -> float:
    """:func:`median` of the values ``values`` (ascending) repeated ``counts`` times, the same
    float: the middle order statistics are found in the histogram, then averaged as median does.
    The Spark engine aggregates histograms, not records (ftlint.spark.rules.coverage)."""
    n = int(counts.sum())
    mid = values[np.searchsorted(np.cumsum(counts), [(n - 1) // 2, n // 2], side="right")]
    return float(np.mean(mid[:n // 2 - (n - 1) // 2 + 1]))


def histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values ascending, how many of each)."""
    return np.unique(values, return_counts=True)


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
    flagged = prof.has_number | prof.has_code | prof.non_latin
    out = shares_of(n, histogram(prof.prompt_chars), histogram(prof.prompt_chars[~flagged]),
                    int(prof.has_number.sum()), int(prof.has_code.sum()), int(prof.non_latin.sum()), int(flagged.sum()))
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


def shares_of(n: int, prompt_chars: tuple, plain_chars: tuple, numbers: int, code: int, non_latin: int,
              flagged: int) -> dict[str, float | None]:
    """The edge-case shares but borderline (None here) of ``n`` records from aggregates:
    ``prompt_chars`` the histogram of their prompts' lengths, ``plain_chars`` that of the prompts
    with no number, code or non-Latin text, how many prompts hold numbers, code, non-Latin text,
    and ``flagged`` how many hold any of the three."""
    values, counts = prompt_chars
    med = median_of(values, counts)
    plain_values, plain_counts = plain_chars
    plain_unusual = (plain_values <= med / 3) | (plain_values >= 3 * med)
    return {"borderline": None, "short": int(counts[values <= med / 3].sum()) / n,
            "long": int(counts[values >= 3 * med].sum()) / n, "numbers": numbers / n, "code": code / n,
            "non-latin": non_latin / n, "any": (flagged + int(plain_counts[plain_unusual].sum())) / n}


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


RULES = (few_edge_cases, edge_case_minimum)
