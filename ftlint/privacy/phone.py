"""Whether a number candidate of ftlint.privacy.pii is a phone number.

A number with a country code (``+44 20 7946 0958``, ``0044 ...``) needs only to be valid for its
country. One without needs evidence, because most long numbers in text are not phone numbers
(sums in a worked answer, ids, amounts, lists):

- **introduced as a phone number** ("call", "phone", "text me", "my number is"): valid for one
  of the regions (phonenumbers' metadata), written in any grouping;
- **otherwise**, it must be written in a way phonenumbers accepts for that region at its
  ``STRICT_GROUPING`` leniency (the digit groups of the written number keep the groups of the
  region's own format: ``(415) 555-0142``, ``020 7946 0958``, ``01 42 68 53 00``, or one block
  ``4155550142``), and a bare block of digits needs a weaker word ("number", "contact", "at").

Arithmetic is never a phone number: a number right before ``=`` or after ``=`` / ``<<``, or with
an operator and another number on either side (``100-50-30-15=5``, ``450,000 - 2000 =``).
"""
from __future__ import annotations

import re
from functools import lru_cache

# what a number candidate holds besides digits (separators, "+", an extension's "x"/"ext")
ONLY_DIGITS = str.maketrans("", "", " ().-/+xtenso\u00a0")

# the words just before a number written without a country code: words that introduce a phone
# number (strong), may introduce one (weak) or introduce an id. The first alternatives are
# matched at the start of a token (after leading punctuation: "calling", "(ref", "no."), the
# others anywhere in it ("telephone", "reorder", "zipcode", "phonenumber"), as the word-boundary
# and plain parts of the old window regexes did.
_CONTEXT_WORD = re.compile(
    r"(?P<strong>tel\b|call|cell|sms|ph\.|.*?(?:phone|mobile|fax|whats ?app|☎|📞))"
    r"|(?P<both>no\.)"
    r"|(?P<id>ref|id|#|po|.*?(?:order|invoice|ticket|sku|tracking|case|quote|receipt|serial|part|account|customer"
    r"|contract|policy|build|version|item|code))"
    r"|(?P<weak>at|.*?(?:number|contact))")
_LEAD = "\"'([{<«“‘¿¡*_/-.,;:!?¬|=~`"  # stripped from the start of a word before it is compared
# "my number", "her number": a weak word made strong by the possessive before it
_POSSESSIVES = frozenset(("my", "your", "our", "his", "her", "their", "mon", "mi", "meine", "mein"))

# one of these before a number (after an optional space) with a number before it, or after it
# with a number after it, makes it a term of a sum; "=" alone suffices after it, and before it
# when a number, ")" or ">" precedes (not "phone=4155550142")
_OPERATORS = frozenset("+-*/×÷x^–−")
_AFTER_TERM = frozenset("0123456789($€£¥.")
_BEFORE_TERM = frozenset("0123456789)%>=")

# how sure a number without a country code is to be a phone number (national_phone_evidence)
NOT_PHONE, GROUPED, INTRODUCED = 0, 1, 2


