"""The shape of one answer's text, as FT405 (truncated-completion), FT407 (degenerate-completion)
and FT505 (template-leftover) judge it: is it code, a list, cut off, looping?

Pure functions of strings, no rule here: each rule module keeps its own options and messages."""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

# ---------------------------------------------------------------------------- code and lists

_FENCED = re.compile(r"```.*?```", re.S)
_INLINE = re.compile(r"`[^`\n]*`")
# a line that only code writes: a statement keyword, an assignment to a name, a line ending in
# `{`, `}` or `;`, markup tags, a call, a shell block word
_CODE_LINE = re.compile(
    r"^\s*(?:(?:def|class|import|from\s+\S+\s+import|return|function|var|let|const|public|private|protected|"
    r"static|void|int|for|while|if|elif|else|try|except|catch|switch|case|#include|package|using|SELECT|INSERT|"
    r"UPDATE|CREATE|DELETE)\b.*[:{;)(]\s*$"
    r"|#!|#include\b|(?:fi|done|esac|end|then|do)\s*$|(?:echo|exit|export|print|puts|printf)\b.*"
    r"|.*;\s*(?:then|do)\s*$"
    r"|[A-Za-z_][\w.\[\]'\"]*(?:\s*,\s*[A-Za-z_][\w.\[\]'\"]*)*\s*(?:[-+*/%|&^]|//|<<|>>)?=(?!=)\s*\S"
    r"|.*[{};]\s*$"
    r"|</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?/?>"
    r"|[A-Za-z_][\w.]*\s?\(.*\)\s*;?\s*$)", re.M)
# a comment line says nothing either way (and "# Title" is a Markdown heading as often)
_COMMENT = re.compile(r"^\s*(?:#(?![!]|include)|//|/\*|\*|--\s)")


def looks_like_code(text: str) -> bool:
    """True when the text is source code rather than prose, fenced or not: at least half of its
    non-blank lines (and at least one) are lines that only code writes. Prose with an occasional
    `x = 5` stays prose; for prose around fenced blocks, ask about :func:`prose` of the text."""
    lines = [ln for ln in text.splitlines()
             if ln.strip() and not ln.lstrip().startswith("```") and not _COMMENT.match(ln)]
    if not lines:
        return False
    code = sum(1 for ln in lines if _CODE_LINE.match(_slot_as_word(ln)))
    return code >= max(1, len(lines) / 2)


def _slot_as_word(line: str) -> str:
    if not line.rstrip().endswith("}") or "=" in line or ";" in line:  # `x = {a}` is code
        return line
    return _TRAILING_SLOT.sub(" slot", line)


# a prose line that ends with a template slot ("Best regards, {agent_name}") ends with a brace
# but is not code: the slot is read as a word before the line is judged
_TRAILING_SLOT = re.compile(r"(?<![\w{$])(?:\$\{[A-Za-z_]\w{0,40}|\{\{\s*[A-Za-z_][\w.\- ]{0,40}?\s*\}|\{[A-Za-z_]\w{0,40})\}[.!?]?\s*$")


def prose(text: str) -> str:
    """The text without its closed fenced code blocks and inline code spans: what is left to read
    as sentences."""
    if "`" not in text:
        return text
    return _INLINE.sub(" ", _FENCED.sub(" ", text))


_ITEM_LINE = re.compile(r"^\s*(?:[-*•+]\s+|\(?\d{1,3}[.):]\s*|\(?[A-Za-z][.)]\s+|[^\s:][^:\n]{0,48}:\s+\S)")
_INLINE_SEP = re.compile(r"\s*[,;]\s*")


def is_list(text: str) -> bool:
    """An enumeration: its last line and at least one other are list items (a bullet, a number,
    or `key: value`), or it is one line of at least three short items separated by commas or
    semicolons (`Sled: Sit On, Skis: Stand On, Chair: Sit On`)."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) >= 2 and _ITEM_LINE.match(lines[-1]):
        return sum(1 for ln in lines if _ITEM_LINE.match(ln)) >= 2
    if len(lines) == 1:
        items = [i for i in _INLINE_SEP.split(lines[0]) if i]
        return len(items) >= 3 and all(len(i.split()) <= 4 for i in items)
    return False


def last_item(text: str) -> str:
    """The last list item's text (its marker removed)."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    last = lines[-1] if lines else ""
    if len(lines) == 1:
        last = _INLINE_SEP.split(last)[-1]
    return re.sub(r"^\s*(?:[-*•+]|\(?\d{1,3}[.):]|\(?[A-Za-z][.)])\s*", "", last)


