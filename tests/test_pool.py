"""ftlint.pool, the one worker pool: results in order whatever the number of workers and the mode,
a failed or unstarted child's share redone in this process, one process with FTLINT_THREADS=1,
a background job that hands over what it sent before it was stopped, one framing, and no other
module of ftlint that forks or starts threads."""
from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ftlint import pool

PACKAGE = Path(__file__).resolve().parents[1] / "ftlint"
needs_fork = pytest.mark.skipif(not pool.FORK, reason="no fork on this platform")


def _ragged(x: int) -> np.ndarray:
    return np.arange(x % 5, dtype=np.int64) * x  # results of different sizes, some empty


def _rows(x: int) -> dict[str, np.ndarray]:
    return {"v": np.full(3, x * 10, np.int64), "w": np.full(3, x % 2 == 0)}


def _fill(how: str, n: int = 20) -> dict[str, np.ndarray]:
    outs = {"v": pool.empty(3 * n, np.int64, how == "fork"), "w": pool.empty(3 * n, bool, how == "fork")}
    pool.fill(_rows, list(range(n)), [slice(3 * i, 3 * i + 3) for i in range(n)], outs, how)
    return {k: np.array(v) for k, v in outs.items()}


SERIAL_MAP = [_ragged(x).tolist() for x in range(40)]
SERIAL_FILL = {"v": np.repeat(np.arange(20) * 10, 3), "w": np.repeat(np.arange(20) % 2 == 0, 3)}


def _same_fill(got: dict[str, np.ndarray]) -> bool:
    return got.keys() == SERIAL_FILL.keys() and all(np.array_equal(got[k], SERIAL_FILL[k]) for k in got)


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
@pytest.mark.parametrize("fork", [False, True])
def test_order_does_not_depend_on_the_workers(monkeypatch, workers, fork):
    monkeypatch.setattr(pool, "WORKERS", workers)
    monkeypatch.setattr(pool, "FORK", fork and pool.FORK)
    how = pool.mode(40)
    assert how == ("serial" if workers == 1 else "fork" if fork and pool.FORK else "threads")
    for processes in (False, True):
        assert [r.tolist() for r in pool.map_ordered(_ragged, list(range(40)), fork=processes)] == SERIAL_MAP
    assert _same_fill(_fill(pool.mode(20)))
    assert pool.map_ordered(_ragged, []) == []
    assert pool.mode(pool.MIN_FORK_ITEMS - 1) in ("serial", "threads")  # too few items for a fork


@needs_fork
@pytest.mark.parametrize("workers", [2, 3])
def test_a_child_that_raises_has_its_share_redone_here(monkeypatch, capfd, workers):
    monkeypatch.setattr(pool, "WORKERS", workers)
    parent = os.getpid()

    def fails_in_a_child(x):
        if os.getpid() != parent and x >= 5:
            raise ValueError("boom")
        return _ragged(x)

    assert [r.tolist() for r in pool.map_ordered(fails_in_a_child, list(range(40)), fork=True)] == SERIAL_MAP

    def rows_fail_in_a_child(x):
        if os.getpid() != parent and x >= 5:
            raise ValueError("boom")
        return _rows(x)

    outs = {"v": pool.empty(60, np.int64, True), "w": pool.empty(60, bool, True)}
    pool.fill(rows_fail_in_a_child, list(range(20)), [slice(3 * i, 3 * i + 3) for i in range(20)], outs, "fork")
    assert _same_fill(outs)
    assert "ValueError: boom" in capfd.readouterr().err  # a pool child says why it failed


@needs_fork
def test_a_killed_child_and_a_failed_fork_cost_time_not_results(monkeypatch):
    monkeypatch.setattr(pool, "WORKERS", 2)
    parent = os.getpid()

    def killed_in_the_child(x):
        if os.getpid() != parent and x == 7:
            os.kill(os.getpid(), signal.SIGKILL)  # no exception, no end mark: items 1, 3, 5 came back
        return _ragged(x)

    assert [r.tolist() for r in pool.map_ordered(killed_in_the_child, list(range(40)), fork=True)] == SERIAL_MAP

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(pool, "fork", no_fork)
    pids = pool.map_ordered(lambda x: os.getpid(), list(range(40)), fork=True)
    assert pids == [parent] * 40  # every share done here
    assert _same_fill(_fill("fork"))


@needs_fork
def test_a_pool_error_everywhere_is_raised_here(monkeypatch):
    monkeypatch.setattr(pool, "WORKERS", 2)

    def fails(x):
        raise KeyError(x)

    with pytest.raises(KeyError):
        pool.map_ordered(fails, list(range(40)), fork=True)


PROBE = """
import json, os
from ftlint import pool
pids = pool.map_ordered(lambda x: os.getpid(), list(range(40)), fork=True)
print(json.dumps([pool.WORKERS, pool.mode(100), pool.can_fork(), pool.background(lambda send: None) is None,
                  sorted(set(pids)) == [os.getpid()]]))
"""


def _probe(**env: str) -> list:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120,
                         env={**os.environ, **env})
    return json.loads(out.stdout)


def test_one_process_with_ftlint_threads_1():
    assert _probe(FTLINT_THREADS="1") == [1, "serial", False, True, True]
    if pool.FORK and (os.cpu_count() or 1) >= 2:
        workers, how, forks, no_job, here = _probe(FTLINT_THREADS="2")
        assert (workers, how, forks, no_job, here) == (2, "fork", True, False, False)
    assert _probe(FTLINT_THREADS="2", FTLINT_FORK="0")[1:] == ["threads", False, True, True]


