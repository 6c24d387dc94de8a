"""Personal data in free text: e-mail addresses, phone numbers, payment cards, US social security
numbers, IBANs, national identity numbers, IP addresses.

Each detector is a cheap test that most texts fail (``'@' in text``, a regex for a run of digits)
followed by real validation of the few candidates: phone numbers with ``phonenumbers`` (Google's
libphonenumber metadata) for several regions, cards with the Luhn checksum and an issuer prefix,
IBANs and national ids with ``python-stdnum``. Validation is what keeps ordinary numbers (order
ids, dates, versions, amounts, times) from firing: a bare digit regex would report all of them.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import lru_cache

from ftlint.privacy.match import Match

PII_TYPES = ("email", "phone", "card", "ssn", "iban", "national-id", "ip")
# regions a number written without a country code is tried in, in this order
DEFAULT_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "IN", "BR", "AU")

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])")

# a run of digits with the separators people put in phone, card and id numbers; it must not
# continue a word, an amount or a path, and it ends on a digit
_NUMBER = re.compile(r"(?=[+(\d][\d ().\-/]{6})[+(]?\d+(?:(?:[ .\-/]|\)[ .-]?|[ .-]?\()\d+){0,9}"
                     r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w#$€£¥%@]|[.,/:-]\w)")
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d{1,6}$")
_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)|(\d{1,2})([-/.])(\d{1,2})\6(\d{4}|\d{2})(?!\d)")
_SSN = re.compile(r"(\d{3})([- ])(\d{2})\2(\d{4})")
_SSN_PLAIN_CONTEXT = re.compile(r"(?i)(?:ssn|social security|soc\.? sec)\D{0,20}$")
# words that introduce a phone number (strong), may introduce one (weak) or introduce an id
_STRONG = re.compile(r"(?i)(?:phone|\btel\b|telephone|\bcall|mobile|\bcell|fax|whats ?app|\bsms|text me|reach me"
                     r"|\bph\.|☎|📞)\W{0,3}(?:\w+\W{1,3}){0,3}$")
_WEAK = re.compile(r"(?i)(?:number|contact|\bno\.|\bat)\W{0,3}(?:\w+\W{1,3}){0,2}$")
_ID_WORD = re.compile(r"(?i)(?:order|invoice|ticket|\bref(?:erence)?|sku|\bid|\bno\.|#|tracking|case|quote|receipt"
                      r"|\bpo|serial|part|account|customer|contract|policy|build|version|item|code)\W{0,3}(?:\w+\W{1,3}){0,2}$")
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|INR|CHF|JPY|AUD|CAD|BRL|Rs\.?))\s?$")
_CURRENCY_AFTER = re.compile(r"^\s?(?:[$€£¥₹%]|(?:USD|EUR|GBP|INR|CHF|JPY|AUD|CAD|BRL|kg|km|mb|gb|tb)\b)", re.I)
_IPV4 = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w:])")
_VERSION_BEFORE = re.compile(r"(?i)\b(?:v|version|ver\.?|release|build|firmware|os|ios|android|python|node)\s?$")
_NODIGITS = str.maketrans("", "", "0123456789")
_ONLY_DIGITS = str.maketrans("", "", " ().-/+xtenso\u00a0")  # what a _NUMBER match holds besides digits
_UPPER_DIGIT = re.compile(r"[A-Z]\d|\d[A-Z]")
_NUMBER_BEFORE = frozenset("#$€£¥+./:,@-_")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_IT_CF = re.compile(r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b")
_ES_ID = re.compile(r"\b(?:\d{8}|[XYZ]-?\d{7})-?[A-Z]\b")
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
    """Every personal datum of the given types in ``text``, in text order, spans not overlapping."""
    types = types if isinstance(types, frozenset) else frozenset(types)
    found: list[Match] = []
    if "email" in types and "@" in text:
        found.extend(Match("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text))
    # every other kind needs digits: count them once (str.translate runs in C)
    digits = len(text) - len(text.translate(_NODIGITS))
    if digits < 4 and not ("ip" in types and text.count(":") >= 3):
        return found
    if "ip" in types:
        if text.count(".") >= 3:
            for m in _IPV4.finditer(text):
                s = m.start()
                if s and (text[s - 1].isalnum() or text[s - 1] in "._"):
                    continue
                addr = m.group()
                if _ipv4_ok(addr) and not _VERSION_BEFORE.search(text, max(0, s - 12), s):
                    found.append(Match("ip", s, m.end(), addr))
        if text.count(":") >= 3:
            for m in _IPV6.finditer(text):
                if _ipv6_ok(m.group()):
                    found.append(Match("ip", m.start(), m.end(), m.group()))
    if digits < 7:
        return found
    taken = [(m.start, m.end) for m in found]
    if types & _LETTER_TYPES and _UPPER_DIGIT.search(text):
        for m in _letters_ids(text, types):
            if not _overlaps(taken, m.start, m.end):
                found.append(m)
        taken = [(m.start, m.end) for m in found]
    if types & _NUMBER_TYPES:
        for m in _NUMBER.finditer(text):
            s, e = m.start(), m.end()
            if s and (text[s - 1].isalnum() or text[s - 1] in _NUMBER_BEFORE) or _overlaps(taken, s, e):
                continue
            hit = _classify_number(text, s, e, m.group(), types, regions)
            if hit is not None:
                found.append(hit)
    found.sort(key=lambda m: m.start)
    return found


_LETTER_TYPES = frozenset({"iban", "national-id"})
_NUMBER_TYPES = frozenset({"phone", "card", "ssn", "national-id"})


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _ipv4_ok(addr: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(addr)
    except ValueError:
        return False  # an octet above 255: a version or an id
    # 0.0.0.0, 127.0.0.1, 255.255.255.0 and the like are configuration, not anybody's address
    return not (ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_reserved or ip.is_link_local
                or addr.startswith("255."))


def _ipv6_ok(text: str) -> bool:
    if text.count(":") < 2 or not any(c.isalpha() for c in text) and text.count(":") < 4:
        return False  # "12:30:00" is a time
    try:
        ip = ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return not (ip.is_unspecified or ip.is_loopback or ip.is_multicast or ip.is_link_local)


def _letters_ids(text: str, types: frozenset[str]) -> Iterable[Match]:
    from stdnum import iban
    from stdnum.br import cpf  # noqa: F401 - imported once here, used by _numeric_national_id
    from stdnum.es import dni, nie
    from stdnum.it import codicefiscale

    if "iban" in types:
        for m in _IBAN.finditer(text):
            value = m.group().rstrip()
            if iban.is_valid(value):
                yield Match("iban", m.start(), m.start() + len(value), value)
    if "national-id" in types:
        for m in _IT_CF.finditer(text):
            if codicefiscale.is_valid(m.group()):
                yield Match("national-id", m.start(), m.end(), m.group(), "it.codicefiscale")
        for m in _ES_ID.finditer(text):
            value = m.group()
            scheme = "es.nie" if value[0] in "XYZ" else "es.dni"
            if (nie if scheme == "es.nie" else dni).is_valid(value):
                yield Match("national-id", m.start(), m.end(), value, scheme)


def _classify_number(text: str, start: int, end: int, value: str, types: frozenset[str],
                     regions: tuple[str, ...]) -> Match | None:
    # trailing closing parenthesis or separators are not part of the number
    value = value.rstrip(" ().-/")
    end = start + len(value)
    ext = _EXTENSION.search(value) if "x" in value else None
    if ext:
        # a phone number's extension ("x9150") stays part of the match but not of the number
        return _phone(text, start, end, value[:ext.start()], None, types, regions) if "phone" in types else None
    digits = value.translate(_ONLY_DIGITS)
    n = len(digits)
    if n < 7 or n > 19:
        return None
    if _is_date(value) or _IPV4.fullmatch(value):
        return None  # a date, or a dotted quad (an IP address is the ip detector's, a mask is nothing)
    if _CURRENCY_BEFORE.search(text, max(0, start - 5), start) or _CURRENCY_AFTER.match(text[end:end + 4]):
        return None
    if "ssn" in types and n == 9:
        m = _SSN.fullmatch(value)
        if m:
            return Match("ssn", start, end, value) if ssn_ok(m.group(1), m.group(3), m.group(4)) else None
        if value == digits and _SSN_PLAIN_CONTEXT.search(text, max(0, start - 30), start) \
                and ssn_ok(digits[:3], digits[3:5], digits[5:]):
            return Match("ssn", start, end, value)
    if "national-id" in types:
        hit = _numeric_national_id(value, digits, start, end)
        if hit is not None:
            return hit
    if "card" in types and 13 <= n <= 19 and not any(c in value for c in "()./+") and _card_ok(digits):
        return Match("card", start, end, value)
    if "phone" in types and n <= 15:
        return _phone(text, start, end, value, digits, types, regions)
    return None


def _card_ok(digits: str) -> bool:
    n = len(digits)
    return any(p.match(digits) and n in lengths for p, lengths in _CARD) and luhn_ok(digits)


def _is_date(value: str) -> bool:
    m = _DATE.match(value)
    if not m:
        return False
    if m.group(1):
        return 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31
    a, b = int(m.group(5)), int(m.group(7))
    return 1 <= min(a, b) <= 12 and 1 <= max(a, b) <= 31


def _numeric_national_id(value: str, digits: str, start: int, end: int) -> Match | None:
    if len(digits) == 11 and _BR_CPF.fullmatch(value):
        from stdnum.br import cpf

        if cpf.is_valid(value):
            return Match("national-id", start, end, value, "br.cpf")
    if len(digits) == 15 and value[0] in "12" and not any(c in value for c in "()./+-"):
        from stdnum.fr import nir

        if nir.is_valid(value):
            return Match("national-id", start, end, value, "fr.nir")
    return None


def _phone(text: str, start: int, end: int, value: str, digits: str | None, types: frozenset[str],
           regions: tuple[str, ...]) -> Match | None:
    if digits is None:
        digits = "".join(c for c in value if c.isdigit())
        if not 7 <= len(digits) <= 15:
            return None
    international = value.startswith("+") or (value.startswith("00") and len(digits) >= 10)
    formatted = any(c in value for c in " -.()")
    if not international:
        # a number without a country code: at least 9 digits, not introduced as an id ("order",
        # "ticket", "ref"), and either written like a phone number (grouped) or introduced as
        # one ("call", "phone", "my number is"): an unformatted 10-digit order id is not one
        if len(digits) < 9:
            return None
        before = text[max(0, start - 40):start]
        strong, id_word = _STRONG.search(before), _ID_WORD.search(before)
        if id_word and not (strong and strong.start() > id_word.start()):
            return None  # "order number 4155550142", "Reference 851-158-232"
        if not formatted and not strong and not _WEAK.search(before):
            return None
        if "." in value and not _dotted_phone(value):
            return None
    region = _valid_region(value, None if value.startswith("+") else regions)
    if region is None:
        return None
    return Match("phone", start, end, text[start:end], region)


def _dotted_phone(value: str) -> bool:
    # 415.555.0142 or 01.23.45.67.89, not an amount (1234567.89) or a dotted id with long groups
    groups = value.split(".")
    return len(groups) >= 3 and all(1 <= len(g.strip("() ")) <= 4 for g in groups)


@lru_cache(maxsize=4096)
def _valid_region(value: str, regions: tuple[str, ...] | None) -> str | None:
    import phonenumbers

    if regions is None:
        tries: tuple[str | None, ...] = (None,)
    else:
        lead = value.lstrip("(")
        # a NANP number never starts with 0, while most others are written with a trunk 0
        tries = tuple(r for r in regions if r not in ("US", "CA")) if lead[:1] == "0" else regions
    for region in tries:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.region_code_for_number(number) or region or "001"
    return None
