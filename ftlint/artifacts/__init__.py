"""Shared per-file artifacts (normalized text, shingles, MinHash signatures, clusters, labels,
TF-IDF, token estimates), each computed once on first use through ``Dataset.memo`` and reused by
every rule that needs it. One module per artifact family; rules import the builder they need."""
