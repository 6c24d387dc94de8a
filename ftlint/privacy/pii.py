"""Personal data in free text: e-mail addresses, phone numbers, payment cards, US social security
numbers, IBANs, national identity numbers, IP addresses.

Each detector is a cheap scan followed by real validation of the few candidates: phone numbers
with ``phonenumbers`` (Google's libphonenumber metadata) for several regions, cards with the Luhn
checksum and an issuer prefix, IBANs and national ids with ``python-stdnum``. Validation is what
keeps ordinary numbers (order ids, dates, versions, amounts, times) from firing: a bare digit
regex would report all of them.

Speed (FT701 runs on every record of a check): a text is scanned by a handful of regexes that
each start with a literal or a character class, so that the regex engine skips in C from one
``@``, ``.``, ``:``, digit or capital letter to the next; a text with fewer than 7 digits skips
the number scans. The number regex itself checks in C what used to be checked per candidate in
Python (the character before it, at least 9 digits or ``+`` and 7), so on text full of order
ids, dates and versions only about 1.4 candidates per text reach Python, where dictionary
lookups on the words before a number (not regexes over a window) decide whether it is
introduced as an id or as a phone number. See benchmarks/bench_privacy.py.

FT701 does not call find_pii per record: it calls :func:`find_pii_batch` once per batch of
records (a batch rule: the records of one 256 KiB read chunk), which runs each regex once over
the batch's texts joined by NULs, counts the digits of every text in one bytes.translate, and
enters Python only for the texts that hold a candidate. Its answer is find_pii's, text by
text (tests/test_privacy.py checks both on the same texts); find_pii stays the reference and is
what redaction uses.

This module scans; what a candidate is lives beside it: ftlint.privacy.numbers (phone, card, SSN,
national id or an ordinary number), ftlint.privacy.ip (IP addresses), ftlint.privacy.phone
(phonenumbers' validation).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from ftlint.privacy.ip import _COLON_PAIR, _HEX_COLON, _HEX_RUN, _IPV4_TAIL, ipv4s, ipv6s
from ftlint.privacy.match import Match, TextBatch
from ftlint.privacy.numbers import classify_number

PII_TYPES = ("email", "phone", "card", "ssn", "iban", "national-id", "ip")
# regions a number written without a country code is tried in, in this order
DEFAULT_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "IN", "BR", "AU")

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])")

# a run of digits with the separators people put in phone, card and id numbers; it must not
# continue a word, an amount or a path, and it ends on a digit. Written so that its first item is
# a character class (the regex engine then skips in C to the next digit, "+" or "("); the first
# character is consumed, then lookarounds check, in C, what Python used to check per candidate:
# the character before it (not a letter, digit or one of #$€£¥+./:,@-_), and enough digits to be
# worth a look: 9 (a shorter number is a phone number only with a country code: "+" and 7);
# then the run of digits is matched from that first character on.
_NUMBER_BODY = (r"(?=[\d ().\-/]{6})(?:(?<=[+(])\d+|(?<=\d)\d*)(?:(?:[ .\-/]|\)[ .-]?|[ .-]?\()\d+){0,9}"
                r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w#$€£¥%@]|[.,/:-]\w)")
_DIGITS_AHEAD = r"[ ().\-/]{0,2}\d"  # the next digit of a number: at most two separators away
# (written out 7 to 9 times, not as a group repeated {8}: sre runs a repeated group through its
# slow general repeat with saved marks, a written-out sequence through single-character repeats)
_NUMBER_HEAD = (r"[+(\d](?<![\w#$€£¥+./:,@-][+(\d])"
                rf"(?:(?<=\d)(?={_DIGITS_AHEAD * 8})|(?<=\+)(?={_DIGITS_AHEAD * 7})"
                rf"|(?<=\()(?={_DIGITS_AHEAD * 9}))")
_NUMBER = re.compile(_NUMBER_HEAD + _NUMBER_BODY)
# the same for ASCII text, where \d is [0-9]: a range test per character instead of a Unicode
# category lookup makes the skipping between digits about twice as fast
_NUMBER_ASCII = re.compile((_NUMBER_HEAD + _NUMBER_BODY).replace(r"[+(\d]", "[+(0-9]").replace(r"[\d ", "[0-9 ")
                           .replace(r"\d", "[0-9]"), re.ASCII)
# IBAN, codice fiscale, NIE and DNI in one pass that stops at capital letters only (the engine
# skips to the next one in C): the first three start with a capital not preceded by a word
# character, a DNI (8 digits, an optional dash) ends with one and is read back from there. None
# of them has a lower-case letter after its first capital: testing that first rejects most
# capitals of a sentence at once.
_UPPER_IDS = re.compile(
    r"[A-Z](?![a-z])(?:(?<!\w[A-Z])(?:"
    r"(?P<iban>[A-Z]\d{2}(?: ?[A-Z0-9]){11,30}\b)"
    r"|(?P<cf>[A-Z]{5}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b)"
    r"|(?P<nie>(?<=[XYZ])-?\d{7}-?[A-Z]\b))"
    r"|(?P<dni>(?<=\d{8}[A-Z])(?<!\w\d{8}[A-Z])\b)|(?P<dni_dash>(?<=\d{8}-[A-Z])(?<!\w\d{8}-[A-Z])\b))")
# the same for the ASCII stand-in of a text (see _NUMBER_ASCII)
_UPPER_IDS_ASCII = re.compile(_UPPER_IDS.pattern, re.ASCII)


def find_pii(text: str, types: Iterable[str] = PII_TYPES, regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[Match]:
    """Every personal datum of the given types in ``text``, in text order, spans not overlapping.

    The cost is a few regex passes whose first character is a literal or a class (so that the
    regex engine skips to the next ``@``, ``.``, ``:``, digit or capital letter in C), then cheap
    string tests on the few candidates; only the survivors reach phonenumbers and python-stdnum.
    :func:`find_pii_batch` gives the same answer for many texts at once, faster."""
    types = _types(types)
    found: list[Match] = []
    if "email" in types and "@" in text:
        found.extend(Match("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text))
    # every other kind needs digits: 4 for an IPv4 address, 7 for the rest (counted in C)
    scan = text if text.isascii() else _asciified(text)
    digits = _digits(text, scan)
    if "ip" in types:
        if digits >= 4 and "." in text:
            found.extend(ipv4s(text))
        if ":" in text and text.count(":") >= 3:
            found.extend(ipv6s(text))
    if digits < 7:
        return found
    if "iban" in types or "national-id" in types:
        upper = [(m.lastgroup, m.start(), m.end(), m.group()) for m in _UPPER_IDS.finditer(text)]
    else:
        upper = ()
    if types & _DIGIT_TYPES:
        numbers = [(m.start(), m.end(), m.group())
                   for m in (_NUMBER_ASCII.finditer(scan) if scan is not None else _NUMBER.finditer(text))]
    else:
        numbers = ()
    return _finish(text, found, upper, numbers, types, regions)


def _types(types: Iterable[str]) -> frozenset[str]:
    return _ALL if types is PII_TYPES else types if isinstance(types, frozenset) else frozenset(types)


def _digits(text: str, scan: str | None) -> int:
    """ASCII digits in ``text`` (``scan`` is its ASCII stand-in or None), counted in C."""
    if scan is not None:
        encoded = scan.encode("ascii")
        return len(encoded) - len(encoded.translate(None, b"0123456789"))
    return sum(map(text.count, "0123456789"))


def _finish(text: str, found: list[Match], upper, numbers, types: frozenset[str],
            regions: tuple[str, ...]) -> list[Match]:
    """Validate the id candidates ``upper`` ((group, start, end, value) of _UPPER_IDS) and the
    number candidates ``numbers`` ((start, end, value) of _NUMBER) of ``text`` after the e-mail
    and IP matches in ``found``; the matches in text order."""
    taken = [(m.start, m.end) for m in found] if found else None
    if upper:
        for m in _upper_ids(text, types, upper):
            if not (taken and _overlaps(taken, m.start, m.end)):
                found.append(m)
    if numbers:
        if found:
            taken = [(m.start, m.end) for m in found]
        for s, e, value in numbers:
            if taken and _overlaps(taken, s, e):
                continue
            hit = classify_number(text, s, e, value, types, regions)
            if hit is not None:
                found.append(hit)
    if len(found) > 1:
        found.sort(key=lambda m: m.start)
    return found


def find_pii_batch(batch: TextBatch, types: Iterable[str] = PII_TYPES,
                   regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[list[Match]]:
    """``[find_pii(t, types, regions) for t in batch.texts]``, computed with one pass of each
    regex over all the texts joined by NUL characters (``batch.big``) instead of one per text:
    a NUL is neither a word character, a digit, a space nor in any class these regexes use, so
    that it bounds a match exactly as the start and the end of a text do, and each candidate
    found in the joined text is the candidate its own text gives, shifted. Python then only
    touches the texts that hold a candidate. Texts that contain a NUL themselves are scanned one
    by one."""
    texts = batch.texts
    types = _types(types)
    if batch.big is None:
        return [find_pii(t, types, regions) for t in texts]
    big, starts = batch.big, batch.starts
    n = len(texts)
    emails = ipv4 = ipv6 = upper = numbers = None
    where = bisect_right
    if "email" in types:
        emails = batch.holding("@")
    if "ip" in types:
        if "." in big:
            ipv4 = {where(starts, m.start()) - 1 for m in _IPV4_TAIL.finditer(big)}
        if ":" in big:
            # ipv6s keeps a run of hex digits and colons with 2 colons at most 4 digits apart and
            # a letter or 4 colons (12:30:45 is a time): each such pair of colons is looked at,
            # and the texts whose run around it qualifies are scanned (those with 3 colons)
            ipv6 = set()
            for m in _COLON_PAIR.finditer(big):
                k = where(starts, m.start()) - 1
                if k in ipv6:
                    continue
                a = m.start()
                while a and big[a - 1] in _HEX_COLON:
                    a -= 1
                run = big[a:_HEX_RUN.match(big, m.end()).end()]
                if (run.count(":") >= 4 or not run.replace(":", "").isdigit()) and texts[k].count(":") >= 3:
                    ipv6.add(k)
    # the ids and numbers need 7 digits in a text (as find_pii counts them: ASCII digits of the
    # ASCII stand-in), counted for all the texts at once: the joined stand-ins with everything
    # but digits and NULs deleted, split at the NULs
    unicode_texts = []
    if big.isascii():
        scan_big = big
    else:
        parts = []
        for k, t in enumerate(texts):
            if t.isascii():
                parts.append(t)
            else:
                a = _asciified(t)
                if a is None:
                    unicode_texts.append(k)
                    a = "?" * len(t)  # scanned on its own below
                parts.append(a)
        scan_big = "\x00".join(parts)
    encoded = scan_big.encode("ascii")
    counts = [len(d) for d in encoded.translate(None, _NOT_DIGITS).split(b"\x00")]
    for k in unicode_texts:
        counts[k] = sum(map(texts[k].count, "0123456789"))
    want_upper = "iban" in types or "national-id" in types
    want_numbers = bool(types & _DIGIT_TYPES)
    if want_upper:
        # an IBAN, codice fiscale, NIE or DNI holds one of _ID_SHAPES in the stand-ins' shape
        # string (a capital is "A", a digit "0", a NUL ends a text): those are found with
        # bytes.find, and only the texts that hold one are scanned, on their ASCII stand-in
        # (a match holds only ASCII letters, digits, spaces and dashes, the same in the text);
        # a text without a stand-in is scanned on its own
        upper = {}
        shape = encoded.translate(_ID_SHAPE)
        some: set[int] = set()
        for needle in _ID_SHAPES:
            some |= batch.holding(needle, shape)
        for k in sorted(some):
            if counts[k] >= 7:
                a = starts[k]
                found_ids = [(m.lastgroup, m.start() - a, m.end() - a, m.group())
                             for m in _UPPER_IDS_ASCII.finditer(scan_big, a, a + len(texts[k]))]
                if found_ids:
                    upper[k] = found_ids
        for k in unicode_texts:
            if counts[k] >= 7:
                upper[k] = [(m.lastgroup, m.start(), m.end(), m.group()) for m in _UPPER_IDS.finditer(texts[k])]
    if want_numbers:
        sel = [k for k in range(n) if counts[k] >= 7]
        if len(sel) == n:
            scan2, starts2 = scan_big, starts
        else:
            scan2 = "\x00".join([texts[k] for k in sel] if scan_big is big else
                                 [scan_big[starts[k]:starts[k] + len(texts[k])] for k in sel])
            starts2 = [starts[k] for k in sel]  # placeholder values, recomputed below
            pos = 0
            for j, k in enumerate(sel):
                starts2[j] = pos
                pos += len(texts[k]) + 1
        numbers = {}
        for m in _NUMBER_ASCII.finditer(scan2):
            j = where(starts2, m.start()) - 1
            o = starts2[j]
            numbers.setdefault(sel[j], []).append((m.start() - o, m.end() - o, m.group()))
        for k in unicode_texts:
            if counts[k] >= 7:
                t = texts[k]
                numbers[k] = [(m.start(), m.end(), m.group()) for m in _NUMBER.finditer(t)]
    busy = set()
    for part in (emails, ipv4, ipv6, upper, numbers):
        if part:
            busy.update(part)
    out: list[list[Match]] = [[] for _ in range(n)]
    for k in busy:
        text = texts[k]
        found = out[k]
        if emails and k in emails:
            found.extend(Match("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text))
        if ipv4 and k in ipv4:
            found.extend(ipv4s(text))  # a candidate there means at least 4 digits and a dot
        if ipv6 and k in ipv6:
            found.extend(ipv6s(text))
        up = upper.get(k) if upper else None
        nums = numbers.get(k) if numbers else None
        if up or nums:
            _finish(text, found, up, nums, types, regions)
        elif len(found) > 1 and counts[k] >= 7:
            found.sort(key=lambda m: m.start)  # find_pii leaves them unsorted below 7 digits
    return out


def _asciified(text: str) -> str | None:
    """``text`` with the same length and, for the number regex, the same meaning in ASCII: the
    currency signs the regex names become ``$`` and every other non-ASCII character ``?`` (none of
    them is a word character, a space or in one of its classes). None if a non-ASCII letter,
    digit or space is in it (then the Unicode regex is used)."""
    for m in _NON_ASCII.finditer(text):
        for c in m.group():
            if c.isalnum() or c.isspace():
                return None
    for c in "€£¥":
        if c in text:
            text = text.replace(c, "$")
    return text.encode("ascii", "replace").decode("ascii")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ALL = frozenset(PII_TYPES)
_DIGIT_TYPES = frozenset({"phone", "card", "ssn", "national-id"})
_NOT_DIGITS = bytes(c for c in range(128) if not (48 <= c <= 57 or c == 0))
# what _UPPER_IDS needs, in shape: an IBAN's country and check digits, a codice fiscale's six
# letters, a NIE's letter and seven digits, a DNI's eight digits and letter
_ID_SHAPE = bytes(65 if 65 <= c <= 90 else 48 if 48 <= c <= 57 else c if c in (0, 45) else 32 for c in range(256))
_ID_SHAPES = (b"AA00", b"AAAAAA", b"A0000000", b"A-0000000", b"00000000A", b"00000000-A")


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _upper_ids(text: str, types: frozenset[str], candidates) -> Iterable[Match]:
    for kind, mstart, mend, group in candidates:
        if kind == "iban":
            if "iban" in types:
                from stdnum import iban

                value = group.rstrip()
                if iban.is_valid(value):
                    yield Match("iban", mstart, mstart + len(value), value)
        elif "national-id" in types:
            if kind == "cf":
                from stdnum.it import codicefiscale

                if codicefiscale.is_valid(group):
                    yield Match("national-id", mstart, mend, group, "it.codicefiscale")
            else:
                start = mstart - (8 if kind == "dni" else 9 if kind == "dni_dash" else 0)
                hit = _spanish_id(text[start:mend], start)
                if hit is not None:
                    yield hit


def _spanish_id(value: str, start: int) -> Match | None:
    from stdnum.es import dni, nie

    scheme = "es.nie" if value[0] in "XYZ" else "es.dni"
    if (nie if scheme == "es.nie" else dni).is_valid(value):
        return Match("national-id", start, start + len(value), value, scheme)
    return None


