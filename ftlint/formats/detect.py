"""Which formats a record's keys point at: a cheap first pass before any schema runs.

Records that miss a key still map to the format they were evidently meant to be, so that the
schema stage can say "'completion' is a required property" instead of "unknown format"."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

# Tie-break preference, most specific first: when a record is valid in several formats (a plain
# user/assistant chat is both claude-messages and openai-chat) the earlier one wins.
FORMATS: tuple[str, ...] = (
    "bedrock-conversation",
    "claude-messages",
    "rft",
    "openai-chat",
    "preference",
    "instruction",
    "prompt-completion",
    "input-output",
    "continued-pretraining",
    "text",
    "image-caption",
    "invocation-log",
)

_BOTH_CHATS = ("claude-messages", "openai-chat")
_OPENAI_ONLY_ROLES = frozenset({"system", "tool", "developer"})


def candidates(obj: Any) -> tuple[str, ...]:
    if not isinstance(obj, dict):
        return ()
    if "image-ref" in obj:
        return ("image-caption",)
    if "schemaType" in obj:
        return ("invocation-log",)
    if "messages" in obj:
        return _chat(obj)
    if "prompt" in obj:
        return ("preference",) if "chosen" in obj or "rejected" in obj else ("prompt-completion",)
    if "chosen" in obj or "rejected" in obj:
        return ("preference",)
    if "completion" in obj:
        return ("prompt-completion",)
    if "instruction" in obj:
        return ("instruction",)
    if "output" in obj:
        return ("input-output",)
    if "input" in obj:
        return ("continued-pretraining",)
    if "text" in obj:
        return ("text",)
    return ()


def _chat(obj: dict) -> tuple[str, ...]:
    if "schemaVersion" in obj or isinstance(obj.get("system"), list) or "toolConfig" in obj:
        return ("bedrock-conversation",)
    if "reference_answer" in obj:
        # an RFT prompt; a broken one (a typed content part) may still be plain openai-chat
        return ("rft", "openai-chat")
    messages = obj["messages"]
    messages = [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []
    lists = [m["content"] for m in messages if isinstance(m.get("content"), list)]
    if lists:
        # OpenAI content parts carry a "type" key; Converse content blocks never do
        typed = any(isinstance(b, dict) and "type" in b for blocks in lists for b in blocks)
        return ("openai-chat",) if typed else ("bedrock-conversation",)
    claude = isinstance(obj.get("system"), str)
    openai = ("reference_answer" in obj or "tools" in obj
              or any(m.get("role") in _OPENAI_ONLY_ROLES or "tool_calls" in m
                     or ("content" in m and m["content"] is None) for m in messages))
    if claude and not openai:
        return ("claude-messages",)
    if openai and not claude:
        return ("openai-chat",)
    return _BOTH_CHATS


def majority_format(objs: Iterable[Any]) -> str | None:
    """The format most of ``objs`` are valid records of (each votes for its first candidate it
    validates as); ties go to the format listed first in ftlint.formats.FORMATS; None without a vote.
    A file of RFT records is rft even where some lack their reference answer (see prefer_rft)."""
    from ftlint.formats.schema import is_valid

    votes: Counter[str] = Counter()
    for obj in objs:
        for f in candidates(obj):
            if is_valid(f, obj):
                votes[f] += 1
                break
    return prefer_rft(winner(votes), votes["rft"], sum(votes[f] for f in RFT_BASES))


# what an RFT record without its reference_answer validates as: a plain chat
RFT_BASES = ("claude-messages", "openai-chat")


def prefer_rft(fmt: str | None, rft: int, chats: int, rft_target: bool = False) -> str | None:
    """The file's format once RFT records count as what they are. An RFT record is a chat plus a
    reference answer, so it votes for openai-chat too, and a single record without its answer
    tipped the vote to a plain chat format: the missing answers were never reported (FT613) and
    the file was taken for another format. ``rft`` records are valid as rft, ``chats`` valid only
    as a plain chat format: the file is rft when at least as many records carry a reference answer
    as lack one, or when the target is an RFT target and any record carries one."""
    if fmt in RFT_BASES and rft and (rft >= chats or rft_target):
        return "rft"
    return fmt


def unanswered_bits(fmt: str | None, bit: dict[str, int]) -> int:
    """In an rft file, the bits of the plain chat formats: such a record is an RFT prompt without
    its reference answer (FT613, ftlint.rules.rft.unanswered), not a record of another format
    (FT104). 0 in any other file."""
    return sum(bit[f] for f in RFT_BASES) if fmt == "rft" else 0


def chat_counts(by_mask: dict[int, Any], bit: dict[str, int]) -> tuple[int, int]:
    """(records valid as rft, records valid only as a plain chat format) of the engine's tally."""
    rft = bit["rft"]
    plain = sum(bit[f] for f in RFT_BASES)
    n_rft = sum(len(lines) for mask, lines in by_mask.items() if mask & rft)
    n_chats = sum(len(lines) for mask, lines in by_mask.items() if mask & plain and not mask & rft)
    return n_rft, n_chats


def file_format(by_mask: dict[int, Any], bit: dict[str, int], meant: Iterable[tuple[str, ...]] = (),
                rft_target: bool = False) -> str | None:
    """The engine's vote (votes_by_mask, winner) with RFT records counted as such (prefer_rft)."""
    return prefer_rft(winner(votes_by_mask(by_mask, bit), meant), *chat_counts(by_mask, bit), rft_target)


def votes_by_mask(by_mask: dict[int, Any], bit: dict[str, int]) -> Counter[str]:
    """The engine's tally: ``by_mask`` maps a bit mask of the formats a record is valid as to the
    lines of such records; each record votes for every format in its mask."""
    votes: Counter[str] = Counter()
    for mask, lines in by_mask.items():
        for f, b in bit.items():
            if mask & b:
                votes[f] += len(lines)
    return votes


def winner(votes: Counter[str], meant: Iterable[tuple[str, ...]] = ()) -> str | None:
    """The format with the most votes, ties to the one listed first in FORMATS. With no vote (no
    valid record), the format most invalid records were evidently meant to be: the first of each
    one's ``meant`` candidates; None when there is none."""
    if not votes:
        votes = Counter(c[0] for c in meant if c)
        if not votes:
            return None
    top = max(votes.values())
    return next(f for f in FORMATS if votes.get(f) == top)
