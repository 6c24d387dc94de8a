"""Text from the data, made safe to show: what the HTML report and the review sheet print.

A record may hold a NUL, other control characters, a lone surrogate or a bidirectional override
(FT106 reports them). Written as they are, a NUL is a parse error in HTML and breaks CSV
readers, a control character moves the cursor in a terminal, and a right-to-left override makes
the text read backwards. :func:`printable` writes each as a visible escape (``\\x00``,
``\\u202e``), so the reader sees that it is there, and where; :func:`html` also escapes markup."""
from __future__ import annotations

import html as _html
import re

# C0 controls but tab/newline/CR (whitespace, flattened by the excerpt), DEL, C1 controls,
# lone surrogates, the noncharacters U+FFFE/U+FFFF, and the bidirectional embeddings,
# overrides and isolates
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(text: str) -> str:
    """``text`` with every control character, lone surrogate and bidi control written as an escape."""
    return _UNSAFE.sub(_visible, text)


def html(value: object) -> str:
    """``value`` as HTML text or attribute: markup escaped, unsafe characters made visible."""
    return _html.escape(printable(str(value)), quote=True)


def one_line(text: str) -> str:
    """:func:`printable`, and line breaks written as ``\\n`` / ``\\r``: one finding stays one line
    of terminal or log output, and no escape sequence from the data reaches the terminal."""
    return printable(text).replace("\r", "\\r").replace("\n", "\\n")


_MARKS = {" ": "\u2423", "\t": "\u21e5", "\n": "\u21b5", "\r": "\u21b5", "\u00a0": "\u237d"}


def visible_edges(text: str) -> str:
    """A label as a chart draws it: whitespace at either end shown (``billing `` is ``billing␣``),
    so two labels that differ only there are not drawn as one label twice; empty is ``(empty)``."""
    if not text:
        return "(empty)"
    core = text.strip()
    if core == text:
        return text
    start = text.find(core) if core else len(text)
    lead, trail = text[:start], text[start + len(core):]
    mark = lambda part: "".join(_MARKS.get(ch, "\u2423") for ch in part)  # noqa: E731
    return mark(lead) + core + mark(trail)


def edge_note(text: str) -> str:
    """What :func:`visible_edges` marked, in words (for a tooltip), or an empty string."""
    lead, trail = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
    if not text:
        return " (an empty label)"
    if not text.strip():
        return " (only whitespace)"
    parts = [w for w, n in (("leading", lead), ("trailing", trail)) if n]
    return f" ({' and '.join(parts)} whitespace)" if parts else ""
