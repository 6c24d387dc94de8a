"""Paths as CI tools want them: relative to the working directory (the repository root in a CI
job), with forward slashes; absolute only for a file outside it."""
from __future__ import annotations

import os
from urllib.parse import quote


def relative(path: str) -> str:
    if path == "-" or path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.replace(os.sep, "/")
    if rel.startswith(".."):
        return os.path.abspath(path).replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def uri(path: str) -> str:
    """A relative URI reference for SARIF's artifactLocation.uri (percent-encoded)."""
    if path == "-":
        return "stdin"
    return quote(relative(path), safe="/")
