"""`--statistics`: the count of findings per code, most frequent first (as ruff prints it)."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from ftlint.result import Report


def rows(report: Report) -> list[dict[str, Any]]:
    counts = Counter(f.code for f in report.findings)
    first = {}
    for f in report.findings:
        first.setdefault(f.code, f)
    return [{"code": code, "name": first[code].name, "severity": first[code].severity.value, "count": n}
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def lines(report: Report) -> list[str]:
    table = rows(report)
    width = max((len(str(r["count"])) for r in table), default=1)
    return [f"{r['count']:>{width}}  {r['code']}  {r['name']}  [{r['severity']}]" for r in table]


def render(report: Report, out: TextIO, *, as_json: bool = False, **_) -> None:
    if as_json:
        json.dump(rows(report), out, indent=2)
        out.write("\n")
        return
    for line in lines(report):
        out.write(line + "\n")
