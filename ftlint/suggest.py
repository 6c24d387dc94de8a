"""'Did you mean ...?' for a name the user mistyped: a rule code or name, a target, a config key,
a rule option. difflib's ratio over the known names, case-insensitive."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def close(word: str, known: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known names closest to ``word`` (best first), in their own spelling."""
    by_lower: dict[str, str] = {}
    for k in known:
        by_lower.setdefault(k.lower(), k)
    return [by_lower[m] for m in difflib.get_close_matches(word.strip().lower(), list(by_lower), n=n, cutoff=cutoff)]


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``" (did you mean 'FT202'?)"`` or ``" (did you mean 'a', 'b' or 'c'?)"``; empty when nothing is close."""
    found = close(word, known)
    if not found:
        return ""
    quoted = [repr(x) for x in found]
    text = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {text}?)"
