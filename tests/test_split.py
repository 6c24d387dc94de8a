"""`ftlint split`: the invariants (hypothesis) and the target caps."""
from __future__ import annotations

import json
import os
from collections import Counter

import numpy as np
import orjson
import pytest
from click.testing import CliRunner
from conftest import write_jsonl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ftlint
from ftlint import settings as cfg
from ftlint.cli import main
from ftlint.curate import writers
from ftlint.curate.split import SplitOptions, SplitRefused, assign, parse_size, split_file
from ftlint.errors import FtlintError
from ftlint.rules import REGISTRY

LABELS = ("billing", "technical", "account", "refund")
WORDS = ("invoice", "login", "export", "plan", "card", "sync", "error", "seat", "tax", "trial")


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def record(i: int, words: list[str], label: str) -> bytes:
    return json.dumps({"input": f"Ticket {i}: " + " ".join(words), "output": label}).encode()


# a line is a fresh record, a copy of an earlier line, a near copy of one, or a broken line
line_kind = st.one_of(
    st.tuples(st.just("rec"), st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.sampled_from(LABELS)),
    st.tuples(st.just("dup"), st.integers(0, 10_000)),
    st.tuples(st.just("near"), st.integers(0, 10_000)),
    st.tuples(st.just("bad"), st.sampled_from([b'{"input": "cut', b"", b"[1, 2]", b'{"input": "x", "output": ""}'])),
)


def build(kinds) -> list[bytes]:
    out: list[bytes] = []
    for i, kind in enumerate(kinds):
        if kind[0] == "rec":
            out.append(record(i, kind[1], kind[2]))
        elif kind[0] == "dup" and any(x.startswith(b"{\"input\": \"Ticket") for x in out):
            good = [x for x in out if x.startswith(b"{\"input\": \"Ticket")]
            out.append(good[kind[1] % len(good)])
        elif kind[0] == "near" and any(x.startswith(b"{\"input\": \"Ticket") for x in out):
            good = [x for x in out if x.startswith(b"{\"input\": \"Ticket")]
            rec = json.loads(good[kind[1] % len(good)])
            out.append(json.dumps({"input": rec["input"] + " !", "output": rec["output"]}).encode())
        elif kind[0] == "bad":
            out.append(kind[1])
        else:
            out.append(record(i, ["plan"], "billing"))
    return out


def do_split(path, out, **kw):
    opts = SplitOptions(**{"drop_invalid": True, **kw})
    return split_file(str(path), str(out), cfg.Settings(), opts)


def read(path):
    return path.read_bytes().splitlines() if path.exists() else []


SIZE_REFUSALS = ("nothing to split", "rounds to 0", "leave none for training", "would be empty")
PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPS
@given(kinds=st.lists(line_kind, min_size=1, max_size=60), vsize=st.sampled_from([0.2, 0.5, 3, 0]),
       tsize=st.sampled_from([0, 0.1, 2]), seed=st.integers(0, 3))
def test_every_line_in_exactly_one_output_and_same_bytes_on_rerun(tmp_path_factory, kinds, vsize, tsize, seed):
    base = tmp_path_factory.mktemp("s")
    lines = build(kinds)
    path = write_jsonl(base / "in.jsonl", lines)
    try:
        do_split(path, base / "a", validation_size=vsize, test_size=tsize, seed=seed)
    except SplitRefused as exc:
        # too few records for the sizes asked: refused with the figures, nothing written
        assert any(why in str(exc) for why in SIZE_REFUSALS), str(exc)
        assert not (base / "a").exists()
        return
    outs = {n: read(base / "a" / f"{n}.jsonl") for n in ("train", "validation", "test", "rejected")}
    rejected = [orjson.loads(x) for x in outs["rejected"]]
    rejected_lines = [r["line"] for r in rejected]
    assert len(set(rejected_lines)) == len(rejected_lines)
    kept_expected = Counter(x for i, x in enumerate(lines, 1) if i not in rejected_lines)
    kept_written = Counter(outs["train"] + outs["validation"] + outs["test"])
    assert kept_written == kept_expected  # a multiset: copies are separate lines
    assert sum(kept_written.values()) + len(rejected) == len(lines)
    for r in rejected:
        assert r["raw"].encode() == lines[r["line"] - 1] and r["codes"] and r["reason"]
    # same input, options and seed: byte-identical outputs
    do_split(path, base / "b", validation_size=vsize, test_size=tsize, seed=seed)
    assert sorted(os.listdir(base / "a")) == sorted(os.listdir(base / "b"))
    for name in os.listdir(base / "a"):
        assert (base / "a" / name).read_bytes() == (base / "b" / name).read_bytes(), name
    # the outputs pass the checks: no error in any file, no leakage between train and the held-out files
    for name in ("train", "validation", "test"):
        if outs[name]:
            assert ftlint.check(str(base / "a" / f"{name}.jsonl")).summary["errors"] == 0
    held = [str(base / "a" / f"{n}.jsonl") for n in ("validation", "test") if outs[n]]
    if held and outs["train"]:
        assert REGISTRY["FT204"].check is not None  # the real leakage rule, not a stub
        rep = ftlint.check(str(base / "a" / "train.jsonl"), validation=held, select=["FT204"])
        assert rep.summary["by_code"] == {}, [f.message for f in rep.findings]


