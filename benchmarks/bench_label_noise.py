"""FT306 against cleanlab on a public intent dataset with labels flipped at random.

For each rate, a seeded share of the records gets a label drawn uniformly from the other classes;
the out-of-fold probabilities are computed once (FT306's model: ftlint.artifacts.label_noise), and
both FT306's confident learning and ``cleanlab.filter.find_label_issues`` (its default, prune by
noise rate) are given the same probabilities. Printed: precision, recall and F1 of the flipped
records for each, and FT306's CPU and wall seconds (probabilities + confident learning) per 10k
records.

    pip install -e '.[bench]'     # cleanlab, for the comparison only
    python benchmarks/bench_label_noise.py --data /work/realdata/banking77/train.jsonl
    python benchmarks/bench_label_noise.py --data /work/realdata/clinc150/train.jsonl --seed 1

The data: JSONL with ``prompt``/``completion`` (or ``input``/``output``, or ``text``/``label``)
records, e.g. Banking77 or CLINC150 converted to JSONL. Nothing is downloaded here.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from ftlint.artifacts.label_noise import confident_learning, out_of_fold  # noqa: E402

PAIRS = (("prompt", "completion"), ("input", "output"), ("text", "label"))


def load(path: str) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            for t, lab in PAIRS:
                if t in rec and lab in rec:
                    texts.append(str(rec[t]))
                    labels.append(str(rec[lab]).strip())
                    break
    return texts, labels


def flip(y: np.ndarray, n_classes: int, rate: float, rng: np.random.Generator) -> np.ndarray:
    noisy = y.copy()
    chosen = rng.choice(len(y), int(round(rate * len(y))), replace=False)
    for i in chosen:
        other = rng.integers(n_classes - 1)
        noisy[i] = other if other < y[i] else other + 1  # uniform over the other classes
    return noisy


def scores(mask: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int((mask & truth).sum())
    p = tp / max(int(mask.sum()), 1)
    r = tp / max(int(truth.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/realdata/banking77/train.jsonl")
    ap.add_argument("--rates", type=float, nargs="+", default=[0.01, 0.03, 0.10])
    ap.add_argument("--seed", type=int, default=0, help="seeds the flips (the model's folds use seed 0)")
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    try:
        import cleanlab.filter
    except ImportError:
        sys.exit("the comparison needs cleanlab: pip install -e '.[bench]'")
    texts, labels = load(a.data)
    classes = sorted(set(labels))
    index = {c: k for k, c in enumerate(classes)}
    y = np.array([index[c] for c in labels])
    rng = np.random.default_rng(a.seed)
    print(f"{os.path.basename(os.path.dirname(a.data)) or a.data}: {len(y):,} records, {len(classes)} classes, "
          f"seed {a.seed}, {a.folds} folds; load average {os.getloadavg()[0]:.1f}")
    print(f"{'flipped':>8} {'':>4} | {'FT306 P':>8} {'R':>6} {'F1':>6} | {'cleanlab P':>10} {'R':>6} {'F1':>6} | "
          f"{'FT306 CPU s/10k':>15} {'wall s/10k':>10}")
    for rate in a.rates:
        noisy = flip(y, len(classes), rate, rng)
        truth = noisy != y
        cpu0, wall0 = time.process_time(), time.perf_counter()
        probs = out_of_fold(texts, noisy, len(classes), a.folds, 0)
        flagged, _ = confident_learning(noisy, probs)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        ours = np.zeros(len(y), dtype=bool)
        ours[flagged] = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = cleanlab.filter.find_label_issues(noisy, probs, n_jobs=1)
        p1, r1, f1 = scores(ours, truth)
        p2, r2, f2 = scores(theirs, truth)
        per = 10_000 / len(y)
        print(f"{rate:>8.0%} {int(truth.sum()):>4} | {p1:>8.3f} {r1:>6.3f} {f1:>6.3f} | {p2:>10.3f} {r2:>6.3f} "
              f"{f2:>6.3f} | {cpu * per:>15.2f} {wall * per:>10.2f}")


if __name__ == "__main__":
    main()
