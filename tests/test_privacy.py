"""FT701 pii, FT702 secret, masking and redaction."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import write_jsonl

import ftlint
from ftlint.cli import main
from ftlint.curate.redact import redact_record, redact_text
from ftlint.errors import ConfigError
from ftlint.privacy import find_pii, find_secrets, mask
from ftlint.report import REPORTERS

PLANTED = {
    "email": "jordan.miles@example.com",
    "phone": "+1 415-555-0142",
    "card": "4539 1488 0343 6467",
    "ssn": "123-45-6789",
    "iban": "DE89 3704 0044 0532 0130 00",
    "aws": "AKIAQZ6JYWVDAMXIQK36",
    "password": "Xk9#mPq2vL8nR4tZ",
    "github": "ghp_IIiO4tu4JqaUvCqNTte94bIQyT7Kympjgn0H",
}


def _types(text, **kw):
    return [(m.type, m.value) for m in find_pii(text, **kw)]


@pytest.mark.parametrize("text,kind,value", [
    ("mail jordan.miles@example.com today", "email", "jordan.miles@example.com"),
    ("call +1 415-555-0142 now", "phone", "+1 415-555-0142"),
    ("call (415) 555-0142 now", "phone", "(415) 555-0142"),
    ("appelez le 01 42 68 53 00", "phone", "01 42 68 53 00"),
    ("ring 020 7946 0958 tomorrow", "phone", "020 7946 0958"),
    ("call me on 4155550142", "phone", "4155550142"),
    ("card 4539-1488-0343-6467 please", "card", "4539-1488-0343-6467"),
    ("amex 378291564730298.", "card", "378291564730298"),
    ("ssn 123-45-6789", "ssn", "123-45-6789"),
    ("IBAN GB82 WEST 1234 5698 7654 32 ok", "iban", "GB82 WEST 1234 5698 7654 32"),
    ("codice RSSMRA85T10A562S allegato", "national-id", "RSSMRA85T10A562S"),
    ("CPF 834.015.668-30", "national-id", "834.015.668-30"),
    ("from 203.0.113.7 today", "ip", "203.0.113.7"),
    ("host 2001:db8:85a3::8a2e:370:7334 down", "ip", "2001:db8:85a3::8a2e:370:7334"),
])
def test_pii_found(text, kind, value):
    assert (kind, value) in _types(text)


@pytest.mark.parametrize("text", [
    "Order 48213 was placed on 2024-03-05 at 14:30:00.",
    "Invoice INV-2024-00042 totals $1,249.00, due 05/03/2024.",
    "We run version 2.14.3; Windows build 10.0.19045.3803.",
    "My order number is 4155550142 and ticket 20240305118 is open.",
    "Reference 851-158-232 on the receipt, SKU 88213-44.",
    "Total 1 234 567,89 EUR, or 1234567.89 USD, 45% of 1200 seats.",
    "Run id 550e8400-e29b-41d4-a716-446655440000 failed at step 3.",
    "Tracking 1Z999AA10123456784 says delivered; postcode 90210.",
    "Card 4111 1111 1111 1112 fails Luhn.",
    "SSNs 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567 and 123-45-0000 are never issued.",
    "localhost 127.0.0.1, mask 255.255.255.0, at 12:30:45 and 14:30:00.",
    "Meet on 15.10.2021. Then 2021-10-15 and 10/15/2021.",
])
def test_ordinary_numbers_do_not_fire(text):
    assert _types(text) == []


@pytest.mark.parametrize("text,found", [
    ("Rufen Sie an: +49 30 901820 bitte", ["+49 30 901820"]),  # a country code: 7+ digits suffice
    ("my number is 4155550142", ["4155550142"]),  # a weak word and a valid number
    ("smartphone 4155550142", ["4155550142"]),  # "phone" inside a word
    ("reorder number 4155550142", []),  # "order" inside a word: an id
    ("zipcode 4155550142", []),
    ("Ticket #4155550142", []),
    ("paid € 4155550142 today", []),  # an amount
    ("Charge €12, call (415) 555-0142 today", ["(415) 555-0142"]),
    ("Teléfono: (415) 555-0142 señor", ["(415) 555-0142"]),
])
def test_phone_context_and_candidates(text, found):
    assert [v for k, v in _types(text) if k == "phone"] == found


# false alarms of the phone detector, each class beside a real number that must still fire
@pytest.mark.parametrize("quiet,real,value", [
    # arithmetic in a worked answer (GSM8K): a term of a sum, in any grouping, even after "calls"
    ("Betty needs 100 - 50 - 30 - 15 = $<<100-50-30-15=5>>5 more.",
     "Betty, 020 7946 0958, is in London.", "020 7946 0958"),
    ("So he made a profit of 30000-12000=$<<30000-12000=18000>>18000", "Call 030 901820 00 today.", "030 901820 00"),
    ("Of the calls, 450000-2000=448000 were answered.", "Of the calls, 415-555-0142 was mine.", "415-555-0142"),
    ("x = 5 * 415-555-0142", "x: 415-555-0142", "415-555-0142"),
    # a list of numbers
    ("The terms are 599, 439 and 88 49 78 99 30.", "Reach Priya at 88 49 78 99 30.", "88 49 78 99 30"),
    ("Scores: 88 49 78 99 30, 12 and 7.", "Jordan Miles, 415-555-0142, 12 Main Street", "415-555-0142"),
    # digits grouped as the region never writes its numbers, with no word that introduces them
    ("Sizes 650 25 300 00 in stock.", "Call 650 25 300 00 tonight.", "650 25 300 00"),
    ("Batch 02316 162934 shipped.", "My number is 02316 162934.", "02316 162934"),
])
def test_phone_false_alarms_and_the_real_numbers_beside_them(quiet, real, value):
    assert _types(quiet) == []
    assert ("phone", value) in _types(real)
    report = ftlint.check([{"prompt": quiet, "completion": real}], select=["FT701"])
    assert [f.data["fields"] for f in report.findings] == [["completion"]]


def test_arithmetic_is_no_card_either():
    assert _types("So he has 588269-68297-96058=$423914 left.") == []
    assert _types("card 5882-6968-2979-6058 please") == [("card", "5882-6968-2979-6058")]


# personal-data look-alikes that are nobody's: each beside a real value that must still fire
@pytest.mark.parametrize("quiet,real,kind", [
    # placeholder phone numbers of forms and code samples
    ("my_number = '1234567890'", "my_number = '4155550142'", "phone"),
    ("Values: 101, 'John', phone '9999999999'", "Values: 101, 'John', phone '4155550142'", "phone"),
    ("phone_numbers = {'Mother': 123456789}", "phone_numbers = {'Mother': 612345678}", "phone"),
    # the card numbers payment providers publish for testing
    ("Charge $150.50 to card 4111-1111-1111-1111 in USD.", "Charge $150.50 to card 4539-1488-0343-6467 in USD.", "card"),
    ("Use 4242 4242 4242 4242, any CVC.", "Use 4539 1488 0343 6467, any CVC.", "card"),
    # a row of a times table is no card: cards come in groups of 3 to 6 digits
    ("# 6 12 18 24 30 36 42 48 54 60", "# 6011 0009 9013 0001", "card"),
    # a private network's address, and a subnet
    ("docker network create --subnet=172.18.0.0/16 mynetwork", "requests from 203.0.113.7 fail", "ip"),
    ("the printer is at 192.168.1.20, the VPN at 10.8.0.1", "the printer is at 198.51.100.20", "ip"),
    ("ULA fd12:3456:789a::1 inside", "host 2001:db8:85a3::8a2e:370:7334 outside", "ip"),
])
def test_lookalikes_that_are_nobodys(quiet, real, kind):
    assert _types(quiet) == []
    assert kind in [k for k, _ in _types(real)]


SAMPLES_FOR_PATHS = [
    "call +1 415-555-0142 now or (415) 555-0142, card 4539-1488-0343-6467, ssn 123-45-6789",
    "IBAN GB82 WEST 1234 5698 7654 32, Mi DNI es 12345678Z, NIE X1234567L, codice RSSMRA85T10A562S",
    "CPF 834.015.668-30 from 203.0.113.7 and 2001:db8:85a3::8a2e:370:7334 at 12:30:45",
    "My order number is 4155550142 and ticket 20240305118 is open; Reference 851-158-232.",
    "Total 1 234 567,89 EUR, or 1234567.89 USD; version 10.0.19045.3803; call me on 4155550142",
]


@pytest.mark.parametrize("text", SAMPLES_FOR_PATHS)
def test_ascii_and_unicode_scans_agree(text):
    # an ASCII text uses the ASCII number regex; a non-ASCII symbol (EUR sign) a stand-in ASCII
    # text; a non-ASCII letter the Unicode regexes: all three must find the same values
    plain = _types(text)
    assert _types("\u20ac " + text) == plain
    assert _types("\u00e9 " + text) == plain


def _batch_texts() -> list[str]:
    base = SAMPLES_FOR_PATHS + list(PLANTED.values()) + [
        "write jordan.miles@example.com, 8.8.8.8 then fe80::1 and 2001:db8::1", "1.2.3.4 a@b.com",
        "at 10:20:30 and 10:20", "api_key: 0123456789abcdef0123 and password=Xk9#mPq2vL8nR4tZ",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKEY", "Authorization: Bearer abcDEF123456ghiJKL789",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", "the API key settings page",
        "\u00e9 call \u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660 or 4155550142",
        "\u03a3 token: Ab12Cd34Ef56", "K\u212aey=Ab12Cd34Ef56", "x\x00 call +1 415-555-0142", "", "12345678Z",
        # dotted amounts and versions next to the numbers a dot may be part of
        "Quote 9785507.98, build 10.0.22331.1599, CPF 660.489.906-34, call 415.555.0142 or +33.1.23.45.67.89",
        "call 0033.1.2345.6789 or 0033.123.456 and SSN 123.45.6789",
        "DNI 12345678-Z and NIE X-1234567-L", "NIE X-1234567-L", "DNI 12345678-Z",
        # sums, lists and groupings the phone detector rejects, beside numbers it keeps
        "left 960-480-120 = <<960-480-120=360>>360, then 599, 439 and 88 49 78 99 30; call 650 25 300 00",
        "5 * 415-555-0142 or 415-555-0142=x, my number is 02316 162934, 588269-68297-96058=$1",
    ]
    # every credential shape, and placeholders of them, each alone and all in one text
    shapes = [f"key {v} here" for v in REAL_KEYS.values()] + [
        "AKIAIOSFODNN7EXAMPLE sk-your-key-here ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "redis://:p4ss-W0rd-99x@cache:6379 and mongodb://user:password@localhost",
        "token = jwt.encode({ and enc_password = 'IH6noKXV7kU6S5BS6LTYMOSoIz15gyKx'"]
    base += shapes + [" ".join(shapes)]
    # an AWS secret key counts only with aws/secret/amazon at most 80 characters before it: the
    # batch prefilter looks at a window after each such word, so distances around its edge
    key = "Zq8/Lm3+Tx9Rv2Wb7Yc4Nd6Pf1Gh5Jk0Qs3Ue8Ia"
    base += [f"{word}{' ' * gap}{key}" for word in ("aws", "Secret.", "AMAZON") for gap in (1, 74, 75, 76, 77, 78, 80, 83)]
    base += [f"aws {'x' * 30} {'y' * 20}{key}zz", f"secret {key.lower()}", f"Secret\x00{' ' * 40}{key}"]
    # the same texts cut so that values touch the start and the end of a text
    cut = [t[i:j] for t in base for i, j in ((0, len(t) // 2), (len(t) // 3, len(t)), (5, len(t) - 5))]
    return base + cut


def test_dotted_numbers():
    # a dot rules out an SSN, a card and a NIR; it is kept only in a phone number with short
    # groups, a CPF, and after a country code
    found = [(m.type, m.value) for m in find_pii(
        "Quote 9785507.98, build 10.0.22331.1599, CPF 660.489.906-34, call 415.555.0142 or +33.1.23.45.67.89")]
    assert found == [("national-id", "660.489.906-34"), ("phone", "415.555.0142"), ("phone", "+33.1.23.45.67.89")]


@pytest.mark.parametrize("types", [None, ("ip",), ("email", "phone"), ("iban", "card", "national-id")])
def test_batch_scans_agree_with_the_per_text_ones(types):
    # FT701/FT702 scan a batch of texts joined by NULs (a NUL bounds a match as a text's ends do);
    # the answer must be find_pii's and find_secrets', text by text, whatever the neighbours
    from ftlint.privacy.match import TextBatch
    from ftlint.privacy.pii import PII_TYPES, find_pii_batch
    from ftlint.privacy.secrets import find_secrets_batch

    types = types or PII_TYPES
    texts = _batch_texts()
    assert any(find_pii(t, types) for t in texts) and any(find_secrets(t) for t in texts)
    for batch in (texts, texts[::-1], [t for t in texts if "\x00" not in t], texts[:1]):
        b = TextBatch(batch)
        assert find_pii_batch(b, types) == [find_pii(t, types) for t in batch]
        assert find_secrets_batch(b) == [find_secrets(t) for t in batch]
        assert find_secrets_batch(b, 2.5, ("credential",)) == [find_secrets(t, 2.5, ("credential",)) for t in batch]


PEM_BODY = ("h4uSHgKDuwZyQ+QSoS28EWaZg2wEvdgwho/Db0+ZHFXpnDlULxpnZ3e9kvwAItznVDOp+8kC0elkDzsMiaZiXGXFPYluZ4RFu"
            "UqcKyz3mdDXqmd/e5iLxphVY82tcogI")
REAL_KEYS = {
    "aws-access-key-id": "AKIAQZ6JYWVDAMXIQK36",
    "aws-secret-access-key": "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",
    "github-token": "ghp_IIiO4tu4JqaUvCqNTte94bIQyT7Kympjgn0H",
    "github-fine-grained": "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",
    "slack-token": "xoxb-541739551742-3159483558446-AdHlHqvHY8zaUvUZcTrtuHpE",
    "slack-app-token": "xapp-1-AKEIYLHNH92-2461550806266-6868c28285cef692bc65ccc43430176e62e15c5fb4de821deacc33dd6416e350",
    "openai-key": "sk-proj-KdRFBqt58Wnnx48oOyDmUY8ECPi4XozF2Sp872FEA-E9lbEmqchCfsNqtyqKXbII6TrN58XgxET3BlbkFJvWF-aZhHjyN9c"
                  "zhVjmZd4r_ggEtPtvbfaD4IuDX3fPt7ULQWeucj7KmsAf0ydGAWqpGziV31QE",
    "openai-legacy": "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",
    "anthropic-key": "sk-ant-api03-6aayQzrmTM8uE9SqUCfgFtqUqCGaZrkGnchcwunl2KMa7cWPAvIL1dfNsLyc0lvV627uoD0POTnKB4tIOTY"
                     "Vi9cUtgxhnAA",
    "google-api-key": "AIza9ZxFMuiC29MZAYZ5mHeLELIvjuXr91qCZaX",
    "stripe-key": "sk_live_zPaOdrMNwpwsopEUYy6vZYU4",
    "npm-token": "npm_oHwLMeaZqo9DZDNjN1GTPdVKsb1DS2S5yXB6",
    "pypi-token": "pypi-AgEIcHlwaS5vcmcu1K3v0fNLAH2DOsKcAmE1NGJ-TcDWV9I432_hpcZGm4BdEhGpbId6hi_IZdoh4hpr4i6FK",
    "sendgrid-key": "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",
    "azure-storage-key": "NIrceZrfhJutBdShCsBEHqrutLSO+gsfCr2A6ZijWrpeoL2HmcE1DUOecYl6p1/eMTSkqnLgViisb+aKcz0RYQ==",
}


@pytest.mark.parametrize("text,kind", [
    (f"key {REAL_KEYS['aws-access-key-id']}", "aws-access-key-id"),
    ("temporary ASIAY34FZKBOKMUTVV7A", "aws-access-key-id"),
    (f"aws_secret_access_key = {REAL_KEYS['aws-secret-access-key']}", "aws-secret-access-key"),
    (f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----", "private-key"),
    (f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY[:64]}\n{PEM_BODY[64:]}\n-----END PRIVATE KEY-----", "private-key"),
    (f"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n{PEM_BODY}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----", "private-key"),
    (f"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n{PEM_BODY}\nPrivate-MAC: 3f9a8b",
     "private-key"),
    (f"token {REAL_KEYS['github-token']}", "github-token"),
    (f"GH_TOKEN={REAL_KEYS['github-fine-grained']}", "github-token"),
    ("glpat-Ab3dE6gH9jK2mN5pQ8sT", "gitlab-token"),
    (f"bot {REAL_KEYS['slack-token']}", "slack-token"),
    (f"app {REAL_KEYS['slack-app-token']}", "slack-token"),
    (f"OPENAI_API_KEY={REAL_KEYS['openai-key']}", "openai-key"),
    (f"client = OpenAI(api_key='{REAL_KEYS['openai-legacy']}')", "openai-key"),
    (f"x-api-key: {REAL_KEYS['anthropic-key']}", "anthropic-key"),
    (f"https://maps.googleapis.com/maps/api/geocode/json?key={REAL_KEYS['google-api-key']}", "google-api-key"),
    (f"stripe.api_key = \"{REAL_KEYS['stripe-key']}\"", "stripe-key"),
    (f"//registry.npmjs.org/:_authToken={REAL_KEYS['npm-token']}", "npm-token"),
    (f"password = {REAL_KEYS['pypi-token']}", "pypi-token"),
    (f"SENDGRID_API_KEY={REAL_KEYS['sendgrid-key']}", "sendgrid-key"),
    (f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={REAL_KEYS['azure-storage-key']};", "azure-storage-key"),
    ("DATABASE_URL=postgres://admin:Zq8Lm3+Tx9Rv2Wb!@db.internal:5432/app", "url-credential"),
    ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt"),
    ("password=Xk9#mPq2vL8nR4tZ", "credential"),
    ('"api_key": "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"', "credential"),
    ("Authorization: Bearer 4fJ8kL2mN9pQ3rS7tV1wX5yZ", "credential"),
])
def test_secret_found(text, kind):
    assert kind in [m.detail for m in find_secrets(text)]


JWT_IO_EXAMPLE = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
                  "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
JWT_REAL = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


# credentials that are not: each class of placeholder beside a real-looking key of the same
# shape that must still be an error
@pytest.mark.parametrize("quiet,real", [
    # the providers' documented example keys
    ("key AKIAIOSFODNN7EXAMPLE", f"key {REAL_KEYS['aws-access-key-id']}"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     f"aws_secret_access_key = {REAL_KEYS['aws-secret-access-key']}"),
    (f"The session JWT {JWT_IO_EXAMPLE} is rejected.", f"The session JWT {JWT_REAL} is rejected."),
    # placeholders
    ("export OPENAI_API_KEY=sk-your-key-here", f"export OPENAI_API_KEY={REAL_KEYS['openai-key']}"),
    ('OPENAI_API_KEY = "sk-proj-your-api-key-goes-here-replace-me-1234"', f'OPENAI_API_KEY = "{REAL_KEYS["openai-key"]}"'),
    ('api_key = "sk-...xxxx"', f'api_key = "{REAL_KEYS["openai-legacy"]}"'),
    ("token = 'INSERT_YOUR_TOKEN_HERE_0123'", "token = 'Xk9#mPq2vL8nR4tZ'"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
     f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\n<your private key>\n-----END OPENSSH PRIVATE KEY-----",
     f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----"),
    ("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
     "https://hooks.slack.com/services/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"),
    # repeated characters, sequences, low entropy
    ("token ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", f"token {REAL_KEYS['github-token']}"),
    ("token ghp_1234567890abcdefghijABCDEFGHIJ123456", f"token {REAL_KEYS['github-token']}"),
    ("key=AIzaSyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", f"key={REAL_KEYS['google-api-key']}"),
    ("key=AIzaab12ab12ab12ab12ab12ab12ab12ab12ab1", f"key={REAL_KEYS['google-api-key']}"),
    ("xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJabcd", REAL_KEYS["slack-token"]),
    ("mongodb://user:password@localhost:27017/db", "mongodb://app:Zq8Lm3+Tx9Rv2Wb!@localhost:27017/db"),
    ("https://user:${DB_PASS}@db.internal/app", "https://user:p4ss-W0rd-99x@db.internal/app"),
    # a key shown cut
    ("token: ghp_IIiO4tu4JqaUvCqNTte94b... (truncated)", f"token: {REAL_KEYS['github-token']} (full)"),
    # code after the keyword, not a literal (chatterbot's Flask answer)
    ("        token = jwt.encode({\n            'user': 'admin',\n        }, SECRET_KEY, algorithm='HS256')",
     "        token = 'Zq8/Lm3+Tx9Rv2Wb7Yc4'"),
    ("    token = request.headers.get('Authorization')", "    token = 'Zq8/Lm3+Tx9Rv2Wb7Yc4'"),
    ("api_key = config.openai_api_key", "api_key = 'Zq8/Lm3+Tx9Rv2Wb7Yc4'"),
    ("password = generate_password(8)", "password=iE(dUuNS(RKac6"),  # a bracket alone is no call
    # a hash or a ciphertext of a credential (codealpaca's AES example), not a decrypted one
    ('enc_password = "IH6noKXV7kU6S5BS6LTYMOSoIz15gyKx"', 'decrypted_password = "IH6noKXV7kU6S5BS6LTYMOSoIz15gyKx"'),
    ('password_hash: "Zq8/Lm3+Tx9Rv2Wb7Yc4"', 'db_password: "Zq8/Lm3+Tx9Rv2Wb7Yc4"'),
])
def test_placeholder_credentials_are_not_errors(quiet, real):
    assert find_secrets(quiet) == []
    assert find_secrets(real) != []
    report = ftlint.check([{"prompt": quiet, "completion": "ok"}, {"prompt": real, "completion": "ok"}], select=["FT702"])
    assert [(f.line, f.severity) for f in report.findings] == [(2, "error")]


def test_placeholder_filter_spares_random_keys():
    # the filter must not eat real keys: random tokens of each provider's alphabet and length
    import random
    import string

    from ftlint.privacy.placeholder import placeholder

    rng = random.Random(5)
    an = string.ascii_letters + string.digits
    shapes = {"aws id": (string.ascii_uppercase + "234567", 16), "aws secret": (an + "/+", 40), "github": (an, 36),
              "google": (an + "-_", 35), "hex api key": ("0123456789abcdef", 32), "stripe": (an, 24)}
    for name, (alphabet, n) in shapes.items():
        eaten = sum(placeholder("".join(rng.choices(alphabet, k=n))) for _ in range(20_000))
        assert eaten <= 10, (name, eaten)  # at most 1 in 2,000


@pytest.mark.parametrize("text", [
    "The password reset token expired before I could use it.",
    "What are the password requirements? Where is the API key settings page?",
    "Set api_key: <your-key>, token=${TOKEN}, password=xxxxxxxx and secret: changeme123.",
    "The token endpoint is https://auth.example.com/oauth/token.",
    "Commit 4f9c2a1b8e7d6c5b4a39281706f5e4d3c2b1a098 broke it; eyJ is how a JWT starts.",
    "password: summer",
])
def test_secret_prose_does_not_fire(text):
    assert find_secrets(text) == []


def test_mask_keeps_type_and_at_most_a_quarter():
    assert mask("jordan.miles@example.com", "email") == "email ****.com"
    assert mask("4539 1488 0343 6467", "card") == "card ****6467"
    assert mask("abc") == "****"
    for value in PLANTED.values():
        compact = "".join(value.split())
        assert compact not in mask(value, "x")
        assert len(mask(value)) - 4 <= len(compact) // 4


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_output_format_prints_a_found_value(fmt, tmp_path):
    rows = [{"prompt": f"Here it is: {v}", "completion": "Thanks."} for v in PLANTED.values()]
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    out = tmp_path / "report.out"
    r = CliRunner().invoke(main, ["check", str(path), "--select", "FT7", "--format", fmt, "-o", str(out)])
    assert r.exit_code == 1, r.output
    text = out.read_text() + r.output
    assert "FT701" in text and "FT702" in text
    for value in PLANTED.values():
        assert value not in text and "".join(value.split()) not in text, value
        # not even the first half of it
        assert value[: len(value) // 2] not in text, value


def test_finding_data_holds_type_fields_and_masked_values():
    rec = {"prompt": "mail a.b@example.com or c.d@example.org", "completion": "call +1 415-555-0142"}
    report = ftlint.check([rec], select=["FT701"])
    by_type = {f.data["type"]: f for f in report.findings}
    assert set(by_type) == {"email", "phone"}
    email = by_type["email"]
    assert email.data["count"] == 2 and email.data["fields"] == ["prompt"]
    assert email.data["masked"] == ["email ****com", "email ****org"]
    assert by_type["phone"].data["fields"] == ["completion"]
    assert "a.b@example.com" not in json.dumps(report.to_dict())


def test_allow_list_and_wildcards():
    rec = {"prompt": "mail support@example.com or jo@acme.io", "completion": "ok"}
    assert len(ftlint.check([rec], select=["FT701"]).findings) == 1
    report = ftlint.check([rec], select=["FT701"], options={"FT701": {"allow": ["Support@Example.com"]}})
    assert [f.data["count"] for f in report.findings] == [1]
    report = ftlint.check([rec], select=["FT701"], options={"FT701": {"allow": ["*@example.com", "*@acme.io"]}})
    assert report.findings == []
    key = {"prompt": "key AKIAQZ6JYWVDAMXIQK36", "completion": "ok"}
    assert len(ftlint.check([key], select=["FT702"]).findings) == 1
    assert ftlint.check([key], select=["FT702"], options={"FT702": {"allow": ["AKIAQZ6JYWVDAMXIQK36"]}}).findings == []


def test_skip_fields_by_key_and_by_role():
    claude = {"system": "Write to support@larkspur.example.org for help.",
              "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello."}]}
    assert len(ftlint.check([claude], select=["FT701"]).findings) == 1
    assert ftlint.check([claude], select=["FT701"], options={"FT701": {"skip-fields": ["system"]}}).findings == []
    openai = {"messages": [{"role": "system", "content": "Mail help@larkspur.example.org."},
                           {"role": "user", "content": "hi"}, {"role": "assistant", "content": "Mail me@x.example.org"}]}
    report = ftlint.check([openai], select=["FT701"], options={"FT701": {"skip-fields": ["system"]}})
    assert [f.data["fields"] for f in report.findings] == [["messages[2].content"]]


def test_options_are_validated():
    with pytest.raises(ConfigError, match="FT701.allow"):
        ftlint.check([{"prompt": "a", "completion": "b"}], select=["FT701"], options={"FT701": {"allow": "x"}})


def test_redact_record_replaces_with_typed_placeholders_and_counts():
    rec = {"prompt": "Mail jo@shop.example.org, call +1 415-555-0142, card 4539 1488 0343 6467",
           "completion": "Use key AKIAQZ6JYWVDAMXIQK36 and jo@shop.example.org"}
    new, counts = redact_record(rec, "prompt-completion")
    assert new["prompt"] == "Mail [EMAIL], call [PHONE], card [CARD]"
    assert new["completion"] == "Use key [SECRET] and [EMAIL]"
    assert dict(counts) == {"email": 2, "phone": 1, "card": 1, "secret": 1}
    assert rec["prompt"].startswith("Mail jo@")  # the input is not modified


def test_redact_record_types_allow_skip_and_chat_paths():
    rec = {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "Mail help@larkspur.example.org"}],
           "messages": [{"role": "user", "content": [{"text": "I am jo@x.example.org, IP 203.0.113.7"}]},
                        {"role": "assistant", "content": [{"text": "Noted."}]}]}
    new, counts = redact_record(rec, "bedrock-conversation", ["email"], skip_fields=["system"])
    assert new["system"][0]["text"] == "Mail help@larkspur.example.org"
    assert new["messages"][0]["content"][0]["text"] == "I am [EMAIL], IP 203.0.113.7"
    assert dict(counts) == {"email": 1}
    same, counts = redact_record(rec, "bedrock-conversation", ["email"], allow=["*.example.org"])
    assert same is rec and not counts
    with pytest.raises(ValueError, match="unknown redaction type"):
        redact_record(rec, "bedrock-conversation", ["emails"])


def test_redact_text():
    text, counts = redact_text("SSN 123-45-6789, token ghp_IIiO4tu4JqaUvCqNTte94bIQyT7Kympjgn0H")
    assert text == "SSN [SSN], token [SECRET]" and dict(counts) == {"ssn": 1, "secret": 1}


def test_sample_dirty_set_planted_lines(tmp_path):
    from conftest import SAMPLES

    report = ftlint.check(SAMPLES / "support_tickets_dirty.jsonl", select=["FT7"])
    assert sorted((f.line, f.code) for f in report.findings if f.code.startswith("FT7")) == [(88, "FT701"), (88, "FT701"), (175, "FT702")]
    clean = [SAMPLES / n for n in ("support_tickets.jsonl", "support_chat_claude.jsonl", "support_chat_nova.jsonl",
                                   "product_qa.jsonl")]
    assert ftlint.check(clean, select=["FT7"]).findings == []
