"""The one way a record is quoted (the HTML report, the review sheet): PII and secrets masked by
the FT7 family's redaction (ftlint.curate.redact), then flattened to one line, control
characters written as escapes (ftlint.report.escape) and cut."""
from __future__ import annotations

from ftlint.curate.redact import redact_text
from ftlint.example import Example
from ftlint.report.escape import printable

EXCERPT_WIDTH = 200
MASKED_BY = "ftlint's FT7 PII and secret detectors"


def excerpt(text: str, width: int = EXCERPT_WIDTH) -> str:
    """``text`` with PII and secrets masked, whitespace runs collapsed, control characters written
    as escapes, cut to ``width`` characters."""
    masked = redact_text(text)[0]
    flat = printable(" ".join(masked.split()))  # a NUL or an override shows as \x00 / \u202e
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def example_text(example: Example) -> str:
    """What an excerpt of a valid record shows: the prompt, then the completion."""
    if example.completion:
        return f"{example.prompt} \u2192 {example.completion}"
    return example.prompt or example.text
