"""FT2: exact and near duplicates, conflicting labels, split leakage, and the shared artifacts."""
from __future__ import annotations

import os

import numpy as np
import pytest
from datasketch import MinHash

import ftlint
from ftlint.artifacts import minhash as mh
from ftlint.artifacts.normalize import normalize, shingle_text

PROMPTS = [
    "Our engineers can no longer log in to the dashboard since this morning",
    "How do I export a monthly report to CSV for the finance team?",
    "Can I invite external guests to a private board?",
    "The calendar sync with Outlook stopped working after the update",
    "Please add a dark mode to the mobile app",
]
ANSWERS = [
    "Please reset your password from the sign-in page and try again.",
    "Open the report, click Export and choose CSV.",
    "Yes, guests can view the boards you share with them.",
    "Reconnect the calendar under Settings, Integrations.",
    "Thanks, we have passed the idea to the product team.",
]


def record(fmt: str, prompt: str, answer: str) -> dict:
    return {
        "prompt-completion": {"prompt": prompt, "completion": answer},
        "continued-pretraining": {"input": f"{prompt} {answer}"},
        "text": {"text": f"{prompt} {answer}"},
        "instruction": {"instruction": prompt, "output": answer},
        "input-output": {"input": prompt, "output": answer},
        "preference": {"prompt": prompt, "chosen": answer, "rejected": "No idea."},
        "claude-messages": {"system": "You are a support agent.", "messages": [
            {"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]},
        "bedrock-conversation": {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "Be kind."}],
                                 "messages": [{"role": "user", "content": [{"text": prompt}]},
                                              {"role": "assistant", "content": [{"text": answer}]}]},
        "openai-chat": {"messages": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": prompt},
                                     {"role": "assistant", "content": answer}]},
    }[fmt]


FORMATS = ["prompt-completion", "continued-pretraining", "text", "instruction", "input-output", "preference",
           "claude-messages", "bedrock-conversation", "openai-chat"]


