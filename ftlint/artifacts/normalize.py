"""Normalized text and content hashes, shared by the duplicate family (FT2) and the splitter.

Two normalizations, on purpose:

- :func:`normalize` (exact duplicates, FT201/FT203/FT204): Unicode NFKC, case folding and
  whitespace collapsed to one space. Punctuation is kept: ``"Refund?"`` and ``"Refund!"`` are
  not the same example, but they are near-duplicates.
- :func:`shingle_text` (near-duplicates, FT202): the same plus every run of punctuation or
  symbols replaced by one space, so that punctuation-only edits do not change the shingles.

Which text of an Example counts is the ``fields`` choice (:data:`FIELDS`)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from ftlint import pool
from ftlint.example import Example

#: what text of a record the duplicate rules compare
FIELDS = ("conversation", "prompt", "completion", "all")
FIELDS_HELP = ("which text is compared: `conversation` (every turn: the prompt and the completion of "
               "single-turn formats, every message of a chat), `prompt`, `completion`, or `all` "
               "(conversation plus the system prompt)")

_NONWORD = re.compile(r"[\W_]+")
# ASCII fast path for shingle_text: every ASCII character that is not a letter or digit -> space
_ASCII_SPACE = {c: " " for c in range(128) if not chr(c).isalnum()}
_SEP = "\x1f"  # joins the fields of one record inside a content key; never part of normalized text


def normalize(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed (the FT201 notion of 'the same text')."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def shingle_text(text: str) -> str:
    """normalize() plus punctuation and symbols turned into spaces (what FT202 shingles)."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_SPACE).split())
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_NONWORD.sub(" ", text.casefold()).split())


# Batches: many texts are normalized as ONE string (one C call per step instead of one Python
# call per record). Records are joined with _REC, the fields of a record with _FLD; neither is
# whitespace for str.split(), a word character, or changed by NFKC or case folding, so each
# piece of the batch result equals the per-text result (tests/test_duplicates.py checks it).
# A text that itself contains one of them takes the per-text path.
_REC, _FLD = "\x00", "\x01"
_ASCII_SPACE_B = {c: " " for c in range(2, 128) if not chr(c).isalnum()}
_NONWORD_B = re.compile(r"(?:[^\w\x00\x01]|_)+")


def _tidy(big: str) -> str:
    """Collapse whitespace and drop the single spaces that split() + join() leave around separators."""
    big = " ".join(big.split())
    if " " + _FLD in big or _FLD + " " in big:
        big = big.replace(" " + _FLD, _FLD).replace(_FLD + " ", _FLD)
    if " " + _REC in big or _REC + " " in big:
        big = big.replace(" " + _REC, _REC).replace(_REC + " ", _REC)
    return big


def normalize_records(records: Sequence[Sequence[str]]) -> str:
    """The batch string: records joined by _REC, each record's fields (each ``normalize``d) by _FLD."""
    big = _REC.join(_FLD.join(fs) for fs in records)
    if big.count(_REC) != max(len(records) - 1, 0) or big.count(_FLD) != sum(max(len(fs) - 1, 0) for fs in records):
        # a text holds a separator: read it as \x02 (also not a word or space character, so the
        # shingles are the same; content hashes may then collide, and collisions are confirmed
        # by comparing the texts themselves)
        big = _REC.join(_FLD.join(t.replace(_REC, "\x02").replace(_FLD, "\x02") for t in fs) for fs in records)
    if not big.isascii():
        big = unicodedata.normalize("NFKC", big)
    return _tidy(big.casefold())


def shingle_records(normalized: str) -> str:
    """A normalize_records() result with each field turned into its shingle_text()."""
    big = normalized.translate(_ASCII_SPACE_B)
    if not big.isascii():
        big = _NONWORD_B.sub(" ", big)
    return _tidy(big)


# ASCII batches are normalized as bytes with numpy (no Python object per word): one
# bytes.translate lower-cases and turns every str.split() whitespace (\\t-\\r, \\x1c-\\x1f, space)
# into a space, then collapse() removes the extra spaces.
_LOWER = bytes(32 if c in (9, 10, 11, 12, 13, 28, 29, 30, 31) else c for c in bytes(range(256)).lower())
_SHINGLE = bytes(c if (c <= 1 or chr(c).isalnum()) and c < 128 else 32 for c in range(256))


