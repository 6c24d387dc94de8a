"""The in-place repairs `ftlint fix` makes on a record it keeps: strip stray whitespace (stray-whitespace)
and rewrite a label variant to its canonical spelling (label-variant), where the text lives."""
from __future__ import annotations

from typing import Any

from ftlint import formats
from ftlint.formats.messages import parse_path


def set_path(obj: Any, path: str, value: Any) -> None:
    parts = parse_path(path)
    for p in parts[:-1]:
        obj = obj[p]
    obj[parts[-1]] = value


def strip_fields(obj: dict, fmt: str, line: int) -> bool:
    changed = False
    for tf in formats.normalize(fmt, obj, line).text_fields:
        stripped = tf.text.strip()
        if stripped != tf.text and stripped:
            set_path(obj, tf.path, stripped)
            changed = True
    return changed


def rewrite_labels(obj: dict, fmt: str, variants: dict[str, str]) -> bool:
    """Rewrite a label variant where the label lives: an explicit ``label`` key, else the
    completion field when its whole text is the variant."""
    label = obj.get("label")
    if isinstance(label, str) and label in variants:
        obj["label"] = variants[label]
        return True
    example = formats.normalize(fmt, obj, 0)
    answer = example.completion
    if answer not in variants:
        return False
    for tf in reversed(example.text_fields):
        if tf.text == answer:
            set_path(obj, tf.path, variants[answer])
            return True
    return False