def _lines(report, code, path=None):
    return sorted(f.line for f in report.findings if f.code == code and (path is None or f.path == str(path)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exact_near_and_leak(fmt, jsonl):
    rows = [record(fmt, p, a) for p, a in zip(PROMPTS, ANSWERS, strict=True)]
    rows.append(record(fmt, PROMPTS[0].upper() + "  ", ANSWERS[0]))  # line 6: exact after case/space
    rows.append(record(fmt, PROMPTS[1] + " Thanks", ANSWERS[1]))  # line 7: near of 2
    train = jsonl(rows, "train.jsonl")
    val = jsonl([record(fmt, PROMPTS[2].lower(), ANSWERS[2]),
                 record(fmt, "What does the Pro plan cost per seat?", "Twelve dollars a month.")], "val.jsonl")
    report = ftlint.check(train, validation=val, select=["FT2"])
    assert _lines(report, "FT201") == [6]
    assert _lines(report, "FT202") == [7]
    leak = [f for f in report.findings if f.code == "FT204"]
    assert [(f.path, f.line, f.related, f.severity.value) for f in leak] == [
        (str(val), 1, (3,), "error"), (str(val), None, (), "info")]
    assert {k: leak[1].data[k] for k in ("validation_records", "verbatim", "near", "conflicts")} == {
        "validation_records": 2, "verbatim": 1, "near": 0, "conflicts": 0}


def test_signatures_equal_datasketch():
    docs = [[shingle_text("Where is my order #123?"), shingle_text("It ships today.")],
            [shingle_text("日本語のサポートは利用できますか")], [shingle_text("word " * 60)], [], ["a"]]
    h, d = mh.shingle_hashes(docs)
    sig = mh.MinHasher(64, seed=3).signatures(h, d, len(docs))
    for k, fields in enumerate(docs):
        ref = MinHash(num_perm=64, seed=3, hashfunc=lambda x: x)
        expect = [mh.shingle_hash(s, w) for f in fields for s, w in mh.shingles(f)]
        assert sorted(h[d == k].tolist()) == sorted(expect)
        for s, w in (sw for f in fields for sw in mh.shingles(f)):
            ref.update(mh.shingle_hash32(s, w))
        assert np.array_equal(ref.hashvalues, sig[k])
    assert mh.lean_minhash(sig[0], seed=3).jaccard(mh.lean_minhash(sig[0], seed=3)) == 1.0


def test_short_and_long_fields_get_their_shingle_kinds():
    short = mh.shingles("where is my order")
    assert short and not any(w for _, w in short)
    long = mh.shingles(" ".join(["word"] * 60))
    assert long and all(w for _, w in long)
    middle = mh.shingles(" ".join(["abcd"] * 30))  # 149 characters: both kinds
    assert {w for _, w in middle} == {True, False}


def test_normalization():
    assert normalize("  Ｗhere\tIS my  order? ") == "where is my order?"
    assert shingle_text("Where is my order?!") == "where is my order"


def test_lsh_false_positives_never_reported(monkeypatch, jsonl):
    # every pair becomes a candidate: only the verified one may be reported
    def all_pairs(keys, empty=None):
        n = len(keys)
        i, j = np.triu_indices(n, 1)
        return np.stack([i, j], axis=1).astype(np.int64)

    monkeypatch.setattr(mh, "candidate_pairs", all_pairs)
    rows = [{"prompt": p, "completion": a} for p, a in zip(PROMPTS, ANSWERS, strict=True)]
    rows.append({"prompt": PROMPTS[3] + " again", "completion": ANSWERS[3]})
    report = ftlint.check(jsonl(rows), select=["FT202"])
    found = [f for f in report.findings if f.code == "FT202"]
    assert [(f.line, f.related) for f in found] == [(6, (4,))]
    assert found[0].data["similarity"] >= 0.8


def test_threshold_option(jsonl):
    rows = [{"prompt": "Where is my order for the blue chair?", "completion": "It ships today."},
            {"prompt": "Where is my order for the red chair?", "completion": "It ships today."}]
    path = jsonl(rows)
    sims = mh.build_index(ftlint.check(path, select=["FT201"]).datasets[0].examples or _examples(path),
                          mh.Params(threshold=0.5)).edges
    assert sims and sims[0][2] < 0.8
    assert _lines(ftlint.check(path, select=["FT202"]), "FT202") == []
    assert _lines(ftlint.check(path, select=["FT202"], options={"FT202": {"threshold": 0.5}}), "FT202") == [2]


def _examples(path):
    return ftlint.check(path, select=["FT202"]).datasets[0].examples


def test_conflict_is_error_for_labels_and_warning_for_generation(jsonl):
    labels = jsonl([{"input": "I was charged twice", "output": "billing"},
                    {"input": "I was charged twice", "output": "cancellation"},
                    {"input": "The app crashes", "output": "technical_issue"},
                    {"input": "Refund my last invoice", "output": "billing"},
                    {"input": "Please close my account", "output": "cancellation"},
                    {"input": "Export to PDF does nothing", "output": "technical_issue"}], "labels.jsonl")
    found = [f for f in ftlint.check(labels, select=["FT203"]).findings]
    assert [(f.line, f.severity.value, f.related) for f in found] == [(2, "error", (1,))]
    assert found[0].data["answers"] == {"billing": [1], "cancellation": [2]}
    gen = jsonl([{"prompt": "Write a haiku about the sea", "completion": "Waves fold into foam, the tide keeps its old promise, salt on the cold wind."},
                 {"prompt": "Write a haiku about the sea", "completion": "Grey water breathing, gulls stitch the horizon shut, night comes in with it."}],
                "gen.jsonl")
    found = ftlint.check(gen, select=["FT203"]).findings
    assert [(f.line, f.severity.value) for f in found] == [(2, "warning")]
    # a configured severity wins over the rule's own demotion
    rep = ftlint.check(gen, select=["FT203"], fail_on="warning")
    assert rep.failed


def test_cross_file_conflict_and_multiple_validation_files(jsonl):
    train = jsonl([{"input": "I was charged twice", "output": "billing"},
                   {"input": "The app crashes", "output": "technical_issue"}], "train.jsonl")
    val = jsonl([{"input": "I was charged twice", "output": "cancellation"}], "val.jsonl")
    test = jsonl([{"input": "the app  CRASHES", "output": "technical_issue"}], "test.jsonl")
    report = ftlint.check(train, validation=[val, test], select=["FT204"])
    got = sorted((f.path.rsplit("/", 1)[-1], f.line or 0, f.data["kind"], f.related) for f in report.findings)
    assert got == [("test.jsonl", 0, "summary", ()), ("test.jsonl", 1, "exact", (2,)),
                   ("val.jsonl", 0, "summary", ()), ("val.jsonl", 1, "conflict", (1,))]


def test_duplicate_clusters_api(jsonl):
    rows = [{"prompt": p, "completion": a} for p, a in zip(PROMPTS, ANSWERS, strict=True)]
    rows += [rows[0], {"prompt": PROMPTS[0] + " today", "completion": ANSWERS[0]}, rows[2]]
    path = jsonl(rows)
    clusters = ftlint.duplicate_clusters(path)
    assert [c.lines for c in clusters[str(path)]] == [(1, 6, 7), (3, 8)]
    assert clusters[str(path)][0].representative == 1
    assert ftlint.duplicate_clusters(rows)["<records>"][1].lines == (3, 8)


def test_empty_texts_are_not_near_duplicates(jsonl):
    rows = [{"prompt": "?", "completion": "!"}, {"prompt": "...", "completion": "!!"}]
    assert _lines(ftlint.check(jsonl(rows), select=["FT202"]), "FT202") == []


def test_sample_data_planted_cases():
    from conftest import SAMPLES

    dirty = ftlint.check(SAMPLES / "support_tickets_dirty.jsonl", select=["FT2"])
    got = sorted((f.line, f.code) for f in dirty.findings if f.code.startswith("FT2"))
    assert got == [(53, "FT201"), (123, "FT203"), (148, "FT201"), (193, "FT202"), (214, "FT202"), (248, "FT202")]
    split = ftlint.check(SAMPLES / "support_tickets.jsonl", validation=SAMPLES / "support_tickets_val.jsonl",
                         select=["FT2"])
    assert [(f.line, f.data["kind"], f.related) for f in split.findings] == [
        (2, "exact", (11,)), (4, "near", (21,)), (6, "conflict", (31,)), (None, "summary", ())]


def test_batch_normalization_equals_per_text():
    import random

    from ftlint.artifacts import normalize as nz

    rng = random.Random(5)
    alphabets = ("ab C,.!?_-  \t\n\x1f\x1c\x0b\r\x0c\x00\x01\x02\x7f",
                 "ab C,.!  \t\x1f\x85\xa0ßΣςＷé\u0301ﬁ日İ\u2028_\x00\x01")
    for trial in range(1500):
        al = alphabets[trial % 2]
        recs = [["".join(rng.choice(al) for _ in range(rng.randint(0, 10))) for _ in range(rng.randint(0, 3))]
                for _ in range(rng.randint(1, 5))]
        norm, asc = nz.normalize_batch(recs)
        safe = [[t.replace("\x00", "\x02").replace("\x01", "\x02") for t in fs] for fs in recs]
        assert norm.decode() == "\x00".join("\x01".join(normalize(t) for t in fs) for fs in safe)
        sh = nz.shingle_batch(norm, asc)
        sh = sh.tobytes().decode() if asc else sh
        assert sh == "\x00".join("\x01".join(shingle_text(t) for t in fs) for fs in recs)
        if recs == safe:  # content hashes are the per-record blake2b digests of key_text
            assert nz.record_digests(norm).tolist() == [nz.digest(nz.key_text_of(fs)) for fs in recs]
    assert nz.normalize_many(["A\x00b", " X  y"]) == ["a\x00b", "x y"]


def test_batch_shingle_sets_equal_reference(jsonl):
    rows = [{"prompt": p, "completion": a + " " + " ".join(PROMPTS)} for p, a in zip(PROMPTS, ANSWERS, strict=True)]
    rows += [{"prompt": "ok", "completion": "yes"}, {"prompt": "Café — naïve 日本語", "completion": ""}]
    ex = ftlint.check(jsonl(rows), select=["FT201"]).datasets[0].examples
    batch = mh.sets_of(ex, np.arange(len(ex)), mh.Params())
    ref = mh.shingle_sets(mh.texts_for(ex, range(len(ex)), "conversation"), mh.Params().char_n, 3)
    assert len(batch) == len(ref) == len(rows)
    assert all(np.array_equal(a, b) for a, b in zip(batch, ref, strict=True))


def test_prefilter_keeps_similar_drops_dissimilar():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (3, 128), dtype=np.uint8)
    b = a.copy()
    b[1, :20] ^= 1  # ~0.84 agreement: kept at 0.8
    b[2] = rng.integers(0, 256, 128, dtype=np.uint8)  # unrelated: dropped
    keep = mh.plausible(a, np.arange(3), b, np.arange(3), 0.8)
    assert keep.tolist() == [True, True, False]


def test_workers_over_batches_give_the_same_index(monkeypatch, jsonl):
    from ftlint import pool
    from ftlint.artifacts import normalize as nz

    # many small batches, so that the workers really interleave them
    rows = [{"prompt": f"{p} number {k % 7 % 4}", "completion": a} for k, (p, a) in
            enumerate(zip(PROMPTS * 6, ANSWERS * 6, strict=True))]
    ex = ftlint.check(jsonl(rows), select=["FT201"]).datasets[0].examples
    from ftlint.artifacts import batches

    monkeypatch.setattr(batches, "BATCH", 3)
    monkeypatch.setattr(batches, "CHUNK", 4)
    monkeypatch.setattr(pool, "MIN_FORK_ITEMS", 2)
    built = {}
    for how, workers, fork in (("serial", 1, False), ("threads", 2, False), ("fork", 2, True), ("fork", 3, True)):
        monkeypatch.setattr(pool, "WORKERS", workers)
        monkeypatch.setattr(pool, "FORK", fork and pool.FORK)
        assert pool.mode(10) == (how if fork <= pool.FORK else "threads")
        idx = mh.build_index(ex, mh.Params())
        d = mh.content_digests(ex, "conversation", prompts=True)
        # the content pass that signs the records too (a planned index) gives the same digests,
        # and the same index once the exact copies' rows are dropped
        fused = mh.content_digests(ex, "conversation", prompts=True, sign=[mh.Params()])
        assert all(np.array_equal(fused[k], d[k]) for k in d)
        reps = idx.reps
        assert np.array_equal(fused["keys:0"][reps], idx.keys) and np.array_equal(fused["mini:0"][reps], idx.mini)
        signed = {name: fused[f"{name}:0"] for name in ("keys", "mini", "empty")}
        again = mh.build_index(ex, mh.Params(), signed=signed)
        assert np.array_equal(again.keys, idx.keys) and again.edges == idx.edges
        built[how, workers] = (idx.keys, idx.mini, idx.edges, nz.content_hashes(ex, "prompt", batch=3),
                               mh.sets_of(ex, np.arange(len(ex)), mh.Params()), d)
    (k1, m1, e1, h1, s1, d1) = built["serial", 1]
    assert len(k1) > 3 * 3 and e1
    for k2, m2, e2, h2, s2, d2 in built.values():
        assert np.array_equal(k1, k2) and np.array_equal(m1, m2) and np.array_equal(h1, h2) and e1 == e2
        assert all(np.array_equal(a, b) for a, b in zip(s1, s2, strict=True))
        assert d1.keys() == d2.keys() and all(np.array_equal(d1[k], d2[k]) for k in d1)
    # the prompt digests of the one pass equal those of a pass over the prompts themselves
    p = mh.content_digests(ex, "prompt")
    assert np.array_equal(d1["ph"], p["h"]) and np.array_equal(d1["pc"], p["c"])
    assert len(set(d1["ph"].tolist())) < len(ex) and len(set(d1["h"].tolist())) < len(ex)
    chats = [{"messages": [{"role": "user", "content": PROMPTS[k % 3]}, {"role": "assistant", "content": ANSWERS[k % 2]}]}
             for k in range(6)]
    chats[1]["system"] = "Be brief."  # not single-turn: its prompt is the system prompt and the question
    chats[2]["messages"] += [{"role": "user", "content": "And?"}, {"role": "assistant", "content": "Done."}]
    cx = ftlint.check(jsonl(chats, "chat.jsonl"), select=["FT201"]).datasets[0].examples
    assert len(cx) == 6 and cx[1].system and len(cx[2].turns) == 4
    d, p = mh.content_digests(cx, "conversation", prompts=True), mh.content_digests(cx, "prompt")
    assert np.array_equal(d["ph"], p["h"]) and np.array_equal(d["pc"], p["c"])
    assert d["ph"][0] == d["ph"][3] != d["ph"][1]
    # equal 128-bit digests are equal normalized texts
    keys = [nz.key_text(e, "conversation") for e in ex]
    assert all((d1["h"][i] == d1["h"][j]) == (keys[i] == keys[j]) for i in range(len(ex)) for j in range(len(ex)))


def test_lsh_params_and_permutations_equal_datasketch():
    from datasketch import MinHash
    from datasketch.lsh import _optimal_param

    for num_perm in (32, 128, 256):
        for t in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95):
            assert mh.lsh_params(t, num_perm) == _optimal_param(t, num_perm, 0.02, 0.98)
        a, b = mh.permutations(num_perm, 7)
        ref = MinHash(num_perm=num_perm, seed=7, scheme="affine32").permutations
        assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])


