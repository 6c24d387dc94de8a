"""Time every FT3/FT4/FT5 rule (one shared pass of artifacts) on synthetic records.

    .venv/bin/python benchmarks/bench_content.py            # 100k records
    .venv/bin/python benchmarks/bench_content.py --records 20000

Two files are timed: an open-ended prompt/completion set and a classification set (labels turn on
FT301-FT305, FT403's nearest-neighbour borderline estimate), each with a validation file of 10%.
Reading and parsing are excluded (see perf-notes.md): the Examples are built in memory and the
rules run as the engine runs them, sharing one Dataset's artifacts."""
from __future__ import annotations

import argparse
import random
import time

from ftlint.dataset import Dataset
from ftlint.formats import normalize
from ftlint.rules import REGISTRY

WORDS = ("order invoice refund account password login export project task board calendar sync team "
         "workspace report dashboard integration slack jira email notification plan billing upgrade "
         "download upload file folder share permission admin member guest comment due date reminder "
         "mobile desktop browser error crash slow timeout api token webhook template label filter").split()
FILL = "the a to my our we is was can not when why how please after since with for on in".split()
LABELS = ["billing", "technical_issue", "account_access", "feature_request", "integrations", "cancellation"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) if rng.random() < 0.55 else rng.choice(FILL) for _ in range(n)]
    if rng.random() < 0.2:
        words.append(str(rng.randint(1, 99999)))
    return " ".join(words).capitalize() + rng.choice(".?!")


def records(n: int, classify: bool, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        prompt = " ".join(sentence(rng, rng.randint(5, 18)) for _ in range(rng.randint(1, 3)))
        if classify:
            out.append({"input": prompt, "output": LABELS[i % len(LABELS)]})
        else:
            completion = " ".join(sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(1, 4)))
            if i % 50 == 0:
                completion += f" It renews on 2024-0{1 + i % 9}-1{i % 10}."
            out.append({"prompt": prompt, "completion": completion})
    return out


def dataset(rows: list[dict], fmt: str, role: str) -> Dataset:
    exs = [normalize(fmt, r, i + 1) for i, r in enumerate(rows)]
    return Dataset(path=f"<{role}>", format=fmt, examples=exs, role=role, records=len(exs))  # type: ignore[arg-type]


def run(n: int, classify: bool) -> None:
    fmt = "input-output" if classify else "prompt-completion"
    train = dataset(records(n, classify, 1), fmt, "train")
    val = dataset(records(n // 10, classify, 2), fmt, "validation")
    rules = [r for c, r in sorted(REGISTRY.items()) if c[:3] in ("FT3", "FT4", "FT5")]
    timings = []
    start, cpu = time.perf_counter(), time.process_time()
    found = 0
    for r in rules:
        t0 = time.perf_counter()
        opts = r.defaults()
        if r.scope == "dataset":
            found += len(list(r.check(train, opts))) + len(list(r.check(val, opts)))
        elif r.scope == "pair":
            found += len(list(r.check(train, val, opts)))
        timings.append((r.code, time.perf_counter() - t0))
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    kind = "classification" if classify else "open-ended"
    print(f"{kind}: {n} + {n // 10} records, {len(rules)} rules, {found} findings, {total:.2f} s wall, "
          f"{cpu:.2f} s CPU")
    for code, t in timings:
        if t > 0.05:
            print(f"  {code} {t:.2f} s (includes artifacts it built first)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    args = ap.parse_args()
    run(args.records, classify=False)
    run(args.records, classify=True)


if __name__ == "__main__":
    main()
