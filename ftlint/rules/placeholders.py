"""Placeholder text, as FT503 (placeholder-value: a whole value such as `N/A`) and FT505
(template-leftover: an unfilled slot such as `{name}` inside a text) find it. Pure functions of
strings; the rules in ftlint.rules.consistency keep the options and messages."""
from __future__ import annotations

import re

# FT503: a whole value that stands for "nothing"
WHOLE_PLACEHOLDER = re.compile(r"^[\s\"'`]*[<(\[{]*\s*(?:n/?a|none|null|nil|empty|no[ _-]?input|not applicable|"
                               r"tbd|todo|placeholder|undefined|-+|\.\.\.|…|\?+)\s*[>)\]}]*[\s.\"'`]*$", re.I)

# FT505: the slot kinds, each with the pattern that finds it. "brace" kinds are the syntax of
# code and templates, so they are not judged in code.
_HTML = ("A|ABBR|B|BODY|BR|BUTTON|CODE|DIV|EM|FORM|H[1-6]|HEAD|HR|HTML|I|IMG|INPUT|LI|LINK|META|OL|OPTION|P|PRE|"
         "SCRIPT|SELECT|SPAN|STRONG|STYLE|TABLE|TBODY|TD|TEXTAREA|TH|THEAD|TITLE|TR|U|UL")
SLOTS: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("{{var}}", True, re.compile(r"\{\{\s*[A-Za-z_][\w.\- ]{0,40}?\s*\}\}")),
    # two characters at least, and not after a word, `^` or `\`: LaTeX (`\text{cm}`, `x^{th}`) is not a slot
    ("{name}", True, re.compile(r"(?<![{$\w^\\])\{[A-Za-z_]\w{1,40}\}(?!\})")),
    ("${VAR}", True, re.compile(r"\$\{[A-Za-z_]\w{0,40}\}")),
    ("$VARIABLE", True, re.compile(r"(?<![\w$])\$(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|NAME|VARIABLE|PLACEHOLDER|INPUT|OUTPUT|"
                                   r"QUESTION|ANSWER|CONTEXT|TEXT|USER|PROMPT|QUERY)\b")),
    ("<PLACEHOLDER>", False, re.compile(rf"<(?!/?(?:{_HTML})\b)(?:[A-Z][A-Z0-9]*(?:[_ ][A-Z0-9]+)*"
                                        r"|(?i:placeholder|insert[^<>\n]{0,40}|your[ _][^<>\n]{1,40}))>")),
    ("[INSERT ...]", False, re.compile(r"\[(?i:insert|add|enter|fill in|put|your|placeholder)\b[^\]\n]{0,60}\]")),
    # a marker ("TODO: ...", "[TODO]", a lone TODO), not the noun of "a TODO list app"
    ("TODO", True, re.compile(r"\b(?:TODO|FIXME)\b(?=\s*[:\])\-]|\s*$)", re.M)),
    ("lorem ipsum", False, re.compile(r"\blorem ipsum\b", re.I)),
)
_FENCED = re.compile(r"```.*?```", re.S)
_INLINE = re.compile(r"`[^`\n]*`")


# a slot that the text talks about ("variables, e.g. {{client_name}}", "a field such as
# [Your Name]", "'{name}'") is a mention, not a leftover
_MENTION = re.compile(r"(?:\be\.g\.|\bi\.e\.|\bsuch as|\blike|\bfor (?:example|instance)|\bcalled|\bnamed|"
                      r"\bvariables?|\bplaceholders?|\bsyntax)[\s,:]*[\"'\u201c\u2018]?$", re.I)
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def _mentioned(text: str, m: re.Match[str]) -> bool:
    start, end = m.start(), m.end()
    before = text[start - 1:start] if start else ""
    if before in _QUOTES and text[end:end + 1] == _QUOTES[before]:
        return True
    return _MENTION.search(text, max(0, start - 24), start) is not None


def slots(text: str, code: bool) -> list[tuple[str, str]]:
    """(kind, text) of every unfilled slot in ``text``, in order; with ``code`` true (the text, or
    the file's answers, are code) the kinds that are code syntax (braces, `$VAR`, `TODO`
    comments) are not looked for. Text inside code fences and inline code is never judged."""
    # every slot holds one of these; str's own scans are 5x faster than one regex alternation
    # every slot holds one of these; str's own scans are 5x faster than one regex alternation
    # ("orem" finds "Lorem" and "lorem"; "LOREM IPSUM" in capitals is left out for speed)
    if not ("{" in text or "<" in text or "[" in text or "$" in text or "TODO" in text or "FIXME" in text
            or "orem" in text):
        return []
    if "`" in text:
        text = _INLINE.sub(" ", _FENCED.sub(" ", text))
    found: list[tuple[int, str, str]] = []
    for kind, syntax, pattern in SLOTS:
        if code and syntax:
            continue
        found.extend((m.start(), kind, m.group()) for m in pattern.finditer(text) if not _mentioned(text, m))
    return [(kind, hit) for _, kind, hit in sorted(found)]
