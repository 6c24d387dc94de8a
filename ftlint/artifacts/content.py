"""The content pass: a 128-bit digest of every record's normalized text (exact duplicates,
conflicting prompts, cross-file copies) and, in the same pass, the signatures the run's duplicate
indexes planned (see ftlint.artifacts.minhash)."""
from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from ftlint import pool
from ftlint.artifacts import batches
from ftlint.artifacts.batches import _rounds
from ftlint.artifacts.normalize import groups_by_hash, normalize_joined, record_digests128, shingle_batch
from ftlint.artifacts.signatures import Params, _compiled, _sign, _signature_outs


def _digest_job(item: tuple[str, int], first_field: bool, sign: Sequence[Params] = (),
                compiled: bool = False, shingled: bool = False) -> dict[str, np.ndarray]:
    """One batch of raw text -> the 128-bit content digest of every record (as key_text hashes
    it), with ``first_field`` that of every record's first field too, with ``shingled`` that of
    every record's punctuation-free text (as FT202 shingles it, "sh" and "sc"), and for each
    parameter set of ``sign`` (number k) the records' signature arrays (see :func:`_sign`, tag ``:k``)."""
    text, n = item
    normalized = normalize_joined(text)
    out = dict(zip(("h", "c"), record_digests128(normalized[0]), strict=True))
    if first_field:
        out["ph"], out["pc"] = record_digests128(normalized[0], first_field=True)
    if shingled:
        sb = shingle_batch(*normalized)
        out["sh"], out["sc"] = record_digests128(sb.tobytes() if isinstance(sb, np.ndarray) else sb.encode("utf-8"))
    for k, params in enumerate(sign):
        out.update(_sign(normalized, n, params, compiled, f":{k}"))
    return out


def _single_turn(e) -> bool:
    """prompt_context(e) is e's first conversation field (no system prompt, one user turn, one answer)."""
    t = e.turns
    return e.system is None and len(t) == 2 and t[0][0] == "user" and t[1][0] == "assistant"


def content_digests(examples, fields: str, idx=None, prompts: bool = False,
                    sign: Sequence[Params] = (), shingled: bool = False) -> dict[str, np.ndarray]:
    """{"h", "c"}: the two 64-bit halves of a 128-bit digest of each record's normalized text
    (key_text); with ``prompts`` and fields "conversation" also {"ph", "pc"}, the same for
    the prompt (prompt_context), taken from the same pass for single-turn records. For each
    parameter set k of ``sign`` (with these ``fields``), the signature arrays of every record
    too: "keys:k", "mini:k" and "empty:k" (read, joined and normalized once for both). With
    ``shingled``, {"sh", "sc"}: the digest of each record's text with punctuation removed too."""
    idx = range(len(examples)) if idx is None else idx
    n = len(idx)
    first = prompts and fields == "conversation"
    how = pool.mode(-(-n // batches.BATCH))
    names = ("h", "c", "ph", "pc") if first else ("h", "c")
    names += ("sh", "sc") if shingled else ()
    outs = {k: pool.empty(n, np.uint64, how == "fork") for k in names}
    for k, params in enumerate(sign):
        outs.update(_signature_outs(n, params, how == "fork", f":{k}"))
    compiled = any([_compiled(n, params) for params in sign])
    job = functools.partial(_digest_job, first_field=first, sign=tuple(sign), compiled=compiled, shingled=shingled)
    other: list[int] | None = [] if first else None
    for inputs, where in _rounds(idx, fields, examples, other):
        pool.fill(job, inputs, where, outs, how)
    # the digests out of the shared mapping; the signature arrays stay in it (the index keeps them)
    outs = {k: np.array(v) if k in names else v for k, v in outs.items()}
    if first:
        if other:
            got = content_digests(examples, "prompt", [idx[k] for k in other])
            outs["ph"][other], outs["pc"][other] = got["h"], got["c"]
    return outs


def exact_content(examples, fields: str, digests: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, list[list[int]]]:
    """(content hash of each record, groups of identical normalized records)."""
    d = digests or content_digests(examples, fields)
    return d["h"], groups_by_hash(d["h"], check=d["c"])


SHINGLED = "digests:shingled"  # a plan: the content pass digests the punctuation-free text too (FT204)


def _content_pass(ds) -> dict[str, np.ndarray]:
    """The conversation and prompt digests of every record, in one pass. The conversation's
    duplicate indexes that the run's rules planned are signed in this pass too (index_for takes
    their arrays), so every record is read, joined and normalized once, not twice; not those
    with a template, which compare other text than the digests."""
    sign = [p for p in ds.plans if isinstance(p, Params) and p.fields == "conversation" and p.template is None]
    d = content_digests(ds.examples, "conversation", prompts=True, sign=sign, shingled=SHINGLED in ds.plans)
    for k, params in enumerate(sign):
        arrays = {name: d.pop(f"{name}:{k}") for name in ("keys", "mini", "empty")}
        ds.memo(f"signed:{params.key}", lambda _, a=arrays: a)
    return d


def shingled_for(dataset, fields: str) -> tuple[np.ndarray, np.ndarray]:
    """(hash, check): a 128-bit digest of each record's text after case, whitespace and
    punctuation normalization (shingle_text of every field), built once and shared; taken from
    the content pass when a rule planned it (``dataset.plan(SHINGLED)``)."""
    def build(ds):
        d = ds.memo("digests:conversation+prompt", _content_pass) if fields == "conversation" else {}
        if "sh" not in d:
            d = content_digests(ds.examples, fields, shingled=True)
        return d["sh"], d["sc"]

    return dataset.memo(f"shingled:{fields}", build)


def content_for(dataset, fields: str) -> tuple[np.ndarray, list[list[int]]]:
    """The dataset's content hashes and exact-duplicate groups, built once and shared. The
    conversation and prompt digests are made in one pass (what FT201, FT203 and FT204 use)."""
    if fields in ("conversation", "prompt"):
        def build(ds):
            d = ds.memo("digests:conversation+prompt", _content_pass)
            if fields == "prompt":
                return exact_content(ds.examples, fields, {"h": d["ph"], "c": d["pc"]})
            return exact_content(ds.examples, fields, d)

        return dataset.memo(f"content:{fields}", build)
    return dataset.memo(f"content:{fields}", lambda ds: exact_content(ds.examples, fields))
