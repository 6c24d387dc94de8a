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
    "card": "4111 1111 1111 1111",
    "ssn": "123-45-6789",
    "iban": "DE89 3704 0044 0532 0130 00",
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "password": "Xk9#mPq2vL8nR4tZ",
    "github": "ghp_1234567890abcdefghijABCDEFGHIJ123456",
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
    ("card 4111-1111-1111-1111 please", "card", "4111-1111-1111-1111"),
    ("amex 378282246310005.", "card", "378282246310005"),
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


SAMPLES_FOR_PATHS = [
    "call +1 415-555-0142 now or (415) 555-0142, card 4111-1111-1111-1111, ssn 123-45-6789",
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
    ]
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


@pytest.mark.parametrize("text,kind", [
    ("key AKIAIOSFODNN7EXAMPLE", "aws-access-key-id"),
    ("temporary ASIAY34FZKBOKMUTVV7A", "aws-access-key-id"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws-secret-access-key"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "private-key"),
    ("token ghp_1234567890abcdefghijABCDEFGHIJ123456", "github-token"),
    ("glpat-Ab3dE6gH9jK2mN5pQ8sT", "gitlab-token"),
    ("xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJabcd", "slack-token"),
    ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt"),
    ("password=Xk9#mPq2vL8nR4tZ", "credential"),
    ('"api_key": "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"', "credential"),
    ("Authorization: Bearer 4fJ8kL2mN9pQ3rS7tV1wX5yZ", "credential"),
])
def test_secret_found(text, kind):
    assert kind in [m.detail for m in find_secrets(text)]


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
    assert mask("4111 1111 1111 1111", "card") == "card ****1111"
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
    key = {"prompt": "key AKIAIOSFODNN7EXAMPLE", "completion": "ok"}
    assert ftlint.check([key], select=["FT702"], options={"FT702": {"allow": ["AKIAIOSFODNN7EXAMPLE"]}}).findings == []


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
    rec = {"prompt": "Mail jo@shop.example.org, call +1 415-555-0142, card 4111 1111 1111 1111",
           "completion": "Use key AKIAIOSFODNN7EXAMPLE and jo@shop.example.org"}
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
    text, counts = redact_text("SSN 123-45-6789, token ghp_1234567890abcdefghijABCDEFGHIJ123456")
    assert text == "SSN [SSN], token [SECRET]" and dict(counts) == {"ssn": 1, "secret": 1}


def test_sample_dirty_set_planted_lines(tmp_path):
    from conftest import SAMPLES

    report = ftlint.check(SAMPLES / "support_tickets_dirty.jsonl", select=["FT7"])
    assert sorted((f.line, f.code) for f in report.findings if f.code.startswith("FT7")) == [(88, "FT701"), (88, "FT701"), (175, "FT702")]
    clean = [SAMPLES / n for n in ("support_tickets.jsonl", "support_chat_claude.jsonl", "support_chat_nova.jsonl",
                                   "product_qa.jsonl")]
    assert ftlint.check(clean, select=["FT7"]).findings == []
