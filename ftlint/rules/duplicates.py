"""FT2: duplicates, conflicting labels and train/validation leakage (MinHash LSH)."""
from __future__ import annotations

RULES = ()
