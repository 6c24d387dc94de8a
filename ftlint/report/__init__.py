"""Output formats: each a small function over a Report, chosen by name."""
from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ftlint.report import github, json_report, junit, sarif, text
from ftlint.result import Report

Renderer = Callable[..., None]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "json-lines": json_report.render_lines,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}


def render(name: str, report: Report, out: TextIO, **options) -> None:
    REPORTERS[name](report, out, **options)
