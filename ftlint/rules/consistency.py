"""FT5: consistency across records: date formats and output structure of the completions,
placeholder values instead of empty inputs, prompts that stray from the file's template, and
template slots left unfilled (FT503 and FT505 in ftlint.rules.placeholders, listed here)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from ftlint.finding import Problem
from ftlint.rules.base import Option, rule

# FT503 and FT505 live with the placeholder patterns they share; they belong to this family
from ftlint.rules.placeholders import placeholder_value, template_leftover

MAX_RELATED = 10

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
# each date format family with the pattern that finds it; the day/month order of a slash date is
# known only when one of the two numbers is above 12
DATE_PATTERNS = (
    ("ISO (2024-03-05)", re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")),
    ("slash (03/05/2024)", re.compile(r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b")),
    ("dotted (05.03.2024)", re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")),
    ("written month first (March 5, 2024)", re.compile(rf"\b(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b", re.I)),
    ("written day first (5 March 2024)", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS})\.?,? \d{{4}}\b", re.I)),
)
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})\b")


# every pattern above needs a year (19xx/20xx) or a slash between digits
_HINT = re.compile(r"\b(?:19|20)\d\d\b|\d/\d")


def _date_formats(text: str) -> set[str]:
    found: set[str] = set()
    if not _HINT.search(text):
        return found
    for name, pattern in DATE_PATTERNS:
        if pattern.search(text):
            found.add(name)
    if "slash (03/05/2024)" in found:
        found.discard("slash (03/05/2024)")
        for a, b in _SLASH.findall(text):
            a, b = int(a), int(b)
            if a > 12 >= b:
                found.add("slash day first (25/03/2024)")
            elif b > 12 >= a:
                found.add("slash month first (03/25/2024)")
            else:
                found.add("slash (03/05/2024)")
    return found


@rule("FT501", "inconsistent-date-format", "warning", "Completions that write dates in more than one format.",
      why="mixed date formats teach the model an inconsistent output; it needs a look.",
      scope="dataset", options={
          "min-dated": Option(3, "completions with a date the file needs before formats are compared"),
      })
def inconsistent_date_format(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Finds full dates (day, month and year) in the completions and sorts them into formats: ISO
    `2024-03-05`, slash dates (month first or day first when a number above 12 tells, otherwise
    undecided), dotted `05.03.2024`, written month first `March 5, 2024` and written day first
    `5 March 2024`. When the file uses more than one, every completion written in a format other
    than the dominant one (the format of most dated completions) is reported, naming it. A
    slash date whose order is undecided counts as the dominant slash order when there is one.

    ## Why it matters
    The model copies whatever format it saw last: mixed formats in training give mixed formats
    in production, and a day-first date read as month-first is a wrong answer.

    ## Example
    ```jsonl bad
    {"prompt": "When does my plan renew?", "completion": "Your plan renews on 2024-03-05."}
    {"prompt": "When was the invoice sent?", "completion": "It was sent on 2024-02-11."}
    {"prompt": "When does the trial end?", "completion": "The trial ends on March 19, 2024."}
    ```
    ```jsonl good
    {"prompt": "When does my plan renew?", "completion": "Your plan renews on 2024-03-05."}
    {"prompt": "When was the invoice sent?", "completion": "It was sent on 2024-02-11."}
    {"prompt": "When does the trial end?", "completion": "The trial ends on 2024-03-19."}
    ```

    ## Fix
    Rewrite the dates of the reported completions in the dominant format (or the one your
    application parses), e.g. with `dateutil.parser` and `strftime`.
    """
    dated = [(e.line, fmts) for e in dataset.examples if (fmts := _date_formats(e.completion))]
    verdict = date_verdict(len(dated), date_votes(dated), options["min-dated"])
    if verdict is not None:
        for line, fmts in dated:
            p = date_problem(line, fmts, verdict)
            if p is not None:
                yield p


UNDECIDED = "slash (03/05/2024)"


def date_votes(dated) -> Counter:
    """Dated completions per format of (line, formats) pairs in line order; the Counter's order
    (first seen, a record's formats in sorted order) is the one that breaks ties."""
    return Counter(f for _, fmts in dated for f in sorted(fmts))


@dataclass(frozen=True)
class DateVerdict:
    dominant: str
    n_dominant: int
    votes: dict[str, int]
    merged: str | None  # the slash order the undecided slash dates count as, if any


