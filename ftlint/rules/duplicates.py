"""FT2: duplicates, conflicting labels and the shared template (MinHash LSH); leakage between
a training and a validation file (FT204) is in ftlint.rules.leakage.

The rules read one shared artifact per file and parameter set
(:func:`ftlint.artifacts.minhash.index_for`): content hashes and exact groups, band keys of
datasketch-compatible MinHash signatures, and near-duplicate clusters verified by exact Jaccard.
Similarity leaves out the file's shared template (:mod:`ftlint.artifacts.shared_template`, FT205)."""
from __future__ import annotations

from collections.abc import Iterator

from ftlint.artifacts import minhash as mh
from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.normalize import FIELDS, FIELDS_HELP, normalize, prompt_context
from ftlint.artifacts.shared_template import template_of
from ftlint.example import Example
from ftlint.finding import Problem, Severity
from ftlint.rules.base import Option, rule

MAX_RELATED = 10

_FIELDS = Option("conversation", FIELDS_HELP, str, FIELDS)
_TEMPLATE = Option(True, "leave the template that most prompts share (a common prefix, suffix or line, "
                   "reported by FT205) out of the compared text", bool)
_NEAR = {
    "threshold": Option(0.8, "minimum Jaccard similarity of the two records' shingle sets (0-1)", float),
    "fields": _FIELDS,
    "num-perm": Option(128, "MinHash permutations; more is slower and finds pairs near the threshold more reliably", int),
    "char-ngram": Option(3, "characters per shingle for short fields (up to 200 characters)", int),
    "word-ngram": Option(3, "words per shingle for long fields (from 120 characters)", int),
    "ignore-template": _TEMPLATE,
}


def _params(options, dataset, fields: str | None = None, template_from=None) -> mh.Params:
    """The duplicate index's parameters for these options, with the shared template of
    ``template_from`` (the dataset itself unless given) when ``ignore-template`` is on."""
    template = template_of(template_from or dataset) if options.get("ignore-template", True) else None
    return mh.Params(fields=fields or options["fields"], threshold=float(options["threshold"]),
                     num_perm=options.get("num-perm", 128), char_n=options.get("char-ngram", 3),
                     word_n=options.get("word-ngram", 3), template=template)


@rule("FT201", "exact-duplicate", "warning",
      "The same example again, after Unicode, case and whitespace normalization.", why="a copy with the same answer weights one example twice; harmful in bulk, not wrong.",
      scope="dataset",
      options={"fields": _FIELDS})
