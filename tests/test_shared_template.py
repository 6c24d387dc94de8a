"""FT205 and template-aware similarity: the text most prompts share is found once per file (from
a sample) and left out of what FT202, FT203 and FT204 compare."""
from __future__ import annotations

import random

import numpy as np

import ftlint
from ftlint.artifacts import minhash as mh
from ftlint.artifacts import shared_template as st
from ftlint.artifacts.normalize import shingle_text
from ftlint.example import Example, Turn

# a Dolly-style classification prompt: every prompt starts with the same 81-character instruction
TEMPLATE = "Classify the following item as a fruit, a vegetable, a grain or a dairy product: "
LABELS = ("fruit", "vegetable", "grain", "dairy")


def _items(n: int, seed: int = 3) -> list[str]:
    # made-up product names of random letters: no two share much, so every leak is a planted one
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(6, 10)))
        if w not in out:
            out.append(w)
    return out


def _ex(user: str, answer: str = "ok", system: str | None = None) -> Example:
    turns = ((Turn("system", system),) if system else ()) + (Turn("user", user), Turn("assistant", answer))
    return Example(1, "openai-chat", system, turns, user, answer)


def test_dolly_style_leaks_all_found_and_no_false_leak(jsonl):
    assert len(TEMPLATE) == 81
    items = _items(240)
    train = [{"prompt": TEMPLATE + it, "completion": LABELS[k % 4]} for k, it in enumerate(items[:200])]
    val = [{"prompt": TEMPLATE + it, "completion": LABELS[k % 4]} for k, it in enumerate(items[200:], 200)]
    val[5] = dict(train[17])  # a verbatim copy
    val[12] = {"prompt": TEMPLATE + items[60].upper() + "!", "completion": train[60]["completion"]}  # case, punctuation
    val[30] = {"prompt": TEMPLATE + items[90] + "s", "completion": train[90]["completion"]}  # a near copy
    tpath, vpath = jsonl(train, "train.jsonl"), jsonl(val, "val.jsonl")
    report = ftlint.check(tpath, validation=vpath, select=["FT204"])
    found = [(f.line, f.data["kind"]) for f in report.findings if f.code == "FT204" and f.line is not None]
    assert found == [(6, "exact"), (13, "normalized"), (31, "near")]
    # without the template left out, records that share only the template are reported as leaks
    plain = ftlint.check(tpath, validation=vpath, select=["FT204"], options={"FT204": {"ignore-template": False}})
    assert len([f for f in plain.findings if f.line is not None]) > 10


def test_records_that_share_only_the_template_are_not_near_duplicates(jsonl):
    items = _items(60)
    rows = [{"prompt": TEMPLATE + it, "completion": LABELS[k % 4]} for k, it in enumerate(items)]
    rows.append({"prompt": TEMPLATE + items[7] + "s", "completion": rows[7]["completion"]})  # line 61: a true near copy
    path = jsonl(rows)
    report = ftlint.check(path, select=["FT202", "FT205"])
    assert [(f.line, f.related) for f in report.findings if f.code == "FT202"] == [(61, (8,))]
    (info,) = [f for f in report.findings if f.code == "FT205"]
    assert info.line is None and info.severity.value == "info"
    assert "100% start with the same 81-character text" in info.message
    assert info.data["user"]["prefix"] == TEMPLATE and info.data["user"]["prefix_share"] == 1.0
    plain = ftlint.check(path, select=["FT202"], options={"FT202": {"ignore-template": False}})
    assert len(plain.findings) > 20


def test_conflicts_are_not_made_of_the_template(jsonl):
    # classification prompts one template apart: FT203's near-identical prompts (0.9) must not
    # group records that share only the template
    rows = [{"prompt": f"{TEMPLATE}item {k:03d}", "completion": LABELS[k % 4]} for k in range(40)]
    assert [f for f in ftlint.check(jsonl(rows), select=["FT203"]).findings] == []
    plain = ftlint.check(jsonl(rows, "b.jsonl"), select=["FT203"], options={"FT203": {"ignore-template": False}})
    assert plain.findings


