"""FT7: PII and secrets."""
from __future__ import annotations

RULES = ()
