"""benchmarks/bench_check.py and its workload (benchmarks/workload.py): the workload is seeded and
valid for ftlint (only the flaws it plants are found), the import-time parser attributes a
package's cost to its outermost import, and a tiny end-to-end run measures real processes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

import ftlint

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_check  # noqa: E402
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