def test_prefix_suffix_and_lines():
    pre = "Below is an instruction that describes a task.\n\n### Instruction:\n"
    texts = [f"{pre}{q}\n### Input:\n{x}\n\n### Response:\n" for q, x in (
        ("Name a colour", "sky"), ("Add the numbers", "2 and 3"), ("Translate to French", "cat"),
        ("Give an antonym", "hot"), ("Spell backwards", "abc"), ("Count the letters", "hello"))]
    t = st.detect([_ex(x) for x in texts])
    (role, rt), = t.roles
    assert role == "user" and rt.prefix == pre and rt.prefix_share == 1.0
    assert rt.suffix == "\n\n### Response:\n" and rt.lines == ("### Input:",)  # a short end closes the start
    alone = st.detect([_ex(x[len(pre):]) for x in texts]).roles[0][1]
    assert alone.prefix == alone.suffix == "" and alone.lines == ("### Input:", "### Response:")  # without a start: lines
    assert rt.strip(texts[0]).split() == ["Name", "a", "colour", "sky"]
    assert t.fields(_ex(texts[1], "5"), "conversation") == [rt.strip(texts[1]), "5"]


def test_a_start_is_cut_at_a_word_boundary_and_needs_more_than_half():
    shared = "Please answer the following customer question carefully: "
    texts = [shared + w for w in ("where is my parcel", "where is the invoice", "why was I charged",
                                  "can I pay by card", "how do I log in", "what is the fee")]
    (_, rt), = st.detect([_ex(x) for x in texts]).roles
    assert rt.prefix == shared  # "where is " is shared by two only, and never half a word
    half = [shared + "a b c"] * 3 + ["Something else entirely, a different text altogether"] * 3
    assert st.detect([_ex(x) for x in half]) is None  # exactly half is not "more than half"
    assert st.detect([_ex(shared + "x")] * (st.MIN_TEXTS - 1)) is None  # too few texts
    short = [f"What is the {w}" for w in ("fee", "limit", "rate", "plan", "time", "cost")]
    assert st.detect([_ex(x) for x in short]) is None  # a common opening, not a template


def test_answers_are_never_stripped_and_system_prompts_are():
    system = "You are a bot that can handle different requests with tools."
    exs = [_ex(q, "Sure! Here is what I found about it: " + q, system) for q in (
        "weather in Paris", "stats of the Bengals", "list files", "SQL for salaries", "who was Ada Lovelace")]
    t = st.detect(exs)
    assert [r for r, _ in t.roles] == ["system"]
    assert t.fields(exs[0], "all") == ["", "weather in Paris", exs[0].completion]
    assert t.fields(exs[0], "prompt") == ["\x1fweather in Paris"]  # the prompt context, system part emptied


def test_detection_reads_a_bounded_sample():
    class Counting(list):
        reads = 0

        def __getitem__(self, i):
            Counting.reads += 1
            return list.__getitem__(self, i)

    exs = Counting([_ex(TEMPLATE + "apple")] * 1_000_000)
    assert st.detect(exs) is not None
    assert Counting.reads <= st.SAMPLE


def test_signed_sets_are_those_of_the_stripped_text(jsonl):
    rows = [{"prompt": TEMPLATE + it, "completion": "fruit"} for it in _items(12)]
    ds = ftlint.check(jsonl(rows), select=["FT201"]).datasets[0]
    template = st.template_of(ds)
    params = mh.Params(template=template)
    got = mh.sets_of(ds.examples, np.arange(len(rows)), params)
    ref = mh.shingle_sets([[shingle_text(x) for x in template.fields(e, "conversation")] for e in ds.examples], 3, 3)
    assert all(np.array_equal(a, b) for a, b in zip(got, ref, strict=True))
    assert params.key != mh.Params().key  # a templated index is cached apart from a plain one


def test_duplicate_clusters_api_leaves_the_template_out_as_ft202_does(jsonl):
    items = _items(30)
    rows = [{"prompt": TEMPLATE + it, "completion": "fruit"} for it in items]
    rows.append({"prompt": TEMPLATE + items[3] + "s", "completion": "fruit"})  # line 31: near line 4
    path = jsonl(rows)
    assert [c.lines for c in ftlint.duplicate_clusters(path)[str(path)]] == [(4, 31)]
    assert len(ftlint.duplicate_clusters(path, ignore_template=False)[str(path)][0].lines) > 2


def test_punctuation_most_contents_end_with_is_not_part_of_the_end():
    pre = "Answer the question below in one short sentence, please.\nQuestion: "
    qs = ("Who wrote Hamlet.", "Name a prime.", "Is ice cold.", "Where is Rome.", "What is 2+2?", "Why is the sky blue?")
    (_, rt), = st.detect([_ex(pre + q + "\nAnswer:") for q in qs]).roles
    assert rt.prefix == pre and rt.suffix.strip() == "Answer:" and rt.suffix_share == 1.0
