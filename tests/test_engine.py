"""The format stage inside the engine: majority detection, FT103 vs FT104, forced formats, and
examples kept only when a dataset rule needs them; the parallel rules (FT7) in a forked child."""
from __future__ import annotations

import json
import os
import time

import pytest

import ftlint
from ftlint import dataset_pool, pool
from ftlint import engine as engine_mod
from ftlint import settings as cfg
from ftlint.api import sources_of
from ftlint.engine import Engine
from ftlint.rules import privacy

PC = [{"prompt": f"question {i}?", "completion": f"answer {i}."} for i in range(5)]
IO = [{"input": t, "output": "billing"} for t in ("I was charged twice", "Refund my last invoice", "Why is there a fee?")]


def codes(report):
    return [(f.line, f.code) for f in report.findings]


def test_majority_format_wins_and_others_are_ft104():
    report = ftlint.check(IO + PC)
    assert report.files[0].format == "prompt-completion"
    assert codes(report) == [(1, "FT104"), (2, "FT104"), (3, "FT104")]


def test_tie_breaks_by_format_order_deterministically():
    a = ftlint.check(PC[:3] + IO).files[0].format
    b = ftlint.check(IO + PC[:3]).files[0].format
    assert a == b


def test_forced_format_reports_schema_errors_instead_of_mixing():
    report = ftlint.check(IO + PC, dataset_format="input-output")
    assert report.files[0].format == "input-output"
    assert {c for _, c in codes(report)} == {"FT103"}


