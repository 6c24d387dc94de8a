"""The consistency family (FT501-FT507) on Spark gives the local engine's findings, code for
code, message and data included, on planted files that span several partitions and hold
findings of every FT5 rule (so a rule that stops firing fails here), and none of them runs on
the driver fallback any more. Runs in local[2] (conftest)."""
from __future__ import annotations

import consistency_planted as planted
import pytest
from spark_planted import write

from ftlint import api
from ftlint.settings import from_options

pytest.importorskip("pyspark")

FT5 = {"FT501", "FT502", "FT503", "FT504", "FT505", "FT506", "FT507"}


def findings(report) -> set[tuple]:
    return {(f.code, f.path, f.line, f.message, repr(sorted(f.data.items())), f.related)
            for f in report.findings if f.code in FT5}


def check_both(spark, path, options=(), select=("FT5",)):
    import ftlint.spark

    settings = from_options(discover=False, select=list(select), options=list(options))
    local = api.run(settings, api.sources_of([str(path)]))
    remote = ftlint.spark.check(str(path), settings=settings, spark=spark)
    assert findings(remote) == findings(local)
    assert not FT5 & set(remote.engine["on_driver"]), remote.engine
    assert remote.engine["sampled"] == {}
    return {f.code for f in remote.findings if f.code in FT5}


@pytest.mark.parametrize(("lines", "codes"), [
    (planted.json_output_lines, {"FT501", "FT502", "FT503", "FT504", "FT505", "FT507"}),
    (planted.chat_label_lines, {"FT503", "FT504", "FT505", "FT506", "FT507"}),
    (planted.instruction_lines, {"FT501", "FT503", "FT505"}),
])
def test_planted_files_give_the_local_findings(spark, tmp_path, lines, codes):
    path = write(tmp_path / f"{lines.__name__}.jsonl", lines())
    assert spark.read.text(str(path)).rdd.getNumPartitions() >= 3
    assert check_both(spark, path) == codes


def test_system_prompt_similarities_in_a_job(spark, tmp_path, monkeypatch):
    """FT506 compares many candidates with the dominant prompts in a Spark job (few on the driver)."""
    from ftlint.spark.rules import system_prompt

    monkeypatch.setattr(system_prompt, "ON_DRIVER", 0)
    path = write(tmp_path / "chat.jsonl", planted.chat_label_lines())
    assert "FT506" in check_both(spark, path, select=["FT506"])