def date_verdict(n_dated: int, votes: Counter, min_dated: int) -> DateVerdict | None:
    """The file's dominant date format from how many completions are dated and ``votes`` (as
    date_votes counts them), or None when the file is not judged or uses one format."""
    if n_dated < min_dated:
        return None
    votes = Counter(votes)
    slash_orders = [f for f in votes if f.startswith("slash ") and f != UNDECIDED]
    merged = None
    if UNDECIDED in votes and len(slash_orders) == 1:
        merged = slash_orders[0]
        votes[merged] += votes.pop(UNDECIDED)
    if len(votes) < 2:
        return None
    dominant, n_dominant = votes.most_common(1)[0]
    return DateVerdict(dominant, n_dominant, dict(votes), merged)


def date_problem(line: int, fmts, verdict: DateVerdict) -> Problem | None:
    if verdict.merged is not None:
        fmts = {verdict.merged if f == UNDECIDED else f for f in fmts}
    other = sorted(set(fmts) - {verdict.dominant})
    if not other:
        return None
    return Problem(line, f"completion writes a date as {other[0]}, but most dated completions "
                   f"({verdict.n_dominant}) use {verdict.dominant}; use one format",
                   data={"formats": other, "dominant": verdict.dominant, "counts": dict(verdict.votes)})


def _json_shape(text: str):
    s = text.strip()
    if not s or s[0] not in "{[":
        return None
    try:
        return orjson.loads(s)
    except orjson.JSONDecodeError:
        return None


def _type(v) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}[type(v)]


@rule("FT502", "inconsistent-output-structure", "warning",
      "Some completions are JSON and others not, or JSON completions with different keys or value types.",
      why="mixed output structure teaches an inconsistent format; it needs a look.",
      scope="dataset", options={
          "min-share": Option(0.8, "share of completions (or of JSON objects) that sets the expected structure"),
          "min-records": Option(5, "files with fewer records are not judged"),
      })
