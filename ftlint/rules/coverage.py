"""FT4: coverage and edge cases (lengths, diversity, edge-case share, size, truncation)."""
from __future__ import annotations

RULES = ()
