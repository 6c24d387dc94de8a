"""Paths as CI tools want them: relative to the working directory (the repository root in a CI
job), with forward slashes; absolute only for a file outside it."""
from __future__ import annotations

import os
from pathlib import Path
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
    """A relative URI reference for SARIF's artifactLocation.uri (percent-encoded); a file outside
    the working directory gets an absolute ``file://`` URI (see :func:`artifact_location`)."""
    if path == "-":
        return "stdin"
    rel = relative(path)
    if rel.startswith("/") or os.path.isabs(rel):
        return Path(os.path.abspath(path)).as_uri()
    return quote(rel, safe="/")


def artifact_location(path: str) -> dict:
    """SARIF's artifactLocation: a URI relative to ``%SRCROOT%`` (the working directory, the
    repository root in a CI job) when the file is under it, else an absolute ``file://`` URI
    with no ``uriBaseId`` (a base plus an absolute path would be a contradiction); standard input
    has neither."""
    ref = uri(path)
    if path == "-" or ref.startswith("file:"):
        return {"uri": ref}
    return {"uri": ref, "uriBaseId": "%SRCROOT%"}