def collapse(a: np.ndarray) -> np.ndarray:
    """ASCII bytes whose blanks are all spaces, with ``" ".join(field.split())`` applied to every
    field of a batch (fields and records separated by \\x01 and \\x00)."""
    ws = a == 32
    if not ws.any():
        return a
    word = ~ws & (a > 1)
    keep = ~ws
    keep[1:] |= ws[1:] & word[:-1]  # the first space after a word
    b = a[keep]
    last = np.empty(len(b), bool)  # ... unless the field ends there
    last[:-1] = b[1:] <= 1
    last[-1:] = True
    return b[~((b == 32) & last)]


def normalize_batch(records: Sequence[Sequence[str]]) -> tuple[bytes, bool]:
    """(UTF-8 of normalize_records(records), whether it is ASCII), by the fastest path."""
    big = _REC.join(_FLD.join(fs) for fs in records)
    if big.isascii() and big.count(_REC) == max(len(records) - 1, 0) and \
            big.count(_FLD) == sum(max(len(fs) - 1, 0) for fs in records):
        a = np.frombuffer(big.encode("ascii").translate(_LOWER), np.uint8)
        return collapse(a).tobytes(), True
    out = normalize_records(records)
    return out.encode("utf-8"), out.isascii()


def shingle_batch(normalized: bytes, ascii_: bool) -> np.ndarray | str:
    """shingle_records() of a normalize_batch() result: a uint8 array for ASCII, else a str."""
    if ascii_:
        return collapse(np.frombuffer(normalized.translate(_SHINGLE), np.uint8))
    return shingle_records(normalized.decode("utf-8"))


def join_records(records: Sequence[Sequence[str]]) -> str | bytes:
    """The raw batch (records joined by _REC, fields by _FLD; ASCII as bytes) that
    :func:`normalize_joined` normalizes; a text that holds a separator is read with \\x02 in
    its place, as :func:`normalize_records` does. Cheap Python, so that a worker can do the rest."""
    fields = sum(map(len, records)) - len(records) + records.count([]) + records.count(())
    big = checked_join([_FLD.join(fs) for fs in records], fields)
    if big is None:
        big = _REC.join(_FLD.join(t.replace(_REC, "\x02").replace(_FLD, "\x02") for t in fs) for fs in records)
    return big


def checked_join(records: list[str], fields: int) -> str | bytes | None:
    """_REC.join(records) (each record its fields joined by _FLD), as ASCII bytes when it is
    ASCII, or None when the texts themselves hold a separator (the join has more than
    ``fields`` field separators or more record separators than records - 1)."""
    big = _REC.join(records)
    if big.isascii():  # O(1) for a str; counting in an array is 5x faster than str.count
        raw = big.encode("ascii")
        a = np.frombuffer(raw, np.uint8)
        ok = np.count_nonzero(a == 0) == max(len(records) - 1, 0) and np.count_nonzero(a == 1) == fields
        return raw if ok else None
    ok = big.count(_REC) == max(len(records) - 1, 0) and big.count(_FLD) == fields
    return big if ok else None


def normalize_joined(big: str | bytes) -> tuple[bytes, bool]:
    """normalize_batch() of the records that :func:`join_records` joined into ``big``."""
    if isinstance(big, bytes):  # ASCII
        return collapse(np.frombuffer(big.translate(_LOWER), np.uint8)).tobytes(), True
    if big.isascii():
        return collapse(np.frombuffer(big.encode("ascii").translate(_LOWER), np.uint8)).tobytes(), True
    out = _tidy(unicodedata.normalize("NFKC", big).casefold())
    return out.encode("utf-8"), out.isascii()


_DIGEST160 = np.dtype([("h", "<u8"), ("c", "<u8"), ("rest", "<u4")])