def test_a_failed_fork_worker_is_redone_here(monkeypatch):
    from ftlint import pool

    if not pool.FORK:
        return
    parent = os.getpid()

    def job(x):
        if os.getpid() != parent and x == 3:
            raise ValueError("boom")  # printed by the child, then its share is redone here
        return {"v": np.full(2, x * 10, np.int64)}

    monkeypatch.setattr(pool, "WORKERS", 2)
    out = {"v": pool.empty(12, np.int64, True)}
    pool.fill(job, list(range(6)), [slice(2 * i, 2 * i + 2) for i in range(6)], out, "fork")
    assert out["v"].tolist() == [x * 10 for x in range(6) for _ in range(2)]
    got = pool.map_ordered(lambda x: job(x)["v"][: x % 3], list(range(12)), fork=True)  # results of any size
    assert [g.tolist() for g in got] == [[x * 10] * (x % 3) for x in range(12)]


def test_conversation_batch_equals_join_of_records():
    from ftlint.artifacts.normalize import join_records
    from ftlint.example import Example, Turn

    def ex(*turns, system=None):
        return Example(1, "x", system, tuple(Turn(r, t) for r, t in turns), "", "")

    cases = [[ex(("user", "a"), ("assistant", "b")), ex(("user", "c\x01d"), ("assistant", "e"))],
             [ex(("user", "a\x00"), ("assistant", "b"))],
             [ex(("system", "s"), ("user", "a")), ex(("user", "a"), ("assistant", "b"), ("user", "c"), ("assistant", "d"))],
             [ex(("user", "a"), ("assistant", "b"), system="s"), ex(("assistant", "a"), ("user", "b")), ex()],
             [ex(("system", "s")), ex(("user", ""), ("assistant", ""))]]
    for part in cases:
        others: list[int] = []
        got = mh.conversation_batch(part, others)
        assert got == join_records(mh.records_of(part, range(len(part)), "conversation"))
        assert others == [k for k, e in enumerate(part) if not (
            e.system is None and len(e.turns) == 2 and e.turns[0].role == "user" and e.turns[1].role == "assistant")]


