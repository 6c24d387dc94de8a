"""Times `ftlint check --select FT1` (the streaming structure pass) on generated files and prints
records/s and peak RSS, for several sizes so that flat memory is visible.

    python benchmarks/bench_check.py --records 100000 1000000 [--format claude-messages] [--select FT1]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import synth  # noqa: E402


def measure(argv: list[str]) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    # a fresh child per run so that ru_maxrss of RUSAGE_CHILDREN is this run's peak
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    rss_kb, rc = out.stdout.split()
    return time.perf_counter() - t0, int(rss_kb) / 1024, int(rc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--format", default="prompt-completion")
    ap.add_argument("--select", default="FT1")
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "ftlint")
    print(f"{'records':>10} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>12}  ({a.format}, --select {a.select})")
    for n in a.records:
        path = os.path.join(a.dir, f"ftlint-bench-{a.format}-{n}.jsonl")
        if not os.path.exists(path):
            synth.write(path, n, a.format)
        secs, rss, rc = measure([exe, "check", path, "--select", a.select, "--format", "json", "-o", os.devnull,
                                 "--exit-zero", "--no-cache"])
        print(f"{n:>10,} {secs:>8.2f} {n / secs:>10,.0f} {rss:>12,.0f}")


if __name__ == "__main__":
    main()
