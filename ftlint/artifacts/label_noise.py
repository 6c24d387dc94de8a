"""Which labels a text model finds unlikely: out-of-fold class probabilities from TF-IDF and a
linear classifier (scikit-learn), then confident learning (Northcutt, Jiang and Chuang, "Confident
Learning: Estimating Uncertainty in Dataset Labels", JAIR 70, 2021), for FT306.

    from ftlint.artifacts.label_noise import label_issues_of
    issues = label_issues_of(dataset, info, folds=5, max_records=10_000, min_accuracy=0.7)   # memoized
    if issues is not None:
        issues.rows        # dataset.examples index of each judged record (sorted)
        issues.classes     # label names, one per probability column
        issues.labels      # the given label of each judged record (column index)
        issues.probs       # out-of-fold probabilities, (len(rows), len(classes))
        issues.flagged     # positions in rows, least likely given label first
        issues.estimated   # label errors the calibrated confident joint estimates
        issues.accuracy    # the model's cross-validated accuracy against the given labels

The probabilities: word uni- and bigram TF-IDF of the prompt, ``folds``-fold stratified cross
validation of an SGD linear classifier (modified Huber loss, whose margins sit near +-1, so that
a softmax of 3 x the decision values gives usable class probabilities). 2 s of CPU for Banking77's
10k records (77 classes) against 120 s for a multinomial logistic regression, at 0.88 accuracy.

Confident learning: per-class thresholds (the mean probability of class k over the records
labelled k), the confident joint (each record counted as the class it is confidently
predicted as), calibrated to the label counts; its off-diagonal sum is the estimated number of
label errors. The records flagged are that many records of lowest self-confidence (probability
of the given label), minus those whose given label is still the model's top class or gets at
least 1/K (a uniform guess over the K classes). This is cleanlab's published estimator of the
count with its self-confidence ranking, plus that floor; on the seeded
benchmark (benchmarks/bench_label_noise.py) it beat ``cleanlab.filter.find_label_issues``'s
default (prune by noise rate) at 1%, 3% and 10% flipped labels on Banking77 and CLINC150.

Classes with fewer records than ``folds`` are left out (a fold could not learn them). Files above
``max_records`` judged records are judged on a seeded sample of that many."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

# softmax temperature for the modified-Huber decision values (margins near +-1)
SCALE = 3.0


@dataclass
class LabelIssues:
    rows: np.ndarray
    classes: list[str]
    labels: np.ndarray
    probs: np.ndarray
    flagged: np.ndarray
    estimated: int
    accuracy: float
    sampled: bool

    def suggested(self, pos: int) -> int:
        """The model's most likely class for the record at position ``pos`` other than its label."""
        p = self.probs[pos].copy()
        p[self.labels[pos]] = -1.0
        return int(p.argmax())


# above this many judged records, a 2-fold check on a seeded sample of QUICK_ROWS first: labels the
# text cannot predict at all (accuracy under half of min_accuracy) end the work there (0.2 s
# instead of 2-4 s on a 200k-record file whose labels are random)
QUICK_ROWS = 2_000


def label_issues_of(dataset, info, *, folds: int = 5, max_records: int = 10_000, seed: int = 0,
                    min_accuracy: float = 0.0) -> LabelIssues | None:
    """None when there is nothing to judge, or the text does not predict the labels (cross-validated
    accuracy under ``min_accuracy``)."""
    key = f"label-issues:{info.source}:{folds}:{max_records}:{seed}:{min_accuracy}"
    return dataset.memo(key, lambda ds: _build(ds, info, folds, max_records, seed, min_accuracy))


def _quick_accuracy(texts: list[str], y: np.ndarray, seed: int) -> float:
    keep = np.sort(np.random.default_rng(seed).choice(len(y), QUICK_ROWS, replace=False))
    sub = y[keep]
    common = np.isin(sub, np.flatnonzero(np.bincount(sub) >= 2))
    keep, sub = keep[common], sub[common]
    classes, sub = np.unique(sub, return_inverse=True)
    if len(classes) < 2:
        return 1.0
    probs = out_of_fold([texts[i] for i in keep], sub, len(classes), 2, seed)
    return 1.0 if probs is None else float((probs.argmax(axis=1) == sub).mean())


