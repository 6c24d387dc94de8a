"""The README's rule table, generated from the registry (`python -m ftlint.rules.table --write`)."""
from __future__ import annotations

import sys
from pathlib import Path

from ftlint.rules import REGISTRY

BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def rule_table() -> str:
    rows = ["| code | name | severity | what |", "|---|---|---|---|"]
    for r in REGISTRY.values():
        note = " (with `--target`)" if r.needs_target else ""
        note += "" if r.default else f" (opt-in: `--extend-select {r.code}`)"
        rows.append(f"| {r.code} | {r.name} | {r.severity.value} | {r.summary.replace('|', '/')}{note} |")
    return "\n".join(rows) + "\n"


def write(readme: Path) -> None:
    text = readme.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{rule_table()}{END}{tail}")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write(Path(__file__).resolve().parents[2] / "README.md")
    else:
        sys.stdout.write(rule_table())