def exact_duplicate(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports every record whose text is identical to an earlier record's after Unicode NFKC
    normalization, case folding and collapsing whitespace. By default the whole conversation is
    compared (the prompt and the completion of single-turn formats, every message of a chat);
    the `fields` option compares only the prompt, only the completion, or includes the system
    prompt. Punctuation is kept: `Refund?` and `Refund!` are near-duplicates (FT202), not copies.
    Each copy points at the first occurrence (`related`).

    ## Why it matters
    A duplicated example is seen twice per epoch, so the model over-weights it and memorises
    its exact wording; hundreds of copies (a merge run twice, a template filled with the same
    values) shift what the model learns without adding anything.

    ## Example
    ```jsonl bad
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "where is  my order?", "completion": "It ships today."}
    ```
    ```jsonl good
    {"prompt": "Where is my order?", "completion": "It ships today."}
    {"prompt": "Where is my refund?", "completion": "Refunds take five working days."}
    ```

    ## Fix
    Keep the first copy and drop the others (`ftlint fix` does). If the copies are deliberate
    up-weighting, prefer more epochs or genuinely varied examples.
    """
    hashes, groups = mh.content_for(dataset, options["fields"])
    exs = dataset.examples
    for g in groups:
        first = exs[g[0]].line
        for i in g[1:]:
            yield Problem(exs[i].line, f"exact duplicate of line {first} (same text after case and whitespace "
                          "normalization); remove the copy", related=(first,),
                          data={"first": first, "copies": len(g)})


def _plan(dataset, options) -> None:
    dataset.plan(_params(options, dataset))  # so that index_for's signatures come from the content pass


@rule("FT202", "near-duplicate", "warning",
      "Records whose shingle sets have a Jaccard similarity at or above the threshold (MinHash LSH, verified).",
      why="near copies over-weight one example; a person should look, because formulaic data has many by design.",
      scope="dataset", options=_NEAR, plan=_plan)
def near_duplicate(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Finds records that are almost the same: a few words changed, words appended, punctuation or
    case changed. Each record's text is normalized (NFKC, case folded, punctuation and symbols
    become spaces, whitespace collapsed) and cut into *shingles*; two records are near-duplicates
    when the Jaccard similarity of their shingle sets is at least `threshold` (0.8).

    Shingles work for short and long texts alike. Every field (each turn of a chat) is shingled
    on its own: a field of up to 200 characters into character 3-grams, a longer one into word
    3-grams, one of 120-200 characters into both. Most fine-tuning prompts are short (a ticket
    to classify is 5-15 words): word 5-grams find nothing there, and even word 3-grams lose
    three of eight shingles to one changed word, while character 3-grams also survive typos,
    split or joined words and text without spaces (Japanese, Chinese). A typo replaces at most
    three character 3-grams (five 5-grams): a 30-character utterance with one typo, or a
    60-character one with two, keeps a similarity of about 0.8 (on 5-grams, below 0.7). Long answers get word 3-grams, five times fewer shingles for the same text,
    which keeps 1M records fast.

    A template that most prompts share (a prefix, a suffix or a line, reported by FT205) is
    left out of the compared text (option `ignore-template`), so that two records filled into
    one instruction template are compared on what was filled in.

    MinHash signatures (datasketch `affine32`, 128 permutations) and LSH banding (17 bands of
    7 rows at 0.8, from datasketch's optimiser weighted towards recall) propose candidate pairs
    cheaply; every candidate is then verified by the **exact** Jaccard of the two shingle sets,
    so an LSH false positive never reaches you. Exact copies are FT201's and are left out.
    Similar records form clusters; each member but the first is reported once, pointing at the
    cluster's first record (`related`), with the similarity in `data`.

    ## Why it matters
    Near-copies (a template with one word swapped, a ticket pasted twice with "Urgent." added)
    over-weight one example as much as exact copies do, and they are what deduplication by exact
    match misses. They also make a random train/validation split leak (FT204).

    ## Example
    ```jsonl bad
    {"input": "Our engineers can no longer log in to the dashboard since this morning", "output": "account_access"}
    {"input": "Our engineers can no longer log in to the dashboard since this morning. Urgent!", "output": "account_access"}
    ```
    ```jsonl good
    {"input": "Our engineers can no longer log in to the dashboard since this morning", "output": "account_access"}
    {"input": "Please add a dark mode to the mobile app", "output": "feature_request"}
    ```

    ## Fix
    Keep one record per cluster (the clearest one), or rewrite the others so that they teach
    something new. `ftlint.duplicate_clusters()` returns the clusters for a pipeline step.
    """
    index = mh.index_for(dataset, _params(options, dataset))
    exs = dataset.examples

    def conflict(a: int, b: int) -> bool:  # the same prompt with another answer is FT203's finding
        return normalize(prompt_context(exs[a])) == normalize(prompt_context(exs[b])) and _answer(exs[a]) != _answer(exs[b])

    yield from near_problems(index, conflict)


def near_problems(index: mh.DuplicateIndex, skip=lambda a, b: False) -> Iterator[Problem]:
    lines = index.lines
    best: dict[int, tuple[float, int]] = {}
    for a, b, sim in index.edges:
        for x, y in ((a, b), (b, a)):
            if x not in best or (sim, -y) > (best[x][0], -best[x][1]):
                best[x] = (sim, y)
    for cluster in index.near:
        rep = int(lines[cluster[0]])
        for m in cluster[1:]:
            sim, partner = best[m]
            if skip(m, partner):
                continue
            pline = int(lines[partner])
            related = (rep,) if pline == rep else tuple(sorted({rep, pline}))
            how = f"similarity {sim:.2f}" if pline == rep else f"similarity {sim:.2f} with line {pline} of its cluster"
            yield Problem(int(lines[m]), f"near-duplicate of line {rep} ({how}); keep one of them or rewrite this one",
                          related=related,
                          data={"similarity": sim, "representative": rep, "closest": pline,
                                "cluster_size": len(cluster)})


def _answer(ex: Example) -> str:
    return normalize(ex.label if ex.label is not None else ex.completion)


def _show(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


@rule("FT203", "conflicting-labels", "error",
      "The same or nearly the same prompt with different completions or labels.", why="the model is taught two answers for one prompt (an error for classification labels, a warning for open-ended answers).",
      scope="dataset",
      options={"prompt-threshold": Option(0.9, "prompts at least this similar (Jaccard of shingles) count as "
                                          "the same prompt; 1.0 compares exact (normalized) prompts only", float),
               "num-perm": _NEAR["num-perm"],
               "char-ngram": Option(5, "characters per shingle for short prompts; longer than FT202's 3, so that two "
                                    "short prompts one word apart ('list' / 'get everything on my shopping list') "
                                    "are not the same prompt", int),
               "word-ngram": _NEAR["word-ngram"], "ignore-template": _TEMPLATE})
def conflicting_labels(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Groups records by their prompt (for chats: the system prompt and every turn before the last
    answer), normalized as FT201 does, and, above `prompt-threshold` (0.9, stricter than FT202,
    on character 5-grams), by near-identical prompts for classification data (in generation
    data a prompt that differs in one order number rightly gets another answer, so only
    identical prompts are compared there). Near-identical prompts are compared without the
    template most prompts share (FT205). A group whose completions (or `label` fields) differ is a conflict;
    every record whose answer differs from the group's first record is reported, with the other
    records in `related` and every answer with its lines in `data`.

    The severity depends on the data. For classification-like data (as FT3 detects it: an
    explicit `label` key on 90% of the records, or completions that are nearly all short and
    repeat, at most half as many distinct values as records) a conflict is an **error**: one input with
    two labels is wrong at least once. For open-ended generation, where two good answers to one
    prompt can both be legitimate, it is a **warning**.

    ## Why it matters
    The same input with two labels is label noise: the model is trained to produce both, learns
    neither reliably, and its accuracy is capped by the contradiction. It is usually a labelling
    mistake or two annotators disagreeing.

    ## Example
    ```jsonl bad
    {"input": "I was charged twice for my subscription", "output": "billing"}
    {"input": "The app crashes when I open a board", "output": "technical_issue"}
    {"input": "I was charged twice for my subscription!", "output": "cancellation"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Export to PDF does nothing", "output": "technical_issue"}
    {"input": "Please close my account", "output": "cancellation"}
    ```
    ```jsonl good
    {"input": "I was charged twice for my subscription", "output": "billing"}
    {"input": "The app crashes when I open a board", "output": "technical_issue"}
    {"input": "Please cancel my subscription", "output": "cancellation"}
    {"input": "Refund my last invoice", "output": "billing"}
    {"input": "Export to PDF does nothing", "output": "technical_issue"}
    {"input": "Please close my account", "output": "cancellation"}
    ```

    ## Fix
    Decide the right label and correct the other records, or drop the ambiguous input. For
    generation data, keep both answers only if both are what you want the model to say.
    """
    exs = dataset.examples
    threshold = float(options["prompt-threshold"])
    classification = labels_of(dataset) is not None  # the labels artifact FT3 uses: one notion of classification
    if threshold >= 1.0 or not classification:
        groups = mh.content_for(dataset, "prompt")[1]
    else:
        opts = dict(options, fields="prompt", threshold=threshold)
        groups = mh.index_for(dataset, _params(opts, dataset)).clusters()
    for g in groups:
        yield from conflict_problems([(exs[i].line, *conflict_features(exs[i])) for i in g], classification)


def conflict_features(ex: Example) -> tuple[bool, str, str]:
    """What FT203 reads of one record: whether it has a prompt, its answer (normalized), and
    its answer as written (the label, else the completion)."""
    return (bool(prompt_context(ex).strip()), _answer(ex),
            ex.label if ex.label is not None else ex.completion)


def conflict_problems(group: list[tuple[int, bool, str, str]], classification: bool) -> Iterator[Problem]:
    """FT203's findings on one group of records with the same prompt: (line, *conflict_features)
    of each member, in line order."""
    severity = None if classification else Severity.WARNING
    first_line, has_prompt, first, first_shown = group[0]
    if not has_prompt:
        return
    if len({answer for _, _, answer, _ in group}) < 2:
        return
    by_answer: dict[str, list[int]] = {}
    for line, _, answer, _ in group:
        by_answer.setdefault(answer, []).append(line)
    shown = {s: None for _, _, _, s in group}
    others_of: dict[str, list[int]] = {}  # per answer, not per record: a big group stays linear
    what = "label" if classification else "completion"
    listed = ", ".join(_show(s) for s in shown)
    group_lines = [line for line, _, _, _ in group]
    for line, _, answer, written in group[1:]:
        if answer == first:
            continue
        others = others_of.get(answer)
        if others is None:
            others = others_of[answer] = sorted(ln for a, ls in by_answer.items() if a != answer for ln in ls)
        yield Problem(line, f"same prompt as line {first_line} but a different {what} "
                      f"({_show(written)} vs {_show(first_shown)}; "
                      f"{what}s in the group: {listed}); decide which is right and fix the others",
                      related=tuple(others[:MAX_RELATED]), severity=severity,
                      data={"answers": {a: ls for a, ls in by_answer.items()},
                            "classification": classification, "group": list(group_lines)})


@rule("FT205", "shared-template", "info",
      "A prefix, suffix or line that most prompts share (a template), left out of duplicate similarity.",
      why="a template is how the data was made, not a defect; it is reported once so that you know what FT202-FT204 leave out.",
      scope="dataset")
def shared_template(dataset, options) -> Iterator[Problem]:
    r"""
    ## What it does
    Finds the text that more than half of the prompts share: a common start (an instruction
    template), a common end ("### Response:"), or a whole line (scaffolding such as "### Input:",
    "</context>"). System prompts and user turns are looked at separately; answers never. A
    start counts from 24 characters (after normalization: case folded, punctuation dropped),
    cut at a word boundary, and so does an end, unless the prompts also share a start (then an
    end of one word, such as "</question>", closes the same template); a line counts at any length. It is reported once per file, with the share of
    prompts that hold each part; the detection reads an evenly spaced sample of 2,000 records.

    FT202, FT203 and FT204 compare records **without** this text (their option
    `ignore-template`, on by default), and exact-copy checks (FT201, FT204's verbatim tier)
    still compare the whole text.

    ## Why it matters
    Two prompts filled into one long template share most of their shingles although they share
    nothing else. Without this step the template decides their similarity: records that share
    only the template look like near-duplicates or leaks, and the true pairs are lost among them.

    ## Example
    ```jsonl bad
    {"prompt": "Classify the sentiment of this customer review as positive or negative.\nReview: The blender broke after two days.", "completion": "negative"}
    {"prompt": "Classify the sentiment of this customer review as positive or negative.\nReview: Fast delivery and it works great.", "completion": "positive"}
    {"prompt": "Classify the sentiment of this customer review as positive or negative.\nReview: The lid does not fit at all.", "completion": "negative"}
    {"prompt": "Classify the sentiment of this customer review as positive or negative.\nReview: My kids love it.", "completion": "positive"}
    {"prompt": "Classify the sentiment of this customer review as positive or negative.\nReview: Too loud to use early in the morning.", "completion": "negative"}
    ```
    ```jsonl good
    {"prompt": "The blender broke after two days.", "completion": "negative"}
    {"prompt": "Fast delivery and it works great.", "completion": "positive"}
    {"prompt": "The lid does not fit at all.", "completion": "negative"}
    {"prompt": "My kids love it.", "completion": "positive"}
    {"prompt": "Too loud to use early in the morning.", "completion": "negative"}
    ```

    ## Fix
    Nothing to fix: this is information. If the template is not meant to be part of the
    training data (a model with its own prompt format), remove it before training; to compare
    records with their template, set `ignore-template = false` for FT202, FT203 and FT204.
    """
    template = template_of(dataset)
    if template is None:
        return
    sample = "" if template.sampled >= len(dataset.examples) else f" (of {template.sampled:,} sampled records)"
    parts, data = [], {"sampled": template.sampled}
    for role, t in template.roles:
        bits = []
        if t.prefix:
            bits.append(f"{t.prefix_share:.0%} start with the same {len(t.prefix)}-character text {_show(t.prefix)}")
        if t.suffix:
            bits.append(f"{t.suffix_share:.0%} end with the same {len(t.suffix)}-character text {_show(t.suffix)}")
        bits.extend(f"{share:.0%} hold the line {_show(line)}" for line, share in zip(t.lines, t.line_shares, strict=True))
        parts.append(f"{'system prompts' if role == 'system' else 'prompts'}: {', '.join(bits)}")
        data[role] = {"prefix": t.prefix, "prefix_share": round(t.prefix_share, 4), "suffix": t.suffix,
                      "suffix_share": round(t.suffix_share, 4),
                      "lines": {line: round(share, 4) for line, share in zip(t.lines, t.line_shares, strict=True)}}
    yield Problem(None, f"shared template{sample}: {'; '.join(parts)}; FT202-FT204 compare records without it",
                  data=data)

RULES = (exact_duplicate, near_duplicate, conflicting_labels, shared_template)
