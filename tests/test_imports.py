"""The import graph of ftlint/, read from the source (ast; every import, at the top or inside a
function): no cycles, no importlib.import_module, a CLI whose commands import the library and the
shared option modules only."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ftlint"

# Cycles not broken yet, each named by its modules (none left: the MinHash constants the compiled
# loop needs live in artifacts.shingles, a leaf).
ALLOWED_CYCLES: list[frozenset[str]] = []

# CLI modules a command may import (besides the library): the shared options
SHARED_CLI = {"ftlint.cli.options", "ftlint.cli.job_options"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The ftlint modules ``name`` imports: ``from ftlint.x import y`` is ftlint.x.y when that is a
    module, else ftlint.x (a name defined in it)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.name
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    found.add(f"{base}.{alias.name}")
                elif base in MODULES:
                    found.add(base)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path that comes back to its start) per strongly connected component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan; the graph is small enough for recursion
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_path_in(comp, graph) for comp in components]


def _path_in(comp: set[str], graph: dict[str, set[str]]) -> list[str]:
    start = min(comp)
    trail, seen = [start], {start}
    while True:  # inside a strongly connected component every walk can get back to the start
        here = trail[-1]
        nxt = sorted(w for w in graph[here] if w in comp)
        if start in nxt and len(trail) > 1:
            return trail + [start]
        step = next((w for w in nxt if w not in seen), None) or nxt[0]
        if step in seen:  # closed a loop without the start: report that loop
            return trail[trail.index(step):] + [step]
        trail.append(step)
        seen.add(step)


def test_the_walker_sees_imports_and_cycles():
    assert "ftlint.settings" in GRAPH["ftlint.engine"] and "ftlint.cli.options" in GRAPH["ftlint.cli.check"]
    assert "ftlint.curate.redact" in GRAPH["ftlint.report.excerpt"]
    toy = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(toy) == [["a", "b", "c", "a"]]


def test_no_import_cycles():
    cycles = [c for c in _cycles(GRAPH) if frozenset(c) not in ALLOWED_CYCLES]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_allowed_cycles_still_exist():
    """An allowed cycle that is gone is taken off the list (so that it cannot come back)."""
    present = {frozenset(c) for c in _cycles(GRAPH)}
    assert [sorted(c) for c in ALLOWED_CYCLES if c not in present] == []


def test_no_import_module_anywhere():
    hits = [f"{p.relative_to(PACKAGE.parent)}:{n}" for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if "import_module" in line]
    assert hits == []


def test_commands_import_the_library_and_the_shared_options_only():
    group = {"ftlint.cli", "ftlint.cli.main", "ftlint.cli.__main__"}
    for name, deps in GRAPH.items():
        if name.startswith("ftlint.cli.") and name not in group:
            cli = {d for d in deps if d == "ftlint.cli" or d.startswith("ftlint.cli.")}
            assert cli <= SHARED_CLI, f"{name} imports {sorted(cli - SHARED_CLI)}"
        elif not name.startswith("ftlint.cli") and name != "ftlint.__main__":
            assert not any(d.startswith("ftlint.cli") for d in deps), f"{name} imports the CLI"


def test_version_is_a_leaf():
    assert GRAPH["ftlint._version"] == set()
    readers = [n for n, deps in GRAPH.items() if "ftlint" in deps and n != "ftlint.__main__"]
    assert readers == [], f"import the package __init__ (and the whole API with it): {readers}"
