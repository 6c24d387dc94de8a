"""Ground truth on the real-data corpus, computed without ftlint (issue 17's "Done when" targets).

    python benchmarks/realdata_truth.py [ROOT]     # ROOT: the external corpus, default /work/realdata

Prints: verbatim validation leaks (after case/whitespace/punctuation normalization) for CLINC150
and Banking77; true leaks of the template-prefixed tool-use set (nova-tooluse) judged on the
request without the shared template (its template-free twin haiku-tooluse); empty required
outputs and empty optional inputs of the instruction set; the class-size spread of CLINC150's
imbalanced train file."""
from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/realdata")
_PUNCT = re.compile(r"[^\w\s]|_")


def norm(text: str) -> str:
    """Case, whitespace and punctuation normalization (NFKC first)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def leaks(train: list[tuple[str, str]], held: list[tuple[str, str]]):
    """(held-out line, train lines, same label?) for every held-out text whose normalized form is in train."""
    index = defaultdict(list)
    for i, (text, label) in enumerate(train, 1):
        index[norm(text)].append((i, label))
    out = []
    for j, (text, label) in enumerate(held, 1):
        hits = index.get(norm(text))
        if hits:
            out.append((j, text, [i for i, _ in hits], all(lab == label for _, lab in hits)))
    return out


def intent_pair(name: str, train_file: str, held_file: str) -> None:
    train = [(r["prompt"], r["completion"]) for r in rows(ROOT / name / train_file)]
    held = [(r["prompt"], r["completion"]) for r in rows(ROOT / name / held_file)]
    exact = {t for t, _ in train}
    found = leaks(train, held)
    print(f"## {name}: {held_file} ({len(held)}) vs {train_file} ({len(train)})")
    loose = {" ".join(t.casefold().split()) for t, _ in train}
    print(f"verbatim leaks after normalization: {len(found)} "
          f"(byte-identical: {sum(1 for _, t, _, _ in found if t in exact)}; identical after case and whitespace "
          f"only: {sum(1 for _, t, _, _ in found if ' '.join(t.casefold().split()) in loose)}; "
          f"same label: {sum(1 for *_, s in found if s)})")
    for j, text, lines, same in found:
        tier = "byte-identical" if text in exact else (
            "case/whitespace" if " ".join(text.casefold().split()) in loose else "punctuation")
        print(f"  {held_file}:{j} -> {train_file}:{','.join(map(str, lines))} [{tier}] "
              f"{'same label' if same else 'OTHER label'}: {text!r} ~ {train[lines[0] - 1][0]!r}")


def tooluse() -> None:
    nova_train, nova_test = rows(ROOT / "nova-tooluse/train.jsonl"), rows(ROOT / "nova-tooluse/test.jsonl")
    user = [r["messages"][0]["content"][0]["text"] for r in nova_train + nova_test]
    prefix = os.path.commonprefix(user)
    suffix = os.path.commonprefix([u[::-1] for u in user])[::-1]
    print("## nova-tooluse (every user turn = shared template + request): test (120) vs train (560)")
    print(f"template: a {len(prefix)}-character prefix and a {len(suffix)}-character suffix {suffix!r} "
          f"on all {len(user)} user turns; the prefix starts {prefix[:90]!r}")

    def request(r):
        return r["messages"][0]["content"][0]["text"][len(prefix):-len(suffix) or None]

    def answer(r):
        return r["messages"][1]["content"][0]["text"]

    train = [(request(r), answer(r)) for r in nova_train]
    test = [(request(r), answer(r)) for r in nova_test]
    haiku_train = rows(ROOT / "haiku-tooluse/train.jsonl")
    twin = all(request(a) == b["messages"][0]["content"] for a, b in zip(nova_train, haiku_train, strict=True))
    print(f"requests without the template equal haiku-tooluse's user turns line for line: {twin}")
    found = leaks(train, test)
    print(f"true leaks (request in train after normalization, template excluded): {len(found)} "
          f"(same answer: {sum(1 for *_, s in found if s)})")
    for j, text, lines, same in found:
        print(f"  test.jsonl:{j} -> train.jsonl:{','.join(map(str, lines))} {'same answer' if same else 'OTHER answer'}: {text!r}")


def instruction() -> None:
    data = rows(ROOT / "codealpaca/code_alpaca_2k.jsonl")
    blank = lambda v: not str(v).strip()  # noqa: E731
    print(f"## codealpaca ({len(data)} records, instruction/input/output)")
    print(f"empty output: {sum(blank(r['output']) for r in data)}; empty instruction: "
          f"{sum(blank(r['instruction']) for r in data)}; empty optional input: {sum(blank(r['input']) for r in data)}")


def imbalance() -> None:
    sizes = Counter(r["completion"] for r in rows(ROOT / "clinc150/train_imbalanced.jsonl"))
    big, small = max(sizes.values()), min(sizes.values())
    print(f"## clinc150 train_imbalanced: {len(sizes)} classes, largest {big}, smallest {small}: spread {big / small:.2f}x")
    print("  class-size histogram:", dict(sorted(Counter(sizes.values()).items())))


if __name__ == "__main__":
    intent_pair("clinc150", "train.jsonl", "validation.jsonl")
    intent_pair("banking77", "train.jsonl", "test.jsonl")
    tooluse()
    instruction()
    imbalance()
