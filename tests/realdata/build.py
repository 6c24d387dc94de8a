"""Rebuild the committed real-data slices (tests/realdata/data/) from their registry packages.

    python -m tests.realdata.build              # pip-downloads the pinned packages into a temp dir
    python -m tests.realdata.build --from DIR   # or uses wheels/sdists already in DIR

Only the container changes (YAML conversations / one JSON file -> JSONL in a format ftlint reads);
every text is the package's, character for character. Deterministic: the same package version
gives the same bytes. SOURCES.md says what each slice is and why it was cut where it was."""
from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import yaml  # PyYAML comes with the test extra (pre-commit needs it)

DATA = Path(__file__).resolve().parent / "data"

CHATTERBOT = "chatterbot-corpus==1.3.3"
CHITCHAT = "chitchat-dataset==0.9.0"
CHITCHAT_CHATS = 200  # the first 200 conversations (file order) that have an answered turn; of 7,168 (40 MB)


def _download(spec: str, where: Path, sdist: bool = False) -> Path:
    args = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(where), spec]
    if sdist:
        args[5:5] = ["--no-binary", ":all:"]
    subprocess.run(args, check=True)
    name = spec.split("==")[0].replace("-", "_")
    suffix = ".tar.gz" if sdist else ".whl"
    return next(p for p in where.iterdir() if p.name.startswith(name) and p.name.endswith(suffix))


def _find(where: Path, spec: str, suffix: str) -> Path:
    name, version = spec.split("==")
    stem = f"{name.replace('-', '_')}-{version}"
    found = [p for p in where.iterdir() if p.name.startswith(stem) and p.name.endswith(suffix)]
    if not found:
        raise SystemExit(f"{stem}*{suffix} is not in {where}")
    return found[0]


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)
    print(f"{path.relative_to(DATA)}: {len(records)} records")


def chatterbot(wheel: Path, sdist: Path) -> None:
    """Every English conversation, as (statement, response) pairs: ChatterBot trains each line as
    the response to the line before it, so a conversation of n lines gives n-1 pairs."""
    records = []
    with zipfile.ZipFile(wheel) as z:
        names = sorted(n for n in z.namelist() if n.startswith("chatterbot_corpus/data/english/") and n.endswith(".yml"))
        for name in names:
            topic = yaml.safe_load(z.read(name).decode("utf-8"))
            for conversation in topic["conversations"]:
                for statement, response in itertools.pairwise(conversation):
                    records.append({"prompt": statement, "completion": response})
    _write_jsonl(DATA / "chatterbot-en" / "chatterbot_en.jsonl", records)
    with tarfile.open(sdist) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("/license.md"))
        (DATA / "chatterbot-en" / "LICENSE").write_bytes(t.extractfile(member).read())


def chitchat(wheel: Path) -> None:
    """The first conversations that hold an answer (3,150 of 7,168 are a single unanswered turn), as chats: the speaker of the first turn is the user, the other the
    assistant; one speaker's consecutive messages (a turn) are joined with a newline; a last turn
    that nobody answered is left out, since a training chat ends with the assistant."""
    with zipfile.ZipFile(wheel) as z:
        dataset = json.loads(z.read("chitchat_dataset/dataset.json").decode("utf-8"))
        licence = z.read("chitchat_dataset-0.9.0.dist-info/LICENSE")
    records = []
    for key in dataset:
        if len(records) == CHITCHAT_CHATS:
            break
        turns = dataset[key]["messages"]
        first = turns[0][0]["sender"]
        messages = [{"role": "user" if turn[0]["sender"] == first else "assistant",
                     "content": "\n".join(m["text"] for m in turn)} for turn in turns]
        if messages and messages[-1]["role"] == "user":
            messages.pop()
        if len(messages) >= 2:
            records.append({"messages": messages})
    _write_jsonl(DATA / "chitchat" / "chitchat_200.jsonl", records)
    (DATA / "chitchat" / "LICENSE").write_bytes(licence)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="a folder holding the downloaded packages")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.source:
            where = args.source
            cb_wheel, cb_sdist = _find(where, CHATTERBOT, ".whl"), _find(where, CHATTERBOT, ".tar.gz")
            cc_wheel = _find(where, CHITCHAT, ".whl")
        else:
            where = Path(tmp)
            cb_wheel, cb_sdist = _download(CHATTERBOT, where), _download(CHATTERBOT, where, sdist=True)
            cc_wheel = _download(CHITCHAT, where)
        chatterbot(cb_wheel, cb_sdist)
        chitchat(cc_wheel)


if __name__ == "__main__":
    main()
