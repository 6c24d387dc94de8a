"""Summarize a py-spy raw (collapsed stacks) profile: the hottest functions by self and by
inclusive samples, across every process py-spy followed (--subprocesses).

    py-spy record --subprocesses --format raw --rate 200 -o spy.txt -- ftlint check FILE --no-cache
    python benchmarks/spy_summary.py spy.txt [--top 40] [--under FUNCTION]

A sample is one stack seen on a running thread: shares of samples are shares of the time the
process was running (on a loaded machine, also of the time it waited for a core), not CPU
seconds; multiply a share by the run's CPU time for an estimate. ``--under NAME`` keeps only the
stacks that pass through a frame whose text contains NAME (e.g. ``Engine._finish``)."""
from __future__ import annotations

import argparse
import re
from collections import Counter

_FRAME = re.compile(r"^(?P<fn>.*) \((?P<file>[^():]+)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """'fn (path/to/file.py:123)' -> 'path/to/file.py:fn', the site-packages prefix cut."""
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file")
    for cut in ("site-packages/", "lib/python3."):
        if cut in path:
            path = path.split(cut, 1)[1]
    return f"{path}:{m.group('fn')}"


def summarize(lines, under: str | None = None) -> tuple[int, Counter, Counter, Counter]:
    """Samples in all, per process, by self frame and by inclusive frame (a frame counted once per
    stack, however deep a recursion repeats it)."""
    own: Counter = Counter()
    incl: Counter = Counter()
    procs: Counter = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if frames and frames[0].startswith("process "):
            procs[frames[0].split(":")[0]] += n
            frames = frames[1:]
        if under and not any(under in f for f in frames):
            continue
        total += n
        names = [frame_name(f) for f in frames]
        if names:
            own[names[-1]] += n
        for name in set(names):
            incl[name] += n
    return total, procs, own, incl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--under", help="only stacks through a frame containing this text")
    a = ap.parse_args()
    with open(a.path, encoding="utf-8", errors="replace") as fh:
        total, procs, own, incl = summarize(fh, a.under)
    print(f"{total:,} samples in {len(procs)} process(es): "
          + ", ".join(f"{p} {c:,}" for p, c in procs.most_common()))
    print(f"\nby self samples (top {a.top}):")
    for name, n in own.most_common(a.top):
        print(f"  {n / total:6.1%}  {name}")
    print(f"\nby inclusive samples (top {a.top}):")
    for name, n in incl.most_common(a.top):
        print(f"  {n / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
