"""Times dedup + split on Spark (``ftlint.spark.split``: pass 1 with every record rule, the
distributed MinHash/LSH clusters, the stratified sides, the writes) on benchmarks/workload.py
files, side by side with the local engine's ``ftlint split`` on the same records.

    python benchmarks/bench_spark.py --records 1000000 5000000 [--local 1000000] [--master local[2]]
        [--memory 2g] [--data DIR]

Each run is a fresh process tree, sampled from /proc (benchmarks/proctree.py). Printed per run:
wall seconds, records/s, the Python driver's peak RSS (what ftlint's driver code holds: it
must not grow with the records), the JVM's peak RSS (in local mode the driver JVM also runs the
executors; its heap is capped by --memory), the whole tree's peak RSS (JVM + Python driver +
Python workers), the 1-minute load average before and after (the machine is shared)."""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import workload  # noqa: E402
from proctree import TreeSampler  # noqa: E402


def data_file(folder: str, n: int) -> str:
    path = os.path.join(folder, f"workload_{n}.jsonl")
    if not os.path.exists(path):
        workload.write(path + ".tmp", n)
        os.replace(path + ".tmp", path)
    return path


def child(path: str, out: str, master: str, memory: str) -> None:
    """The measured Spark process: a session capped at ``memory``, then ftlint.spark.split."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import ftlint.spark

    spark = (SparkSession.builder.master(master).appName("bench_spark").config("spark.driver.memory", memory)
             .config("spark.executor.memory", memory).config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    t0 = time.perf_counter()
    manifest = ftlint.spark.split(path, out, drop_invalid=True, spark=spark)
    seconds = time.perf_counter() - t0
    jvm = spark.sparkContext._gateway.proc.pid
    with open(f"/proc/{jvm}/status") as fh:
        hwm = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM"))
    spark.stop()
    print(json.dumps({"split_s": seconds, "records": manifest["records"], "jvm_hwm_mb": hwm / 1024,
                      "driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(argv: list[str]) -> tuple[float, dict, TreeSampler, float, float]:
    before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, _ = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop()
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace")
        rc = os.waitstatus_to_exitcode(status)
        lines = [ln for ln in text.splitlines() if ln.startswith("{")]
        spark = "--child" in argv
        # ftlint split exits 1 when it wrote its outputs with error findings; the Spark child
        # prints its JSON line last, so a run without it failed whatever its exit code
        if rc not in (0, 1) or (spark and not lines):
            raise SystemExit(f"{argv[:3]} failed ({rc}): {err.read()[-3000:].decode(errors='replace')}")
    return wall, json.loads(lines[-1]) if lines else {}, sampler, before, os.getloadavg()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--local", type=int, nargs="*", default=[1_000_000], help="record counts for the local engine")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--memory", default="2g", help="spark.driver.memory and spark.executor.memory")
    ap.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "ftlint_bench_spark"))
    ap.add_argument("--child", nargs=2, metavar=("PATH", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child, a.master, a.memory)
        return
    os.makedirs(a.data, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB; "
          f"Spark {a.master}, driver/executor memory {a.memory}", flush=True)
    runs = [("spark", n) for n in a.records] + [("local", n) for n in a.local]
    for engine, n in sorted(runs, key=lambda r: (r[1], r[0] != "local")):
        path = data_file(a.data, n)
        with tempfile.TemporaryDirectory(dir=a.data) as tmp:
            out = os.path.join(tmp, "out")
            if engine == "spark":
                argv = [sys.executable, __file__, "--child", path, out, "--master", a.master, "--memory", a.memory]
            else:
                argv = [sys.executable, "-m", "ftlint", "split", path, "--out", out, "--drop-invalid", "-q"]
            wall, info, tree, before, after = measure(argv)
        mem = (f"driver (Python) peak RSS {info['driver_mb']:6.0f} MB  JVM peak RSS {info['jvm_hwm_mb']:6.0f} MB  "
               if info else f"peak RSS (one process) {tree.hwm / 1024:6.0f} MB  ")
        counts = f"  {info['records']}" if info else ""
        print(f"{engine:5} split {n:>9,} records ({os.path.getsize(path) / 2**20:,.0f} MB): wall {wall:7.1f} s  "
              f"{n / wall:7,.0f} records/s  {mem}tree peak RSS {tree.peak_rss / 1024:6.0f} MB  "
              f"load {before:.2f} -> {after:.2f}{counts}", flush=True)


if __name__ == "__main__":
    main()
