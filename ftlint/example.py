"""The format-free view of one record that every content check reads.

Later checks never look at format-specific JSON: they see the system prompt, the turns, the
prompt text (what the model is given) and the completion text (what it must learn to write)."""
from __future__ import annotations

from typing import NamedTuple

# NamedTuples rather than dataclasses: one Example and a few Turns are built per record on the
# streaming path, and the normalizers build them with tuple.__new__, in C (a slots dataclass's
# __init__ cost ~0.6 us per record, a quarter of the whole FT1 budget). All three are read-only.


class Turn(NamedTuple):
    role: str  # "system" | "user" | "assistant" (other roles kept as given, e.g. "tool")
    text: str  # the turn's text blocks joined with "\n"; media blocks contribute nothing


class TextField(NamedTuple):
    path: str  # JSON path of a text field, e.g. "messages[1].content[0].text"
    text: str


class Example(NamedTuple):
    line: int
    format: str
    system: str | None
    turns: tuple[Turn, ...]
    prompt: str  # every user-side turn (and an input/instruction) joined with "\n"
    completion: str  # the last assistant turn, the completion or the output ("" if none)
    label: str | None = None  # an explicit label field, when the record carries one
    text_fields: tuple[TextField, ...] = ()  # text fields (required, and optional ones present), for FT105 and text rules
    media: tuple[dict, ...] = ()  # non-text content blocks: {"turn", "role", "kind", "block"}

    @property
    def text(self) -> str:
        """Everything the model sees or writes, for duplicate and content checks."""
        parts = [self.system] if self.system else []
        parts.extend(t.text for t in self.turns)
        return "\n".join(parts)