def arithmetic(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a term of a calculation: ``=`` right after it, ``=`` or ``<<`` right
    before it (after a number), or an operator between it and another number."""
    j = end + 1 if text[end:end + 1] == " " else end
    c = text[j:j + 1]
    if c == "=":
        return True
    if c in _OPERATORS and c:
        k = j + 1
        if text[k:k + 1] == " ":
            k += 1
        if text[k:k + 1] in _AFTER_TERM and text[k:k + 1]:
            return True
    i = start - 1
    if i >= 0 and text[i] == " ":
        i -= 1
    if i < 0:
        return False
    c = text[i]
    if c == "<" and text[i - 1:i] == "<":
        return True
    if c == "=" or c in _OPERATORS:
        i -= 1
        if i >= 0 and text[i] == " ":
            i -= 1
        return i >= 0 and text[i] in _BEFORE_TERM
    return False


def national_phone_evidence(text: str, start: int, value: str, digits: str) -> int:
    """For a number without a country code: NOT_PHONE (fewer than 9 digits, an id word before it,
    "order number 4155550142"; or an unformatted block of digits without a word that introduces
    a phone number), INTRODUCED (a word such as "call", "phone", "my number" before it: validity
    for a region suffices) or GROUPED (formatted, or a bare block after "number" or "at": it must
    also be grouped as the region writes its numbers)."""
    if len(digits) < 9:
        return NOT_PHONE
    if "." in value and not dotted_phone(value):
        return NOT_PHONE
    strong, id_word, weak = _context(text, start)
    if id_word >= 0 and not strong > id_word:
        return NOT_PHONE  # "order number 4155550142", "Reference 851-158-232"
    if strong >= 0:
        return INTRODUCED
    formatted = not value.isdigit() and any(c in value for c in " -.()")
    if not (formatted or weak) or _in_number_list(text, start, start + len(value)):
        return NOT_PHONE
    return GROUPED


def _in_number_list(text: str, start: int, end: int) -> bool:
    """A short number (1-4 digits) and a list separator ("," ";" "and" "or" "&") just before or
    just after: "599, 439 and 88 49 78 99 30" is a list of numbers, not a phone number."""
    m = _LIST_BEFORE.search(text, max(0, start - 16), start)
    return m is not None or _LIST_AFTER.match(text, end) is not None


_LIST_BEFORE = re.compile(r"(?<![\w.,-])\d{1,4}(?:[.,]\d+)?\s?(?:[,;&]|\s(?:and|or|und|et|y|e)\s?)\s?$", re.I)
_LIST_AFTER = re.compile(r"\s?(?:[,;&]|\s(?:and|or|und|et|y|e)\s)\s?\d{1,4}(?:[.,]\d+)?(?=\s?(?:[,;.!?)]|$|and\b|or\b))", re.I)


def dummy_phone(digits: str) -> bool:
    """A number nobody has: one digit repeated (9999999999) or digits in sequence (1234567890,
    987654321), the placeholders of forms and code samples."""
    return len(set(digits)) == 1 or digits in _ASCENDING or digits in _DESCENDING


_ASCENDING = "01234567890123456789"
_DESCENDING = _ASCENDING[::-1]


def dotted_phone(value: str) -> bool:
    # 415.555.0142 or 01.23.45.67.89, not an amount (1234567.89) or a dotted id with long groups
    groups = value.split(".")
    return len(groups) >= 3 and all(1 <= len(g.strip("() ")) <= 4 for g in groups)


def _context(text: str, start: int) -> tuple[int, int, bool]:
    """What the last words before ``start`` say: the position among them of the first word that
    introduces a phone number (a strong word followed by at most three more words) and of the
    first that introduces an id (at most two more), -1 for none, and whether a weak phone word
    ("number", "contact", "at") is followed by at most two. Words are counted as the regex
    ``\\w+`` counts them ("7-6.645" is three). Dictionary lookups (each distinct whitespace-
    separated token is classified once and remembered), not a regex over the window: this runs
    for every long number without a country code."""
    tokens = text[max(0, start - 40):start].lower().split()[-5:]
    infos = _TOKENS
    strong = id_word = -1
    weak = False
    after = 0  # words after the current token
    for i in range(len(tokens) - 1, -1, -1):
        info = infos.get(tokens[i])
        if info is None:
            info = _token_info(tokens[i])
        kind, runs = info
        if kind is not None:
            more = after + (runs - 1 if runs > 1 else 0)  # words after the keyword's own
            if kind == "strong":
                if more <= 3:
                    strong = i
            elif kind == "me":
                if more <= 3 and i and _token_info(tokens[i - 1])[0] == "text":
                    strong = i - 1  # "text me", "reach me"
            elif kind != "text" and more <= 2:
                if kind == "weak" and i and tokens[i - 1] in _POSSESSIVES and tokens[i].rstrip(".,:;!?") == "number":
                    strong = i - 1  # "my number is", "her number:"
                if kind != "weak":
                    id_word = i
                if kind != "id":
                    weak = True
        after += runs
    return strong, id_word, weak


_TOKENS: dict[str, tuple[str | None, int]] = {}
_WORD_RUN = re.compile(r"\w+")


def _token_info(token: str) -> tuple[str | None, int]:
    """What a lower-cased token is to _context (a keyword kind or None) and how many words it holds."""
    info = _TOKENS.get(token)
    if info is not None:
        return info
    m = _CONTEXT_WORD.match(token.lstrip(_LEAD) or token)
    if m is not None:
        kind = m.lastgroup
    else:
        bare = token.rstrip(".,:;!?")
        kind = "me" if bare == "me" else "text" if bare.endswith(("text", "reach")) else None
    info = (kind, 1 if token.isalnum() else len(_WORD_RUN.findall(token)))
    if len(_TOKENS) >= 50_000:
        _TOKENS.clear()  # a bound for texts with endless distinct tokens (ids, hashes)
    _TOKENS[token] = info
    return info


@lru_cache(maxsize=64)
def _screen(region: str):
    """A cheap first test for a region: the national number (after the trunk prefix) must match
    the region's general number pattern from the phonenumbers metadata. parse() plus
    is_valid_number() cost about 150 us; this regex costs about 1 us and rejects most ids."""
    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        return None
    pattern = re.compile(meta.general_desc.national_number_pattern)
    prefix = meta.national_prefix or ""

    def possible(digits: str) -> bool:
        if prefix and digits.startswith(prefix) and pattern.fullmatch(digits[len(prefix):]):
            return True
        return pattern.fullmatch(digits) is not None

    return possible


@lru_cache(maxsize=4096)
def valid_region(value: str, regions: tuple[str, ...] | None, grouped: bool = False) -> str | None:
    """The region ``value`` is a valid phone number of (None: with its own country code), trying
    ``regions`` in order; with ``grouped``, only a region in which it is also written with the
    region's grouping (phonenumbers' STRICT_GROUPING leniency, as its PhoneNumberMatcher applies
    it: "650 253 0000" and "6502530000", not "65 02 53 00 00" for the US)."""
    import phonenumbers

    if regions is None:
        tries: tuple[str | None, ...] = (None,)
    else:
        lead = value.lstrip("(")
        # a NANP number never starts with 0, while most others are written with a trunk 0
        tries = tuple(r for r in regions if r not in ("US", "CA")) if lead[:1] == "0" else regions
        digits = value.translate(ONLY_DIGITS)
        tries = tuple(r for r in tries if (screen := _screen(r)) is None or screen(digits))
    for region in tries:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and (not grouped or _grouped(value, region or "ZZ")):
            return phonenumbers.region_code_for_number(number) or region or "001"
    return None


def _grouped(value: str, region: str) -> bool:
    # the whole value is tried first; max_tries=1 spares the search for a shorter number inside it
    from phonenumbers import Leniency, PhoneNumberMatcher

    return any(m.start == 0 and m.end == len(value)
               for m in PhoneNumberMatcher(value, region, leniency=Leniency.STRICT_GROUPING, max_tries=1))
