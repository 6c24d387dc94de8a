"""Curation: turning checked records into what a training job takes (convert; fix and split later)."""