@PROPS
@given(groups=st.lists(st.integers(0, 15), min_size=1, max_size=80),
       labs=st.lists(st.sampled_from(LABELS), min_size=80, max_size=80),
       vsize=st.integers(0, 30), tsize=st.integers(0, 10), seed=st.integers(0, 5))
def test_assign_keeps_groups_whole_sizes_bounded_labels_covered(groups, labs, vsize, tsize, seed):
    labels = labs[: len(groups)]
    sides = assign(groups, labels, vsize, tsize, seed)
    for g in set(groups):
        assert len({int(sides[i]) for i, x in enumerate(groups) if x == g}) == 1
    assert (sides == 1).sum() <= vsize and (sides == 2).sum() <= tsize
    assert np.array_equal(sides, assign(groups, labels, vsize, tsize, seed))
    # every label with examples in two or more groups is in validation, when validation can hold them
    multi = sorted({lab for lab in labels if len({g for g, x in zip(groups, labels, strict=True) if x == lab}) >= 2})
    pure = all(len({labels[i] for i, x in enumerate(groups) if x == g}) == 1 for g in set(groups))
    if pure and vsize >= len(multi) and all(
            min(Counter(g for g, x in zip(groups, labels, strict=True) if x == lab).values()) == 1 for lab in multi):
        assert {labels[i] for i in np.flatnonzero(sides == 1)} >= set(multi)
        # ...and train keeps every label it had
        assert {labels[i] for i in np.flatnonzero(sides == 0)} == set(labels)


def test_assign_is_stratified(tmp_path):
    labels = ["a"] * 600 + ["b"] * 300 + ["c"] * 100
    sides = assign(list(range(1000)), labels, 100, 0, 42)
    assert Counter(labels[i] for i in np.flatnonzero(sides == 1)) == {"a": 60, "b": 30, "c": 10}


def test_refuses_while_errors_remain(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [record(1, ["a"], "billing"), b'{"input": "cut'])
    r = run("split", path, "--out", tmp_path / "out")
    assert r.exit_code == 1
    assert "FT101" in r.output and "--drop-invalid" in r.output
    assert not (tmp_path / "out").exists()
    r = run("split", path, "--out", tmp_path / "out", "--drop-invalid", "--validation-size", "0")
    assert r.exit_code == 0, r.output
    assert "rejected 1" in r.output


