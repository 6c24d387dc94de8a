"""Credentials in free text: cloud access keys, private key blocks, GitHub, GitLab and Slack
tokens, OpenAI, Anthropic, Google and Stripe API keys, JSON Web Tokens, and generic high-entropy
``key=value`` credentials.

The token shapes follow the providers' documented formats (those detect-secrets' plugins use,
and the newer ones it lacks: OpenAI ``sk-proj-``, Anthropic, Google ``AIza``, Slack ``xapp-``).
A token of the right shape whose random part is a placeholder, a documented example or too
regular to be random (ftlint.privacy.placeholder) is not reported, nor is a ``token = ...``
whose value is code rather than a literal. detect-secrets itself was measured as the engine and
not chosen: see the README's FT7 section and benchmarks/compare_detect_secrets.py.

Each detector is guarded by a substring test (``"AKIA" in text``...) so that a text without any
trigger costs a few ``in`` tests and one case-insensitive keyword search.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from bisect import bisect_right

from ftlint.privacy.match import Match, TextBatch
from ftlint.privacy.placeholder import EXAMPLES, code_expression, placeholder, shannon

SECRET_KINDS = ("aws-access-key-id", "aws-secret-access-key", "private-key", "github-token", "gitlab-token",
                "slack-token", "slack-webhook", "openai-key", "anthropic-key", "google-api-key", "stripe-key",
                "npm-token", "pypi-token", "sendgrid-key", "azure-storage-key", "jwt", "url-credential", "credential")

# AWS key ids are 20 characters of base32 (A-Z, 2-7) after a four-letter prefix: AKIA long-term,
# ASIA temporary (STS), ABIA/ACCA service credentials
_AWS_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AWS_CONTEXT = re.compile(r"(?i)aws|secret|amazon")
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----"
                          r"|---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----|PuTTY-User-Key-File-[23]: ")
_PRIVATE_KEY_TRIGGERS = ("-----BEGIN", "---- BEGIN SSH2", "PuTTY-User-Key-File-")
_KEY_END = re.compile(r"-----END[^-\n]{0,40}-----|---- END SSH2 ENCRYPTED PRIVATE KEY ----|Private-MAC: [0-9a-f]+")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{16,}")
_GITHUB = re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])")
_GITHUB_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")
_GITLAB_PREFIXES = ("glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glcbt-", "glimt-", "gloas-", "glsoat-")
_GITLAB = re.compile(r"(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|ft|cbt|imt|oas|soat)-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])")
_SLACK = re.compile(r"(?<![A-Za-z0-9-])(?:xox(?:[abposr]|e\.[a-z]+)-(?:\d+-)*|xapp-\d-)[A-Za-z0-9-]{10,}")
# OpenAI: project, service-account and admin keys, and the legacy user key (20 + "T3BlbkFJ",
# base64 of "OpenAI", + 20); Anthropic: sk-ant-api03-... and admin keys; Google: AIza + 35
_OPENAI = re.compile(r"(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,}"
                     r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])")
_ANTHROPIC = re.compile(r"(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}(?![A-Za-z0-9_-])")
_GOOGLE = re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")
_STRIPE = re.compile(r"(?<![A-Za-z0-9_])[rs]k_live_[0-9A-Za-z]{24,99}(?![A-Za-z0-9_])")
# from detect-secrets' plugins: npm, PyPI (a macaroon for pypi.org), SendGrid, Azure storage
_NPM = re.compile(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])")
_PYPI = re.compile(r"pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}")
_SENDGRID = re.compile(r"(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
_AZURE = re.compile(r"AccountKey=([A-Za-z0-9+/]{86}==)")
# scheme://user:password@host (a connection string, a proxy URL): the password is judged as a
# generic credential's value is
_URL_AUTH = re.compile(r"://([^\s/@:\"'`<>{}]*):([^\s/@\"'`<>]+)@[A-Za-z0-9.-]")
_OPENAI_PREFIX = re.compile(r"sk-(?:(?:proj|svcacct|admin|None)-)?")
_SK = re.compile(r"sk-(?:proj-|svcacct-|admin-|None-|ant-|[A-Za-z0-9]{20}T3Blbk)")
_SLACK_HOOK = re.compile(r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9+/]{20,}")
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_KEYWORD_LIST = ("pass", "pwd", "secret", "token", "key", "credential")
# `name = value`, `name: "value"`, `"name": "value"`, `--name value`: the keyword is found first
# (a plain alternation on the lower-cased text), then the rest is matched from there, so the cost
# stays linear in the text
_KEY_NAME = re.compile(r"passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
                       r"|auth[_-]?key|credentials?")
# a name for what is derived from a credential and is none itself: a hash or a ciphertext
# (password_hash, enc_password, encrypted_token), not a decrypted one
_DERIVED = re.compile(r"hash|(?<!de)crypted|digest|(?:^|[_.-])enc(?:$|[_.-])")
_KEY_VALUE = re.compile(r"[\"']?(\s*(?:[:=]|=>)\s*|\s+)(?:[Bb]earer\s+)?([\"']?)([^\s\"'`]{8,200})")
_BEARER = re.compile(r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)")
_EMAILISH = re.compile(r"\w@[\w-]+\.[A-Za-z]{2,}")
# a whole value that stands for one: <your-token>, {TOKEN}, ${TOKEN}, [token], %TOKEN% (the
# words and regular values are ftlint.privacy.placeholder's)
_PLACEHOLDER = re.compile(r"(?i)^(?:<.*>|\{.*\}|\$\{?\w+\}?|\[.*\]|%\w+%)$")

def _classes(value: str) -> int:
    return (any(c.islower() for c in value) + any(c.isupper() for c in value) + any(c.isdigit() for c in value)
            + any(not c.isalnum() for c in value))


def find_secrets(text: str, min_entropy: float = 3.0, kinds: tuple[str, ...] = SECRET_KINDS) -> list[Match]:
    """Every credential in ``text`` (type ``"secret"``, the kind in ``detail``), in text order.

    ``min_entropy`` (bits per character) applies to generic ``key=value`` credentials only; the
    provider formats are recognised by shape."""
    found: list[Match] = []
    quiet: list[tuple[int, int]] = []  # placeholders and examples: not found again as generic credentials

    def add(kind: str, start: int, end: int, value: str, random_part: str | None = None) -> None:
        if any(s < end and start < e for s, e in quiet):
            return
        if random_part is not None and (value in EXAMPLES or placeholder(random_part)
                                        or text.startswith(("...", "…"), end)):
            quiet.append((start, end))  # a placeholder, an example, or a key shown cut ("ghp_4f...")
            return
        if kind in kinds and not any(m.start < end and start < m.end for m in found):
            found.append(Match("secret", start, end, value, kind))

    if "AKIA" in text or "ASIA" in text or "ABIA" in text or "ACCA" in text:
        for m in _AWS_ID.finditer(text):
            add("aws-access-key-id", m.start(), m.end(), m.group(), m.group()[4:])
    if any(t in text for t in _PRIVATE_KEY_TRIGGERS):
        for m in _PRIVATE_KEY.finditer(text):
            e = _KEY_END.search(text, m.end(), m.end() + 20_000)
            if e is not None:
                body, stop = text[m.end():e.start()], e.end()
            else:  # a block cut short: its lines up to the first blank one
                cut = text.find("\n\n", m.end(), m.end() + 4_000)
                body, stop = text[m.end():cut if cut >= 0 else m.end() + 4_000], m.end()
            if _key_body_placeholder(body):
                quiet.append((m.start(), stop))
                continue
            add("private-key", m.start(), stop, text[m.start():stop])
    if "_" in text and ("github_pat_" in text or any(p in text for p in _GITHUB_PREFIXES)):
        for m in _GITHUB.finditer(text):
            v = m.group()
            add("github-token", m.start(), m.end(), v, v[11:] if v.startswith("github_pat_") else v[4:])
    if "gl" in text and any(p in text for p in _GITLAB_PREFIXES):
        for m in _GITLAB.finditer(text):
            add("gitlab-token", m.start(), m.end(), m.group(), m.group().split("-", 1)[1])
    if "xox" in text or "xapp-" in text:
        for m in _SLACK.finditer(text):
            v = m.group()
            add("slack-token", m.start(), m.end(), v, v.rsplit("-", 1)[-1])
    if "hooks.slack.com" in text:
        for m in _SLACK_HOOK.finditer(text):
            add("slack-webhook", m.start(), m.end(), m.group(), m.group().split("/", 4)[-1])
    if "sk-" in text:
        for m in _OPENAI.finditer(text):
            v = m.group()
            add("openai-key", m.start(), m.end(), v, v[_OPENAI_PREFIX.match(v).end():])
        if "sk-ant-" in text:
            for m in _ANTHROPIC.finditer(text):
                add("anthropic-key", m.start(), m.end(), m.group(), m.group().split("-", 3)[-1])
    if "AIza" in text:
        for m in _GOOGLE.finditer(text):
            add("google-api-key", m.start(), m.end(), m.group(), m.group()[4:])
    if "k_live_" in text:
        for m in _STRIPE.finditer(text):
            add("stripe-key", m.start(), m.end(), m.group(), m.group()[8:])
    if "npm_" in text:
        for m in _NPM.finditer(text):
            add("npm-token", m.start(), m.end(), m.group(), m.group()[4:])
    if "pypi-AgE" in text:
        for m in _PYPI.finditer(text):
            add("pypi-token", m.start(), m.end(), m.group(), m.group()[20:])
    if "SG." in text:
        for m in _SENDGRID.finditer(text):
            add("sendgrid-key", m.start(), m.end(), m.group(), m.group()[3:])
    if "AccountKey=" in text:
        for m in _AZURE.finditer(text):
            add("azure-storage-key", m.start(1), m.end(1), m.group(1), m.group(1))
    if "://" in text and "@" in text:
        for m in _URL_AUTH.finditer(text):
            v = m.group(2)
            if _credential_like(v, min_entropy):
                add("url-credential", m.start(2), m.end(2), v, v)
    if "eyJ" in text:
        for m in _JWT.finditer(text):
            if _jwt_header_ok(m.group()):
                add("jwt", m.start(), m.end(), m.group(), m.group().rsplit(".", 1)[-1])
    lower = text.lower()
    # before the generic credentials, which would report the same value under the keyword
    if len(text) >= 40 and ("aws" in lower or "secret" in lower or "amazon" in lower):
        for m in _AWS_SECRET.finditer(text):
            v = m.group()
            if _classes(v) >= 3 and shannon(v) >= 4.0 and _AWS_CONTEXT.search(text, max(0, m.start() - 80), m.start()):
                add("aws-secret-access-key", m.start(), m.end(), v, v)
    if len(lower) == len(text) and ("pass" in lower or "pwd" in lower or "secret" in lower or "token" in lower
                                    or "key" in lower or "credential" in lower or "bearer" in lower):
        # lower() keeps offsets for all but a few letters (a text with one of those is not scanned
        # for generic credentials; the provider formats above still are)
        for end in _keyword_ends(lower):
            m = _KEY_VALUE.match(text, end)
            if m is None:
                continue
            raw = m.group(3)
            if not m.group(2) and code_expression(raw) or "..." in raw or "…" in raw:
                continue  # code (token = request.headers.get(...)), or a value shown cut ("ghp_4f...")
            value = raw.rstrip(".,:;!?)]}>")
            # "password requirements": after a bare space, only a value that is clearly random
            spaced = not m.group(1).strip()
            if _credential_like(value, min_entropy + 0.5 * spaced, strict=spaced):
                add("credential", m.start(3), m.start(3) + len(value), value)
        for m in _BEARER.finditer(text) if "bearer" in lower else ():
            v = m.group(1)
            if _classes(v) >= 2 and shannon(v) >= min_entropy + 0.5 and not _PLACEHOLDER.match(v) \
                    and not placeholder(v):
                add("credential", m.start(1), m.end(1), m.group(1))
    found.sort(key=lambda m: m.start)
    return found


def _keyword_ends(lower: str):
    """End offsets of the identifiers in ``lower`` that name a credential (``db_password``,
    ``api-key``, ``clientSecret``), found with str.find: a regex alternation over the whole text
    costs ten times more. Whether an identifier names a credential is remembered per identifier
    (prose repeats "password", "token" and "keyboard")."""
    seen = set()
    names = _NAMES
    for stem in _KEYWORD_LIST:
        i = lower.find(stem)
        while i >= 0:
            a = i
            while a and (lower[a - 1].isalnum() or lower[a - 1] in "_-."):
                a -= 1
            b = _IDENT_TAIL.match(lower, i + len(stem)).end()
            if b not in seen:
                name = lower[a:b]
                ok = names.get(name)
                if ok is None:
                    if len(names) >= 20_000:
                        names.clear()
                    ok = names[name] = _KEY_NAME.search(name) is not None and _DERIVED.search(name) is None
                if ok:
                    seen.add(b)
                    yield b
            i = lower.find(stem, b)


_NAMES: dict[str, bool] = {}
_IDENT_TAIL = re.compile(r"[\w-]*")


def _key_body_placeholder(body: str) -> bool:
    """A private key block without a key in it: under 64 characters of base64 (a header shown
    alone, "MIIEpAIBAAKCAQEA..."), or elided ("...", "<your key here>")."""
    if "..." in body or "…" in body or "<" in body:
        return True
    return sum(map(len, _BASE64_RUN.findall(body))) < 64


def _jwt_header_ok(token: str) -> bool:
    head = token.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(decoded, dict) and ("alg" in decoded or "typ" in decoded)


def _credential_like(value: str, min_entropy: float, strict: bool = False) -> bool:
    if value.isalpha() or value.isdigit():
        return False  # a word or a number
    if strict and (len(value) < 12 or not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value)):
        return False
    if _PLACEHOLDER.match(value) or placeholder(value):
        return False
    if "://" in value or value.startswith(("/", "./", "~", "http")) or _EMAILISH.search(value):
        return False  # a URL, a path or an address: the name of a place, not a credential
    # an ordinary word or number after "password:" is prose, not a credential
    return _classes(value) >= 2 and any(c.isdigit() or not c.isalnum() for c in value) \
        and shannon(value) >= min_entropy


# what a record must hold for find_secrets to find anything in it, looked for once per batch of
# texts (find_secrets_batch): the providers' prefixes, case-sensitive. Each search is one pass
# over the batch at memory speed (str.find, or a regex that starts with a literal, which sre
# scans for just as fast); prefixes that share their first characters share a pass ...
_TRIGGERS = ("PuTTY-User-Key-File-", "eyJ", "k_live_", "npm_", "pypi-AgE", "SG.")
_TRIGGER_RES = (
    re.compile("A(?:KIA|SIA|BIA|CCA|Iza|ccountKey=)"),
    re.compile("g(?:h(?:ithub_pat_|" + "|".join(re.escape(p[2:]) for p in _GITHUB_PREFIXES) + ")|l(?:"
               + "|".join(re.escape(p[2:]) for p in _GITLAB_PREFIXES) + "))"),
    re.compile("x(?:ox|app-)"),
    re.compile("----(?:-BEGIN| BEGIN SSH2)"),
    re.compile("://(?:hooks\\.slack\\.com|" + _URL_AUTH.pattern[3:-len("[A-Za-z0-9.-]")] + ")"),
    _SK,
)
# ... and, on the lower-cased text, a credential keyword followed the way _KEY_VALUE wants it by a
# value of 8 characters or more that is not one word: it holds a character other than a-z that is
# not only trailing punctuation (which _credential_like strips; a word is never a credential).
# One regex per keyword, so that each starts with a literal and the regex engine jumps between
# occurrences in C.
_VALUE_CHAR = "[^\\s\"'`\\x00]"
_STRIP = ".,:;!?)\\]}>"
_KEYWORD_VALUES = tuple(re.compile(
    stem + "[\\w-]*+[\"']?(?:\\s*(?:[:=]|=>)\\s*|\\s+)(?:bearer\\s+)?[\"']?"
    f"(?={_VALUE_CHAR}{{8}}){_VALUE_CHAR}*?(?:[^\\s\"'`\\x00a-z{_STRIP}]|[{_STRIP}](?=[^\\s\"'`\\x00{_STRIP}]))")
    for stem in _KEYWORD_LIST)
_AWS_WORDS = ("aws", "secret", "amazon")


def find_secrets_batch(batch: TextBatch, min_entropy: float = 3.0,
                       kinds: tuple[str, ...] = SECRET_KINDS) -> list[list[Match]]:
    """``[find_secrets(t, min_entropy, kinds) for t in batch.texts]``: each trigger (a provider's
    prefix, a keyword with a value, "bearer", an AWS word with a 40-character token) is looked for
    once in all the texts joined (``batch.big``, ``batch.lower``), and find_secrets runs only on
    the texts that hold one; a text without any gives nothing in find_secrets either."""
    texts = batch.texts
    big, lower = batch.big, batch.lower
    if big is None or lower is None:
        return [find_secrets(t, min_entropy, kinds) for t in texts]
    starts = batch.starts
    hit: set[int] = set()
    for needle in _TRIGGERS:
        hit |= batch.holding(needle)
    for rx in _TRIGGER_RES:
        for m in rx.finditer(big):
            hit.add(bisect_right(starts, m.start()) - 1)
    for rx in _KEYWORD_VALUES:
        for m in rx.finditer(lower):
            hit.add(bisect_right(starts, m.start()) - 1)
    hit |= batch.holding("bearer", lower)
    # an AWS secret key is reported only with "aws", "secret" or "amazon" at most 80 characters
    # before its start: 40 characters without a space, of 3 classes of character (so with a
    # capital letter, a "/" or a "+": not a lower-case hash). Only the 126 characters after each
    # such word can hold one (a token cut at the window's end is still 40 long).
    for word in _AWS_WORDS:
        i = lower.find(word)
        while i >= 0:
            k = bisect_right(starts, i) - 1
            if k not in hit:
                for w in big[i:i + 126].split():
                    if len(w) >= 40 and (w != w.lower() or "/" in w or "+" in w):
                        hit.add(k)
                        break
            i = lower.find(word, i + 1)
    out: list[list[Match]] = [[] for _ in texts]
    for k in hit:
        out[k] = find_secrets(texts[k], min_entropy, kinds)
    return out
