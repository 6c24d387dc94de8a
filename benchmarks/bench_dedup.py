"""Benchmark of the FT2 family (FT201-FT203 on one file) against a naive datasketch reference.

    python benchmarks/bench_dedup.py --records 200000 1000000 [--naive 20000]

For each size: writes a seeded JSONL file (half short classification-style records, half
prompts with long answers; a Zipf vocabulary of 20k pseudo-words; planted exact copies with
case/space changes and near copies with 1-3 word edits, appended words, punctuation changes),
runs `ftlint.check(select=FT2)`, then times the FT2 rules alone on the parsed examples, and in
the same run the naive reference (datasketch `MinHash.update` per shingle + `MinHashLSH.insert`
and `query`) on the first --naive records. Prints records/s, peak RSS, the speed ratio and
recall/precision on the planted pairs for short and long texts. With --template, every prompt
starts with the same 81-character instruction (a Dolly-style classification template), to
measure the template-aware path (FT205's detection, indexes without the template).

    python benchmarks/bench_dedup.py --typos 20000

measures the short-text recall of issue 17 instead: seeded short utterances (15-59 characters,
a Banking77-like vocabulary) and copies with one or two character typos (substitution,
insertion, deletion, transposition); recall of FT202 on the pairs whose character-3-gram
Jaccard (computed here, independent of the MinHash code) is >= 0.8. It uses only
`ftlint.check` and the duplicate index, so a copy of this file outside the repository runs it
on another install (main's) for the before figure. Not run by the test suite."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import ftlint  # noqa: E402
from ftlint.artifacts import minhash as mh  # noqa: E402
from ftlint.artifacts.normalize import fields_of, shingle_text  # noqa: E402
from ftlint.rules import REGISTRY  # noqa: E402

# a Dolly-style instruction on every prompt (--template); 81 characters
TEMPLATE = "Classify the following item as a fruit, a vegetable, a grain or a dairy product: "
LABELS = ("billing", "technical_issue", "account_access", "feature_request", "integrations", "cancellation")


def vocabulary(rng: random.Random, n: int = 20000) -> tuple[list[str], list[float]]:
    syll = ["ka", "lo", "mi", "ra", "ten", "dor", "sa", "vi", "ne", "po", "lu", "ge", "tra", "ber", "ston", "qui",
            "an", "el", "or", "us", "ing", "ed", "er", "al"]
    words = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(1, 4))) for _ in range(n * 2)})[:n]
    rng.shuffle(words)
    weights = [1 / (r + 1) ** 1.05 for r in range(len(words))]
    cum = list(np.cumsum(weights))
    return words, cum


def sentence(rng, words, weights, lo, hi) -> str:
    ws = rng.choices(words, cum_weights=weights, k=rng.randint(lo, hi))
    return " ".join(ws).capitalize() + rng.choice(".?!")


def edit(rng, text: str, words) -> str:
    toks = text.split(" ")
    kind = rng.random()
    if kind < 0.5:  # 1-3 word substitutions
        for _ in range(rng.randint(1, 3 if len(toks) > 20 else 1)):
            toks[rng.randrange(len(toks))] = rng.choice(words)
    elif kind < 0.75:  # appended words
        toks += rng.choice((["Urgent."], ["Thanks!"], ["Please", "help."]))
    else:  # punctuation and case
        toks = [t.rstrip(".?!,") for t in toks]
        toks[0] = toks[0].upper()
        toks[-1] += "!!"
    return " ".join(toks)


def generate(path: str, n: int, seed: int = 1, template: str = ""):
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    planted = []  # (original index, copy index, kind: exact|near, length: short|long)
    recs: list[dict] = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            r = rng.random()
            if i > 100 and r < 0.03:
                j = rng.randrange(len(recs))
                src = recs[j]
                rec = {"prompt": "  " + src["prompt"].upper(), "completion": src["completion"]}
                planted.append((j, i, "exact", src["_len"]))
            elif i > 100 and r < 0.08:
                j = rng.randrange(len(recs))
                src = recs[j]
                rec = {"prompt": edit(rng, src["prompt"], words), "completion": src["completion"]}
                if src["_len"] == "long" and rng.random() < 0.5:
                    rec = {"prompt": src["prompt"], "completion": edit(rng, src["completion"], words)}
                planted.append((j, i, "near", src["_len"]))
            elif rng.random() < 0.5:
                rec = {"prompt": sentence(rng, words, weights, 5, 15), "completion": rng.choice(LABELS)}
            else:
                rec = {"prompt": sentence(rng, words, weights, 6, 20),
                       "completion": " ".join(sentence(rng, words, weights, 8, 20) for _ in range(rng.randint(2, 4)))}
            length = "short" if len(rec["completion"]) < 20 else "long"
            fh.write(json.dumps({"prompt": template + rec["prompt"], "completion": rec["completion"]}) + "\n")
            if len(recs) < 50_000:
                recs.append({**rec, "_len": length})
    return planted


def naive(examples, threshold: float, num_perm: int) -> float:
    """datasketch as documented: MinHash.update per shingle, MinHashLSH insert + query."""
    from datasketch import MinHash, MinHashLSH

    t = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for k, ex in enumerate(examples):
        m = MinHash(num_perm=num_perm, hashfunc=lambda x: x)
        for f in fields_of(ex, "conversation"):
            for s, w in mh.shingles(shingle_text(f)):
                m.update(mh.shingle_hash32(s, w))
        lsh.query(m)
        lsh.insert(k, m)
    return len(examples) / (time.perf_counter() - t)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """User + system CPU of this process and of its finished children (the fork workers)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


class PeakMemory:
    """Peak total memory of this process and its live children, sampled every 0.1 s: this
    process's RSS plus each child's private pages (a forked worker shares the parent's pages
    until either writes them; counting its whole RSS would count the shared pages twice)."""

    def __init__(self):
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _kb(path: str, keys: tuple[str, ...]) -> int:
        try:
            with open(path) as fh:
                return sum(int(line.split()[1]) for line in fh if line.split(":")[0] in keys)
        except OSError:  # the child just exited
            return 0

    def sample(self) -> float:
        total = self._kb("/proc/self/status", ("VmRSS",))
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/children") as fh:
                    kids = fh.read().split()
            except OSError:
                continue
            for pid in kids:
                total += self._kb(f"/proc/{pid}/smaps_rollup", ("Private_Clean", "Private_Dirty"))
        self.peak = max(self.peak, total / 1024)
        return self.peak

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.sample()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()


TYPO_WORDS = ("account balance card transfer money refund order delivery password reset login app phone "
              "number address change cancel payment bank fee charge declined pending top up cash withdraw "
              "atm pin verify limit exchange rate travel abroad freeze lost stolen new virtual statement "
              "salary send friend wrong amount twice why how what when where can i my the a is not still "
              "help please need want get use make it to for on in of with from today yesterday week").split()


def typo(rng: random.Random, s: str) -> str:
    i = rng.randrange(len(s))
    kind = rng.random()
    if kind < 0.3:  # substitution
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if kind < 0.55:  # insertion
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i:]
    if kind < 0.8:  # deletion
        return s[:i] + s[i + 1:]
    return s[:i] + s[i + 1:i + 2] + s[i] + s[i + 2:]  # transposition


def char_jaccard(a: str, b: str, n: int) -> float:
    a, b = shingle_text(a), shingle_text(b)
    sa = {a[i:i + n] for i in range(max(len(a) - n + 1, 1))}
    sb = {b[i:i + n] for i in range(max(len(b) - n + 1, 1))}
    return len(sa & sb) / len(sa | sb)


