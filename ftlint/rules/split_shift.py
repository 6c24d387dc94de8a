"""FT307 split-shift: with --validation, the validation file differs from training in length
distribution, language mix or topic, so that validation loss says little about the training task.
(FT305 compares label shares; this rule looks at the text.)"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ftlint.artifacts.language import languages_of, name
from ftlint.finding import Problem
from ftlint.rules.base import Option, rule

# rows of each file the topic test reads (seeded sample above it) and permutations it runs
MAX_ROWS = 5_000
PERMUTATIONS = 200
MIN_RECORDS = 20


def length_shift(train: list[int], validation: list[int]) -> tuple[float, float]:
    """(Kolmogorov-Smirnov distance, p-value) of two length samples."""
    from scipy.stats import ks_2samp

    result = ks_2samp(train, validation)
    return float(result.statistic), float(result.pvalue)


def language_shift(train: dict[str, int], validation: dict[str, int]) -> tuple[float, float, str | None]:
    """(total variation distance of the language shares, chi-square p-value, the language whose
    share moved most)."""
    from scipy.stats import chi2_contingency

    langs = sorted(set(train) | set(validation))
    nt, nv = sum(train.values()), sum(validation.values())
    if len(langs) < 2 or not nt or not nv:
        return 0.0, 1.0, None
    diffs = {lang: validation.get(lang, 0) / nv - train.get(lang, 0) / nt for lang in langs}
    tvd = 0.5 * sum(abs(d) for d in diffs.values())
    table = np.array([[train.get(lang, 0) for lang in langs], [validation.get(lang, 0) for lang in langs]])
    p = float(chi2_contingency(table).pvalue)
    return tvd, p, max(diffs, key=lambda k: abs(diffs[k]))


def topic_shift(train: list[str], validation: list[str], seed: int = 0,
                permutations: int = PERMUTATIONS) -> tuple[float, float, float] | None:
    """(cosine distance between the TF-IDF centroids of the two sets, permutation-test p-value,
    mean distance under the null), or None when the texts have no words. The null: the same
    texts with the split labels shuffled, ``permutations`` times (seeded)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = np.random.default_rng(seed)
    try:
        X = TfidfVectorizer(sublinear_tf=True, dtype=np.float64).fit_transform(train + validation).tocsr()
    except ValueError:
        return None
    n, nv = X.shape[0], len(validation)
    XT = X.T.tocsr()

    def distance(is_val: np.ndarray) -> float:
        cv = XT @ is_val
        ct = XT @ (1.0 - is_val)
        denom = np.linalg.norm(cv) * np.linalg.norm(ct)
        return 1.0 - float(cv @ ct / denom) if denom else 0.0

    labels = np.zeros(n)
    labels[n - nv:] = 1.0
    observed = distance(labels)
    null = np.array([distance(rng.permutation(labels)) for _ in range(permutations)])
    p = (1 + int((null >= observed).sum())) / (permutations + 1)
    return observed, p, float(null.mean())


def _sample(items: list, seed: int) -> list:
    if len(items) <= MAX_ROWS:
        return items
    keep = np.sort(np.random.default_rng(seed).choice(len(items), MAX_ROWS, replace=False))
    return [items[i] for i in keep]


@rule("FT307", "split-shift", "warning",
      "The validation file differs from training in length, language mix or topic.",
      why="a shifted validation set misleads evaluation, but the job still runs: a person decides.",
      scope="pair", options={
          "max-p-value": Option(0.01, "p-value below which a difference is not sampling noise"),
          "max-length-distance": Option(0.2, "Kolmogorov-Smirnov distance of the text lengths above which they differ"),
          "max-language-distance": Option(0.1, "total variation distance of the language shares above which they differ"),
          "max-topic-ratio": Option(4.0, "TF-IDF centroid distance, as a multiple of its mean under random splits, "
                                    "above which the topics differ"),
      })
