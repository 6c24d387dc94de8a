"""FT503 (placeholder-value: a whole value such as `N/A`) and FT505 (template-leftover: an
unfilled slot such as `{name}` inside a text), with the patterns they share. Both belong to the
FT5 family: ftlint.rules.consistency lists them in its RULES."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.rules.answer_shape import looks_like_code
from ftlint.rules.base import Option, rule

# FT503: a whole value that stands for "nothing"
WHOLE_PLACEHOLDER = re.compile(r"^[\s\"'`]*[<(\[{]*\s*(?:n/?a|none|null|nil|empty|no[ _-]?input|not applicable|"
                               r"tbd|todo|placeholder|undefined|-+|\.\.\.|…|\?+)\s*[>)\]}]*[\s.\"'`]*$", re.I)

# FT505: the slot kinds, each with the pattern that finds it. "brace" kinds are the syntax of
# code and templates, so they are not judged in code.
_HTML = ("A|ABBR|B|BODY|BR|BUTTON|CODE|DIV|EM|FORM|H[1-6]|HEAD|HR|HTML|I|IMG|INPUT|LI|LINK|META|OL|OPTION|P|PRE|"
         "SCRIPT|SELECT|SPAN|STRONG|STYLE|TABLE|TBODY|TD|TEXTAREA|TH|THEAD|TITLE|TR|U|UL")
SLOTS: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("{{var}}", True, re.compile(r"\{\{\s*[A-Za-z_][\w.\- ]{0,40}?\s*\}\}")),
    # two characters at least, and not after a word, `^` or `\`: LaTeX (`\text{cm}`, `x^{th}`) is not a slot
    ("{name}", True, re.compile(r"(?<![{$\w^\\])\{[A-Za-z_]\w{1,40}\}(?!\})")),
    ("${VAR}", True, re.compile(r"\$\{[A-Za-z_]\w{0,40}\}")),
    ("$VARIABLE", True, re.compile(r"(?<![\w$])\$(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|NAME|VARIABLE|PLACEHOLDER|INPUT|OUTPUT|"
                                   r"QUESTION|ANSWER|CONTEXT|TEXT|USER|PROMPT|QUERY)\b")),
    ("<PLACEHOLDER>", False, re.compile(rf"<(?!/?(?:{_HTML})\b)(?:[A-Z][A-Z0-9]*(?:[_ ][A-Z0-9]+)*"
                                        r"|(?i:placeholder|insert[^<>\n]{0,40}|your[ _][^<>\n]{1,40}))>")),
    ("[INSERT ...]", False, re.compile(r"\[(?i:insert|add|enter|fill in|put|your|placeholder)\b[^\]\n]{0,60}\]")),
    # a marker ("TODO: ...", "[TODO]", a lone TODO), not the noun of "a TODO list app"
    ("TODO", True, re.compile(r"\b(?:TODO|FIXME)\b(?=\s*[:\])\-]|\s*$)", re.M)),
    ("lorem ipsum", False, re.compile(r"\blorem ipsum\b", re.I)),
)
_FENCED = re.compile(r"```.*?```", re.S)
_INLINE = re.compile(r"`[^`\n]*`")


# a slot that the text talks about ("variables, e.g. {{client_name}}", "a field such as
# [Your Name]", "'{name}'") is a mention, not a leftover
_MENTION = re.compile(r"(?:\be\.g\.|\bi\.e\.|\bsuch as|\blike|\bfor (?:example|instance)|\bcalled|\bnamed|"
                      r"\bvariables?|\bplaceholders?|\bsyntax)[\s,:]*[\"'\u201c\u2018]?$", re.I)
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def _mentioned(text: str, m: re.Match[str]) -> bool:
    start, end = m.start(), m.end()
    before = text[start - 1:start] if start else ""
    if before in _QUOTES and text[end:end + 1] == _QUOTES[before]:
        return True
    return _MENTION.search(text, max(0, start - 24), start) is not None


def slots(text: str, code: bool) -> list[tuple[str, str]]:
    """(kind, text) of every unfilled slot in ``text``, in order; with ``code`` true (the text, or
    the file's answers, are code) the kinds that are code syntax (braces, `$VAR`, `TODO`
    comments) are not looked for. Text inside code fences and inline code is never judged."""
    # every slot holds one of these; str's own scans are 5x faster than one regex alternation
    # every slot holds one of these; str's own scans are 5x faster than one regex alternation
    # ("orem" finds "Lorem" and "lorem"; "LOREM IPSUM" in capitals is left out for speed)
    if not ("{" in text or "<" in text or "[" in text or "$" in text or "TODO" in text or "FIXME" in text
            or "orem" in text):
        return []
    if "`" in text:
        text = _INLINE.sub(" ", _FENCED.sub(" ", text))
    found: list[tuple[int, str, str]] = []
    for kind, syntax, pattern in SLOTS:
        if code and syntax:
            continue
        found.extend((m.start(), kind, m.group()) for m in pattern.finditer(text) if not _mentioned(text, m))
    return [(kind, hit) for _, kind, hit in sorted(found)]


def _input_fields(e) -> list[tuple[str, str]]:
    """The prompt-side fields a placeholder could stand in for, with their JSON path."""
    if e.format == "instruction":
        return [(f.path, f.text) for f in e.text_fields if f.path == "input"]
    if e.format in ("prompt-completion", "input-output", "preference"):
        return [(f.path, f.text) for f in e.text_fields[:1]]
    for i, t in enumerate(e.turns):
        if t.role == "user":
            return [(f"first user turn (messages[{i}])", t.text)]
    return []


@rule("FT503", "placeholder-value", "warning",
      "An input written as a placeholder (N/A, <no input>, none) instead of left empty or omitted.",
      why="a placeholder where the field should be empty is learned as text; it needs a look.",
      scope="dataset")
def placeholder_value(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Reports an input (an instruction record's `input`, a prompt or input, a chat's first user
    turn) whose whole text is a placeholder: `N/A`, `n/a`, `NA`, `none`, `null`, `<no input>`,
    `[empty]`, `-`, `...`, `?`, `TBD` and the like. The message lists every spelling of a
    placeholder the file uses, since several spellings of one are common after a merge.
    Completions are not checked: `none` can be a correct answer or label.

    ## Why it matters
    The model reads the placeholder as content: it learns that `N/A` is a meaningful input and
    treats the field's absence and `N/A` as two different things. Instruction formats expect an
    empty or absent `input` for "no input".

    ## Example
    ```jsonl bad
    {"instruction": "Write a haiku about autumn.", "input": "N/A", "output": "Leaves drift on cold wind / ..."}
    {"instruction": "Name three primary colours.", "input": "<no input>", "output": "Red, yellow and blue."}
    ```
    ```jsonl good
    {"instruction": "Write a haiku about autumn.", "input": "", "output": "Leaves drift on cold wind / ..."}
    {"instruction": "Name three primary colours.", "output": "Red, yellow and blue."}
    ```

    ## Fix
    Leave the field empty (or omit an optional one); if a prompt is itself a placeholder, drop
    the record.
    """
    hits = [(e.line, path, text) for e in dataset.examples for path, text in placeholder_hits(e)]
    if not hits:
        return
    spellings = Counter(t for _, _, t in hits)
    extra = spelling_note(spellings)
    for line, path, text in hits:
        yield placeholder_problem(line, path, text, extra, spellings)


