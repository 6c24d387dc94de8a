"""The JSON report (a public contract, schemas/report.schema.json) and JSON Lines."""
from __future__ import annotations

import json
from typing import TextIO

from ftlint import jsonout
from ftlint.result import Report


def render(report: Report, out: TextIO, **_) -> None:
    jsonout.dump(report.to_dict(), out)


def render_lines(report: Report, out: TextIO, **_) -> None:
    for f in report.findings:
        out.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
