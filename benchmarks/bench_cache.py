"""Times a hook-style run of `ftlint check` twice on the same file: the first fills the result
cache, the second should cost almost nothing (the file's stat signature or content hash, then the
entry read). Wall-clock and CPU time of each child process; the second run is the best of three.

    python benchmarks/bench_cache.py --records 100000 [--format prompt-completion] [--select ALL]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import synth  # noqa: E402


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--format", default="prompt-completion")
    ap.add_argument("--select", default="ALL")
    ap.add_argument("--dup-share", type=float, default=0.02)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    exe = os.path.join(os.path.dirname(sys.executable), "ftlint")
    path = os.path.join(a.dir, f"ftlint-bench-cache-{a.format}-{a.records}.jsonl")
    if not os.path.exists(path):
        synth.write(path, a.records, a.format, dup_share=a.dup_share)
    cache_dir = tempfile.mkdtemp(prefix="ftlint-bench-cache-")
    env = {**os.environ, "FTLINT_CACHE_DIR": cache_dir, "CI": "1"}
    argv = [exe, "check", path, "--select", a.select, "--exit-zero"]
    try:
        baseline = min(timed([exe, "--version"], env) for _ in range(3))
        nocache = timed([*argv, "--no-cache"], env)
        first = timed(argv, env)
        # best of three, as usual for short timings on a shared machine
        second = min(timed(argv, env) for _ in range(3))
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    size = os.path.getsize(path) / 1e6
    print(f"{a.records:,} records ({size:.1f} MB, {a.format}, --select {a.select})")
    print(f"  {'':36}{'wall s':>8}{'CPU s':>8}")
    for label, (wall, cpu) in (("process start-up (ftlint --version)", baseline), ("--no-cache", nocache),
                               ("first run (fills the cache)", first), ("second run (cache hit)", second)):
        print(f"  {label:36}{wall:8.2f}{cpu:8.2f}")
    print(f"  second / first: {second[0] / first[0]:.1%} wall, {second[1] / first[1]:.1%} CPU")


if __name__ == "__main__":
    main()
