"""`fix` and `split` on the real rule families: FT201-FT204 groups and leakage, FT303 label
variants, the labels artifact for stratification, Bedrock targets, the Python API and the
README walkthrough (its printed counts are asserted, so they cannot go stale)."""
from __future__ import annotations

import ast
import json
import re
import shlex

import orjson
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, write_jsonl

import ftlint
from ftlint.artifacts.unionfind import linked_lines
from ftlint.cli import main
from ftlint.curate.split import assign
from ftlint.errors import FtlintError

DIRTY = SAMPLES / "support_tickets_dirty.jsonl"
CLEAN = SAMPLES / "support_tickets.jsonl"
QA = SAMPLES / "product_qa.jsonl"
# line of the planted variant in support_tickets_dirty.jsonl -> (as written, canonical)
VARIANTS = {26: ("Billing", "billing"), 105: ("billing ", "billing"), 166: ("Technical_Issue", "technical_issue"),
            230: ("technical issue", "technical_issue")}
# planted near-duplicate pairs of support_tickets_dirty.jsonl (sample_data/README.md)
NEAR_PAIRS = [(185, 193), (209, 214), (221, 248)]
TARGETS = ("nova-lite", "claude-3-haiku", "llama3-1-8b", "titan-express")


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def raw_lines(path):
    return path.read_bytes().splitlines()


def side_of(out_dir) -> dict[bytes, str]:
    """Written line bytes -> the split that holds it (each planted line is unique)."""
    where: dict[bytes, str] = {}
    for name in ("train", "validation", "test"):
        p = out_dir / f"{name}.jsonl"
        if p.exists():
            for line in raw_lines(p):
                where[line] = name
    return where


# ---------------------------------------------------------------------------- fix: FT303

def test_fix_rewrites_planted_label_variants_to_canonical(tmp_path):
    out = tmp_path / "fixed.jsonl"
    result = ftlint.fix(DIRTY, out)
    assert result.changed["FT303"] == 4 and "FT303" not in result.dropped
    kept = {k.line: k.obj for k in result.curated.kept}
    lines = raw_lines(DIRTY)
    for line, (variant, canonical) in VARIANTS.items():
        assert orjson.loads(lines[line - 1])["output"] == variant  # the planted spelling
        assert kept[line]["output"] == canonical, line
        assert orjson.loads(lines[line - 1])["input"] == kept[line]["input"]
    assert not set(VARIANTS) & {r.line for r in result.curated.rejected}
    written = [orjson.loads(x) for x in raw_lines(out)]
    assert {r["output"] for r in written} == {"billing", "technical_issue", "account_access", "feature_request",
                                              "integrations", "cancellation"}
    rep = ftlint.check(out)
    assert rep.summary["errors"] == 0 and "FT303" not in rep.summary["by_code"]
    # the same through the CLI; ignoring FT303 ignores its fix (the variants stay)
    r = run("fix", DIRTY, "-o", tmp_path / "cli.jsonl")
    assert r.exit_code == 0 and "FT303 4 changed" in r.output
    assert (tmp_path / "cli.jsonl").read_bytes() == out.read_bytes()
    kept = {k.line: k.obj for k in ftlint.fix(DIRTY, ignore=["FT303"]).curated.kept}
    assert [kept[line]["output"] for line in VARIANTS] == [v.strip() for v, _ in VARIANTS.values()]  # FT110 strips


def test_fix_api_dry_run_writes_nothing_and_returns_records(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", raw_lines(DIRTY))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = ftlint.fix(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert result.output is None and result.rejects is None
    assert result.kept == len(result.records()) == 247 and result.rejected == 19
    assert result.kept + result.rejected == len(raw_lines(DIRTY))
    assert result.dropped["FT201"] == 2 and result.dropped["FT203"] == 2
    in_place = ftlint.fix(path, in_place=True)
    assert in_place.output == str(path) and len(raw_lines(path)) == 247
    assert (tmp_path / "d.rejected.jsonl").exists()


# ---------------------------------------------------------------------------- split: groups

def test_split_keeps_sample_near_duplicates_together_and_drops_conflicts(tmp_path):
    lines = raw_lines(DIRTY)
    for seed in range(4):
        out = tmp_path / f"s{seed}"
        res = ftlint.split(DIRTY, out, drop_invalid=True, validation_size=0.4, test_size=0.2, seed=seed)
        where = side_of(out)
        for a, b in NEAR_PAIRS:
            assert where[lines[a - 1]] == where[lines[b - 1]], (seed, a, b)
        rejected = {r["line"]: r for r in map(orjson.loads, raw_lines(out / "rejected.jsonl"))}
        assert rejected[2]["codes"] == ["FT203"] and rejected[123]["codes"] == ["FT203"]  # the conflict
        assert rejected[53]["codes"] == ["FT201"] and rejected[148]["codes"] == ["FT201"]  # the copies
        assert not any("moved" in n for n in res.notes), res.notes  # the groups, not the backstop, did it


def _planted(rows: list[dict], key_in: str, key_out: str, other=lambda answer: answer + " Also, see the help centre."
             ) -> tuple[list[bytes], list[list[int]]]:
    """rows + for every 8th record an exact copy (case/space changed), a near copy (punctuation
    appended) and a conflicting answer, at the end; returns lines and 1-based planted groups."""
    lines = [orjson.dumps(r) for r in rows]
    groups = []
    for i in range(0, len(rows), 8):
        r = rows[i]
        base = len(lines)
        lines.append(orjson.dumps({key_in: "  " + r[key_in].upper(), key_out: r[key_out]}))
        lines.append(orjson.dumps({key_in: r[key_in] + " !!", key_out: r[key_out]}))
        lines.append(orjson.dumps({key_in: r[key_in], key_out: other(r[key_out])}))
        groups.append([i + 1, base + 1, base + 2, base + 3])
    return lines, groups


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_copies_near_copies_and_conflicts_land_on_one_side(tmp_path, seed):
    # open-ended Q&A: conflicting answers are FT203 warnings, so nothing is dropped and each
    # group (record, exact copy, near copy, other answer) must be placed whole
    rows = [orjson.loads(x) for x in raw_lines(QA)]
    lines, groups = _planted(rows, "prompt", "completion")
    path = write_jsonl(tmp_path / "qa.jsonl", lines)
    rep = ftlint.check(path, select=["FT2"])
    assert {"FT201", "FT202", "FT203"} <= set(rep.summary["by_code"])
    res = ftlint.split(path, tmp_path / "o", validation_size=0.3, test_size=0.2, seed=seed)
    assert res.counts["rejected"] == 0
    where = side_of(tmp_path / "o")
    placed = [{where[lines[i - 1]] for i in g} for g in groups]
    assert all(len(p) == 1 for p in placed), placed
    # ...and so does every group the FT2 findings of the input form
    for members in linked_lines(rep.findings, ["FT201", "FT202", "FT203"]).groups().values():
        assert len({where[lines[i - 1]] for i in members}) == 1, members
    assert set().union(*placed) >= {"train", "validation"}  # groups do get held out
    assert not any("moved" in n for n in res.notes), res.notes
    # a split that ignores the groups would have leaked: FT204 fires on it
    naive = assign(list(range(len(lines))), None, res.counts["validation"], 0, seed)
    write_jsonl(tmp_path / "nt.jsonl", [x for x, s in zip(lines, naive, strict=True) if s == 0])
    write_jsonl(tmp_path / "nv.jsonl", [x for x, s in zip(lines, naive, strict=True) if s == 1])
    leak = ftlint.check(tmp_path / "nt.jsonl", validation=tmp_path / "nv.jsonl", select=["FT204"])
    assert leak.summary["by_code"].get("FT204", 0) > 0
    split_rep = ftlint.check(tmp_path / "o" / "train.jsonl",
                             validation=[tmp_path / "o" / "validation.jsonl", tmp_path / "o" / "test.jsonl"],
                             select=["FT204"])
    assert split_rep.summary["by_code"] == {}


def test_conflicts_group_classification_data_when_ft203_is_ignored(tmp_path):
    # for classification FT203 is an error; a user who ignores it still gets its groups
    rows = [orjson.loads(x) for x in raw_lines(CLEAN)]
    labels = sorted({r["output"] for r in rows})
    lines, groups = _planted(rows, "input", "output", lambda a: labels[(labels.index(a) + 1) % len(labels)])
    path = write_jsonl(tmp_path / "t.jsonl", lines)
    with pytest.raises(ftlint.SplitRefused) as refused:
        ftlint.split(path, tmp_path / "refused")
    assert refused.value.report.summary["by_code"]["FT203"] == len(groups)
    res = ftlint.split(path, tmp_path / "o", validation_size=0.4, ignore=["FT203"], seed=3)
    where = side_of(tmp_path / "o")
    assert all(len({where[lines[i - 1]] for i in g}) == 1 for g in groups)
    assert res.counts["rejected"] == 0 and res.manifest["labels"]["validation"]


def test_stratification_uses_the_labels_artifact(tmp_path):
    res = ftlint.split(DIRTY, tmp_path / "o", drop_invalid=True, validation_size=60)
    val = res.manifest["labels"]["validation"]
    # the six canonical labels, variants merged (and rewritten), in proportion
    assert set(val) == {"billing", "technical_issue", "account_access", "feature_request", "integrations",
                        "cancellation"}
    assert all(8 <= n <= 12 for n in val.values()), val
    assert ftlint.split(QA, tmp_path / "qa").manifest["labels"] is None  # open-ended: no labels


# ---------------------------------------------------------------------------- targets

@pytest.mark.parametrize("target", TARGETS)
def test_split_outputs_pass_check_with_target(tmp_path, target):
    for src in (DIRTY, CLEAN):
        out = tmp_path / src.stem
        # Claude 3 Haiku is past its end of life (FT612); these tests are about its format and caps
        r = run("split", src, "--out", out, "--drop-invalid", "--target", target, "--ignore", "FT612")
        assert r.exit_code == 0, r.output
        val = out / "validation.jsonl"
        args = ["check", out / "train.jsonl", "--target", target, "--format", "json", "--ignore", "FT612"]
        if val.exists():
            args += ["--validation", val]
        r = run(*args)
        report = json.loads(r.output)
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        assert r.exit_code == 0 and errors == [], errors
        assert not any(f["code"] == "FT204" for f in report["findings"])
        m = json.loads((out / "manifest.json").read_text())
        assert m["target"]["key"] and sum(m["records"].values()) == len(raw_lines(src))


# ---------------------------------------------------------------------------- README walkthrough

def _walkthrough() -> tuple[list[tuple[str, str, list[str]]], str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Curate and split", 1)[1].split("\n## ", 1)[0]
    sh = section.split("```sh\n", 1)[1].split("```", 1)[0]
    py = section.split("```python\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, str, list[str]]] = []  # (command, inline comment, following comment lines)
    pending = ""
    for line in sh.splitlines():
        if line.startswith("#"):
            steps[-1][2].append(line[1:].strip())
            continue
        line = pending + line
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        cmd, _, comment = line.partition("#")
        steps.append((cmd.strip(), comment.strip(), []))
    return steps, py


def test_readme_walkthrough_prints_what_the_readme_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_data").symlink_to(SAMPLES)
    steps, py = _walkthrough()
    ran = 0
    for cmd, comment, after in steps:
        if not cmd.startswith("ftlint "):
            continue
        r = run(*shlex.split(cmd)[1:])
        ran += 1
        if "exit 1" in comment:
            assert r.exit_code == 1, (cmd, r.output)
        else:
            assert r.exit_code == 0, (cmd, r.output)
        m = re.search(r"(\d+) findings, (\d+) errors", " ".join([comment, *after]))
        if m:
            assert f"Found {m[1]} findings: {m[2]} errors" in r.output, (cmd, r.output)
        if "no FT204" in " ".join([comment, *after]):
            assert "FT204" not in r.output
        for expected in after:
            if expected.startswith("sample_data/"):
                assert expected in r.output, (cmd, expected, r.output)
    assert ran == 6
    cli_split = {p.name: p.read_bytes() for p in (tmp_path / "build" / "split").iterdir()}
    # the Python block: run it, then compare with its comments
    ns: dict = {}
    exec(compile(py, "README.md", "exec"), ns)  # noqa: S102 - our own README
    counts = ast.literal_eval(re.search(r"result\.counts\s+# (\{.*\})", py)[1])
    assert ns["result"].counts == counts
    kept, rejected, changed = re.search(r"fixed\.changed\s+# (\d+), (\d+), .*(\{\"FT303\": \d+\})", py).groups()
    fixed = ns["fixed"]
    assert (fixed.kept, fixed.rejected, fixed.changed) == (int(kept), int(rejected), json.loads(changed))
    assert len(ns["records"]) == fixed.kept
    # ftlint.split with the CLI's options rewrote build/split byte for byte
    assert {p.name: p.read_bytes() for p in (tmp_path / "build" / "split").iterdir()} == cli_split


def test_fix_and_split_take_records_as_well_as_paths(tmp_path):
    """The Python API takes an iterable of dicts wherever it takes a path (as ftlint.check does);
    the results are those of the same records written to a file."""
    records = [{"input": f"Ticket {i}: the export of report {i * 13} fails with code {i * 7}",
                "output": ["technical", "billing"][i % 2]} for i in range(30)]
    records += [records[3], {"input": "x", "output": ""}]
    path = tmp_path / "same.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))  # the bytes the API makes of dicts
    from_file, from_dicts = ftlint.fix(path), ftlint.fix(records)
    assert (from_dicts.kept, from_dicts.rejected, from_dicts.dropped) == (30, 2, {"FT105": 1, "FT201": 1})
    assert from_dicts.records() == from_file.records()
    out = ftlint.fix(iter(records), tmp_path / "o.jsonl")  # a generator, written out
    assert out.output == str(tmp_path / "o.jsonl") and len((tmp_path / "o.jsonl").read_text().splitlines()) == 30
    a = ftlint.split((r for r in records), tmp_path / "a", drop_invalid=True, validation_size=0.2)
    b = ftlint.split(path, tmp_path / "b", drop_invalid=True, validation_size=0.2)
    assert a.counts == b.counts and a.manifest["input"]["path"] == "<records>"
    for name in ("train.jsonl", "validation.jsonl", "rejected.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert a.manifest["input"]["sha256"] == b.manifest["input"]["sha256"]
    with pytest.raises(FtlintError, match="records must be dicts"):
        ftlint.fix([records[0], "not a record"])
    with pytest.raises(FtlintError, match="in_place needs a file"):
        ftlint.fix(records, in_place=True)
