"""FT702's credential detector against detect-secrets (Yelp), on the same texts.

Three measures (detect-secrets with every default plugin and filter, `default_settings()`;
each record's text fields as FT702 sees them, joined by newlines; detect-secrets scans each
record's lines as it scans a file's):

    pip install detect-secrets faker   # benchmark-only
    python benchmarks/compare_detect_secrets.py corpus [--show]   # the real-data corpus
    python benchmarks/compare_detect_secrets.py planted --records 20000
    python benchmarks/compare_detect_secrets.py speed --records 200000 [--engine ftlint|detect-secrets]

- ``corpus``: every dataset of tests/realdata (external ones where present): records flagged by
  each, by kind / plugin; ``--show`` prints each finding (value masked) with its context, to
  judge by eye. IPPublicDetector is counted apart: an IP address is FT701's, not a credential.
- ``planted``: benchmarks/bench_privacy.py's corpus (support text full of ordinary numbers, 30%
  of records with one planted value) plus placeholder and example keys that must not be
  reported; record-level recall and precision of each on planted credentials.
- ``speed``: CPU seconds (time.process_time) to scan the same records, and records per CPU second.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from ftlint.formats.detect import candidates  # noqa: E402
from ftlint.formats.normalize import normalize  # noqa: E402
from ftlint.privacy import mask  # noqa: E402
from ftlint.privacy.fields import checked_fields  # noqa: E402
from ftlint.privacy.match import TextBatch  # noqa: E402
from ftlint.privacy.secrets import find_secrets_batch  # noqa: E402

NOT_SECRETS = {"Public IP (ipv4)", "Public IP (ipv6)"}


def record_texts(path: Path) -> list[str]:
    """Each record's checked text fields joined by newlines (what FT702 scans)."""
    texts = []
    for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        fmts = candidates(obj) if isinstance(obj, dict) else ()
        if not fmts:
            continue
        example = normalize(fmts[0], obj, i)
        texts.append("\n".join(t for _, t in checked_fields(example, frozenset())))
    return texts


def ours(texts: list[str]) -> list[list]:
    out = []
    for i in range(0, len(texts), 2048):
        out.extend(find_secrets_batch(TextBatch(texts[i:i + 2048])))
    return out


def detect_secrets(texts: list[str]) -> list[list[tuple[str, str, str]]]:
    """Per text: (plugin type, value, the line) of each detect-secrets finding. Each record is
    scanned as a file of its own lines would be (scan_file's code path, with its line filters,
    without eager search), not as one file of all records: detect-secrets keeps one finding per
    value and type in a file, and for some plugins the value is only the prefix ("ghp",
    "BEGIN RSA PRIVATE KEY"), so one file would hide all but the first record's key."""
    from detect_secrets.core.scan import _process_line_based_plugins
    from detect_secrets.settings import default_settings

    out: list[list[tuple[str, str, str]]] = []
    with default_settings():
        for t in texts:
            lines = t.split("\n")
            out.append([(s.type, s.secret_value or "", lines[s.line_number - 1])
                        for s in _process_line_based_plugins(list(enumerate(lines, 1)), filename="record.txt")])
    return out


def corpus(a) -> None:
    from tests.realdata import corpus as rd

    rows = []
    for ds in rd.datasets():
        root = ds.root()
        if root is None:
            print(f"{ds.name}: absent")
            continue
        for name in ds.files:
            texts = record_texts(root / name)
            mine, theirs = ours(texts), detect_secrets(texts)
            kinds = Counter(m.detail for ms in mine for m in ms)
            plugins = Counter(t for fs in theirs for t, _, _ in fs)
            secret_recs = sum(1 for fs in theirs if any(t not in NOT_SECRETS for t, _, _ in fs))
            ip_recs = sum(1 for fs in theirs if any(t in NOT_SECRETS for t, _, _ in fs))
            rows.append((f"{ds.name}/{name}", len(texts), sum(1 for ms in mine if ms), secret_recs, ip_recs))
            print(f"{ds.name}/{name}: {len(texts)} records; ftlint FT702 {rows[-1][2]} records {dict(kinds)}; "
                  f"detect-secrets {secret_recs} records (+{ip_recs} with a public IP) {dict(plugins)}")
            if a.show:
                for k, (ms, fs) in enumerate(zip(mine, theirs, strict=True)):
                    for m in ms:
                        print(f"   ftlint  rec {k + 1:5} {m.detail:22} {mask(m.value)}  "
                              f"{_context(texts[k], m.value)}")
                    for t, v, ln in fs:
                        print(f"   d-s     rec {k + 1:5} {t:22} {mask(v)}  {_context(ln, v)}")
    print(f"\n{'dataset/file':48} {'records':>8} {'ftlint':>7} {'d-s':>7} {'d-s IP':>7}")
    for r in rows:
        print(f"{r[0]:48} {r[1]:>8} {r[2]:>7} {r[3]:>7} {r[4]:>7}")
    print(f"{'total':48} {sum(r[1] for r in rows):>8} {sum(r[2] for r in rows):>7} {sum(r[3] for r in rows):>7} "
          f"{sum(r[4] for r in rows):>7}")


