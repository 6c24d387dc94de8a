"""Values with a credential's shape that are not credentials: placeholders (``your-api-key-here``,
``sk-...xxxx``, ``<token>``), the example keys printed in the providers' documentation
(``AKIAIOSFODNN7EXAMPLE``), values too regular to be random (``AAAAAAAA...``, ``12345678``),
and, after ``token =`` in code, an expression (``request.headers.get(...)``, ``config.api_key``)
rather than a literal.

FT702 reports none of them (ftlint.privacy.secrets): a placeholder leaks nothing, an example key
is public, and a key that a person must rotate is random. A real key is random text of its
provider's alphabet: none of these tests rejects more than about 1 in 2,000 random keys of any
provider's shape (tests/test_privacy.py generates them), most far fewer.
"""
from __future__ import annotations

import math
import re
from collections import Counter

# the example credentials of the providers' documentation, exactly as printed there; those with
# EXAMPLE in them (AWS's) are caught by the word anyway
EXAMPLES = frozenset((
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",  # the signature of jwt.io's example token
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",  # GitHub's documentation
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",  # Slack's API documentation
))
# words that mark a placeholder anywhere in a token ("sk-proj-EXAMPLEKEY...", "AKIA...EXAMPLE"),
# and at its start or between separators ("your-api-key-here", "sk_my_key", "INSERT_TOKEN"), in
# lower case, upper case or capitalised: a random key mixes cases ("fAKE", "xXx" are noise)
def _cased(words: str) -> str:
    return "|".join(f"{w}|{w.upper()}|{w.capitalize()}" for w in words.split())


_WORDS = re.compile(rf"{_cased('example sample dummy placeholder redacted changeme fake')}|xxxx|XXXX|\.\.\.|…|\*\*\*"
                    rf"|(?:^|[-_./:])(?:{_cased('your my here insert replace enter paste put')})(?:$|[-_./:])"
                    rf"|^(?:{_cased('your')})")
_RUN = re.compile(r"(.)\1{5}")  # six times the same character
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_SEQUENTIAL = frozenset(s[i:i + 6] for seq in _SEQUENCES for s in (seq, seq[::-1]) for i in range(len(s) - 5))
# after `name =` without quotes, code: a dotted name called or indexed (jwt.encode({,
# request.headers.get(, os.environ[), a call whose arguments are quoted or on the next line
# (getenv(), a closed call of plain arguments (generate_password(8)), a dotted name
# (config.api_key) or a name of letters and underscores (API_TOKEN_FROM_ENV); not a password
# that merely holds a bracket (iE(dUuNS(RKac6)
_CODE = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[(\[{]|[A-Za-z_$][\w$]*[(\[{]$|[A-Za-z_$][\w$]*\([\w$.,]*\)$"
                   r"|[A-Za-z_$][A-Za-z_$]*(?:\.[A-Za-z_$][A-Za-z_$]*)+$|[A-Za-z_]+$")


def shannon(value: str) -> float:
    """Bits per character of ``value``'s own character distribution."""
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values()) if n else 0.0


def placeholder(value: str) -> bool:
    """``value`` (a token's random part, or a generic credential's value) is a placeholder, an
    example or too regular to be random: a placeholder word, six times one character, six
    characters in sequence (``123456``, ``abcdef``, ``qwerty``), or under 2.5 bits of entropy
    per character over 16 characters or more (a random key of any provider's alphabet has 3.5 or
    more: the least random of 100,000 random 16-character AWS key ids had 2.35)."""
    if value in EXAMPLES or _WORDS.search(value) or _RUN.search(value):
        return True
    low = value.lower()
    if any(low[i:i + 6] in _SEQUENTIAL for i in range(len(low) - 5)):
        return True
    return len(value) >= 16 and shannon(value) < 2.5


def code_expression(value: str) -> bool:
    """``value``, written without quotes after ``token =`` / ``password:``, is code: a call, an
    index or a literal (``jwt.encode({``, ``request.headers.get(``, ``os.environ[``), a dotted name
    (``config.api_key``, ``process.env.TOKEN``) or a name of letters and underscores only
    (``API_TOKEN_FROM_ENV``). A literal credential in code is quoted."""
    return _CODE.match(value) is not None