def test_compiled_signatures_equal_numpy():
    from ftlint.artifacts import jit

    if jit.minhash_kernel() is None:
        pytest.skip("numba is not installed")
    docs = [[shingle_text("Where is my order #123?"), shingle_text("It ships today.")],
            [shingle_text("日本語のサポートは利用できますか")], [], [shingle_text(" ".join(["word"] * 60))],
            [shingle_text(" ".join(f"w{k % 17}" for k in range(50)))], ["a"], []]
    batch = mh.join_records([[t for t in fs] for fs in docs])
    from ftlint.artifacts.normalize import normalize_joined, shingle_batch

    parts = mh.shingle_parts(shingle_batch(*normalize_joined(batch)), len(docs))
    assert len(parts) == 2  # character and word n-grams: the compiled loop takes the minimum over both
    for perms, seed in ((128, 1), (64, 3), (7, 11)):
        hasher = mh.MinHasher(perms, seed)
        plain = hasher.signatures_of(parts, len(docs))
        compiled = hasher.signatures_of(parts, len(docs), compiled=True)
        assert np.array_equal(plain, compiled)
        assert (compiled[2] == 0xFFFFFFFF).all() and (compiled[0] != 0xFFFFFFFF).all()


def test_compiled_loop_switch(monkeypatch, jsonl):
    from ftlint.artifacts import jit

    monkeypatch.setenv("FTLINT_JIT", "0")
    assert jit.minhash_kernel() is None
    monkeypatch.delenv("FTLINT_JIT")
    if jit.minhash_kernel() is None:
        pytest.skip("numba is not installed")
    rows = [{"prompt": f"{p} number {k % 5}", "completion": a} for k, (p, a) in
            enumerate(zip(PROMPTS * 8, ANSWERS * 8, strict=True))]
    rows.append(dict(rows[2], prompt=rows[2]["prompt"] + " Thanks"))
    path = jsonl(rows)  # one batch: signed in this process, where the wrapper below counts calls
    plain = ftlint.check(path, select=["FT2"])
    calls = []
    kernel = jit.minhash_kernel()
    monkeypatch.setattr(jit, "minhash_kernel", lambda: lambda *a: calls.append(1) or kernel(*a))
    monkeypatch.setattr(jit, "MIN_RECORDS", 0)  # a small file uses the compiled loop too
    compiled = ftlint.check(path, select=["FT2"])
    assert calls
    assert [f.to_dict() for f in compiled.findings] == [f.to_dict() for f in plain.findings]
    assert any(f.code == "FT202" for f in plain.findings)