# ---------------------------------------------------------------------------- FT405

TERMINAL = set(".!?…。！？:;)]}\"'`*_>|~%") | {"\u201d", "\u2019", "\u00bb"}
# words a sentence (almost) never ends on; "so", "that", "on", "in", "is", "at", "by"... do end
# sentences in speech ("I think so", "like that", "get back on": chitchat's answers)
_DANGLING = frozenset("a an the and or but to of for with from if because your my our their these than".split())
_QUOTE_PAIRS = (("\u201c", "\u201d"),)
_WORD = re.compile(r"\w+", re.UNICODE)
# an inch or seconds mark (24", 12") is not a quote: a number standing alone, then the mark
_MEASURE_QUOTE = re.compile(r"(?:(?<=[\s>(])|^)\d+(?:\.\d+)?\"", re.M)
# each bracket with its closer and the emoticons (":(", "(:") that open nothing
_BRACKETS = tuple((o, c, (":" + o, ";" + o, o + ":", o + ";")) for o, c in (("(", ")"), ("[", "]"), ("{", "}")))
# the last item of a list is judged for a dangling word only when it is a phrase this long
LIST_ITEM_WORDS = 5


def truncation(text: str, min_words: int, gate: bool) -> str | None:
    """Why the text looks cut off, or None. Code and lists are complete answers: a code answer
    is judged only for an open fence; a list needs no closing punctuation, and its last item
    (`5. Biomass energy`, `Skis: Stand On`) is judged for a dangling word only when it is a long
    phrase."""
    if text.count("```") % 2:
        return "leaves a code fence (```) open"
    stripped = text.rstrip()
    if stripped.endswith("```"):
        return None
    why = _cut(stripped, min_words, gate)
    # asked only of the few texts that look cut: most answers end with a period and no open bracket
    return None if why is None or looks_like_code(prose(stripped)) else why


def _cut(stripped: str, min_words: int, gate: bool) -> str | None:
    body = prose(stripped)
    for open_, close, faces in _BRACKETS:
        if open_ in body:  # most answers hold no bracket: one scan instead of six
            opens = body.count(open_) - sum(body.count(f) for f in faces)
            if opens > body.count(close):
                return f"leaves a {open_!r} unclosed"
    quotes = body.count('"')
    if quotes % 2 and (quotes - len(_MEASURE_QUOTE.findall(body))) % 2 and '""' not in body:
        return "leaves a double quote unclosed"
    for open_, close in _QUOTE_PAIRS:
        if body.count(open_) > body.count(close):
            return f"leaves a {open_} quote unclosed"
    if not stripped or stripped[-1] in TERMINAL or not (stripped[-1].isalnum() or stripped[-1] in ",-"):
        return None
    if len(stripped.split()) < min_words:
        return None
    if stripped[-1] in ",-":
        return f"ends with {stripped[-1]!r}"
    listed = is_list(stripped)
    tail = last_item(stripped) if listed else stripped
    words = _WORD.findall(tail[-60:])
    if words and words[-1].lower() in _DANGLING and not (listed and len(tail.split()) < LIST_ITEM_WORDS):
        at = tail.rstrip()[: -len(words[-1])].rstrip()
        # a capital article in mid-sentence ("... quick The") is not where a cut lands
        if not (words[-1][0].isupper() and at and at[-1] not in ".!?\n:"):
            return f"ends mid-sentence on {words[-1]!r}"
    if gate and not listed:
        return "ends without closing punctuation, unlike the file's other completions"
    return None


# ---------------------------------------------------------------------------- FT407

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# words, and runs of punctuation: "banana!Eat" is three tokens, so a unit repeated without a space
# between its copies is still found
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_LIST_SEP = re.compile(r"[,;\n]")
MAX_UNIT = 30  # tokens: the longest unit looked for (a long sentence)
MIN_SHARE = 0.3  # of the text's tokens a repetition must cover (or run to the end of the text)


def repetition(text: str, min_repeats: int, prompt: str = "") -> tuple[str, int] | None:
    """(unit, count) when the text repeats one unit `min_repeats` times in a row, or one sentence
    of three or more words `min_repeats - 1` times anywhere, and the repetition makes up a good
    part of the text; None otherwise. The unit is the text as written ("Eat a banana!"), starting
    at a sentence start where one is in reach, and the count is the number of copies.

    Not repetition: code (loops and markup repeat by nature); a list of short labels no longer
    than the list the prompt asks about ("even, odd, even, odd" for six numbers)."""
    words = text.lower().split()
    if len(words) < 8 or len(set(words)) > 0.6 * len(words):
        return None  # the common answer: mostly distinct words, nothing to look for
    text = prose(text)
    if looks_like_code(text):
        return None
    found = _run(text, min_repeats, prompt)
    sentence = _repeated_sentence(text, min_repeats)
    if sentence and (found is None or sentence[1] > found[1]):
        return sentence
    return found


