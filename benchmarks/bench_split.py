"""Times `ftlint split` end to end (check + curate + split + writes) on generated files and prints
seconds, records/s and peak RSS.

    python benchmarks/bench_split.py --records 100000 [--format input-output] [--dup-share 0.02]
        [--extra-args "--target claude-3-haiku"]
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import synth  # noqa: E402
from bench_check import measure  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, nargs="+", default=[100_000])
    ap.add_argument("--format", default="input-output")
    ap.add_argument("--dup-share", type=float, default=0.02)
    ap.add_argument("--extra-args", default="")
    a = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "ftlint")
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.records:
            path = os.path.join(tmp, f"synth_{n}.jsonl")
            synth.write(path, n, a.format, a.dup_share)
            argv = [exe, "split", path, "--out", os.path.join(tmp, f"out_{n}"), "--validation-size", "0.1",
                    "--test-size", "0.05", *shlex.split(a.extra_args)]
            seconds, rss, rc = measure(argv)
            print(f"split {n:>9,} {a.format} records: {seconds:6.2f} s  {n / seconds:9,.0f} records/s  "
                  f"peak RSS {rss:6.0f} MB  exit {rc}")


if __name__ == "__main__":
    main()
