"""Curation: turning findings into a cleaner dataset (redaction now; fix, split, convert later)."""
