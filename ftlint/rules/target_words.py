"""How the FT6 rules (ftlint.rules.limits and its siblings) write a target and its figures in
messages, in one place so that every limit message reads the same ("1,000", "nova-lite (Amazon
Nova Lite)", "8 to 20,000")."""
from __future__ import annotations


def figure(value: int) -> str:
    return f"{value:,}"


def who(p) -> str:
    return f"{p.key} ({p.name})"


def bounds(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{figure(lo)} to {figure(hi)}"
    return f"at least {figure(lo)}" if lo is not None else f"at most {figure(hi)}"
