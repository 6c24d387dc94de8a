"""Accuracy and cost of the privacy rules (FT701 pii, FT702 secret).

A corpus of support-desk text full of ordinary numbers (order and invoice ids, dates in several
styles, times, versions, amounts, percentages, tracking and reference numbers, UUIDs, commit
hashes) into which fake identities made with Faker (and fake credentials in each provider's
format) are planted. Prints recall and precision per type, then the time FT7 adds to a default
`ftlint check` (all default rules, no target, `--no-cache`, JSON report to /dev/null; with vs.
`--ignore FT7`; wall and CPU time of interleaved runs, min and median) of 100k records of
three files: benchmarks/synth.py prompt-completion text, and this corpus with 30% planted values
and with none. The issue's target is at most +25% wall time on each. Optionally the same accuracy and speed
for detect-secrets (`--detect-secrets`).

    pip install faker detect-secrets   # benchmark-only
    python benchmarks/bench_privacy.py --records 20000 --time-records 100000 [--detect-secrets 2000]

Ground truth for phone numbers: Faker writes many numbers that cannot exist (US area code 537);
only numbers valid for their locale's region count as planted phone numbers (the share dropped
is printed). Every other planted value is valid by construction (Faker's Luhn, IBAN, SSN and
national-id generators).
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import secrets as pysecrets
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

from faker import Faker

from ftlint.privacy import find_pii, find_secrets
from ftlint.privacy.match import TextBatch
from ftlint.privacy.pii import find_pii_batch
from ftlint.privacy.secrets import find_secrets_batch

PHONE_LOCALES = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES", "it_IT": "IT",
                 "en_IN": "IN", "pt_BR": "BR", "en_AU": "AU"}
MONTHS = "January February March April May June July August September October November December".split()
PRODUCTS = ("Larkspur Pro", "the mobile app", "the Gantt view", "the API", "the desktop client", "Slack sync")


class Corpus:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        Faker.seed(seed)
        self.fakers = {loc: Faker(loc) for loc in (*PHONE_LOCALES, "nl_NL")}
        self.fake = self.fakers["en_US"]
        self.phone_kept = Counter()

    # ---- ordinary text with numbers that must not fire
    def ordinary(self) -> str:
        r = self.rng
        y, mo, d = r.randint(2019, 2026), r.randint(1, 12), r.randint(1, 28)
        h, mi = r.randint(0, 23), r.randint(0, 59)
        pieces = [
            f"Order #{r.randint(10000, 9999999)} was placed on {y}-{mo:02d}-{d:02d}.",
            f"Invoice INV-{y}-{r.randint(1, 99999):05d} totals ${r.randint(1, 99999):,}.{r.randint(0, 99):02d}.",
            f"My order number is {r.randint(10**7, 10**10 - 1)} and it has not arrived.",
            f"The charge of €{r.randint(5, 5000)},{r.randint(0, 99):02d} on {d:02d}/{mo:02d}/{y} is wrong.",
            f"It happened at {h:02d}:{mi:02d} and again at {h:02d}:{mi:02d}:{r.randint(0, 59):02d} on {d}.{mo}.{y}.",
            f"We are on version {r.randint(1, 12)}.{r.randint(0, 30)}.{r.randint(0, 99)} of {r.choice(PRODUCTS)}.",
            f"Windows build 10.0.{r.randint(17000, 26000)}.{r.randint(100, 4000)} shows the error.",
            f"Tracking 1Z{''.join(r.choices(string.ascii_uppercase + string.digits, k=16))} says delivered.",
            f"Ticket {y}{mo:02d}{d:02d}{r.randint(100, 999)} is still open after {r.randint(2, 90)} days.",
            f"We have {r.randint(2, 5000)} seats at {r.randint(5, 95)}% utilisation, {r.randint(1, 999)} GB used.",
            f"Reference {r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(100, 999)} on the receipt.",
            f"SKU {r.randint(10000, 99999)}-{r.randint(10, 99)} costs {r.randint(1, 999)}.{r.randint(0, 99):02d} USD.",
            f"Run id {self.fake.uuid4()} failed at step {r.randint(1, 40)}.",
            f"Commit {pysecrets.token_hex(20)} broke the export.",
            f"The meeting is on {MONTHS[mo - 1]} {d}, {y} at {h % 12 + 1}:{mi:02d} pm.",
            f"Our total for Q{r.randint(1, 4)} was 1 234 {r.randint(100, 999)},{r.randint(10, 99)} EUR.",
            f"Quote {r.randint(1000000, 9999999)}.{r.randint(10, 99)} covers {r.randint(2, 50)} licences.",
            f"Postcode {r.randint(10000, 99999)}, building {r.randint(1, 300)}, floor {r.randint(1, 40)}.",
            "The password reset token expired before I could use it.",
            "Where do I find the API key settings page? The secret field is greyed out.",
            # placeholders and documented example keys: not credentials
            r.choice(("Run export OPENAI_API_KEY=sk-your-key-here first.", 'Set api_key = "your-api-key-here".',
                      "The docs use AKIAIOSFODNN7EXAMPLE.", "token = request.headers.get('Authorization')")),
            f"Set the timeout to {r.randint(1, 600)} seconds and retry {r.randint(1, 9)} times.",
            # worked arithmetic as math datasets write it (GSM8K: "100 - 50 - 30 - 15 = $5",
            # "<<450000-2000=448000>>"), number lists and scores
            self._arithmetic(),
            f"The first terms are {', '.join(str(r.randint(1, 999)) for _ in range(6))} and "
            f"{' '.join(str(r.randint(1, 99)) for _ in range(5))}.",
        ]
        return " ".join(r.sample(pieces, r.randint(2, 4)))

    def _arithmetic(self) -> str:
        r = self.rng
        a = r.randint(100, 999_999)
        terms = [r.randint(10, a // 2) for _ in range(r.randint(1, 4))]
        rest = a - sum(terms)
        shown = " - ".join(map(str, [a, *terms]))
        packed = "-".join(map(str, [a, *terms]))
        b, c = r.randint(100, 9999), r.randint(2, 99)
        return r.choice((f"That leaves {shown} = <<{packed}={rest}>>{rest} marbles.",
                         f"So he has {packed}=${rest} left.", f"She pays {b}*{c}=<<{b}*{c}={b * c}>>{b * c}.",
                         f"The profit is {a:,}-{terms[0]:,}=${a - terms[0]:,}."))

    # ---- planted values: (type, detail, value, sentence)
    def planted(self) -> tuple[str, str, str]:
        r = self.rng
        kind = r.choice(("email", "phone", "card", "ssn", "iban", "national-id", "ip", "secret"))
        value, sentence = getattr(self, "_" + kind.replace("-", "_"))()
        return kind, value, sentence.replace("{}", value)

    def _email(self):
        f = self.fake
        v = r_choice(self.rng, (f.email, f.free_email, f.company_email, f.safe_email))()
        return v, self.rng.choice(("Write to me at {}.", "My e-mail is {} if you need it.", "cc {} please"))

    def _phone(self):
        import phonenumbers

        while True:
            loc = self.rng.choice(list(PHONE_LOCALES))
            v = self.fakers[loc].phone_number()
            self.phone_kept["generated"] += 1
            try:
                ok = phonenumbers.is_valid_number(phonenumbers.parse(v.split("x")[0], PHONE_LOCALES[loc]))
            except phonenumbers.NumberParseException:
                ok = False
            if ok:
                self.phone_kept["kept"] += 1
                # the last two give the number no word that introduces it: it counts only if
                # written with the region's grouping (phonenumbers' STRICT_GROUPING)
                return v, self.rng.choice(("Call me on {} tomorrow.", "My number is {}.", "reach me at {} after 5",
                                           "Phone: {}", "Jordan Miles, {}, 12 Main Street", "{}"))

    def _card(self):
        while True:
            v = self.fake.credit_card_number(self.rng.choice(
                ("visa16", "visa13", "visa19", "mastercard", "amex", "discover", "jcb16", "diners", "maestro")))
            if 13 <= len(v) <= 19:
                break
        style = self.rng.random()
        if style < 0.4:
            v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        elif style < 0.6:
            v = "-".join(v[i:i + 4] for i in range(0, len(v), 4))
        return v, self.rng.choice(("Charge card {} instead.", "my card number is {} exp 09/27", "Card: {}"))

    def _ssn(self):
        v = self.fake.ssn()
        if self.rng.random() < 0.2:
            return v.replace("-", ""), "My SSN is {} for the tax form."
        return v, self.rng.choice(("SSN {} on file.", "the social security number {} is mine", "{}"))

    def _iban(self):
        loc = self.rng.choice(("de_DE", "fr_FR", "en_GB", "es_ES", "it_IT", "nl_NL"))
        v = self.fakers[loc].iban()
        if self.rng.random() < 0.5:
            v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        return v, self.rng.choice(("Refund to IBAN {} please.", "Account: {}.", "pay into {} by Friday"))

    def _national_id(self):
        r = self.rng.random()
        if r < 0.25:
            v = self.fakers["it_IT"].ssn()
        elif r < 0.5:
            v = self.fakers["es_ES"].nif() if self.rng.random() < 0.5 else self.fakers["es_ES"].nie()
        elif r < 0.75:
            v = self.fakers["pt_BR"].cpf()
        else:
            v = self.fakers["fr_FR"].ssn()
        return v, self.rng.choice(("My ID number is {}.", "documento {} adjunto", "ID: {}"))

    def _ip(self):
        v = self.fake.ipv4_public() if self.rng.random() < 0.7 else self.fake.ipv6()
        return v, self.rng.choice(("Requests from {} are blocked.", "our server is {}", "IP {} gets a 403"))

    def _secret(self):
        r = self.rng
        b32 = string.ascii_uppercase + "234567"
        alnum = string.ascii_letters + string.digits
        kind = r.choice(("aws-id", "aws-secret", "private-key", "github", "gitlab", "slack", "jwt", "password",
                         "api-key", "bearer", "openai", "anthropic", "google", "github-fine-grained", "stripe"))
        if kind == "openai":
            v = "sk-proj-" + "".join(r.choices(alnum + "-_", k=74)) + "T3BlbkFJ" + "".join(r.choices(alnum + "-_", k=74))
            return v, r.choice(("export OPENAI_API_KEY={}", "client = OpenAI(api_key=\"{}\")"))
        if kind == "anthropic":
            return "sk-ant-api03-" + "".join(r.choices(alnum + "-_", k=93)) + "AA", "x-api-key: {}"
        if kind == "google":
            return "AIza" + "".join(r.choices(alnum + "-_", k=35)), "The Maps key {} is over quota."
        if kind == "github-fine-grained":
            v = "github_pat_" + "".join(r.choices(alnum, k=22)) + "_" + "".join(r.choices(alnum, k=59))
            return v, "GH_TOKEN={} in the workflow"
        if kind == "stripe":
            return "sk_live_" + "".join(r.choices(alnum, k=24)), "Stripe live key {} leaked?"
        if kind == "aws-id":
            v = r.choice(("AKIA", "ASIA")) + "".join(r.choices(b32, k=16))
            return v, "I use access key {} for the export."
        if kind == "aws-secret":
            v = "".join(r.choices(alnum + "/+", k=40))
            return v, "aws_secret_access_key = {}"
        if kind == "private-key":
            body = base64.b64encode(os.urandom(90)).decode()
            v = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
            return v, "Here is the deploy key:\n{}\n"
        if kind == "github":
            v = r.choice(("ghp_", "gho_", "ghs_")) + "".join(r.choices(alnum, k=36))
            return v, "token {} stopped working"
        if kind == "gitlab":
            return "glpat-" + "".join(r.choices(alnum + "-_", k=20)), "My GitLab token is {}."
        if kind == "slack":
            v = f"xoxb-{r.randint(10**11, 10**12)}-{r.randint(10**12, 10**13)}-{''.join(r.choices(alnum, k=24))}"
            return v, "the bot uses {}"
        if kind == "jwt":
            def part(d):
                return base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
            v = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': str(r.randint(1, 10**6)), 'iat': 1700000000})}." \
                f"{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}"
            return v, "The session JWT {} is rejected."
        if kind == "password":
            return self.fake.password(length=r.randint(10, 20)), r.choice(("password={}", "my password: {}"))
        if kind == "api-key":
            return pysecrets.token_hex(r.randint(16, 24)), r.choice(("api_key: {}", "X-Api-Key={}"))
        return pysecrets.token_urlsafe(24), "Authorization: Bearer {}"

    def record(self, share: float) -> tuple[dict, list[tuple[str, str]]]:
        text = self.ordinary()
        truth = []
        if self.rng.random() < share:
            kind, value, sentence = self.planted()
            text = f"{text} {sentence}" if self.rng.random() < 0.5 else f"{sentence} {text}"
            truth.append((kind, value))
        answer = self.ordinary()
        return {"prompt": text, "completion": answer}, truth


def r_choice(rng, seq):
    return seq[rng.randrange(len(seq))]


def evaluate(records, truths) -> dict[str, Counter]:
    stats: dict[str, Counter] = defaultdict(Counter)
    t0 = time.perf_counter()
    for rec, truth in zip(records, truths, strict=True):
        text = rec["prompt"] + "\n" + rec["completion"]
        found = find_pii(text) + find_secrets(text)
        planted = {(k, v) for k, v in truth}
        for kind, value in planted:
            start = text.find(value)
            hit = any(m.type == kind and m.start < start + len(value) and start < m.end for m in found)
            stats[kind]["tp" if hit else "fn"] += 1
        for m in found:
            if not any(m.type == k and v.find(m.value) >= 0 or m.value.find(v) >= 0 and m.type == k
                       for k, v in planted):
                stats[m.type]["fp"] += 1
                if stats[m.type]["fp"] <= 3:
                    print(f"  false positive {m.type}/{m.detail}: {m.value!r}", file=sys.stderr)
        for kind, value in planted:
            start = text.find(value)
            if not any(m.type == kind and m.start < start + len(value) and start < m.end for m in found) \
                    and stats[kind]["fn"] <= 3:
                print(f"  missed {kind}: {value!r}", file=sys.stderr)
    stats["_time"]["seconds_x1000"] = int((time.perf_counter() - t0) * 1000)
    return stats


def report(stats: dict[str, Counter]) -> bool:
    ok = True
    print(f"{'type':<12} {'planted':>8} {'found':>6} {'false+':>7} {'recall':>7} {'precision':>9}")
    for kind in ("email", "phone", "card", "ssn", "iban", "national-id", "ip", "secret"):
        c = stats.get(kind, Counter())
        tp, fn, fp = c["tp"], c["fn"], c["fp"]
        recall = tp / (tp + fn) if tp + fn else float("nan")
        precision = tp / (tp + fp) if tp + fp else float("nan")
        ok &= recall >= 0.95 and precision >= 0.95
        print(f"{kind:<12} {tp + fn:>8} {tp:>6} {fp:>7} {recall:>7.3f} {precision:>9.3f}")
    return ok


def time_check(path: str, runs: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(wall seconds, CPU seconds) of a default `ftlint check` (every default rule, no target, no
    result cache, JSON report to /dev/null) without and with FT7: ``runs`` interleaved runs each.
    CPU is user + system time of ftlint and every process it forks (FT2's workers, FT7's second
    reader): what the run costs the machine, where wall time is what its user waits."""
    exe = os.path.join(os.path.dirname(sys.executable), "ftlint")

    def one(extra):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([exe, "check", path, "--format", "json", "-o", os.devnull, "--exit-zero", "--no-cache", *extra],
                       check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

    without, with_ = [], []
    for _ in range(runs):
        without.append(one(["--ignore", "FT7"]))
        with_.append(one([]))
    return without, with_


def timing(a) -> None:
    """The issue's target: FT7 adds at most 25% to the time of a default `ftlint check` of 100k
    records, on three files: benchmarks/synth.py prompt-completion (ordinary support text), and
    this corpus with 30% planted values and with none (text full of numbers: the detectors' worst
    case). Wall time is the target's measure; CPU time is printed beside it because FT7 runs in a
    second process on a machine with two cores or more (ftlint.engine), which hides its time from
    the user but not from the machine."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import synth

    n = a.time_records
    files = [("synth.py prompt-completion", os.path.join(a.dir, f"ftlint-bench-prompt-completion-{n}.jsonl"), None)]
    files += [(f"privacy corpus, {share:.0%} planted", os.path.join(a.dir, f"ftlint-bench-privacy-{n}-{share}.jsonl"),
               share) for share in (a.share, 0.0)]
    for _, path, share in files:
        if os.path.exists(path):
            continue
        if share is None:
            synth.write(path, n, "prompt-completion")
        else:
            c = Corpus(a.seed + 1)
            with open(path, "w") as fh:
                for _ in range(n):
                    fh.write(json.dumps(c.record(share)[0]) + "\n")
    load = os.getloadavg()
    print(f"\nftlint check FILE --format json -o /dev/null --exit-zero --no-cache [--ignore FT7], {n:,} records, "
          f"{a.runs} interleaved runs each, {os.cpu_count()} CPUs (load average before: {load[0]:.2f})")
    print(f"{'':<30} {'wall seconds, min / median':^44} | {'CPU seconds, min / median':^44}")
    print(f"{'file':<30} {'--ignore FT7':>14} {'default':>14} {'FT7 adds':>14} | "
          f"{'--ignore FT7':>14} {'default':>14} {'FT7 adds':>14}")
    for label, path, _ in files:
        without, with_ = time_check(path, a.runs)
        cells = []
        for k in (0, 1):
            a0 = [t[k] for t in without]
            b0 = [t[k] for t in with_]
            lo, hi, lo2, hi2 = min(a0), statistics.median(a0), min(b0), statistics.median(b0)
            cells.append(f"{lo:>6.2f} /{hi:>6.2f} {lo2:>6.2f} /{hi2:>6.2f} {lo2 / lo - 1:>6.0%} /{hi2 / hi - 1:>6.0%}")
        print(f"{label:<30} {cells[0]} | {cells[1]}")
    load = os.getloadavg()
    print(f"(load average after: {load[0]:.2f}; on a busy machine the ratios are unreliable: rerun on a quiet one)")


def detect_secrets_eval(records, truths) -> None:
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "corpus.txt")
        with open(path, "w") as fh:
            for rec in records:
                fh.write((rec["prompt"] + " " + rec["completion"]).replace("\n", " ") + "\n")
        with default_settings():
            coll = SecretsCollection()
            t0 = time.perf_counter()
            coll.scan_file(path)
            secs = time.perf_counter() - t0
        lines = {s.line_number - 1 for f in coll.files for s in coll[f]}
    want = {i for i, t in enumerate(truths) if any(k == "secret" for k, _ in t)}
    tp = len(lines & want)
    print(f"detect-secrets 1.5 (default plugins and filters), {len(records):,} records: {len(records) / secs:,.0f} "
          f"records/s, record-level recall {tp / max(1, len(want)):.3f}, precision {tp / max(1, len(lines)):.3f}")
    t0 = time.perf_counter()
    ours = {i for i, rec in enumerate(records) if find_secrets(rec["prompt"] + " " + rec["completion"])}
    secs = time.perf_counter() - t0
    tp = len(ours & want)
    print(f"ftlint find_secrets, same records: {len(records) / secs:,.0f} records/s, record-level recall "
          f"{tp / max(1, len(want)):.3f}, precision {tp / max(1, len(ours)):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=20_000, help="records for the accuracy run")
    ap.add_argument("--share", type=float, default=0.3, help="share of records with a planted value")
    ap.add_argument("--time-records", type=int, default=100_000, help="records for the timing run (0: skip)")
    ap.add_argument("--runs", type=int, default=3, help="timing runs of each file and setting")
    ap.add_argument("--detect-secrets", type=int, default=0, metavar="N", help="also evaluate detect-secrets on N records")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    corpus = Corpus(a.seed)
    pairs = [corpus.record(a.share) for _ in range(a.records)]
    records, truths = [p[0] for p in pairs], [p[1] for p in pairs]
    print(f"{a.records:,} records, {a.share:.0%} with one planted value; phone numbers kept "
          f"{corpus.phone_kept['kept']}/{corpus.phone_kept['generated']} Faker numbers (valid for their region)")
    stats = evaluate(records, truths)
    ok = report(stats)
    print(f"detectors: {a.records / (stats['_time']['seconds_x1000'] / 1000):,.0f} records/s (prompt + completion)")
    texts = [rec["prompt"] + "\n" + rec["completion"] for rec in records]
    t0 = time.process_time()
    for i in range(0, len(texts), 2048):
        batch = TextBatch(texts[i:i + 2048])
        find_pii_batch(batch)
        find_secrets_batch(batch)
    print(f"detectors in batches of 2048 (what FT701/FT702 run): {len(texts) / (time.process_time() - t0):,.0f} "
          "records/s")
    if a.detect_secrets:
        detect_secrets_eval(records[:a.detect_secrets], truths[:a.detect_secrets])
    if a.time_records:
        timing(a)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
