"""The result cache: a second run on unchanged files reuses the findings; any change to the
content, the options or the package invalidates them; the folder is safe to delete."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD_ROWS, write_jsonl

from ftlint import api, cache
from ftlint.cli import main
from ftlint.read.reader import Source
from ftlint.settings import Settings, with_cli

GOOD = GOOD_ROWS[:5]
DIRTY = GOOD[:2] + [b'{"prompt": "broken', b""] + GOOD[2:] + [{"prompt": "x", "completion": ""}]


V = f"v{cache.FORMAT}"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))  # this machine's key
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
    entries = list((folder / V).glob("*.json"))
    assert len(entries) == 1
    second = run("check", path, "--format", "json")
    assert second.output == first.output and second.exit_code == first.exit_code == 1
    # the second run really came from the cache: an entry re-signed with this machine's key is served
    mac, _, payload = entries[0].read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["findings"][0][5] = "served from the cache"
    payload = json.dumps(data).encode()
    entries[0].write_bytes(cache._mac(payload) + b"\n" + payload)
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
    entries = list((tmp_path / "elsewhere" / V).glob("*.json"))
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
    left = sorted(p.stem for p in (folder / V).glob("*.json"))
    assert len(left) <= 5 and "k6" in left


# ------------------------------------------------------------------ entries that must not be trusted

def _entry(folder) -> Path:
    (entry,) = (folder / V).glob("*.json")
    return entry


def _resign(entry: Path, edit) -> None:
    """Edit an entry's payload and sign it with this machine's key: only the types can catch it."""
    _, _, payload = entry.read_bytes().partition(b"\n")
    data = json.loads(payload)
    edit(data)
    payload = json.dumps(data).encode()
    entry.write_bytes(cache._mac(payload) + b"\n" + payload)


def test_an_edited_entry_is_a_miss_not_hidden_findings(folder):
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    expected = run("check", path, "--format", "json").output
    entry = _entry(folder)
    mac, _, payload = entry.read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["findings"] = []  # hide every finding, keep the old MAC
    entry.write_bytes(mac + b"\n" + json.dumps(data).encode())
    assert run("check", path, "--format", "json").output == expected
    # a plain SHA-256 recomputed by whoever edited it is not this machine's MAC either
    import hashlib

    payload = json.dumps(data).encode()
    entry.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    assert run("check", path, "--format", "json").output == expected


def test_a_cache_from_another_machine_is_not_served(folder, tmp_path, monkeypatch):
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    runner = Counting()
    cache.run(Settings(), [Source(str(path))], [], runner)
    cache.run(Settings(), [Source(str(path))], [], runner)
    assert len(runner.calls) == 1
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))  # e.g. a committed .ftlint_cache
    cache.run(Settings(), [Source(str(path))], [], runner)
    assert len(runner.calls) == 2


@pytest.mark.parametrize("edit", [
    lambda d: d["findings"][0].__setitem__(4, "seven"),  # a line that is not a number: sorting would fail
    lambda d: d["findings"][0].__setitem__(8, ["not", "a", "dict"]),
    lambda d: d["findings"][0].__setitem__(0, "FT999"),
    lambda d: d["findings"][0].__setitem__(2, "fatal"),
    lambda d: d["findings"][0].__setitem__(3, "/etc/passwd"),
    lambda d: d["findings"][0].__setitem__(7, "12"),
    lambda d: d["findings"].append([1, 2, 3]),
    lambda d: d.__setitem__("findings", {"a": 1}),
    lambda d: d["files"][0].__setitem__("records", "many"),
    lambda d: d.__setitem__("files", []),
    lambda d: d.__setitem__("key", "another key"),
    lambda d: d.__setitem__("format", 1),
])
def test_a_well_signed_entry_with_wrong_types_is_a_miss(folder, edit):
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    expected = run("check", path, "--format", "json").output
    _resign(_entry(folder), edit)
    r = run("check", path, "--format", "json")
    assert r.output == expected and "internal error" not in r.output


def test_an_entry_copied_under_another_key_is_a_miss(folder):
    a = write_jsonl(Path("a.jsonl"), DIRTY)
    run("check", a)
    entry = _entry(folder)
    b = write_jsonl(Path("b.jsonl"), DIRTY + [b""])
    expected = run("check", b, "--no-cache", "--format", "json").output
    key = cache.Cache(folder).key(Settings(), [("train", Source(str(b)))])
    (folder / V / f"{key}.json").write_bytes(entry.read_bytes())
    assert run("check", b, "--format", "json").output == expected


def test_a_linked_cache_folder_is_not_used(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / V).mkdir()
    victims = [outside / f"{i:02d}.json" for i in range(3)] + [outside / V / f"k{i}.json" for i in range(3)]
    for v in victims:
        v.write_text("precious")
    os.symlink(outside, tmp_path / ".ftlint_cache")
    monkeypatch.setattr(cache, "MAX_ENTRIES", 1)  # a prune would delete entries at once
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    for _ in range(2):
        assert run("check", path).exit_code == 1
    assert sorted(p.name for p in outside.rglob("*")) == sorted([V] + [v.name for v in victims])
    assert all(v.read_text() == "precious" for v in victims)


def test_links_inside_the_cache_are_not_followed(folder, tmp_path, monkeypatch):
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    expected = run("check", path, "--format", "json").output
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "secret.json"
    target.write_text("precious")
    entry = _entry(folder)
    entry.unlink()
    os.symlink(target, entry)  # an entry that is a link
    for name in (".gitignore", "CACHEDIR.TAG"):
        (folder / name).unlink()
        os.symlink(outside / name, folder / name)  # dangling links: writing them would create files outside
    stat_dir = folder / V / "stat"
    import shutil

    shutil.rmtree(stat_dir)
    os.symlink(outside, stat_dir)
    monkeypatch.setattr(cache, "MAX_ENTRIES", 0)
    assert run("check", path, "--format", "json").output == expected
    assert sorted(p.name for p in outside.iterdir()) == ["secret.json"] and target.read_text() == "precious"
    os.utime(target, (0, 0))
    run("check", path)
    assert target.stat().st_mtime == 0  # not even touched


def test_a_linked_entry_folder_is_not_used(folder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder.mkdir()
    os.symlink(outside, folder / V)
    path = write_jsonl(Path("d.jsonl"), DIRTY)
    assert run("check", path).exit_code == 1
    assert list(outside.iterdir()) == []


def test_the_tokenizer_file_and_the_profiles_are_part_of_the_key(folder, tmp_path):
    tok = tmp_path / "tokenizer.json"
    tok.write_text('{"version": "1.0"}')
    settings = Settings(tokenizer=str(tok))
    c = cache.Cache(folder)
    files = [("train", Source(str(write_jsonl(Path("d.jsonl"), GOOD))))]
    before = c.key(settings, files)
    assert c.key(settings, files) == before
    tok.write_text('{"version": "1.0", "model": {}}')  # same path, other content
    assert c.key(settings, files) != before
    # the package's data files count by content: an edited profiles.toml is another build
    pkg = tmp_path / "pkg"
    (pkg / "targets").mkdir(parents=True)
    (pkg / "targets" / "profiles.toml").write_text("[nova-lite]\nrecords-max = 20000\n")
    first = cache.code_fingerprint(str(pkg))
    (pkg / "targets" / "profiles.toml").write_text("[nova-lite]\nrecords-max = 10000\n")
    cache.code_fingerprint.cache_clear()
    assert cache.code_fingerprint(str(pkg)) != first
