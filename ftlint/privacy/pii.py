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
"""
from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
from collections.abc import Iterable

from ftlint.privacy.match import Match, TextBatch
from ftlint.privacy.phone import (
    GROUPED,
    NOT_PHONE,
    ONLY_DIGITS,
    arithmetic,
    dotted_phone,
    dummy_phone,
    national_phone_evidence,
)
from ftlint.privacy.phone import valid_region as _valid_region

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
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d{1,6}$")
_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)|(\d{1,2})([-/.])(\d{1,2})\6(\d{4}|\d{2})(?!\d)")
_SSN = re.compile(r"(\d{3})([- ])(\d{2})\2(\d{4})")
_SSN_PLAIN_CONTEXT = re.compile(r"(?:ssn|social security|soc\.? sec)\D{0,20}$")  # on lower-cased text
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|INR|CHF|JPY|AUD|CAD|BRL|Rs\.?))\s?$")
_CURRENCY_AFTER = re.compile(r"^\s?(?:[$€£¥₹%]|(?:USD|EUR|GBP|INR|CHF|JPY|AUD|CAD|BRL|kg|km|mb|gb|tb)\b)", re.I)
_CURRENCY_SIGNS = frozenset("$€£¥₹")
_AFTER_UNITS = frozenset(("us", "eu", "gb", "in", "ch", "jp", "au", "ca", "br", "kg", "km", "mb", "tb"))
_IPV4 = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)")
# the same from its first dot (a literal: the engine jumps from dot to dot); the first octet is
# read back from there
_IPV4_TAIL = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w:])")
_HEX = frozenset("0123456789abcdefABCDEF")
_HEX_COLON = frozenset("0123456789abcdefABCDEF:")
_COLON_PAIR = re.compile(r":[0-9A-Fa-f]{0,4}:")
_HEX_RUN = re.compile(r"[0-9A-Fa-f:]*")
_VERSION_BEFORE = re.compile(r"(?i)\b(?:v|version|ver\.?|release|build|firmware|os|ios|android|python|node)\s?$")
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
_BR_CPF = re.compile(r"(?<![\w.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w])")

# issuer prefixes (IIN) and lengths of the card networks: Visa, Mastercard, Amex, then Discover,
# JCB, Diners, Maestro, UnionPay, Mir; a Luhn-valid number with another prefix or length is more
# likely an IMEI or an id
_CARD = (
    (re.compile(r"4"), (13, 16, 19)),  # Visa
    (re.compile(r"5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)"), (16,)),  # Mastercard
    (re.compile(r"3[47]"), (15,)),  # American Express
    (re.compile(r"6011|64[4-9]|65|35|30[0-5]|3[689]|50|5[6-8]|6\d|220[0-4]"), tuple(range(14, 20))),
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """The Social Security Administration never issues area 000, 666 or 900-999, group 00 or
    serial 0000 (and 078-05-1120, printed on a wallet insert in 1938, is void)."""
    a = int(area)
    return (0 < a < 900 and a != 666 and group != "00" and serial != "0000"
            and (area, group, serial) != ("078", "05", "1120"))


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
            found.extend(_ipv4s(text))
        if ":" in text and text.count(":") >= 3:
            found.extend(_ipv6s(text))
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
            hit = _classify_number(text, s, e, value, types, regions)
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
            # _ipv6s keeps a run of hex digits and colons with 2 colons at most 4 digits apart and
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
            found.extend(_ipv4s(text))  # a candidate there means at least 4 digits and a dot
        if ipv6 and k in ipv6:
            found.extend(_ipv6s(text))
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


def _ipv4s(text: str) -> Iterable[Match]:
    for m in _IPV4_TAIL.finditer(text):
        dot = m.start()
        s = dot
        while s > dot - 3 and s and text[s - 1].isdigit() and text[s - 1].isascii():
            s -= 1
        if s == dot or s and (text[s - 1].isalnum() or text[s - 1] in "._"):
            continue  # no first octet, or the quad goes on a word, a number or a version
        addr = text[s:m.end()]
        if _ipv4_ok(addr) and not _VERSION_BEFORE.search(text, max(0, s - 12), s):
            yield Match("ip", s, m.end(), addr)


def _ipv6s(text: str) -> Iterable[Match]:
    # from each colon with hex digits before it, back to where those digits start; the regex is
    # only tried there (times such as 12:30:45 are tried and rejected by _ipv6_ok)
    i = text.find(":")
    while i >= 0:
        s = i
        while s > i - 5 and s and text[s - 1] in _HEX:
            s -= 1
        if s < i and i - s <= 4 and not (s and (text[s - 1].isalnum() or text[s - 1] in "_:.")):
            m = _IPV6.match(text, s)
            if m is not None:
                if _ipv6_ok(m.group()):
                    yield Match("ip", s, m.end(), m.group())
                i = text.find(":", m.end())
                continue
        i = text.find(":", i + 1)


_PRIVATE_V4 = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))
_PRIVATE_V6 = ipaddress.IPv6Network("fc00::/7")  # unique local addresses


def _ipv4_ok(addr: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(addr)
    except ValueError:
        return False  # an octet above 255: a version or an id
    # 0.0.0.0, 127.0.0.1, 255.255.255.0 and the like are configuration, not anybody's address;
    # nor is a private network's (10/8, 172.16/12, 192.168/16, 100.64/10): it names a machine on
    # somebody's LAN, the same address in millions of them
    return not (ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_reserved or ip.is_link_local
                or addr.startswith("255.") or any(ip in net for net in _PRIVATE_V4))


def _ipv6_ok(text: str) -> bool:
    if text.count(":") < 2 or not any(c.isalpha() for c in text) and text.count(":") < 4:
        return False  # "12:30:00" is a time
    try:
        ip = ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return not (ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_link_local or ip in _PRIVATE_V6)


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


def _currency_near(text: str, start: int, end: int) -> bool:
    """An amount: a currency sign or code just before the number, or a unit just after it. A
    character or two are looked at first; the regexes only confirm."""
    i = start - 1
    if i >= 0 and text[i].isspace():
        i -= 1
    if i >= 0 and start - i <= 5:
        c = text[i]
        if (c in _CURRENCY_SIGNS or c.isupper() or c == "s" and text[i - 1:i] == "R"
                or c == "." and text[i - 2:i] == "Rs") and _CURRENCY_BEFORE.search(text, max(0, start - 5), start):
            return True
    j = end + 1 if text[end:end + 1].isspace() else end
    c = text[j:j + 1]
    if not c:
        return False
    if c in _CURRENCY_SIGNS or c == "%":
        return True
    return c.isalpha() and text[j:j + 2].lower() in _AFTER_UNITS and _CURRENCY_AFTER.match(text[end:end + 4]) is not None


def _classify_number(text: str, start: int, end: int, value: str, types: frozenset[str],
                     regions: tuple[str, ...]) -> Match | None:
    # trailing closing parenthesis or separators are not part of the number
    value = value.rstrip(" ().-/")
    end = start + len(value)
    if arithmetic(text, start, end):
        return None  # a term of a sum (100-50-30-15=5, 588269-68297-96058=$423914): no kind of number
    if "x" in value:
        ext = _EXTENSION.search(value)
        if ext:
            # a phone number's extension ("x9150") stays part of the match but not of the number
            return _phone(text, start, end, value[:ext.start()], None, types, regions) if "phone" in types else None
    digits = value if value.isdigit() else value.translate(ONLY_DIGITS)
    n = len(digits)
    evidence = -1  # national_phone_evidence(text, start, value, digits), once computed
    if n < 9:
        # too short for anything but a phone number with a country code (dates have 4-8 digits)
        if n < 7 or value[0] != "+" or _is_date(value):
            return None
    elif n > 19 or digits is not value and value.count(".") == 3 and _IPV4.fullmatch(value):
        return None  # a dotted quad: an IP address is the ip detector's, a mask is nothing
    elif value[0] != "+" and not value.startswith("00"):
        if "." in value and not dotted_phone(value) \
                and not (n == 11 and "national-id" in types and _BR_CPF.fullmatch(value)):
            # an amount (9785507.98) or a version (10.0.22331.1599): no SSN, card or NIR has a
            # dot, and a phone number written with dots has short groups; a CPF is the exception
            return None
        if n <= 12 and not (n == 9 and "ssn" in types and (digits is value or _SSN.fullmatch(value))) \
                and not (n == 11 and "national-id" in types and digits is not value):
            # only a phone number without a country code is possible: its cheap rejections (an
            # id word before it) come before the currency test
            if "phone" not in types:
                return None
            evidence = national_phone_evidence(text, start, value, digits)
            if evidence == NOT_PHONE:
                return None
    if _currency_near(text, start, end):
        return None
    if "ssn" in types and n == 9:
        m = _SSN.fullmatch(value) if digits is not value else None
        if m:
            return Match("ssn", start, end, value) if ssn_ok(m.group(1), m.group(3), m.group(4)) else None
        if digits is value:
            before = text[max(0, start - 30):start].lower()
            if ("ssn" in before or "soc" in before) and _SSN_PLAIN_CONTEXT.search(before) \
                    and ssn_ok(digits[:3], digits[3:5], digits[5:]):
                return Match("ssn", start, end, value)
    if "national-id" in types and (n == 11 or n == 15):
        hit = _numeric_national_id(value, digits, start, end)
        if hit is not None:
            return hit
    if "card" in types and 13 <= n <= 19 and _card_ok(digits) \
            and (digits is value or not any(c in value for c in "()./+") and _card_grouping_ok(value)):
        return Match("card", start, end, value)
    if "phone" in types and n <= 15:
        return _phone(text, start, end, value, digits, types, regions, evidence)
    return None


def _card_ok(digits: str) -> bool:
    n = len(digits)
    return any(p.match(digits) and n in lengths for p, lengths in _CARD) and luhn_ok(digits) \
        and digits not in TEST_CARDS


# the card numbers the payment providers publish for testing (Stripe, Braintree, PayPal, Adyen):
# in every tutorial and tool-use example, and nobody's card
TEST_CARDS = frozenset((
    "4242424242424242", "4111111111111111", "4012888888881881", "4000056655665556", "4222222222222",
    "4000000000000002", "4000000000009995", "5555555555554444", "5105105105105100", "2223003122003222",
    "5200828282828210", "2221000000000009", "378282246310005", "371449635398431", "378734493671000",
    "6011111111111117", "6011000990139424", "3056930009020004", "30569309025904", "38520000023237",
    "3566002020360505", "3530111333300000", "6200000000000005",
))


def _card_grouping_ok(value: str) -> bool:
    """A card number is written as one block or in groups of 3 to 6 digits (4-4-4-4, 4-6-5),
    the last one possibly shorter: "6 12 18 24 30 36 42 48 54 60" is a row of a times table."""
    groups = value.replace("-", " ").split()
    return all(3 <= len(g) <= 6 for g in groups[:-1]) and 1 <= len(groups[-1]) <= 6


def _is_date(value: str) -> bool:
    m = _DATE.match(value)
    if not m:
        return False
    if m.group(1):
        return 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31
    a, b = int(m.group(5)), int(m.group(7))
    return 1 <= min(a, b) <= 12 and 1 <= max(a, b) <= 31


def _numeric_national_id(value: str, digits: str, start: int, end: int) -> Match | None:
    if len(digits) == 11 and digits is not value and _BR_CPF.fullmatch(value):
        from stdnum.br import cpf

        if cpf.is_valid(value):
            return Match("national-id", start, end, value, "br.cpf")
    if len(digits) == 15 and value[0] in "12" and not any(c in value for c in "()./+-"):
        from stdnum.fr import nir

        if nir.is_valid(value):
            return Match("national-id", start, end, value, "fr.nir")
    return None


def _phone(text: str, start: int, end: int, value: str, digits: str | None, types: frozenset[str],
           regions: tuple[str, ...], evidence: int = -1) -> Match | None:
    """``evidence``: national_phone_evidence(), when the caller has computed it."""
    if digits is None:
        digits = "".join(c for c in value if c.isdigit())
        if not 7 <= len(digits) <= 15:
            return None
    if value.startswith("+") or (value.startswith("00") and len(digits) >= 10):
        region = _valid_region(value, None if value.startswith("+") else regions)
    else:
        if evidence < 0:
            evidence = national_phone_evidence(text, start, value, digits)
        if evidence == NOT_PHONE:
            return None
        region = _valid_region(value, regions, evidence == GROUPED)
    if region is None or dummy_phone(digits):
        return None
    return Match("phone", start, end, text[start:end], region)
