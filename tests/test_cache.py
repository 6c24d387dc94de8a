"""The result cache: a second run on unchanged files reuses the findings; any change to the
content, the options or the package invalidates them; the folder is safe to delete."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD_ROWS, write_jsonl

from ftlint import api, cache
from ftlint.cli import main
from ftlint.config import Settings, with_cli
from ftlint.reader import Source

GOOD = GOOD_ROWS[:5]
DIRTY = GOOD[:2] + [b'{"prompt": "broken', b""] + GOOD[2:] + [{"prompt": "x", "completion": ""}]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.ENV, raising=False)  # the default folder, in the working directory
    return tmp_path / ".ftlint_cache"


class Counting:
    """The real engine, counting how often it runs."""

    def __init__(self):
        self.calls = []

    def __call__(self, settings, train, val):
        self.calls.append([s.name for s in train + val])
        return api.run(settings, train, val)


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_second_run_is_served_from_cache_with_identical_output(folder):
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    first = run("check", path, "--format", "json")
    assert folder.is_dir() and (folder / ".gitignore").read_text().endswith("*\n")
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    entries = list((folder / "v1").glob("*.json"))
    assert len(entries) == 1
    second = run("check", path, "--format", "json")
    assert second.output == first.output and second.exit_code == first.exit_code == 1
    # the second run really came from the cache: poison the entry and see it served
    data = json.loads(entries[0].read_text())
    data["findings"][0][5] = "served from the cache"
    entries[0].write_text(json.dumps(data))
    assert "served from the cache" in run("check", path).output
    assert "served from the cache" not in run("check", path, "--no-cache").output


def test_changes_that_invalidate(folder):
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    settings = Settings()
    runner = Counting()
    sources = [Source(str(path))]
    cache.run(settings, sources, [], runner)
    cache.run(settings, sources, [], runner)
    assert len(runner.calls) == 1
    # other options, another selection: a miss each
    cache.run(with_cli(settings, options=["FT107.require-assistant-last=false"]), sources, [], runner)
    cache.run(with_cli(settings, ignore=["FT108"]), sources, [], runner)
    assert len(runner.calls) == 3
    # the same bytes again (touched, rewritten): still a hit; new content: a miss
    path.write_bytes(path.read_bytes())
    cache.run(settings, sources, [], runner)
    assert len(runner.calls) == 3
    write_jsonl(path, DIRTY + GOOD)
    report = cache.run(settings, sources, [], runner)
    assert len(runner.calls) == 4 and report.files[0].records == 12


def test_fail_on_is_not_part_of_the_key_but_applies(folder):
    path = write_jsonl(Path("d.jsonl"), GOOD + [{"prompt": "x", "completion": ""}])
    assert run("check", path, "-O", "FT105.severity='warning'").exit_code == 0
    assert run("check", path, "-O", "FT105.severity='warning'", "--fail-on", "warning").exit_code == 1


def test_one_changed_file_rechecks_only_that_file(folder):
    a = write_jsonl(Path("a.jsonl"), DIRTY)
    b = write_jsonl(Path("b.jsonl"), GOOD)
    runner = Counting()
    sources = [Source(str(a)), Source(str(b))]
    first = cache.run(Settings(), sources, [], runner)
    write_jsonl(b, GOOD + [b""])
    second = cache.run(Settings(), sources, [], runner)
    assert runner.calls == [["a.jsonl"], ["b.jsonl"], ["b.jsonl"]]
    assert [f.file_index for f in second.findings] == [0] * len(first.findings) + [1]
    assert second.findings[-1].path == "b.jsonl" and second.findings[-1].code == "FT108"


def test_validation_files_are_part_of_the_key(folder):
    train = write_jsonl(Path("train.jsonl"), GOOD)
    val = write_jsonl(Path("val.jsonl"), GOOD[:2])
    runner = Counting()
    cache.run(Settings(), [Source(str(train))], [Source(str(val))], runner)
    cache.run(Settings(), [Source(str(train))], [Source(str(val))], runner)
    assert len(runner.calls) == 1
    write_jsonl(val, GOOD[:3])
    report = cache.run(Settings(), [Source(str(train))], [Source(str(val))], runner)
    assert len(runner.calls) == 2 and [f.role for f in report.files] == ["train", "validation"]


def test_package_change_invalidates(folder, monkeypatch):
    path = write_jsonl(Path("d.jsonl"), GOOD)
    runner = Counting()
    cache.run(Settings(), [Source(str(path))], [], runner)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another build")
    cache.run(Settings(), [Source(str(path))], [], runner)
    assert len(runner.calls) == 2


def test_env_folder_safe_to_delete_and_corrupt_entries(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.ENV, str(tmp_path / "elsewhere"))
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    expected = run("check", path).output
    entries = list((tmp_path / "elsewhere" / "v1").glob("*.json"))
    assert len(entries) == 1 and not (tmp_path / ".ftlint_cache").exists()
    entries[0].write_text("{not json")
    assert run("check", path).output == expected  # a corrupt entry is a miss
    import shutil

    shutil.rmtree(tmp_path / "elsewhere")
    assert run("check", path).output == expected


def test_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    r = run("check", path)
    assert r.exit_code == 1 and "FT101" in r.output


def test_stdin_and_records_are_not_cached(folder):
    r = CliRunner().invoke(main, ["check", "-"], input=b'{"prompt": "a", "completion": "b"}\n')
    assert r.exit_code == 0 and not folder.exists()


def test_prune_keeps_the_most_recent(folder, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 5)
    c = cache.Cache(folder)
    for i in range(7):
        c.put(f"k{i}", {"files": [], "findings": []})
    left = sorted(p.stem for p in (folder / "v1").glob("*.json"))
    assert len(left) <= 5 and "k6" in left
