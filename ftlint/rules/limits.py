"""FT6: target-model limits for Bedrock jobs (--target)."""
from __future__ import annotations

RULES = ()
