"""Where outputs go: every command that takes -o/--out creates the missing parent folders (the
README's `ftlint report ... -o build/report.html` on a fresh checkout), and an output that cannot
be written is one clear message with exit code 2, never an internal error."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from ftlint.cli import main

TICKETS = str(SAMPLES / "support_tickets.jsonl")


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.mark.parametrize("command", [
    ["check", TICKETS, "-o", "{out}"],
    ["check", TICKETS, "--statistics", "-o", "{out}"],
    ["check", TICKETS, "--write-baseline", "{out}"],
    ["report", TICKETS, "-o", "{out}"],
    ["review", TICKETS, "-o", "{out}"],
    ["fix", TICKETS, "-o", "{out}"],
    ["convert", TICKETS, "--to", "instruction", "-o", "{out}"],
    ["split", TICKETS, "--out", "{out}"],
])
def test_missing_parent_folders_are_created(tmp_path, command):
    out = tmp_path / "build" / "nested" / "out.file"
    r = run(*[a.replace("{out}", str(out)) for a in command])
    assert r.exit_code in (0, 1), r.output
    assert "internal error" not in r.output
    assert out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_fix_rejects_and_manifest_in_missing_folders(tmp_path):
    out, rejects, manifest = tmp_path / "a" / "o.jsonl", tmp_path / "b" / "r.jsonl", tmp_path / "c" / "m.json"
    r = run("fix", SAMPLES / "support_tickets_dirty.jsonl", "-o", out, "--rejects", rejects, "--manifest", manifest)
    assert r.exit_code == 0, r.output
    assert out.exists() and rejects.exists() and manifest.exists()


@pytest.mark.parametrize("command", [
    ["check", TICKETS, "-o", "{out}"],
    ["report", TICKETS, "-o", "{out}"],
    ["review", TICKETS, "-o", "{out}"],
    ["fix", TICKETS, "-o", "{out}"],
    ["convert", TICKETS, "--to", "instruction", "-o", "{out}"],
])
def test_unwritable_output_is_one_message_exit_2(tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "out.file"  # a parent that is a file: no folder can be made there
    r = run(*[a.replace("{out}", str(out)) for a in command])
    assert r.exit_code == 2, r.output
    assert "internal error" not in r.output
    assert f"{out}: cannot write here" in r.output
