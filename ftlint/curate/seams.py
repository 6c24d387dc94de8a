"""The curator's seams: every piece it takes from another part of ftlint goes through one
function here, so that the splitter and the fixer never re-implement a check.

- ``groups_from_findings``: duplicate / near-duplicate / conflict GROUPS, derived only from the
  findings' ``line`` and ``related`` lines (FT201, FT202, FT203), by union-find.
- ``labels_for`` / ``label_variant``: the class labels for stratification
  (``ftlint.artifacts.labels.labels_of``) and the variant -> canonical spelling of an FT303 finding.
- ``target_format`` / ``convert``: ``ftlint.curate.convert`` (the ``convert`` command's code).
- ``redact``: ``ftlint.curate.redact`` (the FT7 privacy family's redaction).
- ``caps``: the figures of a target profile the splitter honours (``ftlint.targets``).
"""
from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ftlint.errors import FtlintError
from ftlint.example import Example
from ftlint.privacy import ALL_TYPES
from ftlint.targets import Profile


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


# ---------------------------------------------------------------------------- groups (FT2)

class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller line number stays the root: the group's representative is its first line
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for x in sorted(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


def groups_from_findings(findings: Iterable[Any], codes: Iterable[str]) -> UnionFind:
    """Union-find over ``line`` and ``related`` of every finding whose code is in ``codes``."""
    wanted = frozenset(codes)
    uf = UnionFind()
    for f in findings:
        if f.code not in wanted or f.line is None:
            continue
        uf.find(f.line)
        uf.parent.setdefault(f.line, f.line)
        for r in f.related:
            uf.parent.setdefault(r, r)
            uf.union(f.line, r)
    return uf


# ---------------------------------------------------------------------------- labels (FT3)

#: ``--stratify`` values that name a field of the labels artifact rather than a top-level key
ARTIFACT_FIELDS = ("label", "completion")


def label_of(example: Example, obj: dict, field_name: str | None = None) -> str | None:
    """The value of the top-level key ``field_name`` (``--stratify FIELD``), else the record's
    explicit ``label``; None when absent."""
    if field_name is not None:
        value = obj.get(field_name)
        if value is None:
            return None
        return value if isinstance(value, str) else str(value)
    return example.label


def labels_for(examples: list[Example], objs: list[dict], field_name: str | None = None,
               stratify: str = "auto", fmt: str | None = None) -> list[str | None] | None:
    """One label per example, or None when the set is not a classification set.

    ``auto`` (and ``label`` / ``completion``) ask the labels artifact
    (:func:`ftlint.artifacts.labels.labels_of`, the detection FT3 uses) and return its canonical
    labels (spelling variants merged); any other ``field_name`` reads that top-level key."""
    if stratify == "none" or not examples:
        return None
    if field_name is not None and field_name not in ARTIFACT_FIELDS:
        return [label_of(e, o, field_name) for e, o in zip(examples, objs, strict=True)]
    from ftlint.artifacts.labels import labels_of
    from ftlint.dataset import Dataset

    info = labels_of(Dataset("<split>", fmt, list(examples)), field_name or "auto")
    return None if info is None else list(info.canonical)


def label_variant(finding: Any) -> tuple[str, str] | None:
    """(variant, canonical) from an FT303 finding: ``data["label"]`` is the spelling written on
    the record, ``data["keep"]`` the group's most frequent spelling (ftlint/rules/labels.py). A
    number variant (``data["kind"] == "number"``, a warning by default) is rewritten only when
    its finding is an error."""
    data = finding.data or {}
    if data.get("kind") == "number" and getattr(finding, "severity", None) != "error":
        return None  # a plural may be a class of its own: rewritten only when the user made FT303 an error
    keep = data.get("keep")
    variant = data.get("label")
    if isinstance(keep, str) and isinstance(variant, str) and keep != variant:
        return variant, keep
    return None


# ---------------------------------------------------------------------------- targets (FT6)

# the splitter honours the target profile itself (record bounds, validation allowed, formats,
# hyper-parameters); without a target every limit is unknown, so nothing is enforced
Caps = Profile
NO_TARGET = Profile(key="", name="")


def caps(profile: Any) -> Profile:
    return NO_TARGET if profile is None else profile


# ---------------------------------------------------------------------------- convert (issue 5)

def target_format(profile: Any) -> str | None:
    c = caps(profile)
    return c.formats[0] if c.formats else None


def convert(obj: dict, src: str, dst: str) -> dict:
    """``obj`` (valid in ``src``) written as ``dst``; raises FtlintError when it cannot be."""
    if src == dst:
        return obj
    module = _optional("ftlint.curate.convert")
    if module is None:
        raise FtlintError(f"converting {src} to {dst} needs ftlint.curate.convert, which this build lacks")
    record, _dropped = module.convert_record(obj, src, dst)
    return record


def convertible(src: str, dst: str) -> bool:
    if src == dst:
        return True
    module = _optional("ftlint.curate.convert")
    return module is not None and src in getattr(module, "CONVERTIBLE", ()) and dst in module.CONVERTIBLE


# ---------------------------------------------------------------------------- redact (issue 8)

def redact(obj: dict, fmt: str, types: tuple[str, ...] | None = None,
           options: dict | None = None) -> tuple[dict, Counter]:
    """(record with PII/secrets masked, replacements per type), by ``ftlint.curate.redact``;
    ``options`` are the rules' allow / skip_fields / regions / min_entropy."""
    module = _optional("ftlint.curate.redact")
    if module is None:
        raise FtlintError("--redact needs ftlint.curate.redact (the FT7 privacy family), which this build lacks")
    kwargs = {k: v for k, v in (options or {}).items() if v is not None}
    try:
        if types:
            new, counts = module.redact_record(obj, fmt, types, **kwargs)
        else:
            new, counts = module.redact_record(obj, fmt, **kwargs)
    except ValueError as exc:
        raise FtlintError(f"--redact-types: {exc}") from None
    return new, counts


REDACT_TYPES = ALL_TYPES


def mask_raw(raw: bytes, types: tuple[str, ...], options: dict | None = None) -> tuple[bytes, Counter]:
    """(a rejected line with the found values of ``types`` masked, counts per type), by
    ``ftlint.curate.redact.mask_raw`` with the rules' allow / regions / min_entropy."""
    from ftlint.curate.redact import mask_raw as mask

    opts = options or {}
    kwargs = {k: opts[k] for k in ("allow", "regions", "min_entropy") if opts.get(k) is not None}
    return mask(raw, types, **kwargs)
