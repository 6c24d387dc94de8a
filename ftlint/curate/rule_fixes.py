"""The fixes `ftlint fix` takes from the rules themselves (``Rule.fix``: mojibake's codec repair,
likely-mislabeled's relabel or drop) and the ``--repair-json`` recovery of invalid-json lines, each recorded as a
repair for the manifest."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ftlint import formats
from ftlint.finding import Finding
from ftlint.rules.curation import INVALID_JSON


def repair_json(findings: list[Finding], lines: list[bytes], fmt: str | None) -> dict[int, dict]:
    """The invalid-json lines json-repair fixes unambiguously into a valid record of the file's format."""
    from ftlint.formats.repair import repair_line

    out: dict[int, dict] = {}
    for f in findings:
        if f.code == INVALID_JSON and f.line is not None and fmt is not None and f.line <= len(lines):
            obj = repair_line(lines[f.line - 1])
            if obj is not None and formats.is_valid(fmt, obj):
                out[f.line] = obj
    return out


def rule_fixes(found: Iterable[Finding], obj: dict, fmt: str, rule_options: dict[str, dict[str, Any]],
               changed: Counter[str], repairs: list[dict[str, Any]]) -> tuple[dict | None, Any]:
    """Apply the fixes the rules offer for their findings on one record (Rule.fix): returns the
    record (None when a fix drops it) and what happened (None: nothing; (code, reason) when dropped)."""
    from ftlint.rules import REGISTRY
    from ftlint.rules.base import DROP

    what = None
    for f in found:
        rule = REGISTRY.get(f.code)
        if rule is None or rule.fix is None or f.code not in rule_options:
            continue
        result = rule.fix(f, obj, fmt, rule_options[f.code])
        if result == DROP:
            return None, (f.code, f"{f.code} {f.name}: {f.message}")
        if isinstance(result, dict) and result != obj:
            obj = result
            changed[f.code] += 1
            repairs.append({"line": f.line, "code": f.code, **_repair_note(f)})
            what = f.code
    return obj, what


def _repair_note(f: Finding) -> dict[str, Any]:
    data = f.data or {}
    return {k: data[k] for k in ("field", "before", "after", "label", "suggested") if k in data}


def fix_options(settings) -> dict[str, dict[str, Any]]:
    """The options of every selected rule that offers a fix (Rule.fix), by code."""
    from ftlint.rules import REGISTRY

    return {code: settings.options_for(code) for code in sorted(settings.selected())
            if code in REGISTRY and REGISTRY[code].fix is not None}
