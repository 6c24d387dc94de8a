"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; `tool.driver.rules` describes every rule that has a result (id, name, the summary as
shortDescription, the doc's "What it does" as fullDescription, the doc without examples as help, the default
level); each result carries the effective level, the message and a location with a URI relative
to `%SRCROOT%` (the working directory; a file outside it gets an absolute file:// URI and no
`uriBaseId`) and the record's line. A dataset-level finding has a location with the
file only, no region. Related records (the first copy of a duplicate) are relatedLocations."""
from __future__ import annotations

import re
from typing import Any, TextIO

from ftlint import jsonout
from ftlint._version import __version__
from ftlint.report.paths import artifact_location
from ftlint.result import Report
from ftlint.rules import REGISTRY, docs

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FAMILIES = {"FT1": "structure", "FT2": "duplicates", "FT3": "labels", "FT4": "coverage",
            "FT5": "consistency", "FT6": "target-limits", "FT7": "privacy"}


def _redact(text: str) -> str:
    """Doc text with credential- and PII-shaped strings masked (the FT7 docs name AWS's documented
    example key): a report never prints such a value, whatever its source."""
    try:
        from ftlint.privacy.mask import mask
        from ftlint.privacy.pii import find_pii
        from ftlint.privacy.secrets import find_secrets
    except ImportError:  # pragma: no cover - the privacy family absent
        return text
    found = sorted(find_secrets(text) + find_pii(text), key=lambda m: m.start, reverse=True)
    for m in found:
        text = text[:m.start] + mask(m.value, m.detail or m.type) + text[m.end:]
    return text


def rule_descriptor(code: str) -> dict[str, Any]:
    rule = REGISTRY[code]
    full = _redact(docs.section(rule, "What it does") or rule.summary)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": full, "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"tags": ["fine-tuning-data", FAMILIES.get(rule.code[:3], "ftlint")]},
    }


def _help_markdown(rule) -> str:
    """The rule's doc without its Example section: the examples stay in `ftlint rules CODE`, and a
    report never repeats sample personal data (the FT7 docs' examples) next to real findings."""
    text = _redact(docs.markdown(rule))
    return re.sub(r"^## Example\n.*?(?=^## |\Z)", "See `ftlint rules " + rule.code + "` for examples.\n\n",
                  text, flags=re.M | re.S)


def _location(path: str, line: int | None, column: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
    if line is not None:
        region = {"startLine": max(1, line)}
        if column:
            region["startColumn"] = max(1, column)
        physical["region"] = region
    return {"physicalLocation": physical}


def to_sarif(report: Report) -> dict[str, Any]:
    codes = sorted({f.code for f in report.findings})
    index = {c: i for i, c in enumerate(codes)}
    results = []
    for f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS[f.severity.value],
            "message": {"text": f.message},
            "locations": [_location(f.path, f.line, f.column)],
        }
        if f.related:
            result["relatedLocations"] = [
                {"id": i, **_location(f.path, ln), "message": {"text": f"related record (line {ln})"}}
                for i, ln in enumerate(f.related)]
        if f.data:
            result["properties"] = {"data": f.data}
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            # no informationUri: ftlint has no published home page to point at yet
            "tool": {"driver": {"name": "ftlint", "version": __version__, "semanticVersion": __version__,
                                "rules": [rule_descriptor(c) for c in codes]}},
            "columnKind": "unicodeCodePoints",
            "artifacts": [{"location": artifact_location(fi.path),
                           "properties": {"records": fi.records, "format": fi.format, "role": fi.role}}
                          for fi in report.files],
            "invocations": [{"executionSuccessful": True}],
            "results": results,
        }],
    }


def render(report: Report, out: TextIO, **_) -> None:
    jsonout.dump(to_sarif(report), out, default=str)