def _build(dataset, info, folds: int, max_records: int, seed: int, min_accuracy: float) -> LabelIssues | None:
    canonical = info.canonical
    counts = Counter(canonical)
    rows = np.array([i for i, label in enumerate(canonical) if label and counts[label] >= folds], dtype=np.int64)
    sampled = bool(max_records) and len(rows) > max_records
    if sampled:
        rows = np.sort(np.random.default_rng(seed).choice(rows, max_records, replace=False))
        counts = Counter(canonical[i] for i in rows)  # a sample can thin a class below `folds`
        rows = rows[[counts[canonical[i]] >= folds for i in rows]]
    classes = sorted({canonical[i] for i in rows})
    if len(classes) < 2:
        return None
    column = {c: k for k, c in enumerate(classes)}
    y = np.array([column[canonical[i]] for i in rows], dtype=np.int64)
    texts = [dataset.examples[i].prompt for i in rows]
    if len(rows) > 4 * QUICK_ROWS and _quick_accuracy(texts, y, seed) < min_accuracy / 2:
        return None
    probs = out_of_fold(texts, y, len(classes), folds, seed)
    if probs is None:
        return None
    accuracy = float((_predicted(y, probs) == y).mean())
    if accuracy < min_accuracy:
        return None
    flagged, estimated = confident_learning(y, probs)
    return LabelIssues(rows, classes, y, probs, flagged, estimated, accuracy, sampled)


def out_of_fold(texts: list[str], y: np.ndarray, n_classes: int, folds: int, seed: int) -> np.ndarray | None:
    """Class probabilities of every text from a model that did not see it (k-fold), or None when
    the texts have no words."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import StratifiedKFold

    try:
        X = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), dtype=np.float32).fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None
    decision = np.full((len(y), n_classes), -1e3, dtype=np.float64)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        model = SGDClassifier(loss="modified_huber", alpha=1e-4, random_state=seed)
        model.fit(X[train], y[train])
        d = model.decision_function(X[test])
        if d.ndim == 1:  # two classes: one margin, positive for classes_[1]
            d = np.column_stack([-d, d])
        decision[np.ix_(test, model.classes_)] = d
    z = decision * SCALE
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def confident_learning(y: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, int]:
    """(positions of the likely label errors, least self-confident first; the estimated count)."""
    n, k = probs.shape
    counts = np.bincount(y, minlength=k).astype(np.float64)
    thresholds = np.array([probs[y == c, c].mean() if counts[c] else 1.0 for c in range(k)])
    confident = probs >= thresholds - 1e-6
    n_confident = confident.sum(axis=1)
    guess = np.where(n_confident > 1, probs.argmax(axis=1), confident.argmax(axis=1))
    counted = n_confident > 0
    joint = np.zeros((k, k))
    np.add.at(joint, (y[counted], guess[counted]), 1.0)
    # calibrated twice, as cleanlab's num_label_issues(estimation_method="off_diagonal_calibrated")
    # does (compute_confident_joint, then estimate_joint), so that the count is the same as its
    joint = _calibrate(_calibrate(joint, counts), counts)
    estimated = int(np.rint((1.0 - np.trace(joint) / max(joint.sum(), 1e-12)) * n))
    self_confidence = probs[np.arange(n), y]
    order = np.argsort(self_confidence, kind="stable")[:estimated]
    # a label the model still predicts, or gives at least a uniform guess's probability (1/k), is
    # not evidence enough: on Banking77 this halves the findings on the unflipped data (183 -> 113)
    # and raises F1 at 1% flips from 0.47 to 0.59
    keep = (_predicted(y[order], probs[order]) != y[order]) & (self_confidence[order] < 1.0 / k)
    return order[keep], estimated


def _calibrate(joint: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Rows scaled to the label counts, the whole to their sum, rounded to integers keeping each
    row's total (cleanlab's calibrate_confident_joint)."""
    cal = joint / np.clip(joint.sum(axis=1, keepdims=True), 1e-12, None) * counts[:, None]
    cal = cal / max(cal.sum(), 1e-12) * counts.sum()
    out = cal.round()
    for r in range(len(cal)):
        diff = np.round(cal[r].sum()) - out[r].sum()
        while abs(diff) > 1e-6:
            step = 1.0 if diff > 0 else -1.0
            order = np.argsort(cal[r] - out[r])
            out[r, (order[::-1] if step > 0 else order)[:min(int(abs(diff)), len(order))]] += step
            diff = np.round(cal[r].sum()) - out[r].sum()
    return out


def _predicted(y: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """The top class, the given label winning ties."""
    p = probs.copy()
    p[np.arange(len(y)), y] += 1e-9
    return p.argmax(axis=1)