def inconsistent_output_structure(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    When at least `min-share` of the completions are JSON (an object or array that parses),
    reports every completion that is not. Among JSON-object completions, reports an object that
    lacks a key that at least `min-share` of the objects have, that has a key fewer than
    1 - `min-share` of them have, or whose value has another type than the one at least
    `min-share` of the others use for that key (`null` is accepted anywhere).

    ## Why it matters
    A model that must answer in JSON learns from every example: a few plain-text or differently
    keyed answers teach it to break your parser now and then, which is the hardest kind of bug
    to find in production.

    ## Example
    ```jsonl bad
    {"prompt": "Extract: Anna, 34, Berlin", "completion": "{\\"name\\": \\"Anna\\", \\"age\\": 34, \\"city\\": \\"Berlin\\"}"}
    {"prompt": "Extract: Ben, 29, Oslo", "completion": "{\\"name\\": \\"Ben\\", \\"age\\": 29, \\"city\\": \\"Oslo\\"}"}
    {"prompt": "Extract: Chloe, 41, Lyon", "completion": "{\\"name\\": \\"Chloe\\", \\"age\\": \\"41\\", \\"city\\": \\"Lyon\\"}"}
    {"prompt": "Extract: Dev, 38, Pune", "completion": "{\\"name\\": \\"Dev\\", \\"age\\": 38, \\"city\\": \\"Pune\\"}"}
    {"prompt": "Extract: Emil, 25, Graz", "completion": "Name: Emil, age 25, city Graz"}
    ```
    ```jsonl good
    {"prompt": "Extract: Anna, 34, Berlin", "completion": "{\\"name\\": \\"Anna\\", \\"age\\": 34, \\"city\\": \\"Berlin\\"}"}
    {"prompt": "Extract: Ben, 29, Oslo", "completion": "{\\"name\\": \\"Ben\\", \\"age\\": 29, \\"city\\": \\"Oslo\\"}"}
    {"prompt": "Extract: Chloe, 41, Lyon", "completion": "{\\"name\\": \\"Chloe\\", \\"age\\": 41, \\"city\\": \\"Lyon\\"}"}
    {"prompt": "Extract: Dev, 38, Pune", "completion": "{\\"name\\": \\"Dev\\", \\"age\\": 38, \\"city\\": \\"Pune\\"}"}
    {"prompt": "Extract: Emil, 25, Graz", "completion": "{\\"name\\": \\"Emil\\", \\"age\\": 25, \\"city\\": null}"}
    ```

    ## Fix
    Rewrite the reported completions in the structure of the others (same keys, same types),
    or validate every completion against one JSON Schema before training.
    """
    exs = dataset.examples
    shapes = [output_shape(e.completion) for e in exs]
    n_json = sum(1 for s in shapes if s is not None)
    if not json_judged(len(exs), n_json, options):
        return
    for e, s in zip(exs, shapes, strict=True):
        if s is None:
            yield not_json(e.line, n_json, len(exs))
    objects = [(e.line, s) for e, s in zip(exs, shapes, strict=True) if isinstance(s, dict)]
    if len(objects) < options["min-records"]:
        return
    share = options["min-share"]
    key_counts = Counter(k for _, o in objects for k in o)
    types = {k: Counter(o[k] for _, o in objects if k in o) for k in common_keys(len(objects), key_counts, share)}
    model = object_model(len(objects), key_counts, types, share)
    for line, o in objects:
        p = object_problem(line, o, model)
        if p is not None:
            yield p


def output_shape(text: str) -> dict[str, str] | str | None:
    """A completion's structure: None when it is not JSON, "array" for a JSON array, the type
    of each key's value for a JSON object."""
    p = _json_shape(text)
    if p is None:
        return None
    return {k: _type(v) for k, v in p.items()} if isinstance(p, dict) else "array"


def json_judged(n: int, n_json: int, options) -> bool:
    """Whether a file of ``n`` records, ``n_json`` of them JSON, is expected to answer in JSON."""
    return n >= options["min-records"] and n_json > 0 and n_json >= options["min-share"] * n


def not_json(line: int, n_json: int, n: int) -> Problem:
    return Problem(line, f"completion is not JSON, but {n_json} of {n} completions are; write it as "
                   "JSON in the same structure", data={"json_completions": n_json})


def kept_key(count: int, n_obj: int, share: float) -> bool:
    """A key common to the objects or not rare among them: the only counts the model needs."""
    return count >= share * n_obj or count > (1 - share) * n_obj


def common_keys(n_obj: int, key_counts, share: float) -> set[str]:
    return {k for k, c in key_counts.items() if c >= share * n_obj}


@dataclass(frozen=True)
class ObjectModel:
    n_obj: int
    share: float
    counts: dict[str, int]  # objects per key, at least for every key kept_key keeps
    usual: dict[str, tuple[str, int]]  # common key -> its most used value type, how many
    totals: dict[str, int]  # common key -> objects with it

    @property
    def common(self) -> set[str]:
        return set(self.usual)

    def rare(self, key: str) -> bool:
        return self.counts.get(key, 0) <= (1 - self.share) * self.n_obj


def object_model(n_obj: int, key_counts, types: dict[str, Counter], share: float) -> ObjectModel:
    """The expected structure of ``n_obj`` JSON objects from their key counts (all of them, or
    those kept_key keeps) and the value types of the common keys (Counters in first-seen order)."""
    counts = {k: c for k, c in key_counts.items() if kept_key(c, n_obj, share)}
    usual = {k: t.most_common(1)[0] for k, t in types.items()}
    return ObjectModel(n_obj, share, counts, usual, {k: t.total() for k, t in types.items()})


def object_problem(line: int, o: dict[str, str], model: ObjectModel) -> Problem | None:
    """``o``: an object's value type per key (output_shape)."""
    why = []
    missing = sorted(model.common - set(o))
    if missing:
        why.append(f"lacks key{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    odd = sorted(k for k in o if model.rare(k))
    if odd:
        why.append(f"has unusual key{'s' if len(odd) > 1 else ''} {', '.join(map(repr, odd))}")
    for k in sorted(model.common & set(o)):
        t, c = model.usual[k]
        actual = o[k]
        if actual != t and actual != "null" and c >= model.share * model.totals[k]:
            why.append(f"has {k!r} as {actual}, not {t}")
    if not why:
        return None
    return Problem(line, f"JSON completion {'; '.join(why)} unlike the other {model.n_obj - 1} JSON objects; use "
                   "one structure", data={"reasons": why})


_PREFIX = re.compile(r"^\s*((?:#{1,6}\s*)?[A-Za-z][A-Za-z ]{0,24}:|\[[A-Za-z/ ]{1,16}\]|<[A-Za-z/|_ ]{1,16}>)")
_SUFFIX = re.compile(r"(\n[^\n]{0,30}:\s*|[\s#=\-|>]*(?:###|->|=>|-->|\|\||\n)[\s#=\-|>]*)$")


def _affixes(text: str) -> tuple[str, str]:
    m = _PREFIX.match(text)
    prefix = m.group(1).strip() if m else ""
    s = _SUFFIX.search(text[-40:])
    suffix = s.group(1) if s and s.group(1).strip(" ") else ""
    return prefix, suffix.strip(" ").replace("\r", "")


@rule("FT504", "prompt-template-inconsistency", "warning",
      "Prompts that use a different prefix or separator where the file otherwise follows one template.",
      why="a prompt that breaks the file's template may be a mistake or a variant; it needs a look.",
      scope="dataset", options={
          "min-share": Option(0.8, "share of prompts that must agree on a prefix or separator for it to be the "
                              "file's template"),
          "min-records": Option(5, "files with fewer records are not judged"),
      })
def prompt_template_inconsistency(dataset, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks at how each prompt (a chat's first user turn) starts and ends: a leading label such as
    `Question:`, `### Instruction:`, `[INST]` or `<context>`, and a trailing separator such as
    `\\n\\n###\\n\\n`, ` ->` or a final `Answer:` line. When at least `min-share` of the prompts agree
    on one prefix (or one separator), every prompt with another spelling or without it is
    reported, naming the one to use. Files whose prompts have no common prefix or separator (most
    natural data) are never reported.

    ## Why it matters
    A model tuned on a template relies on its markers to know where the input ends and its answer
    begins; prompts with another separator or label teach it an inconsistent boundary, and at
    inference time the mismatched spelling produces worse answers or run-on completions.

    ## Example
    ```jsonl bad
    {"prompt": "Question: Where is my order?\\n\\nAnswer:", "completion": " It ships today."}
    {"prompt": "Question: Can I pay by invoice?\\n\\nAnswer:", "completion": " Yes, on the annual plan."}
    {"prompt": "Question: Do you ship to Norway?\\n\\nAnswer:", "completion": " Yes, in five days."}
    {"prompt": "Question: Is there a student discount?\\n\\nAnswer:", "completion": " Yes, 30%."}
    {"prompt": "Q: What is your refund policy?\\nA:", "completion": " 30 days."}
    ```
    ```jsonl good
    {"prompt": "Question: Where is my order?\\n\\nAnswer:", "completion": " It ships today."}
    {"prompt": "Question: Can I pay by invoice?\\n\\nAnswer:", "completion": " Yes, on the annual plan."}
    {"prompt": "Question: Do you ship to Norway?\\n\\nAnswer:", "completion": " Yes, in five days."}
    {"prompt": "Question: Is there a student discount?\\n\\nAnswer:", "completion": " Yes, 30%."}
    {"prompt": "Question: What is your refund policy?\\n\\nAnswer:", "completion": " 30 days."}
    ```

    ## Fix
    Rebuild the reported prompts from the file's template (same label, same separator), ideally
    with the one function that builds prompts at inference time.
    """
    exs = dataset.examples
    if len(exs) < options["min-records"]:
        return
    affixes = [prompt_affixes(e) for e in exs]
    for index, what in ((0, "prefix"), (1, "separator")):
        top, n_top = Counter(a[index] for a in affixes).most_common(1)[0]
        if template_judged(top, n_top, len(exs), options):
            for e, a in zip(exs, affixes, strict=True):
                if a[index] != top:
                    yield template_problem(e.line, what, a[index], top, n_top, len(exs))


def prompt_affixes(e) -> tuple[str, str]:
    return _affixes(_first_user(e))


def template_judged(top: str, n_top: int, n: int, options) -> bool:
    """Whether the most used prefix (or separator) ``top``, on ``n_top`` of ``n`` prompts, is the
    file's template and not every prompt's."""
    return bool(top) and n_top >= options["min-share"] * n and n_top != n


def template_problem(line: int, what: str, value: str, top: str, n_top: int, n: int) -> Problem:
    got = f"{value!r}" if value else "none"
    return Problem(line, f"prompt {what} is {got} but {n_top} of {n} prompts use {top!r}; "
                   "build every prompt from the same template",
                   data={"kind": what, "value": value, "expected": top, "share": round(n_top / n, 4)})


def _first_user(e) -> str:
    for t in e.turns:
        if t.role == "user":
            return t.text
    return e.prompt


RULES = (inconsistent_date_format, inconsistent_output_structure, placeholder_value, prompt_template_inconsistency,
         template_leftover)
