"""What `ftlint fix` and `ftlint split` need to know about the rules' findings, kept with the
rules so that ftlint/curate/ holds no rule code and no similarity logic: which code plays which
part in curation, how a finding is read (a label variant's canonical spelling, a BOM), and how
duplicate and conflict findings group records (union-find over ``line``/``related``).

Curation applies what this module says generically; a rule that changes what its findings mean
for curation changes it here, next to the rules, not in curate/."""
from __future__ import annotations

from collections.abc import Iterable

from ftlint.artifacts.unionfind import UnionFind, linked_lines
from ftlint.finding import Finding, Severity

# the parts codes play in curation (codes as in ftlint/rules/*.py)
INVALID_JSON = "FT101"
NOT_AN_OBJECT = "FT102"
BAD_ENCODING = "FT106"
BLANK_LINE = "FT108"
DUPLICATE_KEY = "FT109"
NUMBER_OUT_OF_RANGE = "FT112"
NESTING_TOO_DEEP = "FT113"
LINE_TOO_LONG = "FT114"
STRAY_WHITESPACE = "FT110"
COMPRESSED_INPUT = "FT115"
EMPTY_FILE = "FT116"
EXACT_DUPLICATE = "FT201"
NEAR_DUPLICATE = "FT202"
CONFLICTING_LABELS = "FT203"
SPLIT_LEAKAGE = "FT204"
LABEL_VARIANT = "FT303"
RECORD_COUNT_LIMIT = "FT601"
UNSUPPORTED_FORMAT = "FT603"
PII = "FT701"
SECRET = "FT702"

# codes whose fix is not "drop the record that carries an error": grouping decides
DUPLICATE_CODES = (EXACT_DUPLICATE, NEAR_DUPLICATE, CONFLICTING_LABELS)
PRIVACY = (PII, SECRET)
# the reader's findings on a line that holds no record
UNREADABLE = (INVALID_JSON, NOT_AN_OBJECT)
# the reader's errors about one line (a record it could not read, or read only by repairing it:
# a lone surrogate replaced, one of two duplicate keys kept, a number rounded)
LINE_ERRORS = (INVALID_JSON, NOT_AN_OBJECT, BAD_ENCODING, DUPLICATE_KEY, NUMBER_OUT_OF_RANGE, NESTING_TOO_DEEP,
               LINE_TOO_LONG)
# file-level errors that writing the curated file resolves: it is always plain JSON Lines
RESOLVED_BY_WRITING = (COMPRESSED_INPUT,)
# the records a split keeps together, by --group
GROUP_CODES = {"none": (), "exact": (EXACT_DUPLICATE, CONFLICTING_LABELS),
               "near": (EXACT_DUPLICATE, NEAR_DUPLICATE, CONFLICTING_LABELS)}
# dataset-level findings the splitter enforces itself on the actual split (target record counts)
# (compressed input: the outputs are plain JSONL whatever the input's compression; an empty
# input leaves nothing to split, which the splitter says itself)
ENFORCED_BY_SPLIT = frozenset({RECORD_COUNT_LIMIT, COMPRESSED_INPUT, EMPTY_FILE})


def duplicate_codes(near: bool) -> tuple[str, ...]:
    """The duplicate codes `ftlint fix` drops copies for: exact copies, and near copies with ``near``."""
    return (EXACT_DUPLICATE, NEAR_DUPLICATE) if near else (EXACT_DUPLICATE,)


def copy_word(code: str) -> str:
    """What a dropped duplicate is of the record kept, in a rejects reason."""
    return "copy" if code == EXACT_DUPLICATE else "near copy"


def groups(findings: Iterable[Finding], codes: Iterable[str]) -> UnionFind:
    """The records the findings of ``codes`` link (a finding's line and its ``related`` lines)."""
    return linked_lines(findings, codes)


def conflict_groups(findings: Iterable[Finding]) -> dict[int, list[int]]:
    """The groups of records that conflicting-labels errors link: the same prompt, different answers."""
    return linked_lines([f for f in findings if f.severity is Severity.ERROR], [CONFLICTING_LABELS]).groups()


def label_variant(finding: Finding) -> tuple[str, str] | None:
    """(variant, canonical) from a label-variant finding: ``data["label"]`` is the spelling
    written on the record, ``data["keep"]`` the group's most frequent spelling
    (ftlint/rules/labels.py). A number variant (``data["kind"] == "number"``, a warning by
    default) is rewritten only when its finding is an error (a plural may be a class of its own)."""
    if finding.code != LABEL_VARIANT:
        return None
    data = finding.data or {}
    if data.get("kind") == "number" and finding.severity != "error":
        return None
    keep = data.get("keep")
    variant = data.get("label")
    if isinstance(keep, str) and isinstance(variant, str) and keep != variant:
        return variant, keep
    return None


def is_bom(finding: Finding) -> bool:
    """A bad-encoding finding for a byte order mark on line 1, which reading the file removes."""
    return finding.code == BAD_ENCODING and finding.line == 1 and "byte order mark" in finding.message


def line_error(problem) -> bool:
    """A reader's problem that is an error about one line's record (not the BOM that reading
    removes): a line that carries one is not written to a converted file, even when the reader
    gave a repaired record."""
    return problem.line is not None and problem.code in LINE_ERRORS and not is_bom(problem)


def only_bom(findings: Iterable[Finding]) -> bool:
    """No error among a line's findings but the BOM one: stripping the BOM leaves a good record."""
    return not any(f.severity is Severity.ERROR and not is_bom(f) for f in findings)


def answer_key(example) -> str:
    """The answer conflicting-labels compares: the explicit label, else the completion, with case
    and spacing ignored (whether a conflict group still holds different answers after review)."""
    answer = example.label if example.label is not None else example.completion
    return " ".join(str(answer).split()).casefold()
