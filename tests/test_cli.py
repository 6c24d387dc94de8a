"""CLI behaviour through click's CliRunner, and once through the installed console script."""
from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from conftest import GOOD_ROWS, ROOT, SAMPLES, ftlint_executable, write_jsonl

from ftlint.cli import main
from ftlint.rules import REGISTRY

GOOD = GOOD_ROWS[:5]


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.fixture
def clean(tmp_path):
    return write_jsonl(tmp_path / "clean.jsonl", GOOD)


@pytest.fixture
def dirty(tmp_path):
    return write_jsonl(tmp_path / "dirty.jsonl", GOOD[:2] + [b'{"prompt": "broken', b"[1]"] + GOOD[2:])


def test_clean_exits_0(clean):
    r = run("check", clean, "--select", "FT1")
    assert r.exit_code == 0 and "All checks passed" in r.output


def test_findings_exit_1_and_text_format(dirty):
    r = run("check", dirty, "--select", "FT1")
    assert r.exit_code == 1
    assert f"{dirty}:3:" in r.output and "FT101 [error]" in r.output
    assert r.output.strip().splitlines()[-1].startswith("Found 2 findings: 2 errors")


def test_exit_zero(dirty):
    assert run("check", dirty, "--exit-zero").exit_code == 0


def test_fail_on_warning_vs_error(jsonl):
    path = jsonl(GOOD)
    # demote FT105 to a warning through an option and plant an empty completion
    path.write_text(path.read_text() + json.dumps({"prompt": "x", "completion": ""}) + "\n")
    assert run("check", path, "--select", "FT1", "-O", "FT105.severity='warning'").exit_code == 0
    assert run("check", path, "--select", "FT1", "-O", "FT105.severity='warning'", "--fail-on", "warning").exit_code == 1


@pytest.mark.parametrize("args", [
    ["check", "missing.jsonl"],
    ["check", "{dir}"],
    ["check", "{clean}", "--bogus"],
    ["check", "{clean}", "--select", "FT999"],
    ["check", "{clean}", "--format", "xml"],
    ["check", "{clean}", "-O", "FT107.nope=1"],
    ["check", "{clean}", "-O", "FT107.require-assistant-last=3"],
    ["check", "{clean}", "--target", "no-such-model"],
    ["rules", "FT999"],
    ["nosuchcommand"],
    ["check"],
])
def test_usage_and_input_errors_exit_2(args, clean, tmp_path):
    argv = [a.format(dir=tmp_path, clean=clean) for a in args]
    r = run(*argv)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output


def test_unreadable_file_exits_2(clean):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads files regardless of permissions")
    clean.chmod(0)
    assert run("check", clean).exit_code == 2


def test_json_report_matches_schema(dirty):
    import jsonschema

    from ftlint.formats import load_schema

    r = run("check", dirty, "--format", "json")
    report = json.loads(r.output)
    jsonschema.Draft202012Validator(load_schema("report")).validate(report)
    assert report["files"][0]["records"] == 7 and report["files"][0]["format"] == "prompt-completion"
    assert report["summary"]["by_code"] == {"FT101": 1, "FT102": 1}


def test_json_lines(dirty):
    r = run("check", dirty, "--format", "json-lines")
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert [x["line"] for x in rows] == [3, 4]


def test_output_file(dirty, tmp_path):
    out = tmp_path / "report.json"
    r = run("check", dirty, "--format", "json", "-o", out)
    assert r.exit_code == 1 and r.output == ""
    assert json.loads(out.read_text())["summary"]["errors"] == 2


def test_format_from_environment(dirty):
    r = CliRunner().invoke(main, ["check", str(dirty)], env={"FTLINT_FORMAT": "json-lines"})
    assert json.loads(r.output.splitlines()[0])["code"] == "FT101"


def test_quiet_prints_findings_only(dirty):
    r = run("check", dirty, "-q")
    assert "Found" not in r.output and r.output.count("\n") == 2


def test_select_prefix_and_ignore(jsonl):
    path = jsonl(GOOD + [{"prompt": "", "completion": "x"}, b"", b"oops"])
    codes = lambda *a: {json.loads(x)["code"] for x in run("check", path, "--format", "json-lines", *a).output.splitlines()}  # noqa: E731
    assert codes() == {"FT101", "FT105", "FT108"}
    assert codes("--ignore", "FT105") == {"FT101", "FT108"}
    assert codes("--select", "FT105") == {"FT101", "FT105"}  # parse errors stay visible
    assert codes("--select", "FT105", "--ignore", "FT101") == {"FT105"}
    assert codes("--select", "FT1", "--ignore", "FT10", "--extend-select", "FT108") == {"FT108"}


