"""`ftlint split` writes its files as one set, and refuses a split it cannot make as asked.

- A real `kill -9` of a subprocess in the middle of a split never leaves a new train.jsonl next
  to an old validation.jsonl: the folder holds a complete set whose files match its manifest,
  and the next run cleans what the killed one left (staging folders, partial temp files).
- An empty input, a held-out share that rounds to no record, sizes that leave no training record
  and a held-out file that no duplicate group fits in are errors with the figures (exit 1)."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner
from conftest import write_jsonl

from ftlint.cli import main

LABELS = ("billing", "technical", "account", "refund")


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def rows(n: int) -> list[dict]:
    return [{"prompt": f"Ticket {i}: my invoice number {i * 7919} shows a charge for seat {i}",
             "completion": LABELS[i % 4]} for i in range(n)]


def consistent(folder) -> dict:
    """The manifest of a folder whose every output matches it (and nothing else is there)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    names = sorted(os.listdir(folder))
    assert names == sorted([*manifest["outputs"], "manifest.json"]), names
    for name, info in manifest["outputs"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == info["sha256"], name
    return manifest


def leftovers(folder) -> list[str]:
    near = [n for n in os.listdir(folder.parent) if n.startswith(f".{folder.name}.")]
    inside = [n for n in os.listdir(folder) if n.startswith(".")] if folder.is_dir() else []
    return near + inside


# a split run in a subprocess that stops (sleeps) at a chosen point, announcing it in a file,
# so that the test can kill -9 it exactly there
HARNESS = textwrap.dedent("""
    import os, sys, time
    marker, where = sys.argv[1], sys.argv[2]

    def stop():
        open(marker, "w").close()
        time.sleep(120)

    from ftlint.curate import writers
    real_write = writers.write_jsonl

    def write_jsonl(path, lines):
        name = os.path.basename(path)
        if where == "mid-validation" and name == "validation.jsonl":
            def cut(lines):
                for n, line in enumerate(lines):
                    if n == 1:
                        stop()
                    yield line
            lines = cut(lines)
        digest = real_write(path, lines)
        if where == "after-train" and name == "train.jsonl":
            stop()
        return digest

    writers.write_jsonl = write_jsonl
    if where == "between-renames":
        real_rename, calls = os.rename, []

        def rename(a, b):
            calls.append(a)
            if len(calls) == 2:  # the old set is moved aside; the new one not yet in place
                stop()
            return real_rename(a, b)

        os.rename = rename
    from ftlint.cli import main
    main(sys.argv[3:])
""")


def _kill_at(tmp_path, where: str, *args: str) -> None:
    marker = tmp_path / f"stopped-{where}"
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, str(marker), where, *map(str, args)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the split ended before {where}: {proc.stderr.read().decode()[-2000:]}")
        assert time.monotonic() < deadline, f"the split never reached {where}"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("where", ["after-train", "mid-validation", "between-renames"])
def test_kill_9_mid_split_leaves_a_whole_set(tmp_path, where):
    data = write_jsonl(tmp_path / "in.jsonl", rows(400))
    out = tmp_path / "split"
    assert run("split", data, "--out", out, "--validation-size", "0.2", "--seed", "1").exit_code == 0
    before = consistent(out)
    _kill_at(tmp_path, where, "split", data, "--out", out, "--validation-size", "0.2", "--seed", "2")
    if out.exists():
        # the previous set, untouched: no new train.jsonl next to the old validation.jsonl
        assert consistent(out) == before
    else:
        # killed between the two renames: the previous set waits beside the folder
        assert where == "between-renames"
        aside = [n for n in os.listdir(tmp_path) if n.startswith(".split.ftlint-old-")]
        assert len(aside) == 1 and consistent(tmp_path / aside[0] / "set") == before
    # the next run cleans up after the killed one and writes its own set
    r = run("split", data, "--out", out, "--validation-size", "0.2", "--seed", "2")
    assert r.exit_code == 0, r.output
    assert consistent(out)["seed"] == 2
    assert leftovers(out) == []


def test_leftovers_of_an_older_killed_run_inside_the_folder_are_cleaned(tmp_path):
    data = write_jsonl(tmp_path / "in.jsonl", rows(40))
    out = tmp_path / "split"
    assert run("split", data, "--out", out).exit_code == 0
    (out / ".validation.jsonl.k3j2x9.tmp").write_bytes(b'{"prompt": "half')  # per-file writes of old
    assert run("split", data, "--out", out, "--seed", "5").exit_code == 0
    assert leftovers(out) == []
    consistent(out)


def test_a_folder_with_other_files_is_refused_not_emptied(tmp_path):
    data = write_jsonl(tmp_path / "in.jsonl", rows(40))
    out = tmp_path / "data"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    r = run("split", data, "--out", out)
    assert r.exit_code == 2
    assert "notes.md" in r.output and "internal error" not in r.output
    assert os.listdir(out) == ["notes.md"]


# ------------------------------------------------------------------------------- sizes

def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    r = run("split", empty, "--out", tmp_path / "o")
    assert r.exit_code == 1
    assert "nothing to split" in r.output and "no records" in r.output
    assert not (tmp_path / "o").exists()


def test_all_rejected_is_refused(tmp_path):
    data = write_jsonl(tmp_path / "in.jsonl", [b'{"prompt": "cut', b"[1]"])
    r = run("split", data, "--out", tmp_path / "o", "--drop-invalid")
    assert r.exit_code == 1 and "all 2 lines were rejected" in r.output


def test_validation_share_that_rounds_to_zero_is_refused_with_the_figures(tmp_path):
    data = write_jsonl(tmp_path / "in.jsonl", rows(2))
    r = run("split", data, "--out", tmp_path / "o")
    assert r.exit_code == 1
    assert "a validation share of 0.1 of 2 records is 0.20 records" in r.output
    assert not (tmp_path / "o").exists()
    # a count works, and so does asking for no validation file
    assert run("split", data, "--out", tmp_path / "o", "--validation-size", "1").exit_code == 0
    assert (tmp_path / "o" / "validation.jsonl").read_bytes().count(b"\n") == 1
    assert run("split", data, "--out", tmp_path / "n", "--validation-size", "0").exit_code == 0
    assert not (tmp_path / "n" / "validation.jsonl").exists()


def test_test_share_that_rounds_to_zero_is_refused(tmp_path):
    data = write_jsonl(tmp_path / "in.jsonl", rows(20))
    r = run("split", data, "--out", tmp_path / "o", "--test-size", "0.01")
    assert r.exit_code == 1 and "a test share of 0.01 of 20 records" in r.output


def test_sizes_that_leave_no_training_record_are_refused(tmp_path):
    data = write_jsonl(tmp_path / "in.jsonl", rows(3))
    r = run("split", data, "--out", tmp_path / "o", "--validation-size", "2", "--test-size", "1")
    assert r.exit_code == 1
    assert "validation 2 + test 1 records of 3 leave none for training" in r.output


def test_validation_no_group_fits_in_is_refused(tmp_path):
    same = {"prompt": "Where is my invoice?", "completion": "billing"}
    data = write_jsonl(tmp_path / "in.jsonl", [same] * 5 + [{"prompt": "Reset my password", "completion": "account"}])
    r = run("split", data, "--out", tmp_path / "o", "--validation-size", "0.2", "--group", "exact")
    assert r.exit_code == 1
    assert "validation would be empty: the 6 records form 2 group(s)" in r.output
