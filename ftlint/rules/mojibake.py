"""FT111 mojibake: text decoded with the wrong codec ("cafÃ©", "Itâ€™s"), found with ftfy's badness
heuristic and repaired by `ftlint fix` with ftfy.

A new code rather than part of FT106: FT106 reports bytes and characters a job cannot take or a
model should never see (invalid UTF-8, a BOM, control characters, U+FFFD), found by the reader,
always true, an error whose fix drops the record. Mojibake is valid UTF-8 of the wrong characters:
found by a heuristic on the parsed strings (so a warning), and repairable in place (so its fix
rewrites the text instead of dropping the record); users may want one without the other."""
from __future__ import annotations

import copy
import functools
from collections.abc import Iterator

from ftlint.finding import Problem
from ftlint.formats.messages import parse_path
from ftlint.rules.base import rule

SNIPPET = 40


@functools.cache
def _ftfy():
    import ftfy

    # only the repairs of a wrong decode: no quote uncurling, width or ligature folding, HTML
    # unescaping or line-break changes, which would rewrite text that is not mojibake
    config = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                                  fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                                  fix_surrogates=False, remove_control_chars=False, normalization=None,
                                  explain=False)
    return ftfy, config


def repaired(text: str) -> str | None:
    """The text ftfy restores from mojibake, or None when the text is not mojibake."""
    if text.isascii():
        return None  # mojibake of UTF-8 is never ASCII: most text stops here
    ftfy, config = _ftfy()
    if not ftfy.badness.is_bad(text):
        return None
    fixed = ftfy.fix_text(text, config)
    return fixed if fixed != text else None


def _snippet(before: str, after: str) -> tuple[str, str]:
    """The first stretch where the two texts differ, with a little context."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    start = max(0, i - 10)
    return before[start:start + SNIPPET], after[start:start + SNIPPET]


def _fix(finding, obj: dict, fmt: str, options) -> dict | None:
    """Rewrite every field the finding names with ftfy's repair."""
    fields = (finding.data or {}).get("fields") or []
    new = copy.deepcopy(obj)
    done = False
    for path in fields:
        target = new
        parts = parse_path(path)
        try:
            for p in parts[:-1]:
                target = target[p]
            text = target[parts[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        fixed = repaired(text) if isinstance(text, str) else None
        if fixed is not None:
            target[parts[-1]] = fixed
            done = True
    return new if done else None


@rule("FT111", "mojibake", "warning", "Text decoded with the wrong codec (\"cafÃ©\", \"Itâ€™s\").",
      why="mojibake is valid UTF-8 found by a heuristic; ftfy's repair is safe, but a person should see what changed.",
      scope="record", batch=True, fix=_fix)
def mojibake(records, options) -> Iterator[Problem]:
    """
    ## What it does
    Looks at every text field that is not plain ASCII for the marks of UTF-8 read as cp1252 or
    Latin-1 (`Ã©` for `é`, `â€™` for `’`, `Ã¼` for `ü`, `Ð¿Ñ€` for Cyrillic), with ftfy's badness
    heuristic, and reports the record when ftfy can restore the text. The message shows the
    first damaged stretch and its repair; `data.fields` names the JSON paths.

    ## Why it matters
    Mojibake passes every JSON and UTF-8 check, so it reaches the job. The model learns `cafÃ©`
    as a word and writes it back to users. It comes from a CSV export or a database read with the
    wrong codec, usually for a whole batch of records.

    ## Example
    ```jsonl bad
    {"prompt": "Is the cafÃ© open on Sundays?", "completion": "Yes, from 9 to 5."}
    {"prompt": "Can I bring my dog?", "completion": "Itâ€™s fine on the terrace."}
    ```
    ```jsonl good
    {"prompt": "Is the café open on Sundays?", "completion": "Yes, from 9 to 5."}
    {"prompt": "Can I bring my dog?", "completion": "It’s fine on the terrace."}
    ```

    ## Fix
    `ftlint fix` repairs the fields in place with ftfy (only the codec repair: quotes, widths and
    ligatures are left as they are) and counts the records it changed under FT111; a manifest
    (`--manifest`) lists each repair. Better still, re-export the source with the right codec.
    """
    for record in records:
        bad: list[str] = []
        first: tuple[str, str] | None = None
        for path, text in record.example.text_fields:
            if text.isascii():
                continue
            fixed = repaired(text)
            if fixed is not None:
                bad.append(path)
                if first is None:
                    first = _snippet(text, fixed)
        if bad:
            before, after = first  # type: ignore[misc]
            where = bad[0] if len(bad) == 1 else f"{bad[0]} and {len(bad) - 1} more field{'s' if len(bad) > 2 else ''}"
            yield Problem(record.line, f"{where}: text decoded with the wrong codec, {before!r} should read {after!r}; "
                          "`ftlint fix` repairs it (or re-export the source as UTF-8)",
                          data={"fields": bad, "before": before, "after": after})


RULES = (mojibake,)
