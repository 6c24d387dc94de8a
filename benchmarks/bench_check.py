"""What a user gets from `ftlint check` and `ftlint split`: whole cold processes, side by side with
the floor (reading and parsing every line with orjson alone), and the first run of a pre-commit
hook on a 240-record file.

    python benchmarks/bench_check.py --records 50000 200000 1000000 [--runs 3] [--json out.json]
        [--only check split floor small] [--format openai-chat|instruction|synth] [--tmp DIR] [--ftlint EXE]

The files are the seeded workload of benchmarks/workload.py (chat and instruction records of the
real-data corpus's lengths, ~840 bytes per record in openai-chat), generated once into --tmp
(default /tmp/ftlint-bench) and reused by later runs. `--format synth` measures instead the older
benchmarks/synth.py file (prompt-completion, ~410 bytes per record from an 80-word vocabulary,
2% copies) that issue 19's "now" figures were measured on: the same 200k check takes about 2.3x
less CPU there than on the realistic workload.

Each measurement is one fresh child process, run in --tmp with no config file (FTLINT_NO_CONFIG)
and an empty cache directory:

- check: `ftlint check FILE --no-cache`, default rules, the text report to /dev/null;
- split: `ftlint split FILE --out DIR --drop-invalid` (split has no result cache);
- floor: `python -c 'for line in open(FILE, "rb"): orjson.loads(line)'`;
- small: `ftlint check SMALL` on a 240-record file with an empty cache (a hook's first run), then
  the same under `python -X importtime` for the modules it imports and what each costs.

Figures: wall seconds; CPU seconds = user + system of the process and every child it waited for
(os.wait4: ftlint's forked workers included); records/s over wall time; peak PSS = the largest
sum, over the process and its live descendants, of the Pss in /proc/PID/smaps_rollup, sampled
near the peak (PSS splits a page shared by forked workers between them, so the sum is the memory
the tree really holds; see proctree.TreeSampler for when it is read); peak RSS = the sum of the processes'
RSS, sampled every 50 ms (counts shared pages once per process), and the largest VmHWM (a
process's own peak RSS, kept by the kernel) of any one process. The 1-minute load average is read
before and after every run: on a shared machine wall time is only meaningful with it, CPU time
much less affected. With --runs N, min and median of wall and CPU, median of memory.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402
import workload  # noqa: E402
from proctree import TreeSampler  # noqa: E402

WORKS = ("floor", "check", "split")
SMALL_RECORDS = 240
# the modules a small file's check should not need (issue 19 item 4), and the other costly ones
HEAVY = ("sklearn", "scipy", "pandas", "numba", "llvmlite", "pyarrow", "datasketch", "jsonschema",
         "fastjsonschema", "numpy", "botocore", "boto3", "fsspec", "s3fs", "PIL", "xxhash", "regex",
         "jinja2", "click", "orjson", "joblib", "threadpoolctl")
SYNTH = "synth"  # --format: benchmarks/synth.py's prompt-completion records (issue 19's baseline)


def data_file(folder: str, n: int, fmt: str) -> str:
    """The benchmark file of ``n`` records, generated into ``folder`` on first use."""
    if fmt != SYNTH:
        return workload.cached(folder, n, fmt)
    path = os.path.join(folder, f"synth-prompt-completion-{n}-dup0.02.jsonl")
    if not os.path.exists(path):
        tmp = f"{path}.part{os.getpid()}"
        synth.write(tmp, n, "prompt-completion", dup_share=0.02)
        os.replace(tmp, path)
    return path


FLOOR = ("import sys, orjson\nloads = orjson.loads\nn = 0\nwith open(sys.argv[1], 'rb') as fh:\n"
         "    for line in fh:\n        if line.strip():\n            loads(line)\n            n += 1\n"
         "print(n)\n")


# ---------------------------------------------------------------- the machine

def machine() -> dict:
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "")
    except OSError:
        pass
    mem_kb = _meminfo().get("MemTotal", 0)
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    return {"cores": os.cpu_count(), "usable_cores": usable, "memory_gb": round(mem_kb / 2**20, 1),
            "cpu": model or platform.processor(), "python": platform.python_version(),
            "platform": platform.platform(), "load": list(os.getloadavg())}


def _meminfo() -> dict[str, int]:
    out = {}
    try:
        with open("/proc/meminfo") as fh:
            for ln in fh:
                k, v = ln.split(":", 1)
                out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def ftlint_version(exe: str) -> str:
    """`ftlint --version` and, when the package lives in a git work tree, its commit."""
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    code = "import ftlint, os; print(os.path.dirname(os.path.dirname(os.path.abspath(ftlint.__file__))))"
    py = _python_of(exe)
    # -P: not the current directory's ftlint (a checkout) but the one the executable imports
    where = subprocess.run([py, "-P", "-c", code], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", where, "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"],
                            capture_output=True, text=True).stdout.strip() if where else ""
    dirty = subprocess.run(["git", "-C", where, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip() if where else ""
    return f"{version} ({where} at {commit}{', with uncommitted changes' if dirty else ''})"


def byte_compile(exe: str) -> str:
    """Write the bytecode of the ftlint package the executable imports, as `pip install` does for
    a regular install: an editable checkout run with PYTHONDONTWRITEBYTECODE set (or edited since
    its last run) would otherwise compile its changed modules from source in every timed run
    (~60 ms of a 240-record check), a cost no installed user pays."""
    code = "import ftlint, os; print(os.path.dirname(os.path.abspath(ftlint.__file__)))"
    py = _python_of(exe)
    where = subprocess.run([py, "-P", "-c", code], capture_output=True, text=True).stdout.strip()
    if where:
        subprocess.run([py, "-m", "compileall", "-q", where], stdout=subprocess.DEVNULL)
    return where


def _python_of(exe: str) -> str:
    """The interpreter of a console script (its #! line), else this one."""
    try:
        with open(exe, "rb") as fh:
            first = fh.readline().decode(errors="replace")
        if first.startswith("#!") and "python" in first:
            return first[2:].strip().split()[0]
    except OSError:
        pass
    return sys.executable


# ---------------------------------------------------------------- one measured child

@dataclass
class Run:
    work: str
    records: int
    wall: float
    user: float
    sys: float
    peak_pss_mb: float
    peak_rss_mb: float  # summed over the tree
    maxrss_mb: float  # the largest peak RSS (VmHWM) of any one process, as sampled
    procs: int
    rc: int
    load_before: float
    load_after: float
    error: str = ""
    samples: int = 0
    pss_samples: int = 0
    sampler_cpu: float = 0.0

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def measure(work: str, records: int, argv: list[str], cwd: str, env: dict[str, str]) -> Run:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        # wait4, not Popen.wait: its rusage includes the children the process waited for
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    rc = proc.returncode
    # check exits 1 when it reports an error finding; 2 or a signal is a failed run
    error = tail.strip() if rc not in (0, 1) else ""
    return Run(work, records, wall, usage.ru_utime, usage.ru_stime, sampler.peak_pss / 1024,
               sampler.peak_rss / 1024, sampler.hwm / 1024, sampler.peak_procs, rc, load_before,
               os.getloadavg()[0], error, sampler.samples, sampler.pss_samples, sampler.cpu)


def argv_of(work: str, exe: str, path: str, out_dir: str) -> list[str]:
    if work == "floor":
        return [_python_of(exe), "-c", FLOOR, path]
    if work == "check":
        return [exe, "check", path, "--no-cache"]
    if work == "split":
        return [exe, "split", path, "--out", out_dir, "--drop-invalid"]
    raise ValueError(work)


def child_env(cache_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FTLINT_")}
    env.update(FTLINT_CACHE_DIR=cache_dir, FTLINT_NO_CONFIG="1", NO_COLOR="1")
    return env


# ---------------------------------------------------------------- the small first run

def import_costs(exe: str, path: str, cwd: str, env: dict[str, str]) -> dict:
    """`python -X importtime` of a first `ftlint check` on ``path``: top-level packages by
    cumulative import time (microseconds of wall time; inflated by load, compare shares)."""
    out = subprocess.run([_python_of(exe), "-X", "importtime", exe, "check", path], cwd=cwd, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    nodes: list[list] = []  # [depth, name, self us, cumulative us, parent index]
    pending: list[int] = []  # lines whose parent has not been printed yet (post-order output)
    for ln in out.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", ln)
        if not m:
            continue
        depth = len(m.group(3)) // 2
        me = len(nodes)
        while pending and nodes[pending[-1]][0] > depth:
            nodes[pending.pop()][4] = me
        nodes.append([depth, m.group(4), int(m.group(1)), int(m.group(2)), None])
        pending.append(me)
    top: dict[str, int] = {}
    for node in nodes:  # a package costs the subtrees of its outermost imports
        root = node[1].split(".")[0]
        parent = node[4]
        while parent is not None and nodes[parent][1].split(".")[0] != root:
            parent = nodes[parent][4]
        if parent is None:
            top[root] = top.get(root, 0) + node[3]
    total = sum(node[2] for node in nodes)
    return {"total_ms": total / 1000, "by_package_ms": {k: v / 1000 for k, v in
                                                          sorted(top.items(), key=lambda kv: -kv[1])},
            "heavy": [h for h in HEAVY if h in top]}


def small_case(exe: str, tmp: str, fmt: str, runs: int) -> dict:
    path = data_file(tmp, SMALL_RECORDS, fmt)
    results = []
    for _ in range(runs):
        cache = tempfile.mkdtemp(prefix="cache-", dir=tmp)
        try:  # a hook's first run: the result cache is on and empty
            results.append(measure("small", SMALL_RECORDS, [exe, "check", path], tmp, child_env(cache)))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    baseline = [measure("python -c pass", 0, [_python_of(exe), "-c", "pass"], tmp, child_env(tmp))
                for _ in range(runs)]
    version = [measure("ftlint --version", 0, [exe, "--version"], tmp, child_env(tmp)) for _ in range(runs)]
    cache = tempfile.mkdtemp(prefix="cache-", dir=tmp)
    try:
        imports = import_costs(exe, path, tmp, child_env(cache))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"path": path, "runs": [asdict(r) for r in results], "python_start": [asdict(r) for r in baseline],
            "ftlint_version": [asdict(r) for r in version], "imports": imports}


# ---------------------------------------------------------------- report

def _med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def summarize(runs: list[Run]) -> dict:
    walls, cpus = [r.wall for r in runs], [r.cpu for r in runs]
    n = runs[0].records
    return {"work": runs[0].work, "records": n, "runs": len(runs), "wall_min": min(walls), "wall_median": _med(walls),
            "cpu_min": min(cpus), "cpu_median": _med(cpus), "records_per_s": n / _med(walls),
            "records_per_cpu_s": n / _med(cpus), "peak_pss_mb": _med([r.peak_pss_mb for r in runs]),
            "peak_rss_mb": _med([r.peak_rss_mb for r in runs]), "maxrss_mb": _med([r.maxrss_mb for r in runs]),
            "pss_per_record_kb": _med([r.peak_pss_mb for r in runs]) * 1024 / n if n else 0,
            "procs": max(r.procs for r in runs), "load": [min(r.load_before for r in runs),
                                                          max(r.load_after for r in runs)],
            "rc": sorted({r.rc for r in runs})}


def table(rows: list[dict]) -> str:
    head = ("| records | work | wall s min / med | CPU s min / med | CPU / wall | records/s (wall) | "
            "records per CPU-s | peak PSS MB | peak RSS MB (sum / largest) | PSS per record | x floor wall / CPU "
            "| load before-after |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    floors = {r["records"]: r for r in rows if r["work"] == "floor"}
    for r in rows:
        f = floors.get(r["records"])
        ratio = (f"{r['wall_median'] / f['wall_median']:.1f}x / {r['cpu_median'] / f['cpu_median']:.1f}x"
                 if f and r["work"] != "floor" else "1")
        lines.append(
            f"| {r['records']:,} | {r['work']} | {r['wall_min']:.2f} / {r['wall_median']:.2f} | "
            f"{r['cpu_min']:.2f} / {r['cpu_median']:.2f} | {r['cpu_median'] / r['wall_median']:.2f} | "
            f"{r['records_per_s']:,.0f} | {r['records_per_cpu_s']:,.0f} | {r['peak_pss_mb']:,.0f} | "
            f"{r['peak_rss_mb']:,.0f} / {r['maxrss_mb']:,.0f} | {r['pss_per_record_kb']:.2f} KB | {ratio} | "
            f"{r['load'][0]:.1f}-{r['load'][1]:.1f} |")
    return "\n".join(lines)


def small_report(s: dict) -> str:
    runs = [Run(**r) for r in s["runs"]]
    py = [Run(**r) for r in s["python_start"]]
    ver = [Run(**r) for r in s["ftlint_version"]]
    imp = s["imports"]
    lines = [f"\n{SMALL_RECORDS}-record file, first run with an empty cache (a pre-commit hook): "
             f"CPU {min(r.cpu for r in runs):.2f} s min / {_med([r.cpu for r in runs]):.2f} s median, wall "
             f"{min(r.wall for r in runs):.2f} / {_med([r.wall for r in runs]):.2f} s, peak PSS "
             f"{_med([r.peak_pss_mb for r in runs]):.0f} MB (exit {runs[0].rc})",
             f"  for scale: `python -c pass` {min(r.cpu for r in py):.2f} s CPU, `ftlint --version` "
             f"{min(r.cpu for r in ver):.2f} s CPU",
             f"  imports (python -X importtime, wall ms, inflated by load): {imp['total_ms']:.0f} ms in all; "
             f"heavy modules imported: {', '.join(imp['heavy']) or 'none'}",
             "  | package | cumulative import ms |", "  |---|---:|"]
    lines += [f"  | {k} | {v:.0f} |" for k, v in imp["by_package_ms"].items() if v >= 10]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, nargs="+", default=[50_000, 200_000])
    ap.add_argument("--runs", type=int, default=1, help="runs of each measurement (min and median are printed)")
    ap.add_argument("--only", nargs="+", choices=(*WORKS, "small"), help="measure only these (default: all)")
    ap.add_argument("--format", default="openai-chat", choices=(*workload.FORMATS, SYNTH),
                    help="record format of the workload files, or synth for benchmarks/synth.py's older file")
    ap.add_argument("--tmp", default=os.path.join(tempfile.gettempdir(), "ftlint-bench"),
                    help="folder for the generated files (kept and reused) and the runs' outputs")
    ap.add_argument("--ftlint", default=os.path.join(os.path.dirname(sys.executable), "ftlint"),
                    help="the ftlint executable to measure (default: the one beside this Python)")
    ap.add_argument("--json", metavar="FILE", help="also write every run and the summary as JSON")
    a = ap.parse_args()
    only = a.only or [*WORKS, "small"]
    exe = os.path.abspath(a.ftlint)
    os.makedirs(a.tmp, exist_ok=True)
    m = machine()
    compiled = byte_compile(exe)
    print(f"# ftlint bench_check: {ftlint_version(exe)}")
    if compiled:
        print(f"bytecode of {compiled} written first (python -m compileall), as an installed ftlint has it")
    print(f"machine: {m['cores']} cores ({m['usable_cores']} usable), {m['memory_gb']} GB, {m['cpu']}; "
          f"Python {m['python']}; {m['platform']}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in m['load'])}; workload {a.format} "
          + ("(benchmarks/synth.py, seed 1)" if a.format == SYNTH else
             f"(benchmarks/workload.py v{workload.GENERATOR_VERSION}, seed 1)") + f"; runs per measurement: {a.runs}")
    sys.stdout.flush()
    rows, all_runs = [], []
    for n in a.records:
        t = time.perf_counter()
        path = data_file(a.tmp, n, a.format)
        size = os.path.getsize(path)
        made = time.perf_counter() - t
        with open(path, "rb") as fh:  # into the page cache, so every run reads it from memory
            while fh.read(1 << 24):
                pass
        print(f"\n{n:,} records: {path} ({size / 1e6:,.0f} MB, {size / n:,.0f} bytes per record"
              f"{f', generated in {made:.0f} s' if made > 1 else ''})", flush=True)
        per_work: dict[str, list[Run]] = {w: [] for w in WORKS if w in only}
        for k in range(a.runs):
            for w in per_work:
                out_dir = os.path.join(a.tmp, f"split-out-{os.getpid()}")
                cache = tempfile.mkdtemp(prefix="cache-", dir=a.tmp)
                try:
                    r = measure(w, n, argv_of(w, exe, path, out_dir), a.tmp, child_env(cache))
                finally:
                    shutil.rmtree(cache, ignore_errors=True)
                    shutil.rmtree(out_dir, ignore_errors=True)
                per_work[w].append(r)
                all_runs.append(r)
                print(f"  run {k + 1} {w:5}: wall {r.wall:7.2f} s  CPU {r.cpu:7.2f} s (user {r.user:.2f}, sys "
                      f"{r.sys:.2f})  peak PSS {r.peak_pss_mb:7,.0f} MB  RSS sum {r.peak_rss_mb:7,.0f} MB  "
                      f"largest {r.maxrss_mb:7,.0f} MB  procs {r.procs}  exit {r.rc}  load {r.load_before:.1f} -> "
                      f"{r.load_after:.1f}  (sampler: {r.samples} RSS / {r.pss_samples} PSS reads, {r.sampler_cpu:.2f} s CPU)",
                      flush=True)
                if r.error:
                    print(f"    FAILED: {r.error[-600:]}", flush=True)
        rows += [summarize(rs) for rs in per_work.values() if rs]
    if rows:
        print("\n" + table(rows))
    small = None
    if "small" in only:
        small = small_case(exe, a.tmp, a.format, max(a.runs, 3))
        print(small_report(small))
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"machine": m, "ftlint": ftlint_version(exe), "format": a.format, "summary": rows,
                       "runs": [asdict(r) for r in all_runs], "small": small}, fh, indent=1)


if __name__ == "__main__":
    main()