def _wait_for_bytes(fd: int, size: int) -> None:
    """Until the child has written ``size`` bytes to its result file (or a minute has passed)."""
    deadline = time.monotonic() + 60
    while os.fstat(fd).st_size < size and time.monotonic() < deadline:
        time.sleep(0.01)


def test_background_job_hands_over_what_the_child_sent(monkeypatch, capfd):
    monkeypatch.setattr(pool, "WORKERS", 2)
    if not pool.can_fork():
        pytest.skip("no fork on this platform")

    def exited(job):  # without reaping it: stop() does that
        os.waitid(os.P_PID, job.pid, os.WEXITED | os.WNOWAIT)
        return job

    items = [{"n": i, "text": "x" * i} for i in range(3)]
    assert exited(pool.background(lambda send: [send(x) for x in items])).stop() == (items, True)
    assert exited(pool.background(lambda send: send(os.nice(0)))).stop() == ([19], True)  # spare cycles only

    def fails(send):
        send(items[0])
        raise ValueError("boom")

    assert exited(pool.background(fails)).stop() == (items[:1], False)
    assert "boom" not in capfd.readouterr().err  # a background child is quiet: the caller redoes its work

    def hangs(send):
        send(items[0])
        send(items[1])
        time.sleep(600)

    job = pool.background(hangs)
    _wait_for_bytes(job.fd, sum(8 + len(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL)) for x in items[:2]))
    assert job.stop() == (items[:2], False)  # stopped early, while it hung: the partial items
    assert job.stop() == ([], False)
    monkeypatch.setattr(pool, "WORKERS", 1)
    assert pool.background(hangs) is None
    monkeypatch.setattr(pool, "WORKERS", 2)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(pool, "fork", no_fork)
    assert pool.background(hangs) is None  # the caller runs the rules itself


def test_one_framing_cut_and_damaged_frames():
    items = [{"a": 1}, np.arange(3), "x" * 1000]
    data = b"".join(pool._frame(x) for x in items)
    got, finished = pool._frames(data + pool._END)
    assert finished and got[0] == items[0] and np.array_equal(got[1], items[1]) and got[2] == items[2]
    assert pool._frames(data)[1] is False  # no end mark: the child did not finish
    cut = pool._frames(data[:-1])
    assert len(cut[0]) == 2 and cut[1] is False  # the last frame was cut: it is redone
    first = len(pool._frame(items[0]))
    damaged = data[:first] + data[first:first + 8] + b"\xff" * (len(data) - first - 8)
    assert pool._frames(damaged + pool._END) == ([items[0]], False)
    assert pool._frames(b"") == ([], False)


# what forks a process, starts a thread or opens a pipe for workers: only ftlint/pool.py may
WORKER_CALLS = re.compile(r"\bos\.(fork|forkpty|pipe|memfd_create|posix_spawn)\s*\(|\bThreadPoolExecutor\b|"
                          r"\bProcessPoolExecutor\b|\bthreading\.Thread\b|\bmultiprocessing\b|\b_thread\b|"
                          r"^\s*from\s+os\s+import\s+.*\b(fork|pipe)\b|\bconcurrent\.futures\b")


def _worker_calls(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if WORKER_CALLS.search(line)]


def test_only_the_pool_forks_or_starts_threads():
    hits = [f"{p.relative_to(PACKAGE.parent)}:{n}" for p in sorted(PACKAGE.rglob("*.py")) if p.name != "pool.py" or p.parent != PACKAGE
            for n in _worker_calls(p.read_text(encoding="utf-8"))]
    assert hits == [], f"only ftlint/pool.py forks or starts worker threads: {hits}"
    assert _worker_calls((PACKAGE / "pool.py").read_text(encoding="utf-8"))  # the pattern sees the pool's own


def test_the_fork_check_would_catch_another_module():
    assert _worker_calls("import os\npid = os.fork()\n") == [2]
    assert _worker_calls("r, w = os.pipe()") == [1]
    assert _worker_calls("from concurrent.futures import ThreadPoolExecutor") == [1]
    assert _worker_calls("t = threading.Thread(target=f)") == [1]
    assert _worker_calls("import multiprocessing") == [1]
    assert _worker_calls("_pow_lock = threading.Lock()\nx = fork_map(f)") == []


def test_share_deals_items_to_a_child_and_redoes_what_it_did_not_hand_over(monkeypatch):
    monkeypatch.setattr(pool, "WORKERS", 2)
    if not pool.can_fork():
        pytest.skip("no fork on this platform")
    here = os.getpid()

    def slow(i):
        time.sleep(0.05)
        return i * i, os.getpid()

    out = pool.share(slow, [3, 1, 0, 2, 5, 4])
    assert sorted(out) == [0, 1, 2, 3, 4, 5] and all(out[i][0] == i * i for i in out)
    assert {pid for _, pid in out.values()} - {here}  # the child took some items
    assert here in {pid for _, pid in out.values()}  # and so did this process

    def dies_in_child(i):  # the child dies at its first item: this process does the item again
        if os.getpid() != here:
            os._exit(3)
        time.sleep(0.02)
        return i

    assert pool.share(dies_in_child, [0, 1, 2, 3]) == {0: 0, 1: 1, 2: 2, 3: 3}

    def fails(i):
        if i == 2:
            raise ValueError("boom")
        return i

    with pytest.raises(ValueError, match="boom"):  # raised here, wherever it first happened
        pool.share(fails, [0, 1, 2, 3])
    monkeypatch.setattr(pool, "WORKERS", 1)
    assert pool.share(slow, [1, 0]) == {1: (1, here), 0: (0, here)}  # one process, in order