def test_planned_index_is_signed_in_the_content_pass(monkeypatch, jsonl):
    """With FT202 selected, the content pass (FT201's) also signs every record: the records are
    read, joined and normalized once, and the separate signature pass never runs."""
    # generation data (every answer differs), so FT203 compares exact prompts and needs no index
    rows = [{"prompt": f"{p} number {k % 7}", "completion": f"{a} Ticket {k}."} for k, (p, a) in
            enumerate(zip(PROMPTS * 8, ANSWERS * 8, strict=True))]
    rows += [dict(rows[3]), dict(rows[4], prompt=rows[4]["prompt"] + " Thanks")]
    train, val = jsonl(rows), jsonl(rows[:3] + [{"prompt": "What is new?", "completion": "Nothing."}], "val.jsonl")
    before = ftlint.check(train, validation=val, select=["FT2"])
    assert {"FT201", "FT202", "FT204"} <= {f.code for f in before.findings}

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the records were signed in a second pass")

    monkeypatch.setattr(mh, "_signature_job", no_second_pass)
    for select in (["FT2"], ["FT202"], ["FT201", "FT204"]):
        after = ftlint.check(train, validation=val, select=select)
        assert [f.to_dict() for f in after.findings] == [f.to_dict() for f in before.findings
                                                           if any(f.code.startswith(s) for s in select)]
    # without a plan (the API's index_for alone) the index is still built, by its own pass
    ds = after.datasets[0]
    ds._memo.clear()
    ds.plans.clear()
    with pytest.raises(AssertionError, match="second pass"):
        mh.index_for(ds, mh.Params())