def run_typos(n: int, tmp: str, seed: int = 7) -> None:
    """Recall of FT202 on short texts with one or two typos (issue 17 item 5)."""
    rng = random.Random(seed)
    base: list[str] = []
    seen: set[str] = set()
    while len(base) < n:
        words, size = [], rng.randint(15, 59)
        while len(" ".join(words)) < size:
            words.append(rng.choice(TYPO_WORDS))
        text = " ".join(words)[:59]
        if text not in seen:
            seen.add(text)
            base.append(text)
    rows, pairs = list(base), []
    for _ in range(n // 2):
        src = rng.randrange(len(base))
        copy = base[src]
        for _ in range(rng.randint(1, 2)):
            copy = typo(rng, copy)
        if copy not in seen:
            seen.add(copy)
            rows.append(copy)
            pairs.append((src, len(rows) - 1, char_jaccard(base[src], copy, 3), char_jaccard(base[src], copy, 5)))
    path = os.path.join(tmp, f"dedup_typos_{n}.jsonl")
    with open(path, "w", encoding="utf-8") as fh:
        for t in rows:
            fh.write(json.dumps({"text": t}) + "\n")
    c = cpu_s()
    report = ftlint.check(path, select=["FT202"])
    cpu = cpu_s() - c
    index = mh.index_for(report.datasets[0], mh.Params())
    cluster = {m: k for k, members in enumerate(index.clusters()) for m in members}
    print(f"\n== typo'd short texts: {len(base):,} utterances + {len(pairs):,} copies with 1-2 typos "
          f"(seed {seed}); ftlint {ftlint.__file__}; FT202 in {cpu:.1f} s CPU; findings {report.summary['by_code']}")
    for name, col in (("3-gram", 2), ("5-gram", 3)):
        wanted = [(a, b) for a, b, *j in pairs if j[col - 2] >= 0.8]
        found = sum(1 for a, b in wanted if a in cluster and cluster.get(a) == cluster.get(b))
        print(f"  pairs with character {name} Jaccard >= 0.8: {len(wanted):,}; found by FT202 {found:,}: "
              f"recall {found / max(len(wanted), 1):.4f}")
    os.remove(path)


def run(n: int, n_naive: int, tmp: str, reuse: bool = False, template: str = "") -> dict:
    path = os.path.join(tmp, f"dedup_{n}{'_template' if template else ''}.jsonl")
    t = time.perf_counter()
    planted = generate(path if not (reuse and os.path.exists(path)) else os.devnull, n, template=template)
    print(f"\n== {n:,} records ({os.path.getsize(path) / 1e6:.0f} MB), {len(planted):,} planted copies "
          f"(generated in {time.perf_counter() - t:.0f} s), load average {os.getloadavg()[0]:.2f}")
    res: dict = {"n": n}
    with PeakMemory() as mem:
        t, c = time.perf_counter(), cpu_s()
        report = ftlint.check(path, select=["FT2"])
        total, tcpu = time.perf_counter() - t, cpu_s() - c
    ds = report.datasets[0]
    res.update(e2e=n / total, e2e_cpu=n / tcpu, e2e_rss=rss_mb(), e2e_mem=mem.peak)
    print(f"ftlint check --select FT2, end to end: {total:.1f} s wall, {tcpu:.1f} s CPU = {n / total:,.0f} records/s "
          f"({n / tcpu:,.0f}/CPU-s); peak RSS {rss_mb():,.0f} MB (this process), peak total with workers "
          f"{mem.peak:,.0f} MB; findings {report.summary['by_code']}")
    ds._memo.clear()
    steps = {}
    with PeakMemory() as mem:
        t, cpu = time.perf_counter(), cpu_s()
        for code in ("FT201", "FT202", "FT203"):
            rule = REGISTRY[code]
            s = time.perf_counter()
            list(rule.check(ds, rule.defaults()))
            steps[code] = time.perf_counter() - s
        family, cpu = time.perf_counter() - t, cpu_s() - cpu
    rate = n / family
    res.update(family=rate, family_cpu=n / cpu, family_mem=mem.peak)
    print(f"FT2 family on parsed examples: {family:.1f} s wall, {cpu:.1f} s CPU (with workers) = {rate:,.0f} records/s "
          f"({n / cpu:,.0f}/CPU-s) ({', '.join(f'{k} {v:.1f} s' for k, v in steps.items())}); "
          f"peak total memory {mem.peak:,.0f} MB")
    # quality on planted pairs
    params = mh.Params()
    if hasattr(params, "template"):  # the rule's parameters: the file's shared template (FT205) left out
        from ftlint.artifacts.shared_template import template_of

        params = dataclasses.replace(params, template=template_of(ds))
    index = mh.index_for(ds, params)
    cluster_of = {}
    for c, members in enumerate(index.clusters()):
        for m in members:
            cluster_of[m] = c
    pos = {e.line - 1: k for k, e in enumerate(ds.examples)}
    for length in ("short", "long"):
        pairs = [(pos[a], pos[b]) for a, b, kind, ln in planted if ln == length and kind == "near"]
        if not pairs:
            continue
        idx = [x for p in pairs for x in p]
        sets = mh.sets_of(ds.examples, idx, params)  # the similarity FT202 reports
        sims = np.array([mh.jaccard(sets[2 * k], sets[2 * k + 1]) for k in range(len(pairs))])
        found = np.array([a in cluster_of and cluster_of.get(a) == cluster_of.get(b) for a, b in pairs])
        above = sims >= 0.8
        if index.params.char_n != 5:  # recall on the pairs that were near on 5-grams (before 3-grams)
            sets5 = mh.sets_of(ds.examples, idx, dataclasses.replace(params, char_n=5))
            above5 = np.array([mh.jaccard(sets5[2 * k], sets5[2 * k + 1]) for k in range(len(pairs))]) >= 0.8
            res[f"recall5_{length}"] = float(found[above5].mean()) if above5.any() else float("nan")
            print(f"  {length:5s} texts: pairs with 5-gram Jaccard >= 0.8: {above5.sum():,}, recall {res[f'recall5_{length}']:.4f}")
        exact = [(pos[a], pos[b]) for a, b, kind, ln in planted if ln == length and kind == "exact"]
        ex_found = sum(1 for a, b in exact if a in cluster_of and cluster_of.get(a) == cluster_of.get(b))
        res[f"recall_{length}"] = float(found[above].mean()) if above.any() else float("nan")
        print(f"  {length:5s} texts: near pairs {len(pairs):,}, {above.sum():,} with Jaccard >= 0.8 "
              f"(character {index.params.char_n}-grams): recall "
              f"{found[above].mean() if above.any() else float('nan'):.4f}; below 0.8 (correctly not required) "
              f"{(~above).sum():,}, reported anyway {found[~above].sum()}; exact copies found {ex_found:,}/{len(exact):,}")
    # precision: every reported near pair is verified; how many are planted pairs (or chains of them)?
    # a copy may be made of a copy, so planted pairs chain: two records are a planted pair when
    # they are in one connected component of the planted-copy graph
    root: dict[int, int] = {}

    def find(x: int) -> int:
        while root.get(x, x) != x:
            root[x] = root.get(root[x], root[x])
            x = root[x]
        return x

    members: set[int] = set()
    for a, b, _, _ in planted:
        members.update((pos[a], pos[b]))
        ra, rb = find(pos[a]), find(pos[b])
        if ra != rb:
            root[max(ra, rb)] = min(ra, rb)
    edges = index.edges
    ok = sum(1 for a, b, s in edges if s >= 0.8 and a in members and b in members and find(a) == find(b))
    res["precision"] = ok / max(len(edges), 1)
    print(f"  reported near pairs {len(edges):,}; every one verified by exact Jaccard >= 0.8 "
          f"(precision 1.0 against the threshold); {ok / max(len(edges), 1):.4f} of them are planted pairs")
    bands, rows = mh.lsh_params(0.8, 128)
    print(f"  LSH: {bands} bands x {rows} rows; P(candidate | J=0.8) = {1 - (1 - 0.8 ** rows) ** bands:.3f}")
    if n_naive:
        sample = ds.examples[:n_naive]
        t = time.perf_counter()
        c0 = time.process_time()
        nrate = naive(sample, 0.8, 128)
        ncpu = len(sample) / (time.process_time() - c0)
        ours = mh.build_index(sample, mh.Params())
        del ours
        orate = len(sample) / (time.perf_counter() - t - len(sample) / nrate)
        res.update(naive=rate / nrate, naive_cpu=n / cpu / ncpu)
        print(f"naive datasketch on {len(sample):,} records: {nrate:,.0f} records/s ({ncpu:,.0f}/CPU-s); ftlint's "
              f"index on the same records {orate:,.0f} records/s; FT2 family at {n:,}: {rate:,.0f} records/s = "
              f"{rate / nrate:.1f}x naive (CPU: {n / cpu / ncpu:.1f}x)")
    del report, ds, index
    if not reuse:
        os.remove(path)
    return res


def summary(results: list[dict]) -> None:
    print("\n== summary (targets: FT2 family >= 50,000 records/s at 1M on 2 cores, peak memory <= 2 GB, "
          ">= 5x naive, recall >= 0.95, precision >= 0.98)")
    for r in results:
        print(f"{r['n']:>9,} records: FT2 family {r['family']:,.0f} records/s wall ({r['family_cpu']:,.0f}/CPU-s); "
              f"end to end {r['e2e']:,.0f} records/s wall ({r['e2e_cpu']:,.0f}/CPU-s); peak memory "
              f"{max(r['e2e_mem'], r['family_mem']):,.0f} MB (process + workers; RSS {r['e2e_rss']:,.0f} MB); "
              + (f"{r['naive']:.0f}x naive (CPU {r['naive_cpu']:.0f}x); " if 'naive' in r else "")
              + f"recall short {r.get('recall_short', float('nan')):.4f} long {r.get('recall_long', float('nan')):.4f}; "
              f"precision {r.get('precision', float('nan')):.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--naive", type=int, default=20_000, help="records for the naive reference (0: skip)")
    ap.add_argument("--tmp", default="/tmp")
    ap.add_argument("--reuse", action="store_true", help="keep the generated files and reuse them on the next run")
    ap.add_argument("--template", action="store_true", help=f"prepend the same {len(TEMPLATE)}-character "
                    "instruction to every prompt")
    ap.add_argument("--typos", type=int, default=0, metavar="N",
                    help="measure short-text recall on N typo'd utterances instead (see above)")
    a = ap.parse_args()
    if a.typos:
        run_typos(a.typos, a.tmp)
        return
    from ftlint.artifacts import jit

    t = time.perf_counter()
    kernel = jit.minhash_kernel()
    loop = (f"numba {sys.modules['numba'].__version__} (compiled loop ready in {time.perf_counter() - t:.2f} s)"
            if kernel is not None else "numpy loop (numba missing or FTLINT_JIT=0)")
    print(f"ftlint {ftlint.__version__}, python {sys.version.split()[0]}, numpy {np.__version__}, cpus {os.cpu_count()}; "
          f"signatures: {loop}")
    summary([run(n, a.naive, a.tmp, a.reuse, TEMPLATE if a.template else "") for n in a.records])


if __name__ == "__main__":
    main()
