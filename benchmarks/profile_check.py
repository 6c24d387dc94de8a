"""Where the CPU time and the memory of one `ftlint check` (or `ftlint split`) go: per rule, per
shared artifact, per stage, measured by wrapping the functions in this process (no change to
ftlint), so the figures are CPU seconds of the real run, not of a sampling profiler's model.

    FTLINT_THREADS=1 python benchmarks/profile_check.py FILE [--command check|split] [--json OUT]
        [--cprofile OUT.prof] [--no-warm-imports]

Run it with FTLINT_THREADS=1: everything then runs in this process, in order (no forked FT7
child, no fork workers), so each piece's CPU time is counted where it is spent; the default
run's children do the same work on another core, a little more of it (a second parse for FT7).

What is timed (CPU = time.process_time, wall = perf_counter; "self" excludes what is timed
inside it, so the self column adds up to the total):
- every rule's check (generators consumed inside the timer) and plan;
- every Dataset.memo artifact the first time it is built (profile, tfidf, labels, templates,
  edge-cases, the duplicate index and its content digests), named by its memo key;
- the reader (ftlint.read.reader.read_batches: lines, orjson, byte scans, FT106/FT108/FT109), and the
  rest of the engine's streaming pass (format detection and schema check, building Examples),
  the dataset-rule and pair phases, the findings' stamping and sorting, the report's rendering;
- for split: the curate pass (second read), grouping, labels, assignment, the FT204 leakage
  verification, the writes.
Memory: VmRSS after each timed piece (the growth it leaves), and at the end a size estimate of
what the dataset holds (Examples with their tuples and strings; each artifact's arrays and lists).
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import sys
import time
from collections import defaultdict

T0_CPU, T0_WALL = time.process_time(), time.perf_counter()


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for ln in fh:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1]) / 1024
    return 0.0


class Timer:
    """Nested timers: inclusive and self CPU/wall per key, calls, and RSS growth."""

    def __init__(self):
        self.stats: dict[str, dict] = defaultdict(lambda: {"calls": 0, "cpu": 0.0, "cpu_self": 0.0, "wall": 0.0,
                                                            "wall_self": 0.0, "rss_growth_mb": 0.0})
        self.stack: list[list] = []
        self.parent_of: dict[str, str] = {}

    @contextlib.contextmanager
    def __call__(self, key: str):
        frame = [key, time.process_time(), time.perf_counter(), 0.0, 0.0, rss_mb()]
        if self.stack and key not in self.parent_of:
            self.parent_of[key] = self.stack[-1][0]
        self.stack.append(frame)
        try:
            yield
        finally:
            self.stack.pop()
            cpu, wall = time.process_time() - frame[1], time.perf_counter() - frame[2]
            s = self.stats[key]
            s["calls"] += 1
            s["cpu"] += cpu
            s["wall"] += wall
            s["cpu_self"] += cpu - frame[3]
            s["wall_self"] += wall - frame[4]
            s["rss_growth_mb"] += rss_mb() - frame[5]
            if self.stack:
                self.stack[-1][3] += cpu
                self.stack[-1][4] += wall


TIMER = Timer()


class GcWatch:
    """CPU time of the cycle collector, per generation and per timed piece it ran in (the engine
    turns the collector off while it streams; the dataset rules run with it on, over every
    Example and artifact object alive)."""

    def __init__(self):
        self.by_gen: dict[int, list] = defaultdict(lambda: [0, 0.0])
        self.by_piece: dict[str, float] = defaultdict(float)
        self._t = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t = time.process_time()
            return
        dt = time.process_time() - self._t
        g = self.by_gen[info["generation"]]
        g[0] += 1
        g[1] += dt
        self.by_piece[TIMER.stack[-1][0] if TIMER.stack else "(outside)"] += dt


GC = GcWatch()


def wrapped(fn, key: str, consume: bool = False):
    def run(*args, **kwargs):
        with TIMER(key):
            out = fn(*args, **kwargs)
            return list(out) if consume and out is not None else out

    run.__wrapped__ = fn
    return run


def timed_iter(fn, key: str):
    def run(*args, **kwargs):
        it = iter(fn(*args, **kwargs))
        while True:
            with TIMER(key):
                try:
                    item = next(it)
                except StopIteration:
                    return
            yield item

    return run


def patch(obj, name: str, key: str, consume: bool = False, iterator: bool = False) -> None:
    fn = getattr(obj, name)
    setattr(obj, name, timed_iter(fn, key) if iterator else wrapped(fn, key, consume))


def instrument(command: str, keep_datasets: bool) -> dict:
    """Wrap ftlint's functions; returns a dict the engine fills with the run's datasets when
    ``keep_datasets`` (kept, they are not freed inside the command: their size is measured later)."""
    from ftlint import engine, formats  # noqa: F401
    from ftlint.dataset import Dataset
    from ftlint.read import reader
    from ftlint.rules import REGISTRY

    for code, r in list(REGISTRY.items()):
        changes = {}
        if r.check is not None:
            changes["check"] = wrapped(r.check, f"rule {code}", consume=True)
        if r.plan is not None:
            changes["plan"] = wrapped(r.plan, f"plan {code}", consume=False)
        if changes:
            REGISTRY[code] = dataclasses.replace(r, **changes)

    memo = Dataset.memo

    def timed_memo(self, key, build):
        if key in self._memo:
            return self._memo[key]
        with TIMER(f"artifact {key}"):
            return memo(self, key, build)

    Dataset.memo = timed_memo
    engine.read_batches = timed_iter(reader.read_batches, "stage: read + parse (reader.read_batches)")
    seen: dict = {"datasets": []}
    scan_file = engine.Engine._scan_file

    def timed_scan_file(self, *args, **kwargs):
        with TIMER("stage: streaming pass, rest (format check, build Examples, loop)"):
            scan = scan_file(self, *args, **kwargs)
        if keep_datasets:
            seen["datasets"].append(scan.dataset)
        return scan

    engine.Engine._scan_file = timed_scan_file
    patch(engine.Engine, "_finish", "phase: dataset + pair rules, stamping (Engine._finish, rest)")
    patch(engine.Engine, "_stamp", "phase: stamp findings (Engine._stamp)", consume=True)
    patch(engine, "_collect", "phase: collect the FT7 child's problems")
    from ftlint.cli import check as check_cmd
    patch(check_cmd, "render", "output: render the report")
    from ftlint.artifacts import content, jit, minhash
    patch(jit, "_load", "imports: numba + the compiled MinHash loop (jit._load)")
    # batches._rounds is imported by name into both passes' modules
    patch(content, "_rounds", "FT2 inside: join texts into batches (batches._rounds)", iterator=True)
    patch(minhash, "_rounds", "FT2 inside: join texts into batches (batches._rounds)", iterator=True)
    patch(content, "_digest_job", "FT2 inside: normalize + digest + sign a batch (content._digest_job)")
    patch(minhash, "build_index", "FT2 inside: banding, candidates, verification (minhash.build_index)")
    patch(minhash, "_verify", "FT2 inside: exact Jaccard of candidates (minhash._verify)")
    if command == "split":
        from ftlint.curate import split as sp
        patch(sp, "curate", "split: curate (reads the file again, builds kept records)")
        patch(sp, "_group_ids", "split: group ids (union-find over findings)")
        patch(sp, "stratify_labels", "split: labels for stratification")
        patch(sp, "assign", "split: assign groups to sides")
        patch(sp, "_verify_leakage", "split: leakage verification (FT204 on the result)")
        patch(sp, "_write", "split: write outputs + manifest")
        patch(engine.Engine, "run", "split: check (Engine.run)")
    return seen


# ---------------------------------------------------------------- memory held by a dataset

def deep_size(obj, seen: set[int]) -> int:
    """Bytes of obj and everything it references (containers, strings, numpy buffers), each once."""
    import numpy as np

    out, todo = 0, [obj]
    while todo:
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            out += o.nbytes + 112
            if o.dtype == object:
                todo.extend(o.ravel().tolist())
            continue
        out += sys.getsizeof(o)
        if isinstance(o, dict):
            todo.extend(o.keys())
            todo.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            todo.extend(o)
        elif dataclasses.is_dataclass(o) and not isinstance(o, type):
            todo.extend(getattr(o, f.name) for f in dataclasses.fields(o))
        elif hasattr(o, "__dict__") and not isinstance(o, type) and type(o).__module__.startswith("ftlint"):
            todo.append(vars(o))
        elif type(o).__module__.startswith("scipy"):
            for name in ("data", "indices", "indptr"):
                if hasattr(o, name):
                    todo.append(getattr(o, name))
    return out


def dataset_memory(ds, sample: int = 20_000) -> dict:
    exs = ds.examples
    n = len(exs)
    step = max(1, n // sample)
    seen: set[int] = set()
    part = exs[::step]
    example_bytes = deep_size(part, seen) - sys.getsizeof(part)
    per_example = example_bytes / max(len(part), 1)
    seen = {id(e) for e in exs}  # artifacts: not counting the Examples again (their strings may be shared)
    for e in exs[::step]:
        seen.update(id(x) for x in (e.turns, e.text_fields, e.prompt, e.completion))
    arts = {k: deep_size(v, set(seen)) / 2**20 for k, v in ds._memo.items()}
    return {"records": n, "examples_list_mb": sys.getsizeof(exs) / 2**20,
            "per_example_bytes": per_example, "examples_mb_estimate": per_example * n / 2**20,
            "artifacts_mb": dict(sorted(arts.items(), key=lambda kv: -kv[1]))}


# ---------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path")
    ap.add_argument("--command", choices=("check", "split"), default="check")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--cprofile", metavar="OUT.prof", help="also run under cProfile and save the stats")
    ap.add_argument("--no-warm-imports", action="store_true",
                    help="leave the lazy imports (scikit-learn, scipy) inside the rules that trigger them")
    ap.add_argument("--memory", action="store_true", help="estimate what each dataset holds at the end (slow)")
    a = ap.parse_args()
    if os.environ.get("FTLINT_THREADS") != "1":
        print("warning: FTLINT_THREADS is not 1: work done in forked children is not counted", file=sys.stderr)
    os.environ["FTLINT_NO_CONFIG"] = "1"
    os.environ.setdefault("FTLINT_DEBUG", "1")  # a failing rule raises here instead of exit 2
    with TIMER("imports: ftlint.cli and what it imports at start-up"):
        from ftlint.cli import main as cli
    if not a.no_warm_imports:
        with TIMER("imports: lazy ones, done up front (sklearn TF-IDF, scipy)"):
            import scipy.sparse  # noqa: F401
            import scipy.stats  # noqa: F401
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer  # noqa: F401
    seen = instrument(a.command, keep_datasets=a.memory)
    import gc
    gc.callbacks.append(GC)
    out_dir = None
    if a.command == "check":
        argv = ["check", a.path, "--no-cache"]
    else:
        import tempfile
        out_dir = tempfile.mkdtemp(prefix="ftlint-profile-split-")
        argv = ["split", a.path, "--out", out_dir, "--drop-invalid"]
    profiler = None
    if a.cprofile:
        import cProfile
        profiler = cProfile.Profile()
    sink = io.StringIO()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    with TIMER(f"command: ftlint {a.command}"), contextlib.redirect_stdout(sink):
        if profiler:
            profiler.enable()
        try:
            cli.main(argv, standalone_mode=False)
        finally:
            if profiler:
                profiler.disable()
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    if profiler:
        profiler.dump_stats(a.cprofile)
    total_cpu = time.process_time() - T0_CPU
    print(f"ftlint {a.command} {a.path}: {cpu:.2f} s CPU, {wall:.2f} s wall in the command; process total "
          f"{total_cpu:.2f} s CPU; peak RSS {peak_mb():.0f} MB; load {os.getloadavg()[0]:.1f}; "
          f"report {len(sink.getvalue()) / 1e6:.1f} MB of text")
    rows = sorted(TIMER.stats.items(), key=lambda kv: -kv[1]["cpu_self"])
    print("\n| piece | calls | CPU self s | share | CPU incl s | wall self s | RSS growth MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, s in rows:
        if s["cpu"] < 0.005 and abs(s["rss_growth_mb"]) < 1:
            continue
        print(f"| {key} | {s['calls']} | {s['cpu_self']:.2f} | {s['cpu_self'] / total_cpu:.1%} | {s['cpu']:.2f} | "
              f"{s['wall_self']:.2f} | {s['rss_growth_mb']:+.0f} |")
    print("\ncycle collector: " + ", ".join(f"gen {g}: {c} runs {t:.2f} s" for g, (c, t) in sorted(GC.by_gen.items()))
          + "; in: " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(GC.by_piece.items(), key=lambda kv: -kv[1])[:6]))
    fams: dict[str, float] = defaultdict(float)
    for key, s in TIMER.stats.items():
        if key.startswith("rule "):
            fams[key[5:8]] += s["cpu"]
    print("\nper family (rules' inclusive CPU: an artifact counts for the first rule that asked for it):")
    print("  " + ", ".join(f"{f} {v:.2f} s" for f, v in sorted(fams.items())))
    memory = None
    if a.memory:
        memory = [dataset_memory(ds) for ds in seen["datasets"]]
        for m in memory:
            print(f"\nmemory held by a dataset of {m['records']:,} records: Examples ~{m['per_example_bytes']:.0f} "
                  f"bytes each ({m['examples_mb_estimate']:.0f} MB), list {m['examples_list_mb']:.0f} MB; artifacts: "
                  + ", ".join(f"{k} {v:.0f} MB" for k, v in m["artifacts_mb"].items() if v >= 1))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"path": a.path, "command": a.command, "cpu": cpu, "wall": wall, "total_cpu": total_cpu,
                       "peak_rss_mb": peak_mb(), "stats": dict(TIMER.stats), "parents": TIMER.parent_of,
                       "gc": {"by_generation": dict(GC.by_gen), "by_piece": dict(GC.by_piece)},
                       "memory": memory}, fh, indent=1)
    if out_dir:
        import shutil
        shutil.rmtree(out_dir, ignore_errors=True)


def peak_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
