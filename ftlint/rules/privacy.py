"""FT7: PII and secrets. Whatever is in a fine-tuning file can come back out of the tuned model.

The detectors live in ftlint.privacy (shared with redaction, ftlint.curate.redact); the rules here
choose the fields, apply the allow-list and write messages in which every found value is masked
(``ftlint.privacy.mask``): no output of ftlint ever carries a found value in full."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from ftlint.finding import Problem
from ftlint.privacy import DEFAULT_REGIONS, PII_TYPES, PLACEHOLDERS, SECRET_KINDS, Match, mask
from ftlint.privacy.fields import AllowList, checked_fields
from ftlint.privacy.match import TextBatch
from ftlint.privacy.pii import find_pii_batch
from ftlint.privacy.secrets import find_secrets_batch
from ftlint.rules.base import Option, rule

_LABELS = {"email": "e-mail address", "phone": "phone number", "card": "payment card number",
           "ssn": "US social security number", "iban": "IBAN", "national-id": "national id number",
           "ip": "IP address"}
_SHOWN = 5  # masked values listed in data per finding


def _list_option(help_text: str, default: tuple = ()) -> Option:
    return Option(list(default), help_text, type=list)


_COMMON = {
    "skip-fields": _list_option("fields not checked: a top-level key (`system`, `input`, `prompt`) or a chat "
                                "role (`system`, `user`, `assistant`), e.g. a system prompt that carries a "
                                "company's public support address"),
    "allow": _list_option("known-public values never reported, compared without case and spaces; `*` and `?` "
                          "are wildcards (`*@example.com`)"),
}


@rule("FT701", "pii", "warning",
      "Personal data in a text field: e-mail, phone, payment card, US SSN, IBAN, national id, IP address.",
      why="personal data may be lawful or public (your own support address, a published number); a person "
          "decides, and ftlint.curate.redact masks what must go.",
      scope="record", batch=True, parallel=True, options={
          "types": Option(list(PII_TYPES), "the kinds of personal data looked for: " + ", ".join(PII_TYPES),
                          type=list),
          "regions": Option(list(DEFAULT_REGIONS), "ISO regions a phone number written without a country "
                            "code is validated for (phonenumbers metadata), in order", type=list),
          **_COMMON,
      })
def pii(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks in every text field of a record (prompt, completion, chat turns, system prompt) for
    e-mail addresses; phone numbers (below); payment card numbers of 13-19 digits, with or
    without spaces or dashes, that pass the Luhn checksum and start with a card network's
    prefix; US social security numbers outside the ranges never issued (000, 666, 9xx, group 00,
    serial 0000); IBANs with a valid checksum; national id numbers that python-stdnum validates
    (Spanish DNI/NIE, Italian codice fiscale, Brazilian CPF, French NIR); public IPv4 and IPv6
    addresses. One finding per record and kind; `data` holds the `type`, the `count`, the
    `fields` and the values **masked** (kind and last characters).

    A phone number is checked with Google's libphonenumber metadata (the `phonenumbers`
    package), never by a digit pattern alone:
    - with a country code (`+44 20 7946 0958`), it must be valid for that country;
    - after a word that introduces one ("call", "phone", "tel", "text me", "my number is"), it
      must be valid for one of `regions`;
    - otherwise it must also be written with that region's digit grouping, as phonenumbers'
      `STRICT_GROUPING` leniency checks it (`(415) 555-0142`, `020 7946 0958`, or one block
      `4155550142` after "number" or "at"), and must not sit in a list of short numbers.

    Ordinary numbers do not fire: dates, times, versions, amounts, order and invoice numbers
    (an id word before them), lists of numbers, and arithmetic: a number next to `=` or with an
    operator and another number beside it is a term of a sum (a math dataset's worked answer
    `100 - 50 - 30 - 15 = $<<100-50-30-15=5>>5` is not a phone number, nor a card). Nor do
    values that are nobody's: placeholder phone numbers (`1234567890`, `9999999999`), the
    card numbers payment providers publish for testing (`4111 1111 1111 1111`,
    `4242 4242 4242 4242`), digits not grouped as a card is (`6 12 18 24 ...`), and private
    network addresses (`10.x`, `172.16-31.x`, `192.168.x`, `fc00::/7`).

    ## Why it matters
    A tuned model can repeat its training text word for word, including a customer's address or
    card number, to anyone who prompts it the right way. Support transcripts, the usual source
    of fine-tuning data, are full of them; privacy law (GDPR, CCPA) treats training on them
    without consent as processing personal data.

    ## Example
    ```jsonl bad
    {"prompt": "Please call me at +1 415-555-0142 or mail jordan.miles@example.com about order 55123.", "completion": "We will call you back today."}
    ```
    ```jsonl bad
    {"prompt": "Jordan Miles, 020 7946 0958, flat 4.", "completion": "Thanks, noted."}
    ```
    ```jsonl good
    {"prompt": "Please call me about order 55123 from 2024-03-05 (total $1,249.00).", "completion": "We will call you back today."}
    ```
    ```jsonl good
    {"prompt": "Betty has $15. How much more does she need?", "completion": "Betty needs 100 - 50 - 30 - 15 = $<<100-50-30-15=5>>5 more."}
    ```
    ```jsonl good allow=["*@example.com"] types=["email"]
    {"prompt": "Mail jordan.miles@example.com about order 55123.", "completion": "Done."}
    ```

    ## Fix
    Replace each value with a typed placeholder (`[EMAIL]`, `[PHONE]`, `[CARD]`, ...) so the
    model learns the shape of the answer without anybody's data: `ftlint.curate.redact`
    does this per record. List known-public values (your own support address) in `allow`, and
    fields that may carry them (a system prompt) in `skip-fields`.
    """
    cfg = _config(options)
    types, allow, order = cfg["types"], cfg["allow"], PII_TYPES.index
    skip = cfg["skip"]
    for k, matches in enumerate(find_pii_batch(_joined(records, skip), types, cfg["regions"])):
        if not matches:
            continue
        paths, starts, _ = _join(records[k].example, skip)
        found: dict[str, list[tuple[str, Match]]] = {}
        for m in matches:
            if not (allow and m.value in allow):
                found.setdefault(m.type, []).append((paths[bisect_right(starts, m.start) - 1], m))
        for kind in sorted(found, key=order):
            yield _problem(records[k].line, kind, _LABELS[kind], found[kind])


