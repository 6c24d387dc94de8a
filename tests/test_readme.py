"""The README's rule table is generated from the registry; they must agree."""
from __future__ import annotations

import re

from conftest import ROOT

from ftlint.rules import REGISTRY
from ftlint.rules.table import rule_table

BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def test_readme_rule_table_matches_registry():
    text = (ROOT / "README.md").read_text()
    assert BEGIN in text and END in text
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == rule_table().strip(), "README rule table is stale: run `python -m ftlint.rules.table --write`"


def test_readme_names_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert "ftlint check sample_data/" in text
    assert re.search(r"pytest", text)
    assert set(REGISTRY) <= set(re.findall(r"FT\d{3}", text))


# ------------------------------------------------------------------------------ the README runs
#
# Every shell command in the README runs as printed from the root of a fresh clone: each block
# alone in its own fresh copy, and every block in order in one copy. The exit code is the one
# the command's comment states ("exit 1", "refused" -> 1; "exit 2" -> 2; else 0). The setup steps
# of "The two commands" (making .venv and pip-installing into it) are what this test's own
# environment already is, so `.venv` in the copy points at this interpreter's ftlint, and the
# test-suite command is not run from inside the test suite.

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from conftest import ftlint_executable  # noqa: E402

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
SETUP = (re.compile(r"^python3 -m venv \.venv$"), re.compile(r"^\.venv/bin/pip install "))
NOT_HERE = (re.compile(r"^\.venv/bin/python -m pytest\b"),)  # the suite itself: CI runs it
DROPPED_ENV = ("FTLINT_NO_CONFIG", "FTLINT_CACHE_DIR", "FTLINT_FORMAT", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")


def readme_blocks(lang: str) -> list[tuple[int, str]]:
    text = (ROOT / "README.md").read_text()
    out = []
    for m in FENCE.finditer(text):
        if m["lang"] == lang:
            indent = len(m["indent"])
            body = "\n".join(line[indent:] for line in m["body"].splitlines())
            out.append((text[:m.start()].count("\n") + 1, body))
    return out


def _split_comment(line: str) -> tuple[str, str]:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def shell_commands(body: str) -> list[tuple[str, str]]:
    """(command, its comment) for every command of a shell block, continuation lines joined."""
    out, pending = [], ""
    for raw in body.splitlines():
        line = pending + raw
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        cmd, comment = _split_comment(line.strip())
        if cmd:
            out.append((" ".join(cmd.split()), comment))
    return out


def expected_exit(comment: str) -> int:
    if "exit 2" in comment:
        return 2
    return 1 if ("exit 1" in comment or "refused" in comment) else 0


def runnable(command: str) -> str | None:
    """The part of a command this test runs (None: nothing to run here)."""
    parts = [p.strip() for p in command.split(" && ")]
    if any(rx.search(p) for p in parts for rx in NOT_HERE):
        return None
    parts = [p for p in parts if not any(rx.search(p) for rx in SETUP)]
    return " && ".join(parts) or None


SH_BLOCKS = readme_blocks("sh")


def test_readme_shell_blocks_are_found():
    commands = [c for _, body in SH_BLOCKS for c, _ in shell_commands(body)]
    assert len(SH_BLOCKS) >= 8 and len(commands) >= 25
    # every ftlint command in a shell block names files that a fresh clone has, or that an
    # earlier command of the block writes (under build/)
    for cmd in commands:
        for word in cmd.split():
            if word.endswith(".jsonl") and not word.startswith(("build/", "-")):
                assert (ROOT / word).exists(), f"README command names a file a clone lacks: {cmd}"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The repository as a fresh clone has it (its tracked files), with `.venv` pointing at the
    interpreter and ftlint under test."""
    base = tmp_path_factory.mktemp("clone") / "ftlint"
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell which files a fresh clone holds")
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (base / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, base / name)
    venv_bin = base / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "ftlint").symlink_to(ftlint_executable())
    (venv_bin / "python").symlink_to(sys.executable)
    return base


def _fresh(pristine: Path, tmp_path: Path) -> Path:
    clone = tmp_path / "ftlint"
    shutil.copytree(pristine, clone, symlinks=True)
    return clone


def _sh(clone: Path, command: str) -> tuple[int, str]:
    """Run one README command in ``clone``: each `ftlint ...` step of an `&&` chain in this process
    (click's runner, the README's arguments as printed: starting the interpreter and importing
    numpy, pandas and scikit-learn 30 times over would cost minutes, and the console script is
    tested as a real process in test_cli.py and by `.venv/bin/ftlint` in block 1 here), every
    other step with bash. Returns the exit code of the last step run and what was printed."""
    import shlex

    from click.testing import CliRunner

    from ftlint.cli import main

    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    code, printed = 0, ""
    for step in command.split(" && "):
        if step.startswith("ftlint ") and not re.search(r"[*?$`|;<>]", step):
            here = os.getcwd()
            saved = {k: os.environ.pop(k) for k in DROPPED_ENV if k in os.environ}
            os.chdir(clone)
            try:
                r = CliRunner().invoke(main, shlex.split(step)[1:])
            finally:
                os.chdir(here)
                os.environ.update(saved)
            code, printed = r.exit_code, printed + r.output
            if r.exception is not None and not isinstance(r.exception, SystemExit):
                raise r.exception
        else:
            p = subprocess.run(["bash", "-c", step], cwd=clone, env=env, capture_output=True, text=True,
                               timeout=300, stdin=subprocess.DEVNULL)
            code, printed = p.returncode, printed + p.stdout + p.stderr
        if code != 0:
            break
    return code, printed


def _run_block(clone: Path, line: int, body: str) -> int:
    ran = 0
    for command, comment in shell_commands(body):
        todo = runnable(command)
        if todo is None:
            continue
        code, printed = _sh(clone, todo)
        assert code == expected_exit(comment), (
            f"README.md:{line}: `{command}` exited {code}, its comment says {expected_exit(comment)}\n"
            f"{printed[-3000:]}")
        assert "internal error" not in printed and "Traceback" not in printed, (command, printed[-3000:])
        ran += 1
    return ran


@pytest.mark.parametrize("line, body", SH_BLOCKS, ids=[f"README.md:{line}" for line, _ in SH_BLOCKS])
def test_readme_block_runs_alone_on_a_fresh_clone(pristine, tmp_path, line, body):
    _run_block(_fresh(pristine, tmp_path), line, body)


def test_readme_runs_in_order_on_one_fresh_clone(pristine, tmp_path):
    clone = _fresh(pristine, tmp_path)
    ran = sum(_run_block(clone, line, body) for line, body in SH_BLOCKS)
    assert ran >= 25
    # every output the README's text names (`build/...`) is what the commands wrote, by that name
    named = set(re.findall(r"`(build/[\w./-]*\w)/?`", (ROOT / "README.md").read_text()))
    assert "build/tickets.rejected.jsonl" in named and "build/tickets.manifest.json" in named
    missing = sorted(n for n in named if not (clone / n).exists())
    assert missing == [], f"the README names outputs its commands do not write: {missing}"
    # the Python blocks too, in the same clone after the shell blocks, each in a namespace of its own
    here = os.getcwd()
    os.chdir(clone)
    try:
        for line, body in readme_blocks("python"):
            exec(compile(body, f"README.md:{line}", "exec"), {"__name__": "readme"})  # noqa: S102
    finally:
        os.chdir(here)


def test_readme_validation_examples_are_realistic():
    """A README example with --validation pairs a training file with a held-out file of its own,
    as a user would: a handful of leaks at most, not the whole held-out file (passing a clean set as
    the validation file of the dirty set that contains it showed 240 leaks)."""
    import ftlint

    pairs = set()
    for _, body in SH_BLOCKS:
        for command, _ in shell_commands(body):
            words = command.split()
            if words[:2] in (["ftlint", "check"], ["ftlint", "report"], ["ftlint", "stats"]) and "--validation" in words:
                pairs.add((words[2], words[words.index("--validation") + 1]))
    pairs = {(t, v) for t, v in pairs if not t.startswith("build/")}
    assert pairs
    for train, val in sorted(pairs):
        report = ftlint.check(str(ROOT / train), validation=str(ROOT / val), select=["FT204"])
        records = report.files[1].records
        leaks = report.summary["by_code"].get("FT204", 0)
        assert leaks <= records // 2, f"{train} --validation {val}: {leaks} leaks of {records} records"


# ------------------------------------------------------------------------------ the CI recipes

def _yaml_blocks():
    import yaml

    return [(line, yaml.safe_load(body)) for line, body in readme_blocks("yaml")]


def test_ci_recipes_install_what_exists_today():
    """No recipe installs ftlint from the package index (there is no such package): each installs it
    from the repository by git+https, pinned to a commit; the pre-commit example pins a commit SHA,
    not a tag the repository does not have."""
    text = (ROOT / "README.md").read_text()
    assert not re.search(r"pip install ['\"]?ftlint(\[[\w,]+\])?['\"]?(\s|$)(?! *@)", text)
    installs = re.findall(r"pip install ((?:-\S+ )*)(['\"]?[^\s`]+)( @ git\+https://)?", text)
    assert installs
    for _, spec, git in installs:
        name = spec.strip("'\"")
        # ftlint itself only as ftlint[extra] @ git+https://..., git+https://..., a clone (-e .) or a wheel
        if name.startswith("ftlint"):
            assert name.startswith("ftlint[") and git, spec
    hooks = [doc for _, doc in _yaml_blocks() if isinstance(doc, dict) and "repos" in doc]
    (hook,) = hooks
    rev = hook["repos"][0]["rev"]
    assert isinstance(rev, str) and re.fullmatch(r"[0-9a-f]{40}", rev), rev  # a string, as pre-commit wants
    assert "no release tags" in text


def _steps(doc) -> list[str]:
    if "jobs" in doc:  # GitHub Actions
        return [s["run"] for job in doc["jobs"].values() for s in job["steps"] if "run" in s]
    return [cmd for job in doc.values() if isinstance(job, dict) for cmd in job.get("script", [])]


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_ci_recipe_commands_run(tmp_path, kind):
    """The recipes' ftlint commands, run as the CI job would in a repository with data/*.jsonl."""
    docs = [doc for _, doc in _yaml_blocks() if isinstance(doc, dict) and "repos" not in doc]
    doc = next(d for d in docs if ("jobs" in d) == (kind == "github"))
    (tmp_path / "data").mkdir()
    for name in ("support_tickets.jsonl", "product_qa.jsonl"):
        shutil.copy(ROOT / "sample_data" / name, tmp_path / "data" / name)
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env["PATH"] = f"{Path(ftlint_executable()).parent}{os.pathsep}{env.get('PATH', '')}"
    if kind == "github":
        env.update(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    steps = _steps(doc)
    assert any("git+https://github.com/OWNER/ftlint@COMMIT_SHA" in s for s in steps)
    ran = 0
    for step in steps:
        command = _split_comment(step)[0]
        if command.startswith("pip install"):
            continue  # test_git_install_recipe installs it
        r = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, (command, r.stdout[-1500:], r.stderr[-1500:])
        ran += 1
    assert ran >= 1
    if kind == "github":
        sarif = json.loads((tmp_path / "ftlint.sarif").read_text())
        assert sarif["version"] == "2.1.0"
    else:
        import xml.etree.ElementTree as ET

        assert ET.parse(tmp_path / "ftlint-junit.xml").getroot().tag == "testsuites"


def test_git_install_recipe(tmp_path):
    """The README's `pip install "ftlint[tokenizers] @ git+https://...@COMMIT_SHA"`, with this
    repository's own location and HEAD in place of the placeholders, installs ftlint."""
    text = (ROOT / "README.md").read_text()
    m = re.search(r'pip install "(ftlint\[tokenizers\] @ git\+https://github\.com/OWNER/ftlint@COMMIT_SHA)"', text)
    assert m, "the README gives no git+https install of the extra"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    spec = m[1].replace("https://github.com/OWNER/ftlint", f"file://localhost{ROOT}").replace(
        "COMMIT_SHA", head.stdout.strip())
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                        "--target", str(target), spec], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (target / "ftlint" / "__init__.py").exists()
