"""ftlint as a real pre-commit hook: the manifest validates, and `pre-commit try-repo` installs
this checkout into a fresh environment and runs the hook in a scratch git repository.

The try-repo run pip-installs the package and its dependencies from the registry into a temporary
store, so it is slow (one to two minutes) and happens once (a module-scoped fixture, --all-files:
one hook run over a clean and a dirty file). try-repo's store is deleted when it ends, so the
Passed/Failed pair per file comes from real `pre-commit run`s of the manifest's hook definition as
a local hook against this environment's ftlint (no second install)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # pre-commit depends on PyYAML
from conftest import GOOD_ROWS, ROOT

GOOD = GOOD_ROWS[:5]


def pre_commit_exe() -> str | None:
    exe = Path(sys.executable).with_name("pre-commit")
    return str(exe) if exe.exists() else shutil.which("pre-commit")


PRE_COMMIT = pre_commit_exe()
pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install -e '.[test]')")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_manifest_validates():
    r = subprocess.run([PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "ftlint" and hook["entry"] == "ftlint check" and hook["language"] == "python"
    assert hook["files"] == r"\.jsonl$" and hook["require_serial"] is True


def test_manifest_validation_can_fail(tmp_path):
    bad = tmp_path / "hooks.yaml"
    bad.write_text("- id: ftlint\n  entry: ftlint check\n")  # no name, no language
    r = subprocess.run([PRE_COMMIT, "validate-manifest", str(bad)], capture_output=True, text=True)
    assert r.returncode != 0


@pytest.fixture(scope="module")
def tried(tmp_path_factory):
    """One real `pre-commit try-repo <this checkout> ftlint --all-files` in a scratch repository."""
    repo = tmp_path_factory.mktemp("hooked")
    home = tmp_path_factory.mktemp("pre-commit-home")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "ci")
    (repo / "clean.jsonl").write_text("".join(json.dumps(r) + "\n" for r in GOOD))
    (repo / "dirty.jsonl").write_text(json.dumps(GOOD[0]) + "\n" + '{"prompt": "broken\n' + json.dumps(GOOD[1]) + "\n")
    (repo / "notes.txt").write_text("not a dataset\n")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("FTLINT_FORMAT", None)
    env.pop("GITHUB_ACTIONS", None)
    r = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "ftlint", "--all-files", "--verbose"], cwd=repo,
                       env=env, capture_output=True, text=True, timeout=900)
    return repo, env, r


@pytest.mark.slow
def test_try_repo_fails_on_the_dirty_file(tried):
    repo, env, r = tried
    out = r.stdout + r.stderr
    assert "Using config:" in out, out  # the hook environment was built and the hook ran
    assert r.returncode == 1, out
    assert re.search(r"ftlint \(fine-tuning datasets\)\.+Failed", out), out
    assert "dirty.jsonl:2:" in out and "FT101" in out
    assert "clean.jsonl:" not in out and "notes.txt" not in out


@pytest.mark.slow
def test_try_repo_checked_the_clean_file_without_findings(tried):
    repo, env, r = tried
    # --verbose shows ftlint's own summary: both files were passed to one process (require_serial)
    assert "Found 1 finding: 1 error, 0 warnings, 0 infos (2 files, 8 records)." in r.stdout, r.stdout


def test_manifest_hook_passes_clean_and_fails_dirty(tmp_path):
    """Two real pre-commit runs of the manifest's hook definition (entry, files, require_serial) as a
    local hook, against this environment's ftlint: Passed for the clean file, Failed with the finding
    for the dirty one. Fast (no environment to build), unlike try-repo."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    exe = Path(sys.executable).with_name("ftlint")
    local = {**hook, "language": "system", "entry": hook["entry"].replace("ftlint", str(exe), 1)}
    local.pop("minimum_pre_commit_version", None)
    repo = tmp_path / "hooked"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "clean.jsonl").write_text("".join(json.dumps(r) + "\n" for r in GOOD))
    (repo / "dirty.jsonl").write_text(json.dumps(GOOD[0]) + "\n" + '{"prompt": "broken\n')
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("FTLINT_FORMAT", None)
    env.pop("GITHUB_ACTIONS", None)

    def hook_run(name):
        return subprocess.run([PRE_COMMIT, "run", "ftlint", "--files", name], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=120)

    clean = hook_run("clean.jsonl")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"ftlint \(fine-tuning datasets\)\.+Passed", clean.stdout), clean.stdout
    dirty = hook_run("dirty.jsonl")
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert re.search(r"ftlint \(fine-tuning datasets\)\.+Failed", dirty.stdout), dirty.stdout
    assert "dirty.jsonl:2:" in dirty.stdout and "FT101 [error]" in dirty.stdout
    # the manifest's `files` pattern keeps other files away from the hook
    (repo / "notes.txt").write_text("x\n")
    skipped = hook_run("notes.txt")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout
