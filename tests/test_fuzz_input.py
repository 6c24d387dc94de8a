"""Seeded fuzzing of the input side: a few hundred hostile files (truncations, byte flips, deep
nesting, huge numbers, lone surrogates, control characters, compressed and corrupt archives,
tables, FIFOs and devices) through `check`, `fix` and (for some) `split`, in-process with
CliRunner and a few as real processes.

For every file: the exit code is 0, 1 or 2; no "internal error", no traceback. For every file
with a planted defect: `check` does not pass (exit 1 with an error finding, or a clear exit 2).
`fix` accounts for every line (kept + rejected = lines) whenever it writes."""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import random
import subprocess
import sys
import threading
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from ftlint.cli import main

SEED = 20240522
FILES = 300
WORDS = ("order invoice refund parcel login password account billing card address courier delay warranty "
         "screen battery charger receipt upgrade plan trial coupon export report team schedule").split()


@dataclass
class Case:
    name: str  # file name (the suffix matters: .jsonl, .jsonl.gz, .csv)
    data: bytes
    planted: str | None  # what defect was planted (None: a random mutation that may be harmless)
    kind: str


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(n))


def _records(rng: random.Random, n: int, chat: bool) -> list[str]:
    out = []
    for _ in range(n):
        q, a = _sentence(rng, 8) + "?", _sentence(rng, 10) + "."
        if chat:
            rec = {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}],
                   "metadata": {"source": "fuzz", "n": rng.randrange(100)}}
        else:
            rec = {"prompt": q, "completion": a}
        out.append(json.dumps(rec, ensure_ascii=False))
    return out


def _replace_value(line: str, new: str) -> str:
    """Put ``new`` (JSON text) as the metadata of a chat line, or as an extra key of a flat one."""
    if line.endswith("}}"):
        return line[:-2] + f', "x": {new}}}}}'
    return line[:-1] + f', "meta": {new}}}'


def _planted(rng: random.Random, lines: list[str]) -> tuple[list[str] | bytes, str]:
    """A copy of ``lines`` with one defect that must not pass ``check``."""
    lines = list(lines)
    i = rng.randrange(len(lines))
    # the issue's own cases twice as often as the rest
    kind = rng.choice(["truncate", "surrogate", "huge-int", "huge-float", "deep"] * 2 + ["deep-objects", "nul",
                       "control", "blank", "not-object", "empty-field", "wrong-type", "dup-key", "invalid-utf8",
                       "nan", "bom-inside", "empty-file", "only-blank", "array-file", "yaml", "trailing-comma"])
    if kind == "truncate":
        cut = rng.randrange(1, len(lines[i]) - 1)
        lines[i] = lines[i][:cut]
    elif kind == "surrogate":
        lines[i] = lines[i].replace("?", rng.choice(["\\ud800", "\\udfff", "\\udc00\\ud83d"]) + "?", 1)
    elif kind == "huge-int":
        lines[i] = _replace_value(lines[i], rng.choice(["-", ""]) + "7" * rng.choice([320, 400, 4301, 6000]))
    elif kind == "huge-float":
        lines[i] = _replace_value(lines[i], rng.choice(["1e99999", "-2.5E400", "1" * 400 + ".5"]))
    elif kind == "deep":
        d = rng.choice([255, 300, 1023, 1100, 5000])
        lines[i] = _replace_value(lines[i], "[" * d + "]" * d)
    elif kind == "deep-objects":
        d = rng.choice([260, 2000])
        lines[i] = _replace_value(lines[i], '{"a": ' * d + "0" + "}" * d)
    elif kind == "nul":
        lines[i] = lines[i].replace("?", "\\u0000?", 1)
    elif kind == "control":
        lines[i] = lines[i].replace("?", rng.choice(["\\u0007", "\\u001b", "\\u007f", "\\ufffd"]) + "?", 1)
    elif kind == "blank":
        lines.insert(i, rng.choice(["", "   ", "\t"]))
    elif kind == "not-object":
        lines[i] = rng.choice(["[1, 2]", '"text"', "42", "null", "true"])
    elif kind == "empty-field":
        lines[i] = lines[i].replace(json.loads(lines[i]).get("completion", "@@") if "completion" in lines[i]
                                    else json.loads(lines[i])["messages"][1]["content"], " ", 1)
    elif kind == "wrong-type":
        lines[i] = lines[i].replace('"completion": "', '"completion": 42, "c": "', 1).replace(
            '"role": "assistant", "content": "', '"role": "assistant", "content": 7, "c": "', 1)
    elif kind == "dup-key":
        lines[i] = lines[i][:-1] + ', "metadata": {"dup": 1}}' if "metadata" in lines[i] else \
            lines[i].replace('{"prompt": ', '{"prompt": "first", "prompt": ', 1)
    elif kind == "invalid-utf8":
        raw = "\n".join(lines).encode()
        pos = rng.randrange(len(raw))
        return raw[:pos] + rng.choice([b"\xff", b"\xc3", b"\xe9", b"\xed\xa0\x80"]) + raw[pos:], kind
    elif kind == "nan":
        lines[i] = _replace_value(lines[i], rng.choice(["NaN", "Infinity", "-Infinity"]))
    elif kind == "bom-inside":
        lines[i] = lines[i].replace("?", "\\ufeff?", 1)
    elif kind == "empty-file":
        return b"", kind
    elif kind == "only-blank":
        return b"\n" * rng.randrange(1, 4), kind
    elif kind == "array-file":
        return ("[\n" + ",\n".join(lines) + "\n]\n").encode(), kind
    elif kind == "yaml":
        return ("records:\n" + "".join(f"  - text: {json.loads(x).get('prompt', 'q')}\n" for x in lines)).encode(), kind
    elif kind == "trailing-comma":
        lines[i] = lines[i][:-1] + ",}"
    return lines, kind


