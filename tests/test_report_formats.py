"""Every output format through the CLI (CliRunner), with and without -o; the GitHub, SARIF and
JUnit formats in detail; --statistics; the automatic github format on GitHub Actions."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, GOOD_ROWS, write_jsonl

from ftlint.cli import main
from ftlint.finding import Finding, Severity
from ftlint.report import REPORTERS, github, junit, sarif
from ftlint.result import FileInfo, Report

GOOD = GOOD_ROWS[:4]
SARIF_SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())


def run(*args, env=None):
    return CliRunner().invoke(main, list(map(str, args)), env={"GITHUB_ACTIONS": None, "FTLINT_FORMAT": None,
                                                               "GITHUB_STEP_SUMMARY": None, **(env or {})})


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A clean and a dirty file, addressed relative to the working directory as a CI job does."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    write_jsonl(tmp_path / "data" / "clean.jsonl", GOOD)
    write_jsonl(tmp_path / "data" / "dirty.jsonl",
                GOOD[:1] + [b'{"prompt": "broken', b""] + GOOD[1:2] + [{"prompt": "x", "completion": " "}])
    return Path("data/clean.jsonl"), Path("data/dirty.jsonl")


def dataset_level_report() -> Report:
    """A report with a dataset-level finding (line None), a warning, an info and awkward text."""
    findings = [
        Finding("FT101", "invalid-json", Severity.ERROR, "data/a b.jsonl", 3, "bad: 100% broken,\r\nreally", 7),
        Finding("FT105", "empty-field", Severity.WARNING, "data/a b.jsonl", 5, "completion is empty", related=(2, 4)),
        Finding("FT108", "blank-line", Severity.INFO, "data/a b.jsonl", None, "file-wide: 3 of 10 records\x01"),
    ]
    return Report(findings, [FileInfo("data/a b.jsonl", 10, "prompt-completion"),
                             FileInfo("data/clean.jsonl", 4, "prompt-completion")])


# -- every format, to stdout and with -o -------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_stdout_and_output_file(files, fmt, tmp_path):
    clean, dirty = files
    shown = run("check", clean, dirty, "--select", "FT1", "--format", fmt, "--no-cache")
    assert shown.exit_code == 1, shown.output
    out = tmp_path / f"report.{fmt}"
    written = run("check", clean, dirty, "--select", "FT1", "--format", fmt, "-o", out, "--no-cache")
    assert written.exit_code == 1 and written.output == ""
    assert out.read_text() == shown.output
    assert "data/dirty.jsonl" in shown.output
    if fmt in ("json", "sarif"):
        json.loads(shown.output)
    if fmt == "json-lines":
        assert [json.loads(x)["line"] for x in shown.output.splitlines()] == [2, 3, 5]
    if fmt == "junit":
        ET.fromstring(shown.output)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_clean_run_exits_0(files, fmt):
    r = run("check", files[0], "--format", fmt, "--no-cache")
    assert r.exit_code == 0, r.output


# -- github ------------------------------------------------------------------------------------

def test_github_escaping():
    assert github.escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_grouped_with_summary(files):
    clean, dirty = files
    r = run("check", dirty, clean, "--select", "FT1", "--format", "github")
    lines = r.output.splitlines()
    assert lines[0] == "::group::data/dirty.jsonl: 3 findings"
    assert lines[1].startswith("::error file=data/dirty.jsonl,line=2,col=")
    assert ",title=ftlint (FT101)::FT101 invalid-json: invalid JSON" in lines[1]
    assert lines[2] == ("::error file=data/dirty.jsonl,line=3,col=1,title=ftlint (FT108)::FT108 blank-line: "
                        "blank line: JSONL needs one JSON object on every line; delete it")
    assert lines[4] == "::endgroup::"
    assert not any("clean.jsonl" in x for x in lines[:5])  # a clean file has no group
    assert lines[-1].startswith("Found 3 findings: 3 errors") and "2 files" in lines[-1]
    assert "1  FT101  invalid-json  [error]" in lines  # the per-code counts, beyond GitHub's 10 annotations


def test_github_levels_dataset_level_and_escaping_in_output():
    out = _render("github", dataset_level_report())
    lines = out.splitlines()
    assert lines[0] == "::group::data/a b.jsonl: 3 findings"
    assert lines[1] == ("::error file=data/a b.jsonl,line=3,col=7,title=ftlint (FT101)::"
                        "FT101 invalid-json: bad: 100%25 broken,%0D%0Areally")
    assert lines[2].startswith("::warning file=data/a b.jsonl,line=5,col=1,title=ftlint (FT105)::")
    # dataset-level: a file annotation without line and column
    assert lines[3].startswith("::notice file=data/a b.jsonl,title=ftlint (FT108)::FT108 blank-line: file-wide")


def test_github_property_escaping_of_paths():
    f = Finding("FT101", "invalid-json", Severity.ERROR, "odd,name:x.jsonl", 1, "m")
    assert github.annotation(f).startswith("::error file=odd%2Cname%3Ax.jsonl,line=1,col=1,title=ftlint (FT101)::")


def test_github_quiet_has_no_summary(files):
    r = run("check", files[1], "--format", "github", "-q")
    assert r.output.splitlines()[-1] == "::endgroup::"


def test_github_chosen_automatically_on_actions(files):
    r = run("check", files[1], env={"GITHUB_ACTIONS": "true"})
    assert r.output.startswith("::group::data/dirty.jsonl")
    # an explicit --format, or $FTLINT_FORMAT, still wins
    assert run("check", files[1], "--format", "text", env={"GITHUB_ACTIONS": "true"}).output.startswith("data/dirty.jsonl:2:")
    assert run("check", files[1], env={"GITHUB_ACTIONS": "true", "FTLINT_FORMAT": "json"}).output.startswith("{")
    assert run("check", files[1]).output.startswith("data/dirty.jsonl:2:")  # not on Actions: text


def test_github_step_summary(files, tmp_path):
    summary = tmp_path / "summary.md"
    run("check", files[1], "--select", "FT1", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text()
    assert text.startswith("### ftlint") and "| FT101 | invalid-json | error | 1 |" in text


# -- sarif -------------------------------------------------------------------------------------

def test_sarif_validates_against_schema_and_has_rules_from_docs(files):
    r = run("check", files[1], "--select", "FT1", "--format", "sarif")
    doc = json.loads(r.output)
    jsonschema.validate(doc, SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    rules = {rule["id"]: rule for rule in run0["tool"]["driver"]["rules"]}
    assert sorted(rules) == ["FT101", "FT105", "FT108"]
    assert rules["FT108"]["name"] == "blank-line"
    assert rules["FT108"]["defaultConfiguration"]["level"] == "error"
    assert rules["FT101"]["fullDescription"]["text"].startswith("Reports every line that does not parse as JSON")
    assert rules["FT101"]["help"]["markdown"].startswith("# invalid-json (FT101)")
    results = run0["results"]
    assert [x["ruleId"] for x in results] == ["FT101", "FT108", "FT105"]
    loc = results[1]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "data/dirty.jsonl"  # relative to the working directory
    assert loc["region"]["startLine"] == 3
    for res in results:  # every ruleIndex points at its rule
        assert run0["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_sarif_dataset_level_levels_and_related():
    doc = sarif.to_sarif(dataset_level_report())
    jsonschema.validate(doc, SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    results = doc["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data/a%20b.jsonl"
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 7}
    dataset_loc = results[2]["locations"][0]["physicalLocation"]
    assert "region" not in dataset_loc and dataset_loc["artifactLocation"]["uri"] == "data/a%20b.jsonl"
    related = results[1]["relatedLocations"]
    assert [x["physicalLocation"]["region"]["startLine"] for x in related] == [2, 4]


def test_sarif_schema_rejects_broken_sarif():
    """The schema in tests is strict enough to catch the mistakes that matter."""
    doc = sarif.to_sarif(dataset_level_report())
    broken = [
        lambda d: d.update(version="2.0"),
        lambda d: d["runs"][0]["results"][0].update(level="info"),
        lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
        lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("id"),
        lambda d: d["runs"][0]["results"][0].update(lineNumber=3),
    ]
    for breaker in broken:
        d = json.loads(json.dumps(doc))
        breaker(d)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(d, SARIF_SCHEMA)


def test_sarif_clean_run_has_no_results(files):
    doc = json.loads(run("check", files[0], "--format", "sarif").output)
    jsonschema.validate(doc, SARIF_SCHEMA)
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["tool"]["driver"]["rules"] == []


# -- junit -------------------------------------------------------------------------------------

def test_junit_suite_per_file_case_per_finding(files):
    clean, dirty = files
    root = ET.fromstring(run("check", dirty, clean, "--select", "FT1", "--format", "junit").output)
    assert root.tag == "testsuites" and root.get("failures") == "3" and root.get("tests") == "4"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["data/dirty.jsonl", "data/clean.jsonl"]
    cases = suites[0].findall("testcase")
    assert [c.get("line") for c in cases] == ["2", "3", "5"]
    assert cases[1].get("name") == "FT108 blank-line (line 3)"
    failure = cases[1].find("failure")
    assert failure.get("type") == "FT108" and failure.get("message").startswith("blank line")
    assert failure.text.startswith("data/dirty.jsonl:3:1: FT108 [error]")
    # a clean file: one passing testcase, not an empty suite
    (case,) = suites[1].findall("testcase")
    assert case.find("failure") is None and suites[1].get("failures") == "0"


def test_junit_dataset_level_and_control_characters():
    root = ET.fromstring(_render("junit", dataset_level_report()))
    cases = root.find("testsuite").findall("testcase")
    assert cases[2].get("name") == "FT108 blank-line (dataset)" and cases[2].get("line") is None
    assert cases[0].find("failure").get("message") == "bad: 100% broken,\r\nreally"
    assert cases[2].find("system-out").text == "data/a b.jsonl: FT108 [info] file-wide: 3 of 10 records\ufffd"
    assert junit._clean("a\x00b") == "a\ufffdb"


def test_junit_fails_only_at_the_fail_level():
    """A warning or an info is a passing testcase (its text in system-out): the CI test report
    fails exactly when `ftlint check` exits 1."""
    report = dataset_level_report()  # an error, a warning and an info
    root = ET.fromstring(_render("junit", report))
    assert root.get("tests") == "4" and root.get("failures") == "1"
    suite = root.find("testsuite")
    assert suite.get("failures") == "1"
    failed = [c.get("name") for c in suite.findall("testcase") if c.find("failure") is not None]
    assert failed == ["FT101 invalid-json (line 3)"]
    assert [c.find("system-out").text.split(": ", 1)[1] for c in suite.findall("testcase")[1:]] == [
        "FT105 [warning] completion is empty", "FT108 [info] file-wide: 3 of 10 records\ufffd"]
    report.fail_on = Severity.WARNING
    root = ET.fromstring(_render("junit", report))
    assert root.get("failures") == "2"


def test_junit_follows_fail_on_from_the_command_line(files):
    clean, dirty = files
    warn = write_jsonl(Path("warn.jsonl"), GOOD + [{"prompt": "Trailing spaces  ", "completion": "ok"}])
    for fail_on, failures in (("error", "0"), ("info", "1")):
        r = run("check", warn, "--select", "FT110", "--format", "junit", "--fail-on", fail_on, "--no-cache")
        root = ET.fromstring(r.output)
        assert root.get("failures") == failures, (fail_on, r.output)
        assert r.exit_code == (1 if failures != "0" else 0)


# -- statistics and quiet ----------------------------------------------------------------------

def test_statistics_counts_per_code(files, jsonl):
    dirty = write_jsonl(Path("more.jsonl"), [b"", b"", b"[1]"] + GOOD)
    r = run("check", files[1], dirty, "--select", "FT1", "--statistics")
    assert r.exit_code == 1
    assert r.output.splitlines() == ["3  FT108  blank-line  [error]", "1  FT101  invalid-json  [error]",
                                     "1  FT102  not-an-object  [error]", "1  FT105  empty-field  [error]"]
    rows = json.loads(run("check", files[1], dirty, "--select", "FT1", "--statistics", "--format", "json").output)
    assert rows[0] == {"code": "FT108", "name": "blank-line", "severity": "error", "count": 3}
    assert run("check", files[0], "--statistics").output == ""


def test_statistics_to_output_file(files, tmp_path):
    out = tmp_path / "stats.txt"
    r = run("check", files[1], "--select", "FT1", "--statistics", "-o", out)
    assert r.output == "" and out.read_text().splitlines()[0] == "1  FT101  invalid-json  [error]"


def test_quiet_prints_findings_only(files):
    r = run("check", files[1], "--select", "FT1", "-q")
    assert len(r.output.splitlines()) == 3 and "Found" not in r.output


def _render(name: str, report: Report) -> str:
    import io

    buf = io.StringIO()
    REPORTERS[name](report, buf)
    return buf.getvalue()


def _artifact_locations(node):
    if isinstance(node, dict):
        if "artifactLocation" in node:
            yield node["artifactLocation"]
        if "location" in node and "uri" in node["location"]:
            yield node["location"]
        for value in node.values():
            yield from _artifact_locations(value)
    elif isinstance(node, list):
        for value in node:
            yield from _artifact_locations(value)


def _check_uris(doc):
    """Every location is a URI relative to its declared uriBaseId, or absolute with no base."""
    from urllib.parse import urlsplit

    locations = list(_artifact_locations(doc))
    assert locations
    for loc in locations:
        parts = urlsplit(loc["uri"])
        if "uriBaseId" in loc:
            assert not parts.scheme and not loc["uri"].startswith("/"), loc
        else:
            assert parts.scheme == "file" and parts.path.startswith("/"), loc
    return locations


def test_sarif_uris_relative_to_srcroot_or_absolute_without_a_base(files, tmp_path_factory):
    clean, dirty = files
    outside = write_jsonl(tmp_path_factory.mktemp("elsewhere") / "far away.jsonl",
                          GOOD[:1] + [b'{"prompt": "broken'])
    r = run("check", dirty, outside, "--select", "FT1", "--format", "sarif", "--no-cache")
    doc = json.loads(r.output)
    jsonschema.validate(doc, SARIF_SCHEMA)
    locations = _check_uris(doc)
    by_uri = {loc["uri"]: loc for loc in locations}
    assert by_uri["data/dirty.jsonl"]["uriBaseId"] == "%SRCROOT%"
    far = outside.resolve().as_uri()
    assert far.startswith("file:///") and "far%20away.jsonl" in far
    assert "uriBaseId" not in by_uri[far]
    # no link to a page that does not exist
    assert "informationUri" not in doc["runs"][0]["tool"]["driver"]
