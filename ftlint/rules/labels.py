"""FT3: label balance, rare labels and label-name variants."""
from __future__ import annotations

RULES = ()
