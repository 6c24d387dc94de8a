"""The raw text of records, batch by batch, as the workers of the content and signature passes
take it: made here, in the parent process, before any worker starts."""
from __future__ import annotations

import numpy as np

from ftlint.artifacts.normalize import _FLD, checked_join, fields_of, join_records, shingle_text
from ftlint.artifacts.shared_template import SharedTemplate

BATCH = 2048  # records per batch of array work (the size of every worker's temporary arrays)
CHUNK = 128  # batches whose raw text is made at once, before the workers of one round start



def texts_for(examples, idx, fields: str) -> list[list[str]]:
    return [[shingle_text(t) for t in fields_of(examples[i], fields)] for i in idx]


def records_of(examples, idx, fields: str) -> list[list[str]]:
    """fields_of() of examples[i] for i in idx (inlined for the common "conversation")."""
    if fields == "conversation":
        if isinstance(idx, range) and idx.step == 1:
            part = examples[idx.start:idx.stop]
        else:
            part = [examples[i] for i in idx]
        return [[x for r, x in e.turns if r != "system"] for e in part]
    return [fields_of(examples[i], fields) for i in idx]


def conversation_batch(part, others: list[int] | None = None) -> str | bytes:
    """join_records(records_of(part, "conversation")) with less Python per record (two-turn
    records, the common case, are joined directly). With ``others``, the positions of the
    records that are not single-turn (see :func:`_single_turn`) are appended to it."""
    out = []
    extra = 0  # field separators beyond one per record
    for k, e in enumerate(part):
        t = e.turns
        if len(t) == 2 and t[0][0] != "system" and t[1][0] != "system":
            out.append(t[0][1] + _FLD + t[1][1])
            if others is not None and (e.system is not None or t[0][0] != "user" or t[1][0] != "assistant"):
                others.append(k)
        else:
            fs = [x for r, x in t if r != "system"]
            extra += len(fs) - 2 if fs else -1
            out.append(_FLD.join(fs))
            if others is not None:
                others.append(k)
    return checked_join(out, len(out) + extra) or join_records(records_of(part, range(len(part)), "conversation"))


def _rounds(idx: np.ndarray | range, fields: str, examples, others: list[int] | None = None,
            template: SharedTemplate | None = None):
    """The raw text of every BATCH of examples[idx], CHUNK batches at a time: (inputs, rows)
    per round. The text is made here, in this process, before any worker starts. With
    ``others`` (fields "conversation"), the positions in idx of records that are not
    single-turn are appended to it. With a ``template``, the text is the records' without it."""
    n = len(idx)
    for c in range(0, n, BATCH * CHUNK):
        inputs, rows = [], []
        for s in range(c, min(c + BATCH * CHUNK, n), BATCH):
            part = idx[s:s + BATCH]
            if template is not None:
                part = part.tolist() if isinstance(part, np.ndarray) else part
                inputs.append((join_records([template.fields(examples[i], fields) for i in part]), len(part)))
            elif fields == "conversation":
                part = examples[part.start:part.stop] if isinstance(part, range) and part.step == 1 else \
                    [examples[i] for i in (part.tolist() if isinstance(part, np.ndarray) else part)]
                got: list[int] | None = [] if others is not None else None
                inputs.append((conversation_batch(part, got), len(part)))
                if got:
                    others.extend(s + k for k in got)
            else:
                if isinstance(part, np.ndarray):
                    part = part.tolist()
                inputs.append((join_records(records_of(examples, part, fields)), len(part)))
            rows.append(slice(s, s + len(part)))
        yield inputs, rows
