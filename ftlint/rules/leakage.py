"""FT204: leakage between a training file and a validation file, in tiers.

A validation record that is in training verbatim (after case, whitespace and punctuation
normalization) or with another answer is an error; a near match is a warning with its
similarity, because short formulaic texts ("freeze my card in russia" / "... in dublin") are
often different examples written on purpose. One dataset-level finding states the share of the
validation file in each tier. Both files are compared without the training file's shared
template (FT205)."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ftlint.artifacts import minhash as mh
from ftlint.artifacts.normalize import key_text, normalize, prompt_context
from ftlint.finding import Problem, Severity
from ftlint.rules.base import Option, rule
from ftlint.rules.duplicates import _NEAR, MAX_RELATED, _answer, _params, _show


def _plan(dataset, options) -> None:
    dataset.plan(_params(options, dataset))  # signatures from the content pass (FT202's plan)
    dataset.plan(mh.SHINGLED)  # and the punctuation-free digests of the normalized tier


@rule("FT204", "split-leakage", "error",
      "A validation record that is in training verbatim or with another answer (error), or nearly (warning).",
      why="a validation record that is in training verbatim, or with another answer, makes the validation score "
          "a lie (error); a near match may be another example written on purpose, so it needs a look (warning).",
      scope="pair", options={**_NEAR, "conflicts": Option(True, "also report a validation record whose "
                                                          "prompt is in training with a different completion")},
      plan=_plan)
def split_leakage(train, validation, options) -> Iterator[Problem]:
    """
    ## What it does
    With `ftlint check train.jsonl --validation val.jsonl`, compares each validation record with
    the training records, in tiers, and reports it on the validation line with the training
    lines in `related` (`data.kind` names the tier):

    - `exact` (**error**): the same text as a training record after NFKC, case and whitespace
      normalization (as FT201);
    - `normalized` (**error**): the same text once punctuation and symbols are ignored too
      (`"hi, ai"` / `"hi ai"`, `"farewell"` / `"farewell!"`);
    - `conflict` (**error**, with `conflicts` on): the validation prompt is in training (as
      FT201 normalizes it) with a different completion or label;
    - `near` (**warning**): a near-duplicate as FT202 finds it (same options), with the
      similarity in the message. Short formulaic texts ("freeze my card in russia" / "... in
      dublin") are often different examples written on purpose, so a near match is never an error.

    A last, dataset-level finding (**info**, no line, `data.kind` `summary`) states the share
    of the validation file in each tier, e.g. "12 of 3,080 validation records (0.4%) are in
    training verbatim ...; 61 more (2.0%) are near matches"; its `data` holds the counts
    (`validation_records`, `verbatim`, `near`, `conflicts`) and shares. It is only reported when
    something leaks. A severity you configure for FT204 applies to every tier and the summary.

    Both files are compared without the training file's shared template (FT205). `--validation`
    may be given more than once (a validation and a test file): each is checked against the
    training files. Nothing is reported between two validation files.

    ## Why it matters
    A validation example the model has trained on measures memory, not generalization: the
    validation loss looks better than the model is, and early stopping or model selection
    trusts it. A contradicting pair makes the validation score penalise the right answer.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "How do I reset my password?", "completion": "Use the link on the sign-in page."}
    ```
    ```jsonl bad validation
    {"prompt": "WHERE is my order", "completion": "It ships   today!"}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "How do I reset my password?", "completion": "Use the link on the sign-in page."}
    ```
    ```jsonl good validation
    {"prompt": "Can I pay by invoice?", "completion": "Yes, on the annual plan."}
    ```

    ## Fix
    Remove the leaked records from the validation file (or from training), then split again
    grouping near-duplicates together, so that every cluster lands on one side of the split.
    Look at each near match: drop it if it is the same example reworded, keep it if it is a
    different example that happens to be short and formulaic.
    """
    params = _params(options, validation, template_from=train)  # one template for both files: train's
    ti = mh.index_for(train, params)
    vi = mh.index_for(validation, params)
    texs, vexs = train.examples, validation.examples
    found: dict[int, Problem] = {}
    # exact copies: equal content hash, confirmed by the text
    for v, rows in _matches(ti.hashes, vi.hashes).items():
        text = key_text(vexs[v], params.fields)
        hits = sorted(texs[t].line for t in rows if key_text(texs[t], params.fields) == text)
        if hits:
            found[v] = Problem(vexs[v].line, f"validation record is an exact copy of training line {hits[0]}"
                               f"{_more(hits)}; remove it from one of the files", related=tuple(hits[:MAX_RELATED]),
                               data={"kind": "exact", "similarity": 1.0, "train_lines": hits[:MAX_RELATED]})
    # the same text but for punctuation: equal 128-bit digests of the punctuation-free text
    (th, tc), (vh, vc) = mh.shingled_for(train, params.fields), mh.shingled_for(validation, params.fields)
    for v, rows in _matches(th, vh).items():
        hits = sorted(texs[t].line for t in rows if tc[t] == vc[v])
        if hits and v not in found:
            found[v] = Problem(vexs[v].line, f"validation record is the same text as training line {hits[0]}{_more(hits)} "
                               "but for case, spacing and punctuation; remove it from one of the files",
                               related=tuple(hits[:MAX_RELATED]),
                               data={"kind": "normalized", "similarity": 1.0, "train_lines": hits[:MAX_RELATED]})
    if options["conflicts"]:
        _cross_conflicts(train, validation, found)
    # near-duplicates: shared LSH bands, verified by exact Jaccard
    pairs = mh.cross_pairs(vi.keys, ti.keys)
    pairs = pairs[mh.plausible(vi.mini, pairs[:, 0], ti.mini, pairs[:, 1], params.threshold)]
    if len(pairs):
        edges = mh._verify(vexs, vi.reps[pairs[:, 0]], texs, ti.reps[pairs[:, 1]], params)
        tcopies = ti.exact_group_of()
        vcopies = vi.exact_group_of()
        near: dict[int, list[tuple[float, int]]] = {}
        for v, t, sim in edges:
            for vv in vcopies.get(v, [v]):
                near.setdefault(vv, []).extend((sim, texs[tt].line) for tt in tcopies.get(t, [t]))
        for v, hits in near.items():
            if v in found:
                continue
            hits.sort(key=lambda h: (-h[0], h[1]))
            sim, line = hits[0]
            found[v] = Problem(vexs[v].line, f"validation record is a near match of training line {line} "
                               f"(similarity {sim:.2f}); if it is the same example, remove it from one of the files",
                               related=tuple(sorted(h[1] for h in hits[:MAX_RELATED])), severity=Severity.WARNING,
                               data={"kind": "near", "similarity": sim,
                                     "train_lines": sorted(h[1] for h in hits[:MAX_RELATED])})
    for v in sorted(found):
        yield found[v]
    if found:
        yield _summary(found, len(vexs), len(texs), params.threshold)


def _matches(train_hashes: np.ndarray, val_hashes: np.ndarray) -> dict[int, list[int]]:
    """For each validation record, the training records with the same hash (a candidate list)."""
    if not len(train_hashes):
        return {}
    order = np.argsort(train_hashes, kind="stable")
    sh = train_hashes[order]
    lo = np.searchsorted(sh, val_hashes, "left")
    hi = np.searchsorted(sh, val_hashes, "right")
    return {v: order[lo[v]:hi[v]].tolist() for v in np.flatnonzero(hi > lo).tolist()}


def _more(hits: list[int]) -> str:
    return f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""


def _share(k: int, n: int) -> str:
    return "0%" if not k else f"{k / n:.1%}" if k / n >= 0.001 else "<0.1%"


def _summary(found: dict[int, Problem], n: int, n_train: int, threshold: float) -> Problem:
    kinds = [p.data["kind"] for p in found.values()]  # type: ignore[index]
    verbatim = kinds.count("exact") + kinds.count("normalized")
    near, conflicts = kinds.count("near"), kinds.count("conflict")
    return Problem(None, f"{verbatim:,} of {n:,} validation records ({_share(verbatim, n)}) are in training "
                   f"verbatim (after case, whitespace and punctuation normalization); {near:,} more "
                   f"({_share(near, n)}) are near matches (similarity {threshold:g} or more); {conflicts:,} "
                   f"({_share(conflicts, n)}) have their prompt in training with another answer",
                   severity=Severity.INFO,
                   data={"kind": "summary", "validation_records": n, "train_records": n_train,
                         "verbatim": verbatim, "exact": kinds.count("exact"), "normalized": kinds.count("normalized"),
                         "near": near, "conflicts": conflicts, "verbatim_share": round(verbatim / n, 4),
                         "near_share": round(near / n, 4), "conflict_share": round(conflicts / n, 4)})


def _cross_conflicts(train, validation, found: dict[int, Problem]) -> None:
    """Adds a conflict finding for each validation record not already reported as a leak."""
    th, _ = mh.content_for(train, "prompt")
    vh, _ = mh.content_for(validation, "prompt")
    texs, vexs = train.examples, validation.examples
    for v, rows in _matches(th, vh).items():
        if v in found or not prompt_context(vexs[v]).strip():
            continue
        prompt = normalize(prompt_context(vexs[v]))
        answer = _answer(vexs[v])
        same = [t for t in rows if normalize(prompt_context(texs[t])) == prompt]
        differ = sorted(texs[t].line for t in same if _answer(texs[t]) != answer)
        if same and differ:
            t0 = next(t for t in same if texs[t].line == differ[0])
            found[v] = Problem(vexs[v].line, f"validation prompt is in training (line {differ[0]}) with a different "
                               f"answer ({_show(answer)} vs {_show(_answer(texs[t0]))}); make them agree or "
                               "drop one", related=tuple(differ[:MAX_RELATED]),
                               data={"kind": "conflict", "train_lines": differ[:MAX_RELATED]})


RULES = (split_leakage,)
