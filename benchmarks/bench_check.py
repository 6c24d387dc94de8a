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


def measure(argv: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + sys), peak RSS in MB and the exit code of one run."""
    t0 = time.perf_counter()
    # a fresh child per run so that RUSAGE_CHILDREN is this run's peak memory and CPU time
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "r = resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_maxrss, r.ru_utime + r.ru_stime, p.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    rss_kb, cpu, rc = out.stdout.split()
    return time.perf_counter() - t0, float(cpu), int(rss_kb) / 1024, int(rc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--format", default="prompt-completion")
    ap.add_argument("--select", default="FT1")
    ap.add_argument("--dir", default=tempfile.gettempdir())
    ap.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest is printed")
    a = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "ftlint")
    print(f"load average {os.getloadavg()[0]:.2f}; start-up included; {a.format}, --select {a.select}")
    print(f"{'records':>10} {'wall s':>8} {'records/s':>10} {'CPU s':>8} {'records/CPU-s':>14} {'peak RSS MB':>12}")
    for n in a.records:
        path = os.path.join(a.dir, f"ftlint-bench-{a.format}-{n}.jsonl")
        if not os.path.exists(path):
            synth.write(path, n, a.format)
        runs = [measure([exe, "check", path, "--select", a.select, "--format", "json", "-o", os.devnull,
                         "--exit-zero", "--no-cache"]) for _ in range(a.repeat)]
        secs, cpu, rss, _ = min(runs)
        print(f"{n:>10,} {secs:>8.2f} {n / secs:>10,.0f} {cpu:>8.2f} {n / cpu:>14,.0f} {rss:>12,.0f}")


if __name__ == "__main__":
    main()