def placeholder_hits(e) -> list[tuple[str, str]]:
    """(path, placeholder) of the inputs of ``e`` whose whole text is a placeholder."""
    return [(path, text.strip()) for path, text in _input_fields(e)
            if text.strip() and len(text) <= 40 and WHOLE_PLACEHOLDER.match(text)]


def spelling_note(spellings: Counter) -> str:
    """What FT503's messages add about the file's spellings (a Counter in first-seen order)."""
    listed = ", ".join(f"{s!r} ({c})" for s, c in spellings.most_common(6))
    return f"; the file spells placeholders {len(spellings)} ways: {listed}" if len(spellings) > 1 else ""


def placeholder_problem(line: int, path: str, text: str, extra: str, spellings: Counter) -> Problem:
    return Problem(line, f"{path} is the placeholder {text!r}; leave it empty or omit it{extra}",
                   data={"field": path, "value": text, "spellings": dict(spellings)})


@rule("FT505", "template-leftover", "warning",
      "Unfilled template placeholders ({name}, {{var}}, [INSERT ...], <PLACEHOLDER>, TODO, lorem ipsum) in a "
      "minority of records.",
      why="a slot left unfilled is learned as text, but a placeholder can be the task itself (a template to write, "
          "code), so a person looks.",
      scope="dataset", options={
          "max-share": Option(0.5, "a kind of placeholder found in more than this share of the records is the "
                              "file's design, not a leftover"),
          "code-share": Option(0.3, "when at least this share of the completions is code, the file is a code "
                               "dataset and braces, `$VAR` and TODO are syntax everywhere in it"),
      })