def test_rules_list_and_doc():
    r = run("rules")
    assert r.exit_code == 0 and all(f"FT10{i}" in r.output for i in range(1, 10))
    r = run("rules", "FT202" if False else "FT101")
    assert r.output.startswith("# invalid-json (FT101)") and "## Why it matters" in r.output
    data = json.loads(run("rules", "FT107", "--format", "json").output)
    assert data["code"] == "FT107" and "require-assistant-last" in data["options"]
    assert {x["code"] for x in json.loads(run("rules", "--format", "json").output)} >= {"FT101", "FT109"}
    assert run("rules", "role-order").output.startswith("# role-order (FT107)")


def test_config_file_is_found_and_applied(tmp_path, monkeypatch, dirty):
    monkeypatch.delenv("FTLINT_NO_CONFIG", raising=False)
    (tmp_path / "pyproject.toml").write_text('[tool.ftlint]\nignore = ["FT101"]\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    r = run("check", dirty, "--format", "json-lines")
    assert {json.loads(x)["code"] for x in r.output.splitlines()} == {"FT102"}


@pytest.mark.parametrize("body, needle", [
    ('[tool.ftlint]\nbogus = 1\n', "unknown key 'bogus'"),
    ('[tool.ftlint]\nselect = ["FT9"]\n', "unknown rule or prefix"),
    ('[tool.ftlint.rules.FT107]\nnope = true\n', "has no option 'nope'"),
    ('[tool.ftlint.rules.FT107]\nrequire-assistant-last = "yes"\n', "must be bool"),
    ('[tool.ftlint.rules.FT999]\n', "unknown rule"),
    ('[tool.ftlint]\nfail-on = "fatal"\n', "unknown severity"),
    ('[tool.ftlint\n', "invalid TOML"),
])
def test_broken_config_exits_2_with_message(tmp_path, monkeypatch, clean, body, needle):
    monkeypatch.delenv("FTLINT_NO_CONFIG", raising=False)
    (tmp_path / "pyproject.toml").write_text(body)
    monkeypatch.chdir(tmp_path)
    r = run("check", clean)
    assert r.exit_code == 2 and needle in r.output, r.output


def test_explicit_config_and_ftlint_toml(tmp_path, dirty):
    cfg = tmp_path / "ftlint.toml"
    cfg.write_text('ignore = ["FT102"]\nwarnings = ["FT101"]\n')
    r = run("check", dirty, "--config", cfg, "--format", "json")
    report = json.loads(r.output)
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("FT101", "warning")]
    assert r.exit_code == 0


