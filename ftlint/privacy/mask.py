"""Masking: what ftlint prints instead of a found value.

A masked value keeps its type and at most the last four characters (fewer for short values, so
that at least three quarters of a value always stay hidden); the hidden part is always four
stars, so the value's length is not revealed either. Rules use it for every message and ``data``
field; other rules that quote a record (an excerpt) should pass found values through it too."""
from __future__ import annotations


def mask(value: str, type: str = "") -> str:  # noqa: A002 - the word users see
    """``type`` then ``****`` then the last few characters of ``value`` (none if it is short).

    >>> mask("jordan.miles@example.com", "email")
    'email ****.com'
    >>> mask("AKIAIOSFODNN7EXAMPLE", "aws-access-key-id")
    'aws-access-key-id ****MPLE'
    >>> mask("4111 1111 1111 1111", "card")
    'card ****1111'
    >>> mask("hunter22")
    '****22'
    """
    compact = "".join(value.split())
    keep = min(4, len(compact) // 4)
    tail = compact[-keep:] if keep else ""
    masked = "****" + tail
    return f"{type} {masked}" if type else masked
