from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = ROOT / "sample_data"

# small clean prompt-completion records for CLI and report tests: distinct texts, so that no
# rule (FT202's character 3-grams included) finds anything in them
GOOD_ROWS = [
    {"prompt": "How do I export a report to CSV?", "completion": "Open the report, choose Export and pick CSV."},
    {"prompt": "Can I invite a guest to a private board?", "completion": "Yes, guests can view the boards you share with them."},
    {"prompt": "Why did the calendar sync stop after the update?", "completion": "Reconnect the calendar under Settings, Integrations."},
    {"prompt": "Is there a dark mode in the mobile app?", "completion": "Not yet; we have passed the idea to the product team."},
    {"prompt": "How can I change the language of the interface?", "completion": "Pick another language under Profile, Preferences."},
    {"prompt": "What does the Pro plan cost per seat?", "completion": "Twelve dollars per seat and month, billed yearly."},
]

# tests never pick up a developer's own ftlint.toml above the checkout
os.environ["FTLINT_NO_CONFIG"] = "1"
# ... and never write a result cache into the checkout (tests that exercise it set their own)
os.environ["FTLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="ftlint-test-cache-")


def write_jsonl(path: Path, rows) -> Path:
    with open(path, "wb") as fh:
        for row in rows:
            fh.write((row if isinstance(row, bytes) else json.dumps(row).encode()) + b"\n")
    return path


def ftlint_executable() -> str:
    """The console script installed next to this interpreter (the real entry point)."""
    exe = Path(sys.executable).with_name("ftlint")
    return str(exe) if exe.exists() else (shutil.which("ftlint") or "")


@pytest.fixture
def jsonl(tmp_path):
    def make(rows, name="data.jsonl"):
        return write_jsonl(tmp_path / name, rows)

    return make


@pytest.fixture(scope="session")
def spark():
    """One SparkSession for every Spark test: local[2], few shuffle partitions, no UI, and files
    cut into partitions of 16 KB so that even a small file spans several (the line numbering
    across partitions is what the equality tests exercise). Skipped without pyspark or Java,
    except under CI (the CI environment installs both: .ci/run)."""
    reason = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed (pip install 'ftlint[spark]')"
    if reason is None and not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        reason = "no Java runtime (apt-get install openjdk-17-jre-headless)"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but " + reason)
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers need ftlint's interpreter
    session = (SparkSession.builder.master("local[2]").appName("ftlint-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4").config("spark.default.parallelism", "4")
               .config("spark.sql.files.maxPartitionBytes", "16384").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
