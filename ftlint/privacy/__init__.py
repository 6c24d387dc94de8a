"""Detectors for personal data (FT701) and credentials (FT702) in free text, and the masking every
output uses. Shared by the privacy rules and by redaction (ftlint.curate.redact).

- :func:`find_pii` and :func:`find_secrets` return :class:`Match` es (type, span, value, detail).
- :func:`mask` turns a found value into ``type + last few characters`` for messages and reports:
  no output of ftlint ever carries a found value in full.
"""
from __future__ import annotations

from ftlint.privacy.mask import mask
from ftlint.privacy.match import Match
from ftlint.privacy.pii import DEFAULT_REGIONS, PII_TYPES, find_pii
from ftlint.privacy.secrets import SECRET_KINDS, find_secrets

# the typed placeholders redaction writes, by type
PLACEHOLDERS: dict[str, str] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "card": "[CARD]",
    "ssn": "[SSN]",
    "iban": "[IBAN]",
    "national-id": "[NATIONAL_ID]",
    "ip": "[IP]",
    "secret": "[SECRET]",
}
ALL_TYPES = (*PII_TYPES, "secret")

__all__ = ["Match", "mask", "find_pii", "find_secrets", "PII_TYPES", "SECRET_KINDS", "DEFAULT_REGIONS",
           "PLACEHOLDERS", "ALL_TYPES"]
