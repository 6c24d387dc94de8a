"""Large synthetic JSONL files for benchmarks: realistic lengths (short prompts, longer answers),
seeded, optionally with planted exact and near-duplicates. Not used by the test suite."""
from __future__ import annotations

import argparse
import json
import random

WORDS = ("account billing invoice refund export report project task board sprint member invite "
         "password login error crash sync calendar slack github webhook api token plan upgrade "
         "downgrade cancel renew card charge receipt tax workspace admin permission role guest "
         "timeline gantt milestone deadline reminder notification email mobile desktop browser "
         "chrome safari firefox windows mac linux offline attachment file upload download limit "
         "storage quota seat license trial discount coupon annual monthly currency").split()
LABELS = ("billing", "technical_issue", "account_access", "feature_request", "integrations", "cancellation")


def sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(lo, hi))
    return " ".join(words).capitalize() + rng.choice(".?!")


def record(rng: random.Random, fmt: str, i: int) -> dict:
    prompt = f"{sentence(rng, 5, 25)} Order {rng.randint(1000, 99999)}."
    answer = " ".join(sentence(rng, 8, 20) for _ in range(rng.randint(1, 4)))
    if fmt == "prompt-completion":
        return {"prompt": prompt, "completion": answer}
    if fmt == "input-output":
        return {"input": prompt, "output": LABELS[i % len(LABELS)]}
    if fmt == "claude-messages":
        return {"system": "You are a support assistant.",
                "messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]}
    if fmt == "bedrock-conversation":
        return {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "You are a support assistant."}],
                "messages": [{"role": "user", "content": [{"text": prompt}]},
                             {"role": "assistant", "content": [{"text": answer}]}]}
    raise ValueError(fmt)


def near_copy(rng: random.Random, rec: dict) -> dict:
    text = json.dumps(rec)
    words = text.split(" ")
    k = rng.randrange(1, len(words) - 1)
    words[k] = rng.choice(WORDS)
    try:
        return json.loads(" ".join(words))
    except ValueError:
        return rec


def write(path: str, n: int, fmt: str = "prompt-completion", dup_share: float = 0.0, seed: int = 1) -> None:
    rng = random.Random(seed)
    kept: list[dict] = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if kept and rng.random() < dup_share:
                src = rng.choice(kept)
                rec = src if rng.random() < 0.5 else near_copy(rng, src)
            else:
                rec = record(rng, fmt, i)
                if len(kept) < 10_000:
                    kept.append(rec)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--format", default="prompt-completion")
    ap.add_argument("--dup-share", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    write(a.path, a.records, a.format, a.dup_share, a.seed)
