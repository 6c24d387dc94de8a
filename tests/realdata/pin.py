"""Show how today's finding counts on the real-data corpus differ from the pins, and re-pin them.

    python -m tests.realdata.pin                 # per dataset, run and code: pinned -> today
    python -m tests.realdata.pin --all           # every count, changed or not
    python -m tests.realdata.pin --write         # rewrite expected.json with today's counts
    python -m tests.realdata.pin clinc150 gsm8k  # only these datasets

Run it after changing a rule, read the changes (each is a precision or recall change on real
data: say why in your commit), then --write. Absent external datasets keep their old pins."""
from __future__ import annotations

import argparse
import sys
import time

from . import corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="datasets to run (default: all)")
    parser.add_argument("--write", action="store_true", help="rewrite expected.json with today's counts")
    parser.add_argument("--all", action="store_true", help="print unchanged counts too")
    args = parser.parse_args(argv)
    chosen = [d for d in corpus.datasets() if not args.names or d.name in args.names]
    unknown = set(args.names) - {d.name for d in chosen}
    if unknown:
        print(f"unknown dataset(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    pins = corpus.expected()
    changed = 0
    for dataset in chosen:
        root = dataset.root()
        if root is None:
            print(f"{dataset.name}: absent, skipped (put it under {corpus.WHERE_TO_PUT})")
            continue
        start = time.process_time()
        today = corpus.count(dataset, root)
        seconds = time.process_time() - start
        diffs = corpus.differences(pins.get(dataset.name, {}), today)
        changed += len(diffs)
        print(f"{dataset.name}: {len(diffs)} count(s) changed  ({seconds:.1f} s CPU in this process, {root})")
        shown = corpus.differences(pins.get(dataset.name, {}), today, unchanged=args.all)
        for run, code, severity, before, after in shown:
            mark = "  " if before == after else " *"
            print(f"{mark} {run:40} {code} {severity:8} {before} -> {after}")
        pins[dataset.name] = today
    if args.write:
        corpus.write_expected(pins)
        print(f"wrote {corpus.EXPECTED}")
    elif changed:
        print(f"{changed} count(s) differ from expected.json; rerun with --write to pin today's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
