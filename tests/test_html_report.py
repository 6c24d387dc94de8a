"""The HTML report's content (no browser here: see test_browser.py): sections, bounded size,
escaping, masking, offline-ness, determinism, the charts' shapes and the CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ftlint import api
from ftlint.cli import main
from ftlint.engine import Engine
from ftlint.finding import Finding, Severity
from ftlint.report import charts, facts, html
from ftlint.report.excerpt import EXCERPT_WIDTH, excerpt
from ftlint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DIRTY = ROOT / "sample_data" / "support_tickets_dirty.jsonl"
CLEAN = ROOT / "sample_data" / "support_tickets.jsonl"
CHAT = ROOT / "sample_data" / "support_chat_claude.jsonl"


def _report(paths, validation=(), target=None):
    engine = Engine(Settings(), target)
    engine.keep_examples = True
    return engine.run(api.sources_of([str(p) for p in paths]),
                      api.sources_of([str(p) for p in validation]) if validation else [])


def _write(tmp_path: Path, name: str, records) -> Path:
    p = tmp_path / name
    p.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return p


def test_sections_and_summary():
    page = html.build(_report([DIRTY], [CLEAN]))
    for section in ("summary", "findings-section", "charts", "clusters", "coverage", "fingerprint"):
        assert f'id="{section}"' in page
    report = _report([DIRTY], [CLEAN])
    assert page.count('<tr data-code="') == len(report.findings)  # every finding (fewer than --max-rows)
    assert 'data-code="FT101" data-sev="error"' in page
    assert 'data-expected-charts="3"' in page
    # fingerprint: the sha256 of each file, as sha256sum prints it
    import hashlib

    for p in (DIRTY, CLEAN):
        assert hashlib.sha256(p.read_bytes()).hexdigest() in page
    assert "input-output" in page


def test_offline_and_escaped(tmp_path):
    path = _write(tmp_path, "x.jsonl", [{"prompt": "<script>alert(1)</script> & <img src=x>", "completion": " "}] * 2
                  + ["{broken <blink>"])
    page = html.build(_report([path]))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<blink>" not in page and "&lt;blink&gt;" in page
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'', page)
    # nothing loaded from anywhere: no src/href attributes, no <link>, no URL scheme
    assert not re.search(r'<[^>]*\s(?:src|href)=', page)
    assert "<link" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_excerpts_are_masked(tmp_path):
    secret = {"prompt": "Mail jordan.miles@example.com or call +1 415-555-0142, key AKIAQZ6JYWVDAMXIQK36",
              "completion": ""}
    path = _write(tmp_path, "pii.jsonl", [secret, {"prompt": "fine", "completion": "fine"}])
    page = html.build(_report([path]))  # the empty completion is an FT105 finding on line 1
    assert 'data-code="FT105"' in page
    for value in ("jordan.miles@example.com", "415-555-0142", "AKIAQZ6JYWVDAMXIQK36"):
        assert value not in page
    assert "[EMAIL]" in page


def test_excerpt_helper():
    assert excerpt("a\n\n  b\tc") == "a b c"
    long = excerpt("x" * 500)
    assert len(long) == EXCERPT_WIDTH and long.endswith("\u2026")
    masked = excerpt("reach me at ana@corp.example.org, card 4539 1488 0343 6467")
    assert "ana@corp" not in masked and "4539 1488" not in masked


def test_deterministic_and_bounded(tmp_path):
    rows = [{"prompt": f"question {i} " + "word " * (i % 50), "completion": "answer " * (i % 20) + "."}
            for i in range(3000)]
    rows[10] = {"prompt": "   ", "completion": "x"}
    path = _write(tmp_path, "big.jsonl", rows + ["not json"] * 40)
    report = _report([path])
    a = html.build(report, max_rows=25, sample=500)
    b = html.build(_report([path]), max_rows=25, sample=500)
    assert a == b
    assert a.count('<tr data-code="') == 25
    assert f"Showing 25 of {len(report.findings):,} findings" in a
    # each code gets its share of the rows: the 40 FT101 lines and the one FT105 both show
    by_code = {c: len(re.findall(f'data-code="{c}"', a)) for c in report.summary["by_code"]}
    assert sum(by_code.values()) == 25 and by_code["FT105"] == 1
    assert by_code["FT101"] >= 25 // len(by_code)
    assert "seeded sample of 500 of 3,000 records" in a
    # the record set is not embedded: only the excerpts of shown rows and of the shown clusters
    assert a.count("question ") <= 25 + html.MAX_CLUSTERS


def test_target_limits_drawn():
    import dataclasses

    from ftlint import targets

    page = html.build(_report([CLEAN], target=None))
    assert 'class="limit"' not in page
    titan = targets.resolve("titan-express")  # a total limit of 4,096 tokens, far beyond these tickets
    page = html.build(_report([CLEAN], target=titan))
    assert "target total limit (input + output): 4,096 tokens (off scale" in page
    assert titan.name in page and titan.estimator.method in page
    tight = dataclasses.replace(titan, max_input_tokens=60)
    page = html.build(_report([CLEAN], target=tight))
    assert page.count('<line class="limit"') == 1  # the input limit; the output side's 4,096 is off scale
    assert "target input limit: 60<" in page


def test_token_estimates_of_the_report():
    from ftlint.targets.tokens import record_tokens

    class Est:
        method = "one token per word"

        def count(self, text):
            return len(text.split())

    target = Est()
    assert facts.PLANNING_ESTIMATE.count("abcdefg") == 3  # ceil(7 / 3) without a target
    assert facts.PLANNING_ESTIMATE.count("") == 0
    from ftlint import formats

    ex = formats.normalize("prompt-completion", {"prompt": "one two four", "completion": "three"}, 1)
    assert record_tokens(target, ex) == (3, 1)
    assert record_tokens(facts.PLANNING_ESTIMATE, ex) == (4, 2)  # ceil(12 / 3), ceil(5 / 3)
    chat = formats.normalize("claude-messages", {"system": "be brief", "messages": [
        {"role": "user", "content": "hi there"}, {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "bye now"}, {"role": "assistant", "content": "bye bye"}]}, 1)
    assert record_tokens(target, chat) == (2 + 2 + 1 + 2, 2)


def test_labels_side_by_side_and_chat():
    page = html.build(_report([DIRTY], [CLEAN]))
    labels = re.search(r'data-chart="labels".*?</svg>', page, re.S).group(0)
    assert "train: support_tickets_dirty.jsonl" in labels and "validation: support_tickets.jsonl" in labels
    assert ">Billing<" in labels  # a planted label variant is visible as its own bar
    chat = html.build(_report([CHAT]))
    assert 'data-chart="labels"' not in chat and "no label distribution" in chat
    assert 'data-expected-charts="2"' in chat


def test_clusters_from_related_lines():
    f = [Finding("FT201", "exact-duplicate", Severity.WARNING, "p", 9, "dup", related=(3,)),
         Finding("FT202", "near-duplicate", Severity.WARNING, "p", 12, "near", related=(3, 9)),
         Finding("FT202", "near-duplicate", Severity.WARNING, "p", 30, "near", related=(20,)),
         Finding("FT101", "invalid-json", Severity.ERROR, "p", 40, "bad", related=(41,))]
    assert facts.clusters(f) == [[3, 9, 12], [20, 30]]


def test_clusters_section(tmp_path, monkeypatch):
    path = _write(tmp_path, "d.jsonl", [{"prompt": f"q{i}", "completion": "a"} for i in range(6)])
    report = _report([path])
    report.findings.append(Finding("FT201", "exact-duplicate", Severity.WARNING, str(path), 4, "copy of line 1",
                                   related=(1,)))
    page = html.build(report)
    assert "1 clusters, 2 records" in page
    assert re.search(r"<td class=num>2</td><td>1, 4</td><td class=excerpt>q0 \u2192 a</td>", page)


def test_charts_shapes():
    svg = charts.bar_chart("labels", ["a", "b", "c"], [("train", [5, 3, 1]), ("validation", [1, 1, 0])], "t")
    assert svg.count('<rect class="bar s0"') == 3 and svg.count('<rect class="bar s1"') == 3
    hist = charts.histogram("h", [("train", np.array([1, 2, 2, 3, 3, 3]))], "t", "tokens")
    assert hist.count('<rect class="bar') == 3  # one bin per value for small integers
    hist = charts.histogram("h", [("train", np.arange(1000))], "t", "tokens", bins=40, limit=500)
    assert hist.count('<rect class="bar') == 40 and '<line class="limit"' in hist
    empty = charts.histogram("h", [("train", np.array([], dtype=int))], "t", "tokens")
    assert '<rect class="bar' not in empty


def test_cli_report(tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(DIRTY), "--validation", str(CLEAN), "-o", str(out)],
                                standalone_mode=False)
    assert result.return_value == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    n = len(_report([DIRTY], [CLEAN]).findings)
    assert "KiB" in result.output and f" {n} findings" in result.output


@pytest.mark.parametrize("args", [["report", "-", "-o", "x.html"], ["report", "missing.jsonl", "-o", "x.html"],
                                  ["report", str(CLEAN)]])
def test_cli_report_errors(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args, standalone_mode=False) == 2
    assert not (tmp_path / "x.html").exists()


def test_same_page_whether_or_not_the_engine_kept_examples():
    """Without keep_examples (the Python API's default when no dataset rule needs them) the report
    reads the records itself and draws the same page."""
    kept = html.build(_report([DIRTY], [CLEAN]))
    streamed = html.build(api.check(str(DIRTY), validation=str(CLEAN)))
    assert streamed == kept
