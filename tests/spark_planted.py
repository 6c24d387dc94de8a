"""Planted files for the Spark tests: each family the Spark engine claims to cover (the reader's
stage rules, the format stage, record rules, FT201, FT202, FT205) has findings in them, spread
over several Spark partitions (the test session cuts files into 16 KB partitions)."""
from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = ("account invoice refund login password export report board guest calendar sync update dark mode "
         "mobile app language interface plan seat price billing cancel subscription order delivery parcel "
         "address payment card error crash screen button upload file folder share team member admin role "
         "permission token limit quota storage backup restore history version").split()
LABELS = ("billing", "technical_issue", "account_access", "feature_request", "shipping")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def dirty_lines(seed: int = 7, records: int = 420) -> list[bytes]:
    """Prompt-completion records with exact copies, near duplicates (pairs, and chains of three
    and more, some far apart so that they sit in other partitions), conflicting labels, and
    malformed lines of every kind the reader and the format stage report."""
    rng = random.Random(seed)
    rows = [{"prompt": _sentence(rng, 14), "completion": rng.choice(LABELS)} for _ in range(records)]
    lines = [json.dumps(r).encode() for r in rows]
    # exact copies (case and whitespace changed), one of them in the last partition
    for src, dst in ((3, 10), (3, 200), (50, 51), (120, 410)):
        r = dict(rows[src], prompt="  " + rows[src]["prompt"].upper())
        lines[dst] = json.dumps(r).encode()
    # near duplicates: one word changed or appended; chains 60 -> 61 -> 62 and 300 -> 5 -> 399
    for src, dst, how in ((20, 21, "append"), (60, 61, "swap"), (61, 62, "append"), (300, 5, "append"),
                          (5, 399, "append2"), (150, 260, "swap")):
        r = json.loads(lines[src])
        words = r["prompt"].split()
        if how == "swap":
            words[7] = "zebra"
        elif how == "append":
            words.append("urgent")
        else:
            words.append("please")
        lines[dst] = json.dumps({"prompt": " ".join(words), "completion": r["completion"]}).encode()
    # the same prompt with another label (FT203 locally; FT202 leaves such pairs to it)
    lines[90] = json.dumps({"prompt": json.loads(lines[89])["prompt"], "completion": "shipping" if
                            json.loads(lines[89])["completion"] != "shipping" else "billing"}).encode()
    # malformed lines
    lines[30] = b'{"prompt": "missing a brace", "completion": "x"'
    lines[31] = b""
    lines[32] = b'[{"prompt": "a", "completion": "b"}]'
    lines[33] = b'42'
    lines[34] = b'{"prompt": "dup key", "prompt": "again", "completion": "billing"}'
    lines[35] = b'{"prompt": "bad \xff\xfe bytes", "completion": "billing"}'
    lines[36] = b'{"prompt": 5, "completion": "billing"}'
    lines[37] = json.dumps({"messages": [{"role": "user", "content": "hi there"},
                                         {"role": "assistant", "content": "hello"}]}).encode()
    lines[38] = b'{"prompt": "control \\u0000 char", "completion": "billing"}'
    lines[39] = json.dumps({"prompt": "x" * 3000, "completion": "billing"}).encode()  # over FT114.max-bytes=2000
    # record rules of the text families: mojibake (FT111), personal data (FT701), a credential (FT702)
    lines[40] = json.dumps({"prompt": "The caf\u00c3\u00a9 menu says It\u00e2\u20ac\u2122s closed", "completion": "billing"}).encode()
    lines[41] = json.dumps({"prompt": "Call me at +1 415 555 0137 or mail jane.doe@example.com",
                            "completion": "account_access"}).encode()
    lines[42] = json.dumps({"prompt": "my token ghp_R4nd0mT0k3nV4lu3Xq9Zp2Lm8Kd7Wb5Yc1Hs3 fails", "completion": "technical_issue"}).encode()
    lines[250] = b"   "
    lines[251] = b'{"prompt": "", "completion": ""}'
    return lines


def template_lines(seed: int = 11, records: int = 300) -> list[bytes]:
    """Records filled into one instruction template (FT205), with near duplicates that are so
    only without it, and pairs that share nothing but the template."""
    rng = random.Random(seed)
    head = "Classify the following customer support ticket into exactly one category. Ticket: "
    rows = [{"prompt": head + _sentence(rng, 9), "completion": rng.choice(LABELS)} for _ in range(records)]
    for src, dst in ((7, 8), (100, 280)):
        rows[dst] = {"prompt": rows[src]["prompt"] + " urgent", "completion": rows[src]["completion"]}
    return [json.dumps(r).encode() for r in rows]


def chat_lines(seed: int = 3, records: int = 200) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(records):
        q = _sentence(rng, 12)
        msgs = [{"role": "system", "content": "You are a helpful support agent."},
                {"role": "user", "content": q}, {"role": "assistant", "content": _sentence(rng, 10)}]
        out.append(json.dumps({"messages": msgs}).encode())
    out[150] = out[12]  # an exact copy of a chat
    # turns out of order (FT107)
    out[77] = json.dumps({"messages": [{"role": "assistant", "content": "Hello"},
                                       {"role": "user", "content": _sentence(rng, 8)}]}).encode()
    return out


def target_lines(seed: int = 5, records: int = 160) -> list[bytes]:
    """Bedrock conversation records with what the target rules (FT6) report per record: over and
    near the token limit (FT602), reserved strings (FT604), images (FT606 on Nova Micro),
    reasoning (FT607), no or another schemaVersion and several user turns (FT610, FT611 for
    distillation), tool definitions (FT614, FT617)."""
    rng = random.Random(seed)

    def turn(role: str, *blocks) -> dict:
        return {"role": role, "content": list(blocks) or [{"text": _sentence(rng, 10)}]}

    def conv(*turns, **extra) -> dict:
        return {"schemaVersion": "bedrock-conversation-2024", **extra, "messages": list(turns)}

    rows = [conv(turn("user"), turn("assistant")) for _ in range(records)]
    image = {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://bucket-a/x.png"}}}}
    thinking = {"reasoningContent": {"reasoningText": {"text": "hmm"}}}
    tool = {"toolSpec": {"name": "lookup", "description": "Find an order", "inputSchema": {"json": {"type": "object"}}}}
    rows[4] = conv(turn("user", {"text": "word " * 40000}), turn("assistant"))
    rows[9] = conv(turn("user", {"text": "thought: what now"}), turn("assistant"))
    rows[50] = conv(turn("user", {"text": "What is it?"}, image), turn("assistant"))
    rows[71] = conv(turn("user", {"text": "What?"}, thinking), turn("assistant"))
    rows[90] = {"messages": rows[90]["messages"]}
    rows[91] = conv(turn("user"), turn("assistant"), turn("user"), turn("assistant"))
    rows[120] = conv(turn("user"), turn("assistant"), toolConfig={"tools": [tool, tool]})
    return [json.dumps(r).encode() for r in rows]


def write(path: Path, lines: list[bytes], newline: bytes = b"\n") -> Path:
    path.write_bytes(newline.join(lines) + newline)
    return path
