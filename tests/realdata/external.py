"""Rebuild the external real-data slices (SOURCES.md, `part = external`) from snapshots of their
public GitHub repositories, so that a new machine needs only the snapshots, not a copy.

    python -m tests.realdata.external --mirrors /work/.mirror --out /work/realdata

``--mirrors`` holds one bare git directory per repository as the search tool's ``fetch`` leaves
them (``<owner>+<name>/repo``); each file is read at the commit SOURCES.md pins (``git show
COMMIT:PATH``), so a newer snapshot still gives the same bytes, and a snapshot without that
commit is an error, not another corpus. Only the container changes (JSON array or CSV -> JSONL);
every text is the repository's, character for character. These files are never committed (the
platform forbids committing what ``fetch`` brings)."""
from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
from pathlib import Path

CLINC = ("clinc+oos-eval", "828f8093932c8fe6ca7936c3d2e52903b1c523de")
BANKING = ("PolyAI-LDN+task-specific-datasets", "57ec275d8078af65b7731c2a98be812d844a6d6b")
GSM8K = ("openai+grade-school-math", "3101c7d5072418e28b9008a6636bde82a006892c")
CODEALPACA = ("sahil280114+codealpaca", "2f78ddc5c682ed6738ad092bbbfa59ba915afcb0")
SAMPLES = ("aws-samples+amazon-bedrock-samples", "85fba9d9c404ae120c0ceee5e67befed35004fdc")
DEMO = ("windson+bedrock-distillation-demo", "2f07e06324896a2368078022d27438ac6db26c1d")

_TOOLUSE = ("custom-models/bedrock-fine-tuning/nova/understanding/nova_tooluse_customization/"
            "tooluse_finetuner_main/assets/bedrock_nova_ft/")
_RFT = "custom-models/bedrock-reinforcement-fine-tuning/datasets/"

# (folder, file) <- (repository, path) copied byte for byte
COPIED = {
    ("nova-tooluse", "train.jsonl"): (SAMPLES, _TOOLUSE + "formatted_train_ft.jsonl"),
    ("nova-tooluse", "test.jsonl"): (SAMPLES, _TOOLUSE + "formatted_test_ft.jsonl"),
    ("haiku-tooluse", "train.jsonl"): (SAMPLES, _TOOLUSE + "train_ft.jsonl"),
    ("haiku-tooluse", "test.jsonl"): (SAMPLES, _TOOLUSE + "test_ft.jsonl"),
    ("uber10k-distillation", "uber10K.jsonl"): (SAMPLES, "custom-models/model_distillation/SampleData/uber10K.jsonl"),
    ("gsm8k-rft", "train.jsonl"): (SAMPLES, _RFT + "rft_train_data.jsonl"),
    ("gsm8k-rft", "validation.jsonl"): (SAMPLES, _RFT + "rft_test_validation_data.jsonl"),
    ("tool-selection-distillation", "distillation_data.jsonl"): (DEMO, "data/distillation_data.jsonl"),
}


def _show(mirrors: Path, repo: tuple[str, str], path: str) -> bytes:
    git = mirrors / repo[0] / "repo"
    done = subprocess.run(["git", "-C", str(git), "show", f"{repo[1]}:{path}"], capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"{repo[0]} @ {repo[1][:12]}: {path}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def build(mirrors: Path) -> dict[tuple[str, str], bytes]:
    """Every external file, (folder, name) -> bytes, in a fixed order."""
    out: dict[tuple[str, str], bytes] = {}
    full = json.loads(_show(mirrors, CLINC, "data/data_full.json"))
    imbalanced = json.loads(_show(mirrors, CLINC, "data/data_imbalanced.json"))
    pairs = lambda rows: [{"prompt": text, "completion": intent} for text, intent in rows]  # noqa: E731
    out["clinc150", "train.jsonl"] = _jsonl(pairs(full["train"]))  # in-scope splits only: the oos_* are left out
    out["clinc150", "validation.jsonl"] = _jsonl(pairs(full["val"]))
    out["clinc150", "train_imbalanced.jsonl"] = _jsonl(pairs(imbalanced["train"]))
    for name in ("train", "test"):
        rows = csv.DictReader(io.StringIO(_show(mirrors, BANKING, f"banking_data/{name}.csv").decode("utf-8")))
        out["banking77", f"{name}.jsonl"] = _jsonl([{"prompt": r["text"], "completion": r["category"]} for r in rows])
        lines = _show(mirrors, GSM8K, f"grade_school_math/data/{name}.jsonl").decode("utf-8").splitlines()
        out["gsm8k", f"{name}.jsonl"] = _jsonl([{"prompt": r["question"], "completion": r["answer"]}
                                                 for r in map(json.loads, filter(None, lines))])
    out["codealpaca", "code_alpaca_2k.jsonl"] = _jsonl(json.loads(_show(mirrors, CODEALPACA, "data/code_alpaca_2k.json")))
    for key, (repo, path) in COPIED.items():
        out[key] = _show(mirrors, repo, path)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=Path("/work/realdata"))
    args = parser.parse_args(argv)
    for (folder, name), data in build(args.mirrors).items():
        path = args.out / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        lines = data.count(b"\n")
        print(f"{folder}/{name}: {lines} lines")


if __name__ == "__main__":
    main()