def split_shift(train, validation, options) -> Iterator[Problem]:
    """
    ## What it does
    With `--validation`, compares the validation file with the training file three ways and
    reports each one that differs, on the validation file (no line):

    - **length**: the distribution of record lengths (prompt plus completion, characters), by the
      two-sample Kolmogorov-Smirnov test: distance above `max-length-distance` and p-value below
      `max-p-value`;
    - **language mix**: the shares of the records' languages (as FT411 identifies them), by total
      variation distance above `max-language-distance` and a chi-square test;
    - **topic**: the cosine distance between the TF-IDF centroids of the two files' prompts, with
      a permutation test (the split labels shuffled 200 times, seeded): p-value below
      `max-p-value` and a distance more than `max-topic-ratio` times the mean under random splits.

    Each needs a significant p-value and a large effect, so a big file's tiny differences and a
    small file's noise are not reported. Files of fewer than 20 records are not compared; the
    topic test reads a seeded sample of 5,000 prompts of each file.

    ## Why it matters
    Validation loss tells you how the model does on the training task only if the validation
    records are drawn from the same distribution. Validation records that are much longer, in
    another language, or about other topics (a validation file from another source or time)
    make early stopping and model selection optimise for something else.

    ## Example
    ```jsonl bad max-p-value=0.5
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```
    ```jsonl bad validation
    {"prompt": "Summarise the attached quarterly report for the board, in three paragraphs, covering revenue, costs and the outlook for the next two quarters, and flag every risk the auditors named.", "completion": "Revenue grew by eight percent over the quarter, driven by the new enterprise plans; costs rose faster, mostly in hosting and support staff. The outlook depends on the renewal of the two largest contracts, both due in the spring, and on the pricing change planned for April. The auditors named three risks: concentration of revenue, the hosting contract's exchange-rate exposure, and the delayed migration of the billing system."}
    {"prompt": "Write a detailed plan for migrating our on-premise billing system to the cloud, with milestones, owners and the main risks for each phase of the work.", "completion": "Phase one inventories every integration of the billing system and its data, owned by the platform team, in four weeks. Phase two builds the cloud environment and a copy of the data, with a full reconciliation, in six weeks. Phase three moves customers in waves of ten percent, each wave reconciled before the next one starts. The main risks are data mismatches, downtime during the cut-over and the loss of staff who know the old system."}
    ```
    ```jsonl good max-p-value=0.5
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```
    ```jsonl good validation
    {"prompt": "Do you ship abroad?", "completion": "Yes, to 30 countries."}
    {"prompt": "Is there a free trial?", "completion": "Fourteen days, free."}
    ```

    ## Fix
    Draw the validation file from the same data as training (`ftlint split` splits at random,
    stratified by label), or, if it is meant to measure something else, keep it as a separate
    test set and validate on a random split.
    """
    tx, vx = train.examples, validation.examples
    min_records = MIN_RECORDS if len(tx) + len(vx) > 2 * MIN_RECORDS else 2
    if len(tx) < min_records or len(vx) < min_records:
        return
    alpha = options["max-p-value"]
    tl = [len(e.prompt) + len(e.completion) for e in tx]
    vl = [len(e.prompt) + len(e.completion) for e in vx]
    d, p = length_shift(tl, vl)
    if d > options["max-length-distance"] and p < alpha:
        yield Problem(None, f"validation records are {'longer' if np.median(vl) > np.median(tl) else 'shorter'} than "
                      f"training's: median {np.median(vl):.0f} against {np.median(tl):.0f} characters "
                      f"(Kolmogorov-Smirnov distance {d:.2f}, p={p:.2g}); draw the validation file from the same data",
                      data={"test": "length", "distance": round(d, 4), "p_value": p,
                            "train_median": float(np.median(tl)), "validation_median": float(np.median(vl))})
    tlang, vlang = languages_of(train), languages_of(validation)
    if tlang is not None and vlang is not None and tlang.judged >= min_records and vlang.judged >= min_records:
        tvd, p, moved = language_shift(dict(tlang.mix), dict(vlang.mix))
        if tvd > options["max-language-distance"] and p < alpha:
            ts, vs = tlang.shares().get(moved, 0.0), vlang.shares().get(moved, 0.0)
            yield Problem(None, f"the language mix differs: {name(moved)} is {vs:.0%} of validation but {ts:.0%} of "
                          f"training (total variation distance {tvd:.2f}, chi-square p={p:.2g}); validate on the "
                          "languages you train on",
                          data={"test": "language", "distance": round(tvd, 4), "p_value": p, "language": moved,
                                "train_shares": {k: round(v, 4) for k, v in tlang.shares().items()},
                                "validation_shares": {k: round(v, 4) for k, v in vlang.shares().items()}})
    topic = topic_shift(_sample([e.prompt for e in tx], 0), _sample([e.prompt for e in vx], 1))
    if topic is not None:
        dist, p, null = topic
        if p < alpha and dist > options["max-topic-ratio"] * null:
            yield Problem(None, f"validation prompts are about other topics than training's: TF-IDF centroid distance "
                          f"{dist:.3f}, {dist / null:.1f}x what random splits of these records give "
                          f"(permutation p={p:.2g}); draw the validation file from the same data",
                          data={"test": "topic", "distance": round(dist, 5), "p_value": p,
                                "null_mean": round(null, 5), "ratio": round(dist / null, 3)})


RULES = (split_shift,)
