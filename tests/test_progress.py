"""The progress bar: only at a terminal, never in CI, under pre-commit or with -q; fed with bytes
read by the reader hook."""
from __future__ import annotations

import io

from conftest import write_jsonl

from ftlint import api, progress
from ftlint.read.reader import Source
from ftlint.settings import Settings


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_wanted_only_at_a_terminal_outside_ci():
    assert progress.wanted(stream=Tty(), env={})
    assert not progress.wanted(stream=io.StringIO(), env={})
    assert not progress.wanted(stream=Tty(), env={"CI": "true"})
    assert not progress.wanted(stream=Tty(), env={"PRE_COMMIT": "1"})
    assert not progress.wanted(quiet=True, stream=Tty(), env={})


def test_engine_reports_bytes_read_up_to_the_file_size(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"prompt": f"q{i}", "completion": "a"} for i in range(10_000)])
    calls = []
    api.run(Settings(), [Source(str(path))], progress=lambda p, done, total: calls.append((p, done, total)))
    size = path.stat().st_size
    assert len(calls) >= 3 and all(c[0] == str(path) and c[2] == size for c in calls)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls) and calls[-1][1] == size


def test_bar_draws_on_the_stream(tmp_path):
    out = Tty()
    with progress.bar(True, stream=out, delay=0) as update:
        update("d.jsonl", 50, 100)
        update("d.jsonl", 100, 100)
    assert "d.jsonl" in out.getvalue()
    with progress.bar(False) as update:
        assert update is None
