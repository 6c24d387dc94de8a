"""One found value in a text."""
from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple


class Match(NamedTuple):
    type: str  # "email", "phone", ... or "secret"
    start: int  # character offsets in the text searched
    end: int
    value: str  # the value as written; never print it: use ftlint.privacy.mask(value)
    detail: str = ""  # the scheme (national id "es.dni") or secret kind ("aws-access-key-id")


class TextBatch:
    """Many texts scanned together (see ftlint.privacy.pii.find_pii_batch): ``big`` is the texts
    joined by NUL characters, or None when a text holds a NUL itself (then each text is scanned on
    its own); ``starts[k]`` is where text k starts in it."""

    __slots__ = ("texts", "big", "starts", "_lower")

    def __init__(self, texts: list[str]):
        self.texts = texts
        big = "\x00".join(texts)
        self._lower: str | None | bool = False
        if big.count("\x00") != max(0, len(texts) - 1):
            self.big = self.starts = None
            return
        self.big = big
        starts = [0] * len(texts)
        pos = 0
        for k, t in enumerate(texts):
            starts[k] = pos
            pos += len(t) + 1
        self.starts = starts

    def holding(self, needle, haystack=None) -> set[int]:
        """The indices of the texts in which ``needle`` occurs, found in ``haystack``: ``big`` by
        default, or anything with the same offsets (``lower``, a translated copy of the bytes).
        One find per text that holds it: after a hit the search goes on at the next text."""
        haystack = self.big if haystack is None else haystack
        starts, n = self.starts, len(self.texts)
        found: set[int] = set()
        i = haystack.find(needle)
        while i >= 0:
            k = bisect_right(starts, i) - 1
            found.add(k)
            i = haystack.find(needle, starts[k + 1] if k + 1 < n else len(haystack))
        return found

    @property
    def lower(self) -> str | None:
        """Each text lower-cased (``str.lower``), joined like ``big``; None unless every text keeps its
        length (so that offsets agree)."""
        if self._lower is False:
            low = None
            if self.big is not None:
                if self.big.isascii():
                    low = self.big.lower()
                else:
                    low = "\x00".join([t.lower() for t in self.texts])
                    if len(low) != len(self.big):
                        low = None
            self._lower = low
        return self._lower  # type: ignore[return-value]