def test_internal_error_exits_2_without_traceback(monkeypatch, clean):
    import ftlint.engine

    def boom(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(ftlint.engine.Engine, "run", boom)
    r = run("check", clean)
    assert r.exit_code == 2 and "internal error" in r.output and "Traceback" not in r.output


def test_console_script_subprocess(dirty, clean):
    exe = ftlint_executable()
    assert exe, "the ftlint console script is not installed next to this interpreter"
    p = subprocess.run([exe, "check", str(dirty)], capture_output=True, text=True)
    assert p.returncode == 1 and "FT101" in p.stdout
    p = subprocess.run([exe, "check", str(clean), "--select", "FT1"], capture_output=True, text=True)
    assert p.returncode == 0
    p = subprocess.run([exe, "check", str(clean.parent / "nope.jsonl")], capture_output=True, text=True)
    assert p.returncode == 2 and "no such file" in p.stderr and "Traceback" not in p.stderr


def test_sample_data_readme_command():
    """README command 1 runs on sample_data: the dirty set fails, the clean set passes."""
    clean = run("check", SAMPLES / "support_tickets.jsonl")
    assert clean.exit_code == 0, clean.output
    dirty = run("check", SAMPLES / "support_tickets_dirty.jsonl")
    assert dirty.exit_code == 1
    for code in ("FT101", "FT102", "FT103", "FT104", "FT105", "FT106", "FT108", "FT109"):
        assert code in dirty.output, code


def test_python_dash_m(clean):
    import sys

    p = subprocess.run([sys.executable, "-m", "ftlint", "check", str(clean), "--select", "FT1"],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0


def test_record_count_counts_each_line_once(jsonl):
    """A line with a finding and a record (NUL, duplicate key) is one record; blank lines are none."""
    rows = GOOD[:2] + [b'{"prompt": "a\\u0000", "completion": "b"}', b'{"prompt": "a", "prompt": "b", "completion": "c"}', b"", b"oops"]
    report = json.loads(run("check", jsonl(rows), "--format", "json").output)
    assert report["files"][0]["records"] == 5


def test_invalid_record_is_judged_against_the_file_format(jsonl):
    rows = [{"input": t, "output": "billing"} for t in ("charged twice", "refund please", "fee on my card", "wrong invoice")]
    rows.append({"input": "x", "ouput": "billing"})
    rep = json.loads(run("check", jsonl(rows), "--format", "json").output)
    (f,) = rep["findings"]
    assert f["code"] == "FT103" and "'ouput'" in f["message"] and f["line"] == 5


def test_output_to_a_device_writes_through_it(dirty, tmp_path):
    """-o /dev/null must not replace the device node with a regular file (atomic rename)."""
    import os
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    r = run("check", dirty, "--format", "json", "-o", fifo)
    reader.join(10)
    assert r.exit_code == 1 and b'"FT101"' in got[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    run("check", dirty, "-o", os.devnull)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_rules_prefix_lists_the_family():
    r = run("rules", "FT2")
    assert r.exit_code == 0, r.output
    codes = [line.split()[0] for line in r.output.splitlines() if line.startswith("FT")]
    assert codes == sorted(c for c in REGISTRY if c.startswith("FT2"))
    assert "rules starting with FT2" in r.output
    as_json = json.loads(run("rules", "ft20", "--format", "json").output)
    assert [x["code"] for x in as_json] == sorted(c for c in REGISTRY if c.startswith("FT20"))


@pytest.mark.parametrize("args, hint", [
    (["rules", "FT2O2"], "'FT202'"),  # among the closest codes
    (["rules", "near-duplicat"], "did you mean 'near-duplicate'"),
    (["check", "{clean}", "--select", "FT2O"], "did you mean 'FT2'"),
    (["check", "{clean}", "--target", "nova-lte"], "did you mean 'nova-lite'"),
    (["check", "{clean}", "-O", "FT202.treshold=0.9"], "did you mean 'threshold'"),
    (["targets", "claude-3-haiku-x"], "did you mean 'claude-3-haiku'"),
])
def test_unknown_names_get_a_did_you_mean(clean, args, hint):
    r = run(*[str(clean) if a == "{clean}" else a for a in args])
    assert r.exit_code == 2 and hint in r.output, r.output


def test_unknown_config_key_gets_a_did_you_mean(tmp_path, clean):
    cfg = tmp_path / "ftlint.toml"
    cfg.write_text('slect = ["FT1"]\n')
    r = run("check", clean, "--config", cfg)
    assert r.exit_code == 2 and "unknown key 'slect' (did you mean 'select'?)" in r.output


@pytest.mark.parametrize("name", ["ftlint.toml", ".ftlint.toml", "pyproject.toml"])
def test_tool_ftlint_table_works_in_every_config_file(tmp_path, monkeypatch, name, clean):
    """The README's snippets start with [tool.ftlint]: pasted into ftlint.toml they work too."""
    (tmp_path / name).write_text('[tool.ftlint]\nselect = ["FT1"]\nfail-on = "info"\n\n'
                                 '[tool.ftlint.rules.FT110]\nseverity = "warning"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FTLINT_NO_CONFIG", raising=False)
    padded = write_jsonl(tmp_path / "p.jsonl", GOOD + [{"prompt": " padded", "completion": "x"}])
    r = run("check", padded, "--no-cache", "--format", "json")
    assert r.exit_code == 1, r.output  # fail-on info, FT110 demoted to a warning: read from the file
    doc = json.loads(r.output)
    assert {f["code"] for f in doc["findings"]} == {"FT110"} and doc["findings"][0]["severity"] == "warning"
    assert run("check", padded, "--config", tmp_path / name, "--no-cache").exit_code == 1


@pytest.mark.parametrize("text, message", [
    ('select = ["FT1"]\n[tool.ftlint]\nignore = ["FT108"]\n', "keys both at the top level (select) and under [tool.ftlint]"),
    ('[tool.ruff]\nline-length = 100\n', "unknown key 'tool' (tool.ruff is not ftlint's)"),
])
def test_ftlint_toml_tool_table_mistakes(tmp_path, clean, text, message):
    cfg = tmp_path / "ftlint.toml"
    cfg.write_text(text)
    r = run("check", clean, "--config", cfg)
    assert r.exit_code == 2 and message in r.output, r.output
