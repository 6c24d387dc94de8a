"""Times `ftlint split` end to end (check + curate + split + writes) on generated files and prints
wall seconds, CPU seconds (user + system of the ftlint process), records/s, peak RSS and the
1-minute load average before and after (the machine is shared: read wall time with the load).

    python benchmarks/bench_split.py --records 100000 [--format input-output] [--dup-share 0.02]
        [--extra-args "--target claude-3-haiku"]
"""
from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import synth  # noqa: E402


def measure(argv: list[str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, exit code) of one fresh child process."""
    t0 = time.perf_counter()
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "r = resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_utime + r.ru_stime, r.ru_maxrss, p.returncode)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    cpu, rss_kb, rc = out.stdout.split()
    return time.perf_counter() - t0, float(cpu), int(rss_kb) / 1024, int(rc)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


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
            before = load()
            seconds, cpu, rss, rc = measure(argv)
            print(f"split {n:>9,} {a.format} records: wall {seconds:6.2f} s  CPU {cpu:6.2f} s  "
                  f"{n / seconds:9,.0f} records/s  peak RSS {rss:6.0f} MB  exit {rc}  "
                  f"load avg before {before} / after {load()}")


if __name__ == "__main__":
    main()