def record_digests128(normalized: bytes, first_field: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(hash, check): two 64-bit halves of a 128-bit digest of every record of a
    normalize_batch() result (its fields joined as key_text joins them), or with
    ``first_field`` of every record's first field only. Records with equal (hash, check) have the
    same normalized text but for a 2**-128 chance. The digest is (128 bits of) SHA-1: not for
    security, for speed (hardware-accelerated on most CPUs, twice as fast as blake2b here); a
    deliberately built collision could at worst make two records look like copies."""
    sha1 = hashlib.sha1
    if first_field:
        raw = b"".join([sha1(p.partition(b"\x01")[0], usedforsecurity=False).digest()
                        for p in normalized.split(b"\x00")])
    else:
        sep = _SEP.encode()
        raw = b"".join([sha1(p.replace(b"\x01", sep), usedforsecurity=False).digest()
                        for p in normalized.split(b"\x00")])
    d = np.frombuffer(raw, _DIGEST160)
    return d["h"].astype(np.uint64), d["c"].astype(np.uint64)


def record_digests(normalized: bytes) -> np.ndarray:
    """digest(key_text) of every record of a normalize_batch() result (the same values)."""
    parts = normalized.replace(b"\x01", _SEP.encode()).split(b"\x00")
    b2 = hashlib.blake2b
    return np.frombuffer(b"".join([b2(p, digest_size=8).digest() for p in parts]), "<u8").astype(np.uint64)


def normalize_many(texts: Sequence[str]) -> list[str]:
    """``[normalize(t) for t in texts]``, computed as one batch."""
    if not texts:
        return []
    if any(_REC in t or _FLD in t for t in texts):
        return [normalize(t) for t in texts]
    return normalize_records([(t,) for t in texts]).split(_REC)


def fields_of(ex: Example, fields: str) -> list[str]:
    """The raw texts of one record that the duplicate rules compare, one per turn or field."""
    if fields == "conversation":
        return [t.text for t in ex.turns if t.role != "system"]
    if fields == "prompt":
        return [prompt_context(ex)]
    if fields == "completion":
        return [ex.completion]
    if fields == "all":
        return ([ex.system] if ex.system else []) + [t.text for t in ex.turns if t.role != "system"]
    raise ValueError(f"unknown fields {fields!r}; use one of {', '.join(FIELDS)}")


def prompt_context(ex: Example) -> str:
    """What the model is given before the answer it learns: the system prompt and every turn but
    the last assistant turn (the prompt of single-turn formats). FT203 groups records by it."""
    turns = ex.turns
    if ex.system is None and len(turns) == 2 and turns[0].role == "user" and turns[1].role == "assistant":
        return turns[0].text  # the single-turn case, without building lists (called per record)
    turns = [t for t in turns if t.role != "system"]
    if turns and turns[-1].role == "assistant":
        turns.pop()
    parts = [ex.system] if ex.system else []
    parts.extend(t.text for t in turns)
    return _SEP.join(parts)


def key_text(ex: Example, fields: str) -> str:
    return _SEP.join(normalize(t) for t in fields_of(ex, fields))


def digest(text: str) -> int:
    """A stable 64-bit content hash (blake2b), the same in every process and on every machine."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def content_hashes(examples: Sequence[Example], fields: str, batch: int = 4096) -> np.ndarray:
    """uint64 hash of each record's normalized text; equal hashes are verified by the caller."""
    out = np.empty(len(examples), np.uint64)

    def one(s: int) -> None:
        part = examples[s:s + batch]
        out[s:s + len(part)] = record_digests(normalize_batch([fields_of(e, fields) for e in part])[0])

    pool.map_ordered(one, range(0, len(examples), batch))  # threads: one() writes into out
    return out


def exact_groups(examples: Sequence[Example], fields: str) -> list[list[int]]:
    """Indices (into examples) of records whose normalized text is identical, groups of 2 or more,
    each sorted, in order of their first member. Hash collisions are ruled out by comparing text."""
    hashes = content_hashes(examples, fields)
    return groups_by_hash(hashes, lambda i: key_text(examples[i], fields))


def groups_by_hash(hashes: np.ndarray, text_of=None, check: np.ndarray | None = None) -> list[list[int]]:
    """Groups (2 or more members, each sorted, in order of their first member) of equal hashes,
    split by ``text_of(i)`` (so that a 64-bit collision never merges two texts) or, cheaper, by a
    second independent 64-bit ``check`` hash (a 128-bit digest: a 2**-128 chance per pair)."""
    if len(hashes) < 2:
        return []
    order = np.argsort(hashes, kind="stable")
    sorted_h = hashes[order]
    starts = np.flatnonzero(np.r_[True, sorted_h[1:] != sorted_h[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    groups: list[list[int]] = []
    for s, n in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
        members = order[s:s + n].tolist()
        if check is not None:
            c = check[members]
            if (c == c[0]).all():
                groups.append(members)  # sorted: a stable sort keeps equal hashes in index order
                continue
            keys = c.tolist()
        else:
            keys = [text_of(i) for i in members]
        by_key: dict = {}
        for i, k in zip(members, keys, strict=True):
            by_key.setdefault(k, []).append(i)
        groups.extend(sorted(g) for g in by_key.values() if len(g) > 1)
    groups.sort(key=lambda g: g[0])
    return groups


def key_text_of(texts: Sequence[str]) -> str:
    return _SEP.join(normalize(t) for t in texts)