@rule("FT702", "secret", "error",
      "Credentials in a text field: cloud and AI API keys, private keys, GitHub/GitLab/Slack tokens, JWTs, passwords.",
      why="a real credential in training data has leaked already and can be memorised and repeated by the "
          "model: rotate it. Placeholders and documented example keys are not reported at all.",
      scope="record", batch=True, parallel=True, options={
          "kinds": Option(list(SECRET_KINDS), "the kinds of credential looked for: " + ", ".join(SECRET_KINDS),
                          type=list),
          "min-entropy": Option(3.0, "bits per character a generic `key=value` credential must reach (a random "
                                "12-character password has about 3.5; `password: summer2024` has 2.9)",
                                type=(int, float)),
          **_COMMON,
      })
def secret(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks in every text field for credentials: AWS access key ids (`AKIA...`, `ASIA...`) and
    secret access keys, private key blocks (PEM `-----BEGIN ... PRIVATE KEY-----`, SSH2 and
    PuTTY keys), GitHub tokens (`ghp_`, `gho_`, `ghs_`, fine-grained `github_pat_`), GitLab
    tokens (`glpat-`...), Slack tokens (`xoxb-`, `xoxp-`, `xapp-`...) and webhooks, OpenAI keys
    (`sk-proj-`, `sk-svcacct-`, `sk-admin-`, legacy `sk-...T3BlbkFJ...`), Anthropic keys
    (`sk-ant-api03-`), Google API keys (`AIza...`), Stripe live keys (`sk_live_`, `rk_live_`),
    npm (`npm_`), PyPI (`pypi-AgEIcHlwaS5vcmc...`), SendGrid (`SG.`) and Azure storage
    (`AccountKey=`) keys, JSON Web Tokens (whose header decodes to JSON), passwords in URLs
    (`postgres://user:PASSWORD@host`), and generic credentials written as `password=...`,
    `api_key: ...`, `Authorization: Bearer ...` whose value is random enough (`min-entropy`). One finding per record; `data` holds the `kinds`, the `count`, the
    `fields` and the masked values.

    What has a key's shape but is not one is not reported:
    - placeholders: `<your-token>`, `${TOKEN}`, `your-api-key-here`, `sk-your-key-here`,
      `mongodb://user:password@localhost`,
      `sk-...xxxx`, `INSERT_TOKEN_HERE`, a key shown cut (`ghp_4fJ8...`), a private key block
      without a key in it (`MIIEpAIBAAKCAQEA...`, `<your private key>`);
    - the providers' documented example keys (AWS's `AKIAIOSFODNN7EXAMPLE`, jwt.io's token):
      public, so nothing leaks, and nothing to rotate;
    - values too regular to be random: six times one character (`ghp_xxxx...`), six
      characters in sequence (`123456`, `abcdef`), under 2.5 bits of entropy per character;
    - code after the keyword: `token = request.headers.get(...)`, `token = jwt.encode({`,
      `api_key = config.api_key` (a literal credential in code is quoted), and a value named
      as a hash or a ciphertext (`password_hash`, `enc_password`).

    These give nothing at all, not even a warning: there is nothing to rotate and nothing to
    remove, and a tutorial answer that shows `export OPENAI_API_KEY=sk-your-key-here` is what
    a model should learn to write.

    ## Why it matters
    A key in training data is a leaked key: anyone who can prompt the tuned model may get it
    back, and the dataset itself is copied to buckets and laptops. Rotate it, then remove it.

    ## Example
    ```jsonl bad
    {"prompt": "Export fails with AccessDenied, I use key AKIAQZ6JYWVDAMXIQK36.", "completion": "Check the bucket policy."}
    ```
    ```jsonl good
    {"prompt": "Export fails with AccessDenied, I use my access key.", "completion": "Check the bucket policy."}
    ```
    ```jsonl good
    {"prompt": "How do I set my key?", "completion": "Run export OPENAI_API_KEY=sk-your-key-here, or use AWS's example AKIAIOSFODNN7EXAMPLE."}
    ```

    ## Fix
    Rotate the credential first (it has leaked already), then replace it with `[SECRET]` or drop
    the record (`ftlint.curate.redact` does the replacement). Known fake values that still look
    random can be listed in `allow`.
    """
    cfg = _config(options)
    allow = cfg["allow"]
    skip = cfg["skip"]
    for k, matches in enumerate(find_secrets_batch(_joined(records, skip), cfg["min_entropy"], cfg["kinds"])):
        if not matches:
            continue
        paths, starts, _ = _join(records[k].example, skip)
        found = [(paths[bisect_right(starts, m.start) - 1], m) for m in matches if not (allow and m.value in allow)]
        if found:
            yield _problem(records[k].line, "secret", "credential", found)


def _problem(line: int, kind: str, label: str, hits: list[tuple[str, Match]]) -> Problem:
    path, first = hits[0]
    shown = [mask(m.value, m.detail if kind == "secret" else m.type) for _, m in hits[:_SHOWN]]
    what = f"{first.detail.replace('-', ' ')}" if kind == "secret" else label
    more = f" and {len(hits) - 1} more" if len(hits) > 1 else ""
    fields = sorted({p for p, _ in hits})
    action = ("rotate it and replace it with [SECRET] or drop the record" if kind == "secret"
              else f"replace it with {PLACEHOLDERS[kind]} or drop the record")
    data: dict[str, Any] = {"type": kind, "count": len(hits), "fields": fields, "masked": shown}
    if kind == "secret":
        data["kinds"] = sorted({m.detail for _, m in hits})
    elif first.detail:
        data["schemes"] = sorted({m.detail for _, m in hits if m.detail})
    return Problem(line, f"{what} ({shown[0]}) in {path}{more}; {action}", data=data)


def _joined(records: list, skip: frozenset[str]) -> TextBatch:
    """The records' checked fields, each record's joined by newlines (one scan per record instead of
    one per field), as one TextBatch (scanned together). FT701 and FT702 run one after the other
    on the same batch of records: the second one reuses the first's. A match is traced back to
    its field with _join (for the few records that have one)."""
    last = _LAST_JOINED
    if last[0] is records and last[1] == skip and last[2] == len(records):
        return last[3]
    texts: list[str] = []
    append = texts.append
    for record in records:
        fields = record.example.text_fields
        if not skip and len(fields) == 2:  # prompt and completion, input and output, a two-turn chat
            t0, t1 = fields[0][1], fields[1][1]
            if t0 and t1:
                append(f"{t0}\n{t1}")
                continue
        append(_join(record.example, skip)[2])
    batch = TextBatch(texts)
    last[:] = (records, skip, len(records), batch)
    return batch


_LAST_JOINED: list = [None, None, None, None]


def _join(example, skip: frozenset[str]) -> tuple[list[str], list[int], str]:
    paths, starts, texts, pos = [], [], [], 0
    for path, text in checked_fields(example, skip):
        paths.append(path)
        starts.append(pos)
        texts.append(text)
        pos += len(text) + 1
    return paths, starts, "\n".join(texts)


_CACHE: dict[int, tuple[dict, dict]] = {}


def _config(options: dict) -> dict:
    """The options in the shape the hot path wants, built once per options dict."""
    hit = _CACHE.get(id(options))
    if hit is not None and hit[0] is options:
        return hit[1]
    cfg = {
        "types": frozenset(options.get("types", PII_TYPES)),
        "regions": tuple(r.upper() for r in options.get("regions", DEFAULT_REGIONS)),
        "kinds": tuple(options.get("kinds", SECRET_KINDS)),
        "min_entropy": float(options.get("min-entropy", 3.0)),
        "skip": frozenset(str(v) for v in options.get("skip-fields", ())),
        "allow": AllowList(options.get("allow", ())),
    }
    _CACHE[id(options)] = (options, cfg)
    return cfg


RULES = (pii, secret)
