"""What a number found in text is: a phone number, a payment card (Luhn and issuer prefix, not a
test card), a US social security number, a national id, or an ordinary number (a date, an amount,
an id) that is not personal data (see ftlint.privacy.pii)."""
from __future__ import annotations

import re

from ftlint.privacy.ip import _IPV4
from ftlint.privacy.match import Match
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

_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d{1,6}$")


_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)|(\d{1,2})([-/.])(\d{1,2})\6(\d{4}|\d{2})(?!\d)")


_SSN = re.compile(r"(\d{3})([- ])(\d{2})\2(\d{4})")


_SSN_PLAIN_CONTEXT = re.compile(r"(?:ssn|social security|soc\.? sec)\D{0,20}$")  # on lower-cased text


_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|INR|CHF|JPY|AUD|CAD|BRL|Rs\.?))\s?$")


_CURRENCY_AFTER = re.compile(r"^\s?(?:[$€£¥₹%]|(?:USD|EUR|GBP|INR|CHF|JPY|AUD|CAD|BRL|kg|km|mb|gb|tb)\b)", re.I)


_CURRENCY_SIGNS = frozenset("$€£¥₹")


_AFTER_UNITS = frozenset(("us", "eu", "gb", "in", "ch", "jp", "au", "ca", "br", "kg", "km", "mb", "tb"))


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


def classify_number(text: str, start: int, end: int, value: str, types: frozenset[str],
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