def _run(text: str, min_repeats: int, prompt: str) -> tuple[str, int] | None:
    matches = list(_TOKEN.finditer(text))
    n_tok = len(matches)
    if n_tok < 8:
        return None
    vocab: dict[str, int] = {}
    ids = np.fromiter((vocab.setdefault(m.group().lower(), len(vocab)) for m in matches), dtype=np.int64, count=n_tok)
    # for every period p at once: same[p-1, j] is ids[j] == ids[j + p]; the longest run of equal
    # comparisons in row p, plus p, is the number of tokens its copies cover
    periods = min(MAX_UNIT, n_tok // min_repeats)
    if periods < 1:
        return None
    padded = np.concatenate((ids, np.full(periods, -1, dtype=np.int64)))
    window = np.lib.stride_tricks.sliding_window_view(padded, periods + 1)[:n_tok]
    same = (window[:, 1:] == window[:, :1]).T
    seen = np.cumsum(same, axis=1)
    run = seen - np.maximum.accumulate(np.where(same, 0, seen), axis=1)  # run length ending at each j
    last = run.argmax(axis=1)
    longest = run[np.arange(periods), last]
    unit = np.arange(1, periods + 1)
    spans = longest + unit
    ok = (spans // unit >= min_repeats) & (spans >= 8)
    if not ok.any():
        return None
    # the widest cover wins; of equal ones the shortest unit (a multiple of the period covers as much)
    k = int(np.argmax(np.where(ok, spans * (MAX_UNIT + 1) - unit, -1)))
    span, n, start = int(spans[k]), k + 1, int(last[k] - longest[k] + 1)
    end = start + span  # one past the last token covered
    if span < MIN_SHARE * n_tok and end < n_tok - 2:
        return None  # a short passage inside a longer answer ("1 plus 1 plus 1 plus 1 equals 4")
    shift = _sentence_start(text, matches, start, n)
    if (span - shift) // n >= min_repeats:
        start, span = start + shift, span - shift
    count = span // n
    last = start + count * n - 1
    if span % n == n - 1 and not matches[start + n - 1].group()[0].isalnum():
        count += 1  # the last copy lacks only its separator ("even, odd, even, odd")
        last += n - 1
    region = text[matches[start].start():matches[last].end()]
    if _label_list(region, count, text, prompt):
        return None
    unit = text[matches[start].start():matches[start + n - 1].end()].strip().rstrip(",;").rstrip()
    return unit, count


def _sentence_start(text: str, matches, start: int, n: int) -> int:
    """How many tokens to move the unit's start so that it begins a sentence (after . ! ? or a
    line break, or with a capital letter), within one unit; 0 when none is in reach."""
    for shift in range(n):
        i = start + shift
        if i == 0:
            return shift
        before = text[matches[i - 1].start():matches[i].start()]
        if re.search(r"[.!?]\s*$|\n", before):
            return shift
    for shift in range(n):
        if matches[start + shift].group()[:1].isupper():
            return shift
    return 0


def _label_list(region: str, count: int, text: str, prompt: str) -> bool:
    """The repetition is a list of short labels ('water', 'not water'; even, odd) and the answer
    has no more items than the prompt enumerates: an answer per item, not a loop."""
    items = [i for i in _LIST_SEP.split(region) if i.strip()]
    if len(items) < count or any(len(i.split()) > 3 for i in items):
        return False
    asked = sum(1 for i in _LIST_SEP.split(prompt) if i.strip())
    answered = sum(1 for i in _LIST_SEP.split(text) if i.strip())
    return answered <= asked + 1


def _repeated_sentence(text: str, min_repeats: int) -> tuple[str, int] | None:
    written: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for s in _SENTENCE.split(text):
        s = s.strip()
        if len(s.split()) >= 3:
            key = s.lower()
            written.setdefault(key, s)
            counts[key] += 1
    if not counts:
        return None
    key, count = counts.most_common(1)[0]
    if count < min_repeats - 1 or count * len(key.split()) < MIN_SHARE * len(text.split()):
        return None
    return written[key], count
