"""A progress bar on stderr while a large file is read, for people at a terminal only.

Shown only when stderr is a terminal, not in CI (`$CI`), not under pre-commit (`$PRE_COMMIT`),
not with -q, and only for a file that is still being read after DELAY seconds (tqdm's `delay`),
so small files and hook runs never see it. The engine reports bytes read against the file's
size through a callback (see `ftlint.read.reader.read(progress=...)`)."""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

DELAY = 1.0

Callback = Callable[[str, int, "int | None"], None]


def wanted(quiet: bool = False, stream: TextIO | None = None, env: dict[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    stream = stream or sys.stderr
    if quiet or env.get("CI") or env.get("PRE_COMMIT") or env.get("FTLINT_NO_PROGRESS"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def bar(enabled: bool, stream: TextIO | None = None, delay: float = DELAY) -> Iterator[Callback | None]:
    """Yields the callback for the engine (None when disabled); closes the bar at the end."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    state: dict[str, tqdm] = {}

    def update(path: str, done: int, total: int | None) -> None:
        current = state.get("bar")
        if current is None or current.desc != path:
            if current is not None:
                current.close()
            current = state["bar"] = tqdm(total=total, desc=path, unit="B", unit_scale=True,
                                          unit_divisor=1024, delay=delay, leave=False,
                                          file=stream or sys.stderr, dynamic_ncols=True)
        current.update(done - current.n)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].close()