def template_leftover(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks in every text field (prompt, input, completion, system prompt, chat turns) for the slots
    of a template that nobody filled in: `{name}`, `{{ var }}`, `${VAR}`, `$VARIABLE` (capitals
    with an underscore, or `$NAME`, `$INPUT`, `$CONTEXT`...), `<PLACEHOLDER>` (capitals, not HTML
    tags), `[INSERT ...]` / `[Your Name]`, a `TODO:` or `FIXME` marker, and `lorem ipsum`. A
    record is reported when it holds one of a kind that appears in at most `max-share` of the
    records; a kind found in most records is the file's design (a dataset about writing
    templates), not a leftover.

    Code is not judged: a field that is code (where `<YOUR_API_KEY>` tells the reader what to
    put and `{name}` is a format string) and text in code fences or inline code. In a code
    dataset (at least `code-share` of the completions are code, as in CodeAlpaca) the kinds
    that are code syntax (braces, `$VAR`, TODO) are not judged in its prose either. A whole
    value that is a placeholder (`N/A`, `<no input>`) in an input is FT503's finding, not this
    rule's.

    ## Why it matters
    A template rendered without its values (`Dear {customer_name},`, `Best regards, [Your Name]`)
    teaches the model to write the slot itself; at inference time it answers with braces and
    brackets instead of names and facts.

    ## Example
    ```jsonl bad
    {"prompt": "Write a thank-you note to the customer.", "completion": "Dear {customer_name}, thank you for your order."}
    {"prompt": "Write a thank-you note to Ana.", "completion": "Dear Ana, thank you for your order."}
    {"prompt": "Write a short follow-up to Ben.", "completion": "Hi Ben, your parcel left today. Best regards, [Your Name]"}
    {"prompt": "Write a welcome note to Carla.", "completion": "Welcome aboard, Carla!"}
    ```
    ```jsonl good
    {"prompt": "Write a thank-you note to Dan.", "completion": "Dear Dan, thank you for your order."}
    {"prompt": "Write a thank-you note to Ana.", "completion": "Dear Ana, thank you for your order."}
    {"prompt": "Write a short follow-up to Ben.", "completion": "Hi Ben, your parcel left today. Best regards, Sam"}
    {"prompt": "How do I format a name in Python?", "completion": "Use an f-string: `f'Hello {name}'`."}
    ```

    ## Fix
    Render the template again with its values, or drop the records it left unfilled.
    """
    exs = dataset.examples
    per_record = [(e.line, hits, code_paths(e, hits)) for e in exs if (hits := leftover_hits(e))]
    if not per_record:
        return
    code_file = (any(syntax_hits(hits) for _, hits, _ in per_record)
                 and code_share(sum(1 for e in exs if looks_like_code(e.completion)), len(exs)) >= options["code-share"])
    judged = [(line, j) for line, hits, code in per_record if (j := judged_hits(hits, code, code_file))]
    records_of = kind_records(hits for _, hits in judged)
    for line, hits in judged:
        p = leftover_problem(line, hits, records_of, len(exs), options)
        if p is not None:
            yield p


def leftover_hits(e) -> list[tuple[str, str, str]]:
    """(path, kind, text) of the unfilled slots in the text fields of ``e``, less FT503's findings."""
    hits = [(path, kind, text) for path, value in e.text_fields for kind, text in slots(value, False)]
    if hits:
        whole = {text for _, text in _input_fields(e) if WHOLE_PLACEHOLDER.match(text)}  # FT503's finding
        fields = dict(e.text_fields)
        hits = [h for h in hits if fields[h[0]] not in whole]
    return hits


def code_paths(e, hits) -> frozenset[str]:
    """The fields of ``hits`` that are code (their slots are not judged)."""
    fields = dict(e.text_fields)
    return frozenset(path for path in {p for p, _, _ in hits} if looks_like_code(fields[path]))


def syntax_hits(hits) -> bool:
    return any(_SYNTAX[kind] for _, kind, _ in hits)


def judged_hits(hits, code: frozenset[str], code_file: bool) -> list[tuple[str, str, str]]:
    return [(path, kind, text) for path, kind, text in hits if path not in code and not (code_file and _SYNTAX[kind])]


def kind_records(judged) -> Counter[str]:
    """Records per slot kind of the judged hits of each record."""
    return Counter(kind for hits in judged for kind in {k for _, k, _ in hits})


def leftover_problem(line: int, hits, records_of, n: int, options) -> Problem | None:
    hits = [h for h in hits if records_of[h[1]] <= options["max-share"] * n]
    if not hits:
        return None
    path, kind, text = hits[0]
    more = f" and {len(hits) - 1} more" if len(hits) > 1 else ""
    return Problem(line, f"{path} holds the unfilled placeholder {text!r}{more} ({records_of[kind]} of {n} "
                   "records have one like it); fill in the value or drop the record",
                   data={"placeholders": [{"field": p, "kind": k, "text": t} for p, k, t in hits[:10]],
                         "records_with_kind": records_of[kind]})


_SYNTAX = {kind: syntax for kind, syntax, _ in SLOTS}


def code_share(n_code: int, n: int) -> float:
    """The share of completions that are code, of ``n_code`` such of ``n``."""
    return n_code / max(n, 1)