def _context(text: str, value: str) -> str:
    i = text.find(value) if value else -1
    if i < 0:
        return repr(text[:90])
    return repr(text[max(0, i - 50):i] + "[" + mask(value) + "]" + text[i + len(value):i + len(value) + 30])


PLACEHOLDERS = [
    "The AWS docs use AKIAIOSFODNN7EXAMPLE with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.",
    "Run export OPENAI_API_KEY=sk-your-key-here first.",
    'Set api_key = "your-api-key-here" in settings.py.',
    "Paste ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx into the token field.",
    "jwt.io shows eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0Ijox"
    "NTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c as its example.",
    "token = request.headers.get('Authorization')",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
]


def planted(a) -> None:
    import bench_privacy

    c = bench_privacy.Corpus(a.seed)
    texts, truth = [], []
    for i in range(a.records):
        rec, t = c.record(0.3)
        text = rec["prompt"] + "\n" + rec["completion"]
        if i % 50 == 7:
            text += "\n" + PLACEHOLDERS[(i // 50) % len(PLACEHOLDERS)]
        texts.append(text)
        truth.append(any(k == "secret" for k, _ in t))
    want = {i for i, t in enumerate(truth) if t}
    t0 = time.process_time()
    mine = {i for i, ms in enumerate(ours(texts)) if ms}
    t1 = time.process_time()
    found = detect_secrets(texts)
    t2 = time.process_time()
    theirs = {i for i, fs in enumerate(found) if any(t not in NOT_SECRETS for t, _, _ in fs)}
    print(f"{a.records:,} records, {len(want)} with a planted credential, {a.records // 50} with a placeholder "
          "or example key")
    for name, got, secs in (("ftlint FT702", mine, t1 - t0), ("detect-secrets 1.5", theirs, t2 - t1)):
        tp = len(got & want)
        print(f"{name:20} flagged {len(got):6}  recall {tp / max(1, len(want)):.3f}  precision "
              f"{tp / max(1, len(got)):.3f}  ({a.records / secs:,.0f} records per CPU second)")
    plugins = Counter(t for i, fs in enumerate(found) if i not in want for t, _, _ in fs if t not in NOT_SECRETS)
    print(f"detect-secrets' false alarms by plugin: {dict(plugins.most_common())}")
    print(f"missed: detect-secrets {len(want - theirs)}, ftlint {len(want - mine)}")


def speed(a) -> None:
    import bench_privacy

    c = bench_privacy.Corpus(a.seed)
    texts = []
    for _ in range(a.records):
        rec, _ = c.record(0.3)
        texts.append(rec["prompt"] + "\n" + rec["completion"])
    print(f"{a.records:,} records of bench_privacy's corpus (30% with a planted value), load {os.getloadavg()[0]:.2f}")
    for name, fn in (("ftlint FT702 (find_secrets_batch)", ours), ("detect-secrets 1.5", detect_secrets)):
        if a.engine not in ("both", name.split()[0]):
            continue
        t0 = time.process_time()
        fn(texts)
        secs = time.process_time() - t0
        print(f"{name:36} {secs:8.2f} CPU s  {a.records / secs:10,.0f} records per CPU second")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("corpus", "planted", "speed"))
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", action="store_true", help="corpus: print every finding (masked) with its context")
    ap.add_argument("--engine", default="both", choices=("both", "ftlint", "detect-secrets"))
    a = ap.parse_args()
    {"corpus": corpus, "planted": planted, "speed": speed}[a.what](a)


if __name__ == "__main__":
    main()