def _flip(rng: random.Random, raw: bytes, n: int) -> bytes:
    b = bytearray(raw)
    for _ in range(n):
        if b:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def cases() -> list[Case]:
    rng = random.Random(SEED)
    out: list[Case] = []
    for k in range(FILES):
        chat = rng.random() < 0.5
        lines = _records(rng, rng.randrange(8, 20), chat)
        roll = rng.random()
        if roll < 0.55:
            mutated, kind = _planted(rng, lines)
            data = mutated if isinstance(mutated, bytes) else ("\n".join(mutated) + "\n").encode()
            planted: str | None = kind
        elif roll < 0.8:
            data, kind, planted = _flip(rng, ("\n".join(lines) + "\n").encode(), rng.randrange(1, 6)), "flip", None
        else:
            raw = ("\n".join(lines) + "\n").encode()
            cut = rng.randrange(len(raw))
            data, kind, planted = raw[:cut] + raw[cut + rng.randrange(0, 40):], "cut", None
        name = f"f{k:03d}.jsonl"
        wrap = rng.random()
        if wrap < 0.1:  # compressed under a plain name: FT115 at least
            comp = rng.choice([gzip.compress, bz2.compress, lzma.compress])
            data, planted, kind = comp(data), planted or "compressed-named-jsonl", kind + "+compressed"
        elif wrap < 0.2:  # compressed, named so
            data, name, kind = gzip.compress(data), name + ".gz", kind + "+gz"
        elif wrap < 0.25:  # a corrupt archive: a clear exit 2
            z = gzip.compress(data + b"\n".join(x.encode() for x in lines) * 20)
            data, name, planted, kind = _flip(rng, z[: max(20, len(z) * 2 // 3)], 2), name + ".gz", "corrupt-gz", "corrupt-gz"
        elif wrap < 0.3:  # a table: the records as CSV rows, then flipped bytes
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["prompt", "completion"])
            for x in lines:
                rec = json.loads(x)
                w.writerow([rec.get("prompt", ""), rec.get("completion", json.dumps(rec.get("messages")))])
            data = _flip(rng, buf.getvalue().encode(), rng.randrange(0, 4))
            name, planted, kind = f"f{k:03d}.csv", None, "csv"
        out.append(Case(name, data, planted, kind))
    return out


CASES = cases()


def _ok(result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-500:])
    text = result.output + (str(result.exception) if result.exception and result.exit_code not in (0, 1, 2) else "")
    assert "internal error" not in text and "Traceback" not in text, text[-1000:]


def test_fuzzed_files_never_crash_and_never_pass_a_planted_defect(tmp_path):
    runner = CliRunner()
    silent: list[str] = []
    for i, case in enumerate(CASES):
        path = tmp_path / case.name
        path.write_bytes(case.data)
        r = runner.invoke(main, ["check", str(path), "--format", "json", "--no-cache"])
        _ok(r)
        if case.planted:
            errors = json.loads(r.output)["summary"]["errors"] if r.exit_code == 1 else 0
            if not (r.exit_code == 2 or errors >= 1):
                silent.append(f"{case.name} ({case.planted}): exit {r.exit_code}")
        out = tmp_path / f"out{i}.jsonl"
        r = runner.invoke(main, ["fix", str(path), "-o", str(out)])
        _ok(r)
        if r.exit_code == 0 and case.name.endswith(".jsonl") and "compressed" not in case.kind:
            lines = case.data.split(b"\n")
            lines = lines[:-1] if lines and lines[-1] == b"" else lines
            kept = out.read_bytes().count(b"\n")
            rejected = (tmp_path / f"out{i}.rejected.jsonl").read_bytes().count(b"\n")
            assert kept + rejected == len(lines), (case.name, case.kind, kept, rejected, len(lines))
        if i % 10 == 0:  # split is slower: a sample
            r = runner.invoke(main, ["split", str(path), "--out", str(tmp_path / f"split{i}"), "--drop-invalid"])
            _ok(r)
    assert not silent, silent


def test_the_fuzz_corpus_covers_what_it_claims():
    kinds = {c.planted for c in CASES if c.planted}
    for wanted in ("truncate", "surrogate", "huge-int", "huge-float", "deep", "nul", "empty-file",
                   "compressed-named-jsonl", "corrupt-gz", "invalid-utf8"):
        assert wanted in kinds, wanted
    assert sum(c.planted is None for c in CASES) >= 60  # random flips and cuts too
    assert len(CASES) >= 300


# ------------------------------------------------------------------ streams and real processes

FTLINT = [sys.executable, "-m", "ftlint"]


def _feed(path, data: bytes) -> threading.Thread:
    def write():
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:
            pass

    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


def test_fuzzed_streams_as_real_processes(tmp_path):
    """A sample of the corpus through a FIFO, standard input and devices, each as a real process
    (exit codes, stderr and no hang), with the cache on."""
    planted = [c for c in CASES if c.planted and not c.name.endswith(".gz")][:6]
    for k, case in enumerate(planted):
        fifo = tmp_path / f"pipe{k}.jsonl"
        os.mkfifo(fifo)
        t = _feed(fifo, case.data)
        r = subprocess.run([*FTLINT, "check", str(fifo)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
        t.join(5)
        assert r.returncode in (1, 2), (case.kind, r.returncode, r.stdout[-300:], r.stderr[-300:])
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
        r = subprocess.run([*FTLINT, "check", "-"], input=case.data, capture_output=True, timeout=60, cwd=tmp_path)
        assert r.returncode in (1, 2) and b"Traceback" not in r.stderr, case.kind
    for device, code in (("/dev/null", 1), ("/dev/zero", 1)):
        if os.path.exists(device):
            r = subprocess.run([*FTLINT, "check", device], capture_output=True, text=True, timeout=60, cwd=tmp_path)
            assert r.returncode == code and "Traceback" not in r.stderr, (device, r.stdout, r.stderr)
    r = subprocess.run([*FTLINT, "fix", "/dev/stdin", "-o", str(tmp_path / "o.jsonl")], input="{}\n",
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "reads its input twice" in r.stderr


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_fuzzed_files_as_real_processes(tmp_path, index):
    case = [c for c in CASES if c.planted][index * 7]
    path = tmp_path / case.name
    path.write_bytes(case.data)
    r = subprocess.run([*FTLINT, "check", str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr, (case.kind, r.stderr)
    r = subprocess.run([*FTLINT, "fix", str(path), "-o", str(tmp_path / "o.jsonl")], capture_output=True,
                       text=True, timeout=60, cwd=tmp_path)
    assert r.returncode in (0, 1, 2) and "Traceback" not in r.stderr, (case.kind, r.stderr)
