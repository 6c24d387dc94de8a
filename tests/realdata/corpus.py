"""The real-data corpus: where its files are, and the finding counts ftlint gives on them today.

Shared by tests/test_realdata.py (compares with expected.json) and `python -m tests.realdata.pin`
(shows and rewrites expected.json). A count is keyed run -> code -> severity, where a run is one
file alone (``train.jsonl``) or a pair (``train.jsonl+validation.jsonl``)."""
from __future__ import annotations

import json
import os
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
COMMITTED = HERE / "data"
EXPECTED = HERE / "expected.json"
WHERE_TO_PUT = ("$FTLINT_REALDATA, <repo>/../shared/realdata or /work/realdata "
                "(one folder per dataset, laid out as tests/realdata/SOURCES.md says)")

Counts = dict[str, dict[str, dict[str, int]]]  # run -> code -> severity -> count


@dataclass(frozen=True)
class Dataset:
    name: str
    where: str
    dir: str
    files: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()
    options: dict = field(default_factory=dict)

    def root(self) -> Path | None:
        """The folder that holds every file of this dataset, or None when it is absent."""
        for base in roots(self.where):
            folder = base / self.dir
            if all((folder / f).is_file() for f in self.files):
                return folder
        return None

    def runs(self) -> list[tuple[str, str, str | None]]:
        """(run key, train file, validation file or None), in a fixed order."""
        alone = [(f, f, None) for f in self.files]
        return alone + [(f"{t}+{v}", t, v) for t, v in self.pairs]


def roots(where: str) -> list[Path]:
    if where == "committed":
        return [COMMITTED]
    found = []
    if os.environ.get("FTLINT_REALDATA"):
        found.append(Path(os.environ["FTLINT_REALDATA"]))
    found += [REPO.parent / "shared" / "realdata", Path("/work/realdata")]
    return found


def datasets() -> list[Dataset]:
    with open(HERE / "datasets.toml", "rb") as f:
        table = tomllib.load(f)
    return [Dataset(d["name"], d["where"], d["dir"], tuple(d["files"]),
                    tuple(tuple(p) for p in d.get("pairs", ())), dict(d.get("options", {})))
            for d in table["dataset"]]


def count(dataset: Dataset, root: Path) -> Counts:
    """Today's findings per run, code and severity."""
    import ftlint

    counts: Counts = {}
    for key, train, validation in dataset.runs():
        report = ftlint.check(str(root / train), validation=str(root / validation) if validation else None,
                              **dataset.options)
        tally = Counter((f.code, f.severity.value) for f in report.findings)
        run: dict[str, dict[str, int]] = {}
        for (code, severity), n in sorted(tally.items()):
            run.setdefault(code, {})[severity] = n
        counts[key] = run
    return counts


def expected() -> dict[str, Counts]:
    if not EXPECTED.exists():
        return {}
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def write_expected(pins: dict[str, Counts]) -> None:
    # one line per code, so that a rule change reads as a short diff
    lines = ["{"]
    for i, name in enumerate(sorted(pins)):
        lines.append(f"  {json.dumps(name)}: {{")
        runs = pins[name]
        for j, run in enumerate(sorted(runs)):
            lines.append(f"    {json.dumps(run)}: {{")
            codes = runs[run]
            for k, code in enumerate(sorted(codes)):
                comma = "," if k < len(codes) - 1 else ""
                lines.append(f"      {json.dumps(code)}: {json.dumps(codes[code], sort_keys=True)}{comma}")
            lines.append("    }" + ("," if j < len(runs) - 1 else ""))
        lines.append("  }" + ("," if i < len(pins) - 1 else ""))
    lines.append("}")
    text = "\n".join(lines) + "\n"
    tmp = EXPECTED.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(EXPECTED)


def differences(pinned: Counts, today: Counts, unchanged: bool = False) -> list[tuple[str, str, str, int, int]]:
    """(run, code, severity, pinned, today) for every count that changed (every count, with ``unchanged``)."""
    out = []
    for run in sorted(set(pinned) | set(today)):
        p, t = pinned.get(run, {}), today.get(run, {})
        for code in sorted(set(p) | set(t)):
            for severity in ("error", "warning", "info"):
                a, b = p.get(code, {}).get(severity, 0), t.get(code, {}).get(severity, 0)
                if a != b or (unchanged and a):
                    out.append((run, code, severity, a, b))
    return out
