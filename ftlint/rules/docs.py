"""A rule's user doc: rendered for `ftlint rules CODE`, and its examples extracted so that the
bad and good JSONL in every doc run as tests (the doc is the example is the test).

Example fences are tagged: ```` ```jsonl bad ```` / ```` ```jsonl good ```` hold the checked
file; ```` ```jsonl bad validation ```` a validation file for pair rules; `key=value` words
set options (``target=nova-lite`` sets the target; ``compress=gzip`` writes the example gzip-compressed)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ftlint.rules.base import Rule

# The severity policy, printed by `ftlint rules` and quoted in the README: an error must be true on
# real data, so everything that only probably hurts is a warning with its figures.
POLICY = {
    "error": "the job will be rejected (format, schema, encoding, limits), or the model will be trained "
             "on something plainly wrong (one prompt with different answers, a verbatim validation leak, "
             "a real credential, an empty required field).",
    "warning": "probably harmful and worth a person's look (near duplicates, near leaks, imbalance, "
               "template leftovers, outliers).",
    "info": "statistics and advice.",
}

_FENCE = re.compile(r"^```jsonl ([^\n]*)\n(.*?)^```", re.M | re.S)


@dataclass
class DocExample:
    kind: str  # "bad" | "good"
    text: str
    validation: str | None = None
    options: dict[str, str] = field(default_factory=dict)


def examples(rule: Rule) -> list[DocExample]:
    found: list[DocExample] = []
    for m in _FENCE.finditer(rule.doc):
        words = m.group(1).split()
        kind = words[0]
        opts = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        if "validation" in words[1:]:
            for ex in reversed(found):
                if ex.kind == kind:
                    ex.validation = m.group(2)
                    break
            continue
        found.append(DocExample(kind, m.group(2), options=opts))
    return found


def markdown(rule: Rule) -> str:
    level = rule.severity.value
    because = f", because {rule.why.rstrip('.')}." if rule.why else "."
    lines = [f"# {rule.name} ({rule.code})", "", f"Default severity: **{level}**{because} {rule.summary}", "",
             f"Under ftlint's severity policy, {level} means: {POLICY[level]} Change it with "
             f"`[tool.ftlint.rules.{rule.code}] severity = ...` or the `warnings` list.", ""]
    if rule.needs_target:
        lines += ["Runs only with `--target MODEL`.", ""]
    if not rule.default:
        lines += [f"Opt-in: runs only when selected (`--extend-select {rule.code}`).", ""]
    lines.append(rule.doc.strip())
    if rule.options:
        lines += ["", "## Options", "", f"Set under `[tool.ftlint.rules.{rule.code}]` or with "
                  f"`--option {rule.code}.NAME=VALUE`.", "", "| option | default | meaning |", "|---|---|---|"]
        for name, opt in rule.options.items():
            lines.append(f"| `{name}` | `{_show(opt.default)}` | {opt.help} |")
    return "\n".join(lines) + "\n"


def to_dict(rule: Rule, *, full: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {"code": rule.code, "name": rule.name, "severity": rule.severity.value,
                         "summary": rule.summary, "why": rule.why, "scope": rule.scope, "needs_target": rule.needs_target}
    if full:
        d["doc"] = markdown(rule)
        d["options"] = {k: {"default": o.default, "help": o.help} for k, o in rule.options.items()}
    return d


def section(rule: Rule, title: str) -> str:
    """The text under `## title` in the doc ('' if none): SARIF and HTML reuse it."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", rule.doc, re.M | re.S)
    return m.group(1).strip() if m else ""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)