def test_compact_equals_fancy_indexing():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 1 << 40, (150_000, 3), dtype=np.uint64)
    rows = np.flatnonzero(rng.random(len(a)) < 0.9)
    expect = a[rows]
    got = mh._compact(a, rows)
    assert np.array_equal(got, expect) and np.shares_memory(got, a)


def test_verification_fingerprints_tell_first_character_edits_apart(jsonl):
    # the shingle hash's first coefficient is 1: "abcde" and "xbcde" differ in the low bits only
    rows = [{"prompt": "abcdefgh", "completion": ""}, {"prompt": "xbcdefgh", "completion": ""}]
    ex = ftlint.check(jsonl(rows), select=["FT201"]).datasets[0].examples
    a, b = mh.sets_of(ex, [0, 1], mh.Params(char_n=5))
    assert len(a) == len(b) == 4 and mh.jaccard(a, b) == 3 / 5
    ref = mh.shingle_sets(mh.texts_for(ex, [0, 1], "conversation"), 5, 3)
    assert all(np.array_equal(x, y) for x, y in zip((a, b), ref, strict=True))


def test_signatures_tell_first_character_edits_apart():
    # one shingle each, differing in the first character only: their hashes are within 256 of
    # each other, so without mixing they would share their upper 32 bits and their signature
    docs = [["abcde"], ["xbcde"], ["abcdf"]]
    h, d = mh.shingle_hashes(docs, char_n=5)
    assert abs(int(h[0]) - int(h[1])) < 256
    sig = mh.MinHasher(32).signatures(h, d, 3)
    assert not (sig[0] == sig[1]).any() and not (sig[0] == sig[2]).any()
    assert mh.shingle_hash32("abcde") != mh.shingle_hash32("xbcde")


