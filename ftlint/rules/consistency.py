"""FT5: consistency of outputs (date formats, output structure, placeholders, templates)."""
from __future__ import annotations

RULES = ()
