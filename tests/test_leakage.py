"""FT204: leakage between training and validation, in tiers, and the dataset-level share."""
from __future__ import annotations

import ftlint

TRAIN = [
    {"prompt": "hi ai", "completion": "greeting"},
    {"prompt": "freeze my card in russia", "completion": "freeze_account"},
    {"prompt": "What is the top up limit?", "completion": "top_up_limits"},
    {"prompt": "turn up your volume", "completion": "whisper_mode"},
    {"prompt": "Where is my order for the blue chair? It was due on Monday", "completion": "order_status"},
]


def _leaks(report):
    return [(f.line, f.severity.value, f.data["kind"]) for f in report.findings if f.code == "FT204"]


def test_tiers_and_their_severities(jsonl):
    val = jsonl([{"prompt": "HI ai", "completion": "Greeting"},  # exact after case
                 {"prompt": "hi, ai!", "completion": "greeting"},  # the same but for punctuation
                 {"prompt": "freeze my card in dublin", "completion": "freeze_account"},  # formulaic: different
                 {"prompt": "turn up your volume", "completion": "change_volume"},  # contradiction
                 {"prompt": "Where is my order for the red chair? It was due on Monday", "completion": "order_status"},
                 {"prompt": "Can I pay by invoice?", "completion": "payment_methods"}], "val.jsonl")
    report = ftlint.check(jsonl(TRAIN, "train.jsonl"), validation=val, select=["FT204"])
    assert _leaks(report) == [(1, "error", "exact"), (2, "error", "normalized"), (4, "error", "conflict"),
                              (5, "warning", "near"), (None, "info", "summary")]
    near = next(f for f in report.findings if f.line == 5)
    assert "similarity 0.8" in near.message and near.related == (5,)
    normalized = next(f for f in report.findings if f.line == 2)
    assert normalized.related == (1,) and "punctuation" in normalized.message


def test_summary_states_the_share_per_tier(jsonl):
    val = [{"prompt": "hi ai", "completion": "greeting"}, {"prompt": "hi, ai", "completion": "greeting"},
           {"prompt": "Where is my order for the red chair? It was due on Monday", "completion": "order_status"}]
    val += [{"prompt": f"a new question number {k} about something else", "completion": "other"} for k in range(17)]
    report = ftlint.check(jsonl(TRAIN, "train.jsonl"), validation=jsonl(val, "val.jsonl"), select=["FT204"])
    summary = [f for f in report.findings if f.code == "FT204" and f.line is None]
    assert len(summary) == 1
    s = summary[0]
    assert s.message.startswith("2 of 20 validation records (10.0%) are in training verbatim")
    assert "1 more (5.0%) are near matches" in s.message
    assert {k: s.data[k] for k in ("validation_records", "verbatim", "exact", "normalized", "near", "conflicts")} == {
        "validation_records": 20, "verbatim": 2, "exact": 1, "normalized": 1, "near": 1, "conflicts": 0}
    assert s.data["verbatim_share"] == 0.1 and s.data["near_share"] == 0.05
    # the JSON report carries it as a finding without a line
    doc = report.to_dict()
    assert any(f["code"] == "FT204" and f["line"] is None and f["data"]["kind"] == "summary" for f in doc["findings"])


def test_nothing_leaks_no_summary(jsonl):
    val = jsonl([{"prompt": "Can I pay by invoice?", "completion": "payment_methods"}], "val.jsonl")
    report = ftlint.check(jsonl(TRAIN, "train.jsonl"), validation=val, select=["FT204"])
    assert _leaks(report) == []


def test_near_matches_of_short_formulaic_texts_are_never_errors(jsonl):
    # slot substitutions of one template: each validation utterance is near a training one
    cities = ["russia", "dublin", "paris", "berlin", "madrid", "lisbon", "vienna", "prague"]
    train = [{"prompt": f"freeze my card now please i am in {c}", "completion": "freeze_account"} for c in cities[:4]]
    val = [{"prompt": f"freeze my card now please i am in {c}", "completion": "freeze_account"} for c in cities[4:]]
    report = ftlint.check(jsonl(train, "train.jsonl"), validation=jsonl(val, "val.jsonl"), select=["FT204"])
    leaks = _leaks(report)
    assert leaks and all(sev != "error" for _, sev, _ in leaks)
    assert {kind for _, _, kind in leaks} <= {"near", "summary"}


def test_normalized_tier_uses_the_content_pass_when_planned(monkeypatch, jsonl):
    # a check run plans the punctuation-free digests: no second pass over the records for them
    from ftlint.artifacts import content

    calls = []
    real = content.content_digests

    def spy(examples, fields, *a, **k):
        calls.append(k.get("shingled", False))
        return real(examples, fields, *a, **k)

    monkeypatch.setattr(content, "content_digests", spy)
    val = jsonl([{"prompt": "hi, ai!", "completion": "greeting"}], "val.jsonl")
    report = ftlint.check(jsonl(TRAIN, "train.jsonl"), validation=val, select=["FT204"])
    assert _leaks(report)[0] == (1, "error", "normalized")
    assert calls == [True, True]  # one content pass per file, each with the shingled digests