def test_broken_record_of_another_format_is_ft104_with_its_own_errors():
    broken = {"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "user", "content": [{"text": "hi", "image": {}}]}]}
    chat = [{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}] * 3
    (f,) = ftlint.check(chat + [broken], select=["FT1"]).findings
    assert f.code == "FT104" and "exactly one of" in f.message


def test_no_valid_record_still_names_a_format():
    report = ftlint.check([{"prompt": "a"}, {"prompt": "b", "completion": 3}])
    assert report.files[0].format == "prompt-completion"
    assert [c for _, c in codes(report)] == ["FT103", "FT103"]


def test_unknown_shape_is_ft103():
    (f,) = ftlint.check([{"foo": 1}]).findings
    assert f.code == "FT103" and "matches no known format" in f.message


def test_examples_are_kept_only_when_a_dataset_rule_needs_them():
    settings = cfg.with_cli(cfg.Settings(), select=["FT1"])
    report = Engine(settings).run(sources_of(PC))
    assert report.datasets[0].examples == []  # streaming: nothing retained for FT1


def _privacy_file(tmp_path, n=300):
    rows = [{"prompt": f"Order {i}: call me at +1 415-555-{i % 10000:04d} or mail user{i}@mail.com.",
             "completion": f"We will call you back, reference {i}." + " Thanks for waiting." * (i % 13)}
            for i in range(n)]
    rows += [{"prompt": "My key is AKIAQZ6JYWVDAMXIQK36", "completion": "Rotate it."}] * 2
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def _json(report) -> list[dict]:
    return [f.to_dict() for f in report.findings]


def _in_process_then_child(monkeypatch, path: str) -> list[dict]:
    """The findings of ``path`` with every rule in this process; after it, FT7 runs in a child
    for any file (two workers, no size threshold)."""
    if not pool.FORK:
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(pool, "WORKERS", 1)
    here = _json(ftlint.check([path]))
    monkeypatch.setattr(pool, "WORKERS", 2)
    monkeypatch.setattr(engine_mod, "MIN_BACKGROUND_BYTES", 0)
    return here


def _wait_for_bytes(fd: int, size: int) -> None:
    """Until the child has written ``size`` bytes to its result file (or a minute has passed)."""
    deadline = time.monotonic() + 60
    while os.fstat(fd).st_size < size and time.monotonic() < deadline:
        time.sleep(0.01)


def test_parallel_rules_in_a_child_give_the_same_findings(monkeypatch, tmp_path):
    """FT7 run by a forked second reader reports exactly what it reports in-process."""
    path = _privacy_file(tmp_path)
    here = _in_process_then_child(monkeypatch, path)
    assert {f["code"] for f in here} >= {"FT701", "FT702"}
    forks = []
    start = pool.background
    monkeypatch.setattr(pool, "background", lambda fn: forks.append(1) or start(fn))
    assert _json(ftlint.check([path])) == here
    assert forks == [1]
    assert _json(ftlint.check([path], select=["FT7"])) == [f for f in here if f["code"].startswith("FT7")]
    assert forks == [1], "nothing to overlap with: no child"
    # two files and one spare core: one child; the second file's parallel rules run here
    monkeypatch.setattr(pool, "WORKERS", 1)
    both = _json(ftlint.check([path], validation=[path]))
    monkeypatch.setattr(pool, "WORKERS", 2)
    forks.clear()
    assert _json(ftlint.check([path], validation=[path])) == both
    assert forks == [1]


def test_a_failed_child_is_redone_here(monkeypatch, tmp_path):
    path = _privacy_file(tmp_path)
    here = _in_process_then_child(monkeypatch, path)
    parent = os.getpid()
    real = privacy.find_secrets_batch

    def crashes_in_the_child(*a, **kw):
        if os.getpid() != parent:
            raise MemoryError
        return real(*a, **kw)

    monkeypatch.setattr(privacy, "find_secrets_batch", crashes_in_the_child)
    assert _json(ftlint.check([path])) == here
    # a rule that fails everywhere fails as it does without a child: one error naming the rule
    monkeypatch.setattr(privacy, "find_secrets_batch", lambda *a, **kw: 1 / 0)
    with pytest.raises(RuntimeError, match="FT702"):
        ftlint.check([path])


def test_a_child_stopped_midway_leaves_the_rest_to_this_process(monkeypatch, tmp_path):
    """The child handed over its first batch, then hangs (a busy machine): the parent stops it
    and runs the batches from the second on; the findings are those of a run without a child."""
    path = _privacy_file(tmp_path, 4000)  # 3 read batches of 256 KiB
    here = _in_process_then_child(monkeypatch, path)
    parent, calls, real = os.getpid(), [], privacy.find_pii_batch

    def hangs_after_one_batch(*a, **kw):
        if os.getpid() != parent:
            calls.append(1)
            if len(calls) > 1:
                time.sleep(600)
        return real(*a, **kw)

    stopped = []
    stop = pool.Job.stop

    def stop_after_the_first_batch(self):
        _wait_for_bytes(self.fd, 1)
        got = stop(self)
        stopped.append((len(got[0]), got[1]))
        return got

    monkeypatch.setattr(privacy, "find_pii_batch", hangs_after_one_batch)
    monkeypatch.setattr(pool.Job, "stop", stop_after_the_first_batch)
    monkeypatch.setattr(os, "nice", lambda inc: 0)  # at nice 19 a busy test machine may starve the child
    assert _json(ftlint.check([path])) == here
    assert stopped == [(1, False)]


def test_dataset_rules_shared_with_a_child_give_the_same_findings(monkeypatch, tmp_path):
    """The dataset rules' modules dealt to this process and a forked child (pool.share) report
    exactly what they report in this process alone, in the same order."""
    if not pool.FORK:
        pytest.skip("no fork on this platform")
    rows = [{"prompt": f"Summarise ticket {i % 40}", "completion": "The customer wants a refund. " * (4 if i % 9 == 0 else 1)}
            for i in range(300)]
    rows += [{"prompt": "Hello {name}", "completion": "Dear {customer_name}, thanks."}] * 3
    path = tmp_path / "shared.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.setattr(pool, "WORKERS", 1)
    here = _json(ftlint.check([str(path)]))
    assert {f["code"] for f in here} >= {"FT201", "FT407"}
    monkeypatch.setattr(pool, "WORKERS", 2)
    monkeypatch.setattr(dataset_pool, "MIN_SHARED_EXAMPLES", 0)
    shared = []
    start = pool.share
    monkeypatch.setattr(pool, "share", lambda fn, order: shared.append(len(order)) or start(fn, order))
    assert _json(ftlint.check([str(path)])) == here
    assert shared and shared[0] > 1
