"""benchmarks/make_samples.py: --help prints usage and writes nothing; the script regenerates
sample_data/ byte for byte (what the README promises), into a folder of our choosing."""
from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys

from conftest import ROOT, SAMPLES

SCRIPT = ROOT / "benchmarks" / "make_samples.py"


def _copy_scripts(tmp_path):
    """The generator in a scratch checkout, so that a run that ignores its arguments writes only there."""
    bench = tmp_path / "benchmarks"
    bench.mkdir()
    for name in ("make_samples.py", "make_content_samples.py"):
        shutil.copy(ROOT / "benchmarks" / name, bench / name)
    (tmp_path / "sample_data").mkdir()
    return bench / "make_samples.py"


def test_help_prints_usage_and_writes_nothing(tmp_path):
    script = _copy_scripts(tmp_path)
    r = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: make_samples.py") and "--out DIR" in r.stdout
    assert list((tmp_path / "sample_data").iterdir()) == []


def test_bad_option_is_exit_2_and_writes_nothing(tmp_path):
    script = _copy_scripts(tmp_path)
    r = subprocess.run([sys.executable, str(script), "--bogus"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "unrecognized arguments: --bogus" in r.stderr
    assert list((tmp_path / "sample_data").iterdir()) == []


def test_regenerates_sample_data_byte_for_byte(tmp_path):
    out = tmp_path / "samples"
    r = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    written = sorted(p.name for p in out.iterdir())
    assert "README.md" in written and "support_tickets_dirty.jsonl" in written
    # the files it writes are sample_data's, byte for byte (benchmarks/make_bedrock_samples.py
    # writes the Bedrock-job files; the README lists both)
    match, mismatch, errors = filecmp.cmpfiles(SAMPLES, out, written, shallow=False)
    assert mismatch == [] and errors == [], mismatch + errors