_WORDS = ("account balance card transfer money refund order delivery password reset login app phone number "
          "address change cancel payment bank fee charge declined pending top up cash withdraw atm pin verify "
          "limit exchange rate travel abroad freeze lost stolen new virtual statement salary send friend wrong "
          "amount twice why how what when where can i my the a is not still help please need want get use "
          "make it to for on in of with from today yesterday week").split()


def _typo(rng, s: str) -> str:
    i = rng.randrange(len(s))
    kind = rng.random()
    if kind < 0.3:  # substitution
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if kind < 0.55:  # insertion
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i:]
    if kind < 0.8:  # deletion
        return s[:i] + s[i + 1:]
    return s[:i] + s[i + 1:i + 2] + s[i] + s[i + 2:]  # transposition


def _jaccard3(a: str, b: str) -> float:
    # the reference: character 3-grams of the normalized texts, independent of the MinHash code
    a, b = shingle_text(a), shingle_text(b)
    sa = {a[i:i + 3] for i in range(max(len(a) - 2, 1))}
    sb = {b[i:i + 3] for i in range(max(len(b) - 2, 1))}
    return len(sa & sb) / len(sa | sb)


def test_short_texts_with_typos_are_found(jsonl):
    # short utterances (15-59 characters) and copies with one or two typos: every pair whose
    # character-3-gram Jaccard is at least 0.8 must be reported (0.29 with 5-gram shingles)
    import random

    rng = random.Random(7)
    base: list[str] = []
    seen: set[str] = set()
    while len(base) < 1500:
        words, size = [], rng.randint(15, 59)
        while len(" ".join(words)) < size:
            words.append(rng.choice(_WORDS))
        text = " ".join(words)[:59]
        if text not in seen:
            seen.add(text)
            base.append(text)
    rows, pairs = list(base), []
    for _ in range(750):
        src = rng.randrange(len(base))
        copy = base[src]
        for _ in range(rng.randint(1, 2)):
            copy = _typo(rng, copy)
        if copy not in seen:
            seen.add(copy)
            rows.append(copy)
            pairs.append((src, len(rows) - 1, _jaccard3(base[src], copy)))
    report = ftlint.check(jsonl([{"text": t} for t in rows]), select=["FT202"])
    index = mh.index_for(report.datasets[0], mh.Params())
    cluster = {m: c for c, members in enumerate(index.clusters()) for m in members}
    wanted = [(a, b) for a, b, j in pairs if j >= 0.8]
    found = sum(1 for a, b in wanted if a in cluster and cluster.get(a) == cluster.get(b))
    assert len(wanted) > 300
    assert found / len(wanted) >= 0.95, f"recall {found / len(wanted):.3f} on {len(wanted)} pairs"


