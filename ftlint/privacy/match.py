"""One found value in a text."""
from __future__ import annotations

from typing import NamedTuple


class Match(NamedTuple):
    type: str  # "email", "phone", ... or "secret"
    start: int  # character offsets in the text searched
    end: int
    value: str  # the value as written; never print it: use ftlint.privacy.mask(value)
    detail: str = ""  # the scheme (national id "es.dni") or secret kind ("aws-access-key-id")
