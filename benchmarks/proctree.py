"""Peak memory of a process tree, sampled from /proc while it runs (Linux only): the sum of PSS
over the process and its live descendants, the sum of their RSS, and the largest VmHWM. Used by
bench_check.py; kept apart so that a memory figure's definition is read in one place."""
from __future__ import annotations

import os
import threading
import time


class TreeSampler(threading.Thread):
    """Peak memory of a process and its live descendants.

    Every ``interval`` s: each process's RSS (/proc/PID/statm) and VmHWM (/proc/PID/status), a few
    microseconds each. PSS needs /proc/PID/smaps_rollup, which walks the page tables: ~3-15 ms
    per GB of RSS, too much to read every 50 ms at 5 GB on two cores. It is read when the tree's
    RSS is within 3% of its peak so far (where the peak PSS must be), and at most once per 20x
    its last cost (so the sampler takes at most ~5% of a core); ``pss_samples`` counts the reads."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss = self.peak_rss = 0  # kB
        self.hwm = 0  # kB: the largest VmHWM (peak RSS) of any one process of the tree
        self.peak_procs = 0
        self.samples = self.pss_samples = 0
        self.cpu = 0.0  # this thread's CPU seconds
        self._next_pss = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while True:
            self.sample()
            if self._halt.wait(self.interval):
                break
        self.cpu = time.thread_time()

    def sample(self) -> None:
        procs = _tree(self.pid)
        rss = 0
        for pid in procs:
            rss += _statm_rss(pid)
            self.hwm = max(self.hwm, _hwm(pid))
        self.samples += 1
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_procs = max(self.peak_procs, len(procs))
        now = time.perf_counter()
        if rss >= 0.97 * self.peak_rss and now >= self._next_pss:
            t0 = time.thread_time()
            pss = sum(_pss(pid) for pid in procs)
            self.pss_samples += 1
            self.peak_pss = max(self.peak_pss, pss)
            self._next_pss = now + 20 * (time.thread_time() - t0)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
            except OSError:
                continue
    return out


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _statm_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE_KB
    except (OSError, ValueError, IndexError):  # exited between listing and reading
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for ln in fh:
                if ln.startswith("Pss:"):
                    return int(ln.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _hwm(pid: int) -> int:
    """VmHWM in kB: the process's own peak RSS. (ru_maxrss would not do: it keeps the high-water
    mark of the benchmark process that forked the child before its exec.)"""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for ln in fh:
                if ln.startswith("VmHWM:"):
                    return int(ln.split()[1])
    except (OSError, ValueError):
        pass
    return 0