def test_conflicts_compare_prompts_on_5_grams(jsonl):
    # CLINC150's "list" and "get everything on my shopping list" are two intents on purpose: on
    # FT202's character 3-grams the prompts are 0.9 similar, on FT203's 5-grams they are not
    rows = [{"prompt": "list everything on my shopping list", "completion": "shopping_list"},
            {"prompt": "get everything on my shopping list", "completion": "order"},
            {"prompt": "what is on my calendar today", "completion": "calendar"},
            {"prompt": "book a table for two tonight", "completion": "restaurant"},
            {"prompt": "what is on my shopping list now", "completion": "shopping_list"},
            {"prompt": "order more paper towels", "completion": "order"},
            {"prompt": "any meetings on friday", "completion": "calendar"},
            {"prompt": "reserve a table at the thai place", "completion": "restaurant"},
            {"prompt": "read me my shopping list", "completion": "shopping_list"},
            {"prompt": "buy a new phone charger for me", "completion": "order"},
            {"prompt": "when is my dentist appointment", "completion": "calendar"},
            {"prompt": "get us a table for six at noon", "completion": "restaurant"}]
    path = jsonl(rows)
    assert ftlint.check(path, select=["FT203"]).findings == []
    three = ftlint.check(path, select=["FT203"], options={"FT203": {"char-ngram": 3}}).findings
    assert [f.line for f in three] == [2]


def test_vectorized_jaccards_equal_the_per_pair_ones():
    from ftlint.artifacts import similarity

    rng = np.random.default_rng(1)
    sets = [np.unique((rng.integers(0, 200, int(rng.integers(0, 40))).astype(np.uint64)
                       * np.uint64(0x9E3779B97F4A7)) & similarity._FP_MASK) for _ in range(500)]
    pa, pb = rng.integers(0, 500, 9000), rng.integers(0, 500, 9000)  # more pairs than one tagged block
    ref = [mh.jaccard(sets[x], sets[y]) for x, y in zip(pa.tolist(), pb.tolist(), strict=True)]
    assert mh.jaccards(sets, sets, pa, pb).tolist() == ref
    assert any(len(sets[x]) == len(sets[y]) == 0 for x, y in zip(pa, pb, strict=True))  # empty pairs covered


def test_two_stage_prefilter_keeps_every_pair_near_the_threshold():
    # pairs whose 8-bit values agree on ~0.8 of the positions, however the agreement falls
    rng = np.random.default_rng(2)
    a = rng.integers(0, 256, (4000, 128), dtype=np.uint8)
    b = a.copy()
    for k in range(4000):
        flip = rng.random(128) < 0.2
        b[k, flip] = rng.integers(0, 256, int(flip.sum()), dtype=np.uint8)
    idx = np.arange(4000)
    assert mh.plausible(a, idx, b, idx, 0.8).all()
