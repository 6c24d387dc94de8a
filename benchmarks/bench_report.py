"""Size and time of `ftlint report` on a large synthetic file (run by hand, never by pytest).

    python benchmarks/bench_report.py --records 100000 [--format input-output] [--dup-share 0.05]

Writes /tmp/ftlint-bench-report/{data.jsonl, report.html}: synthetic records (benchmarks/synth.py)
with a planted problem every 50th line (blank line, truncated JSON, whitespace-only field) so the
findings table is full, then times the check and the HTML build separately (wall and CPU)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import synth  # noqa: E402

from ftlint import api  # noqa: E402
from ftlint.engine import build_engine  # noqa: E402
from ftlint.report import html  # noqa: E402
from ftlint.settings import Settings  # noqa: E402

PLANTED = ("", '{"input": "cut off mid', '{"input": "   ", "output": "billing"}')


def plant(path: str, every: int) -> int:
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    out, n = [], 0
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % every == 0:
            bad = PLANTED[n % len(PLANTED)]
            out.append(bad if "input" in line or not bad.startswith('{"input"') else
                       json.dumps({"prompt": "   ", "completion": "x"}))
            n += 1
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--format", default="input-output")
    ap.add_argument("--dup-share", type=float, default=0.05)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--dir", default="/tmp/ftlint-bench-report")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    data, out = os.path.join(a.dir, "data.jsonl"), os.path.join(a.dir, "report.html")
    synth.write(data, a.records, a.format, a.dup_share, seed=1)
    planted = plant(data, a.every)
    w0, c0 = time.perf_counter(), time.process_time()
    engine = build_engine(Settings(), keep_examples=True)
    report = engine.run(api.sources_of([data]))
    w1, c1 = time.perf_counter(), time.process_time()
    page = html.build(report)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(page)
    w2, c2 = time.perf_counter(), time.process_time()
    print(f"{a.records:,} {a.format} records + {planted:,} planted lines ({os.path.getsize(data) / 1e6:.1f} MB), "
          f"{len(report.findings):,} findings")
    print(f"check: {w1 - w0:.2f}s wall, {c1 - c0:.2f}s CPU; html: {w2 - w1:.2f}s wall, {c2 - c1:.2f}s CPU; "
          f"total {w2 - w0:.2f}s wall, {c2 - c0:.2f}s CPU")
    print(f"report: {out}, {os.path.getsize(out) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
