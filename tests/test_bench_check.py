"""benchmarks/bench_check.py and its workload (benchmarks/workload.py): the workload is seeded and
valid for ftlint (only the flaws it plants are found), the import-time parser attributes a
package's cost to its outermost import, and a tiny end-to-end run measures real processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import ftlint

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_check  # noqa: E402
import spy_summary  # noqa: E402
import workload  # noqa: E402

# what the workload plants (module doc of workload.py); anything else is a bug in the generator
# (FT401: the 4% long-context prompts are length outliers by design)
PLANTED = {"FT105", "FT110", "FT201", "FT202", "FT203", "FT401", "FT405", "FT501", "FT701"}


@pytest.mark.parametrize("fmt", workload.FORMATS)
def test_workload_is_seeded_and_only_planted_flaws_are_found(tmp_path, fmt):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    workload.write(str(a), 2000, fmt)
    workload.write(str(b), 2000, fmt)
    assert a.read_bytes() == b.read_bytes()
    workload.write(str(b), 2000, fmt, seed=2)
    assert a.read_bytes() != b.read_bytes()
    report = ftlint.check(str(a))
    codes = {f.code for f in report.findings}
    assert codes <= PLANTED, codes - PLANTED
    assert {"FT201", "FT202"} <= codes  # the planted copies are there to be found
    assert report.files[0].format == fmt


def test_cached_reuses_the_file(tmp_path):
    path = workload.cached(str(tmp_path), 50)
    stamp = (tmp_path / path.rsplit("/", 1)[1]).stat().st_mtime_ns
    assert workload.cached(str(tmp_path), 50) == path
    assert (tmp_path / path.rsplit("/", 1)[1]).stat().st_mtime_ns == stamp
    assert len(open(path, "rb").read().splitlines()) == 50


IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       100 |        100 |     scipy._lib
import time:       400 |        500 |   scipy
import time:        50 |         50 |     numpy.core
import time:       200 |        250 |   numpy
import time:      1000 |       1750 | sklearn
import time:        70 |         70 | scipy.stats
import time:        30 |         30 | ftlint
"""


def test_import_costs_count_a_package_at_its_outermost_imports(monkeypatch):
    class Done:
        stderr = IMPORTTIME

    monkeypatch.setattr(bench_check.subprocess, "run", lambda *a, **k: Done())
    got = bench_check.import_costs("ftlint", "x.jsonl", ".", {})
    ms = got["by_package_ms"]
    # sklearn's line holds its whole subtree; scipy counts its nested import and its later one
    assert ms["sklearn"] == 1.75 and ms["scipy"] == pytest.approx(0.57) and ms["numpy"] == 0.25
    assert got["total_ms"] == pytest.approx(1.85)
    assert {"sklearn", "scipy", "numpy"} <= set(got["heavy"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_tiny_run_measures_processes(tmp_path):
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_check.py"), "--records", "300",
                        "--only", "floor", "check", "--tmp", str(tmp_path), "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "| 300 | check |" in r.stdout and "cores" in r.stdout
    rows = {row["work"]: row for row in json.loads(out.read_text())["summary"]}
    assert set(rows) == {"floor", "check"}
    for row in rows.values():
        assert row["cpu_min"] > 0 and row["wall_min"] > 0 and row["peak_pss_mb"] > 0 and row["maxrss_mb"] > 0
    assert rows["check"]["rc"][0] in (0, 1)  # 1 when a planted error (an empty answer) is among them
    assert rows["check"]["cpu_median"] > rows["floor"]["cpu_median"]


def test_version_names_the_ftlint_the_executable_imports(tmp_path, monkeypatch):
    # a checkout in the current directory must not be mistaken for the measured installation
    (tmp_path / "ftlint").mkdir()
    (tmp_path / "ftlint" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    got = bench_check.ftlint_version(str(Path(sys.executable).with_name("ftlint")))
    assert str(Path(ftlint.__file__).resolve().parent.parent) in got and str(tmp_path) not in got


def test_profile_check_times_every_piece_of_a_split(tmp_path):
    # profile_check wraps ftlint's functions by name: a renamed one must fail here, not in a long run
    path = workload.cached(str(tmp_path), 300)
    out = tmp_path / "profile.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "profile_check.py"), path, "--command", "split",
                        "--no-warm-imports", "--json", str(out)], capture_output=True, text=True, timeout=300,
                       cwd=tmp_path, env={**os.environ, "FTLINT_THREADS": "1"})
    assert r.returncode == 0, r.stderr
    stats = json.loads(out.read_text())["stats"]
    for key in ("rule FT201", "rule FT202", "rule FT401", "rule FT501", "rule FT701", "artifact tfidf",
                "stage: read + parse (reader.read_batches)", "split: write outputs + manifest"):
        assert stats[key]["calls"] >= 1, key
    total = stats["command: ftlint split"]["cpu"]
    assert 0 < sum(s["cpu_self"] for k, s in stats.items() if not k.startswith("imports")) <= total * 1.01 + 0.01
    assert "| rule FT201 |" in r.stdout


SPY = """\
process 10:"ftlint check";main (cli.py:1);run (engine.py:5);shingle (site-packages/x/minhash.py:9) 30
process 10:"ftlint check";main (cli.py:1);run (engine.py:5) 10
process 11:"ftlint check";main (cli.py:1);rec (a.py:2);rec (a.py:2) 20
garbage line
"""


def test_spy_summary_counts_self_and_inclusive_samples():
    total, procs, own, incl = spy_summary.summarize(SPY.splitlines())
    assert total == 60 and procs == {"process 10": 40, "process 11": 20}
    assert own["x/minhash.py:shingle"] == 30 and own["engine.py:run"] == 10 and own["a.py:rec"] == 20
    assert incl["cli.py:main"] == 60 and incl["engine.py:run"] == 40 and incl["a.py:rec"] == 20  # once per stack
    assert spy_summary.summarize(SPY.splitlines(), under="engine.py")[0] == 40
