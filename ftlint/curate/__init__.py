"""Curation: turning checked records into what a training job takes: fix, split, convert, redact."""