def test_manifest_contents(tmp_path):
    rows = [record(i, [WORDS[i % 10], WORDS[(i * 3) % 10], str(i)], LABELS[i % 4]) for i in range(40)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    r = run("split", path, "--out", tmp_path / "out", "--validation-size", "8", "--seed", "7")
    assert r.exit_code == 0, r.output
    m = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert m["tool"]["version"] == ftlint.__version__ and m["seed"] == 7
    assert m["options"]["validation_size"] == 8 and m["options"]["group"] == "near"
    assert m["input"]["sha256"] == writers.sha256_file(path) and m["input"]["lines"] == 40
    for name, info in m["outputs"].items():
        assert info["sha256"] == writers.sha256_file(tmp_path / "out" / name)
    assert m["records"] == {"train.jsonl": 32, "validation.jsonl": 8, "rejected.jsonl": 0}
    assert m["labels"]["validation"] == {lab: 2 for lab in LABELS}
    assert m["findings"]["errors"] == 0 and m["target"] is None
    assert all(writers.s3_safe(n) for n in os.listdir(tmp_path / "out"))


def _hex(i: int) -> str:
    import hashlib

    return hashlib.sha1(str(i).encode()).hexdigest()[:16]


def test_stratify_by_field_and_none(tmp_path):
    # texts that are not near-duplicates of each other (hex digests), so that no record is grouped
    rows = [json.dumps({"input": f"q {_hex(i)}", "output": f"answer {_hex(-i - 1)}", "tier": "gold" if i < 10 else "std"})
            .encode() for i in range(50)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    do_split(path, tmp_path / "f", validation_size=10, stratify="tier")
    m = json.loads((tmp_path / "f" / "manifest.json").read_text())
    assert m["labels"]["validation"] == {"gold": 2, "std": 8}
    do_split(path, tmp_path / "n", validation_size=10, stratify="none")
    assert json.loads((tmp_path / "n" / "manifest.json").read_text())["labels"] is None


def test_size_parsing():
    assert parse_size("0.1", "x") == 0.1 and parse_size("500", "x") == 500
    for bad in ("-1", "1.5", "abc", "nan", "inf"):
        with pytest.raises(FtlintError):
            parse_size(bad, "x")


def _target(name, **figures):
    """Settings whose target is ``name`` with the config's [targets] overrides ``figures``."""
    return cfg.Settings(target=name, target_overrides={name: figures} if figures else {})


def test_target_caps_and_format(tmp_path):
    rows = [record(i, [WORDS[i % 10], str(i)], LABELS[i % 4]) for i in range(60)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    opts = SplitOptions(validation_size=0.5)
    # status active: Claude 3 Haiku is past its end of life (FT612), this test is about its caps
    haiku = _target("claude-3-haiku", **{"train-min": 8, "validation-min": 2, "validation-max": 5, "status": "active"})
    res = split_file(str(path), str(tmp_path / "h"), haiku, opts)
    assert res.counts["validation"] == 5 and any("at most 5" in n for n in res.notes)
    assert res.manifest["target"]["hyperparameters"] == haiku.profile().hyperparameters
    assert res.manifest["output_format"] == "claude-messages"
    first = orjson.loads(read(tmp_path / "h" / "train.jsonl")[0])
    assert first["messages"][0]["role"] == "user" and first["messages"][1]["role"] == "assistant"
    res = split_file(str(path), str(tmp_path / "n"), _target("nova-2-lite", **{"train-min": 10}), opts)
    assert not (tmp_path / "n" / "validation.jsonl").exists() and res.counts["train"] == 60
    with pytest.raises(SplitRefused) as exc:
        split_file(str(path), str(tmp_path / "m"), _target("nova-2-lite"), opts)
    assert exc.value.exit_code == 1 and "at least 200" in str(exc.value)


def test_target_outputs_pass_check_with_target(tmp_path):
    rows = [record(i, [WORDS[i % 10], WORDS[(i * 7) % 10], str(i)], LABELS[i % 4]) for i in range(80)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    r = run("split", path, "--out", tmp_path / "o", "--target", "claude-3-haiku", "--validation-size", "32",
            "--ignore", "FT612")  # past its end of life; the test is about its format and caps
    assert r.exit_code == 0, r.output
    train, val = tmp_path / "o" / "train.jsonl", tmp_path / "o" / "validation.jsonl"
    rep = ftlint.check(str(train), validation=str(val), target="claude-3-haiku", ignore=["FT612"])
    assert rep.summary["errors"] == 0, [f.message for f in rep.findings]
    assert "FT204" not in rep.summary["by_code"]


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    rows = [record(i, ["plan", str(i)], "billing") for i in range(20)]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out"
    out.mkdir()
    (out / "train.jsonl").write_bytes(b"previous\n")

    def boom(lines):
        for n, line in enumerate(lines):
            if n == 3:
                raise KeyboardInterrupt
            yield line

    real = writers.write_jsonl
    monkeypatch.setattr(writers, "write_jsonl", lambda p, lines: real(p, boom(lines)))
    with pytest.raises(KeyboardInterrupt):
        do_split(path, out)
    assert sorted(os.listdir(out)) == ["train.jsonl"]  # no temp file, no half-written output
    assert (out / "train.jsonl").read_bytes() == b"previous\n"


def test_unsafe_out_dir_name_refused(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [record(1, ["a"], "billing")])
    r = run("split", path, "--out", tmp_path / "my split!")
    assert r.exit_code == 2 and "S3" in r.output


def test_exact_duplicates_land_on_one_side(tmp_path):
    rows = [record(i, [WORDS[i % 10], str(i)], LABELS[i % 4]) for i in range(30)]
    rows += [rows[0]] * 5
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    do_split(path, tmp_path / "o", validation_size=0.3, drop_invalid=False, group="exact")
    sides = [n for n in ("train", "validation") if rows[0] in read(tmp_path / "o" / f"{n}.jsonl")]
    assert len(sides) == 1


def test_readme_walkthrough_on_sample_data_regenerates_identically(tmp_path):
    from conftest import SAMPLES

    dirty = SAMPLES / "support_tickets_dirty.jsonl"
    if not dirty.exists():
        pytest.skip("sample_data not in this checkout")
    assert run("split", dirty, "--out", tmp_path / "x").exit_code == 1
    for name in ("a", "b"):
        r = run("split", dirty, "--out", tmp_path / name, "--drop-invalid", "--test-size", "0.1")
        assert r.exit_code == 0, r.output
    for f in sorted(os.listdir(tmp_path / "a")):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    m = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert sum(m["records"].values()) == len(dirty.read_bytes().splitlines())
    rep = ftlint.check(str(tmp_path / "a" / "train.jsonl"), validation=str(tmp_path / "a" / "validation.jsonl"))
    assert rep.summary["errors"] == 0 and "FT204" not in rep.summary["by_code"]
