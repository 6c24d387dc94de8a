"""Issue 20's targets end to end: RFT, distillation pairs, image and embedding targets, Nova tool
use, lifecycle, and the sample data that passes each of them."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, write_jsonl

import ftlint
from ftlint import formats, targets
from ftlint.cli import main
from ftlint.curate.convert import convert_file, convert_record


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def errors(report, code=None):
    return [(f.code, f.line, f.message) for f in report.findings
            if f.severity.value == "error" and (code is None or f.code == code)]


def codes(report):
    return sorted({f.code for f in report.findings})


# --- the targets ---------------------------------------------------------------------------------

def test_targets_lists_rft_for_each_model_that_supports_it():
    rft = {k: p for k, p in targets.profiles().items() if p.method == "reinforcement-fine-tuning"}
    assert {p.model_id for p in rft.values()} == {"amazon.nova-2-lite-v1:0:256k", "openai.gpt-oss-20b", "qwen.qwen3-32b"}
    for p in rft.values():
        assert p.formats == ("rft",) and (p.train_min, p.train_max) == (100, 20000)
        assert p.source_of("train-min").startswith("rft-prepare-data")
    assert rft["rft-nova-2-lite"].customization_type == "REINFORCEMENT_FINE_TUNING"
    assert rft["rft-gpt-oss-20b"].job_api == "openai-compatible"
    listing = run("targets").output
    assert all(key in listing for key in rft) and "rft " in listing


def test_distillation_pairs_take_the_students_limits():
    pairs = {k: p for k, p in targets.profiles().items() if p.teacher_model_id}
    assert len(pairs) == 17
    llama = targets.lookup("distill-llama3-1-70b-to-llama3-1-8b")
    assert llama.max_total_tokens == 16000 and llama.source_of("max-total-tokens") == "model-customization-prepare"
    assert llama.max_user_turns == 1 and llama.model_id == "meta.llama3-1-8b-instruct-v1:0:128k"
    nova = targets.lookup("distill-nova-pro-to-nova-lite")
    assert nova.max_user_turns is None and nova.reserved_strings == targets.lookup("nova-lite").reserved_strings
    assert nova.teacher_model_id == "amazon.nova-pro-v1:0" and nova.prompt_only


def test_lifecycle_status_from_the_lifecycle_page():
    assert targets.lookup("claude-3-haiku").status == "end-of-life"
    assert targets.lookup("claude-3-haiku").eol_date == "2026-09-10"
    assert targets.lookup("nova-canvas").status == "end-of-life"
    # the page lists Llama 3.2 as Legacy with end of life 2026-07-07, before the page was last read
    assert targets.lookup("llama3-2-1b").status == "end-of-life" and "status" in targets.lookup("llama3-2-1b").uncertain
    assert targets.lookup("titan-image-generator-v2").status == "end-of-life"
    assert targets.lookup("cohere-command").status == "legacy"  # Legacy, no end-of-life date on the page
    assert targets.lookup("nova-lite").status == "active"
    as_of = targets._data()["lifecycle"]["as-of"]
    for p in targets.profiles().values():
        assert p.replacement is None or targets.lookup(p.replacement).status == "active", p.key
        # no shipped profile is Legacy past its own end of life
        assert p.status != "legacy" or p.eol_date is None or p.eol_date > as_of, p.key


def nova_rows(n):
    return [{"schemaVersion": "bedrock-conversation-2024",
             "messages": [{"role": "user", "content": [{"text": f"Where is order {i}?"}]},
                          {"role": "assistant", "content": [{"text": f"Order {i} ships on Monday."}]}]} for i in range(n)]


def test_legacy_warns_naming_the_replacement_and_end_of_life_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", nova_rows(120))
    legacy = [f for f in ftlint.check(path, target="cohere-command").findings if f.code == "FT612"]
    assert [f.severity.value for f in legacy] == ["warning"] and "move to llama3-1-8b" in legacy[0].message
    past = [f for f in ftlint.check(path, target="llama3-2-1b").findings if f.code == "FT612"]
    assert [f.severity.value for f in past] == ["error"] and "on 2026-07-07" in past[0].message
    assert "move to llama3-1-8b" in past[0].message
    canvas = [f for f in ftlint.check(path, target="nova-canvas").findings if f.code == "FT612"]
    assert canvas[0].severity.value == "error" and "2026-09-30" in canvas[0].message
    assert not [f for f in ftlint.check(path, target="nova-lite").findings if f.code == "FT612"]
    # a user who learns that AWS extended a date says so in the config
    config = tmp_path / "ftlint.toml"
    config.write_text('[targets.llama3-2-1b]\nstatus = "active"\n')
    assert not [f for f in ftlint.check(path, target="llama3-2-1b", config=config).findings if f.code == "FT612"]
    config.write_text('[targets.llama3-2-1b]\nstatus = "legacy"\neol-date = "2027-07-07"\n')
    extended = [f for f in ftlint.check(path, target="llama3-2-1b", config=config).findings if f.code == "FT612"]
    assert [f.severity.value for f in extended] == ["warning"] and "end of life 2027-07-07" in extended[0].message
    config.write_text('[targets.llama3-2-1b]\nstatus = "retired"\n')
    with pytest.raises(ftlint.errors.ConfigError, match="status must be one of"):
        ftlint.check(path, target="llama3-2-1b", config=config)


# --- RFT --------------------------------------------------------------------------------------------

def rft(i, ref="x = 4"):
    return {"messages": [{"role": "user", "content": f"Solve item {i}: 2x + {i} = {8 + i}"}], "reference_answer": ref}


def test_rft_records_are_their_own_format_with_the_reference_as_completion():
    rec = {"messages": [{"role": "system", "content": "Tutor."}, {"role": "user", "content": "2x = 8?"},
                        {"role": "assistant", "content": "Think: x = 4"}], "reference_answer": {"x": 4}}
    assert formats.candidates(rec)[0] == "rft" and formats.is_valid("rft", rec)
    ex = formats.normalize("rft", rec, 1)
    # FT507 (answer-in-prompt) reads these: the reference is the answer, every turn is the prompt
    assert ex.completion == '{"x":4}' and "Think: x = 4" in ex.prompt
    assert not formats.is_valid("rft", {"messages": [{"role": "user", "content": "a"}]})  # no reference_answer


def test_rft_target_counts_and_missing_reference_answers(tmp_path):
    few = ftlint.check(write_jsonl(tmp_path / "few.jsonl", [rft(i) for i in range(99)]), target="rft-nova-2-lite")
    assert [c for c, _, _ in errors(few)] == ["FT601"]
    ok = ftlint.check(write_jsonl(tmp_path / "ok.jsonl", [rft(i) for i in range(100)]), target="rft-nova-2-lite")
    assert errors(ok) == []
    chats = [{"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}]}
             for i in range(100)]
    report = ftlint.check(write_jsonl(tmp_path / "chat.jsonl", chats), target="rft-nova-2-lite")
    assert {c for c, _, _ in errors(report)} == {"FT603", "FT613"}
    assert len(errors(report, "FT613")) == 100


def test_convert_and_split_write_rft_records(tmp_path):
    src = write_jsonl(tmp_path / "pc.jsonl", [{"prompt": f"What is {i} + {i}?", "completion": str(2 * i)}
                                              for i in range(130)])
    out = tmp_path / "rft.jsonl"
    convert_file(str(src), "rft", str(out))
    first = json.loads(out.read_text().splitlines()[0])
    assert first == {"messages": [{"role": "user", "content": "What is 0 + 0?"}], "reference_answer": "0"}
    assert errors(ftlint.check(out, target="rft-nova-2-lite")) == []
    r = run("split", src, "--out", tmp_path / "split", "--target", "rft-nova-2-lite")
    assert r.exit_code == 0, r.output
    assert errors(ftlint.check(tmp_path / "split" / "train.jsonl", target="rft-nova-2-lite")) == []
    back, dropped = convert_record({**rft(1, {"x": 4}), "id": "q1"}, "rft", "prompt-completion", allow_lossy=True)
    assert back == {"prompt": "Solve item 1: 2x + 1 = 9", "completion": '{"x":4}'} and dropped == ["key 'id'"]


# --- distillation -------------------------------------------------------------------------------

def prompt(i, turns=1):
    msgs = []
    for k in range(turns):
        msgs.append({"role": "user", "content": [{"text": f"Question {i}.{k} about invoices?"}]})
        if k < turns - 1:
            msgs.append({"role": "assistant", "content": [{"text": f"Answer {i}.{k}."}]})
    return {"schemaVersion": "bedrock-conversation-2024", "messages": msgs}


def test_distillation_accepts_prompt_only_records_and_applies_the_student(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [prompt(i) for i in range(120)])
    assert errors(ftlint.check(path, target="distill-nova-pro-to-nova-lite")) == []
    assert errors(ftlint.check(path, target="distill-llama3-3-70b-to-llama3-1-8b")) == []
    assert {c for c, _, _ in errors(ftlint.check(path))} == {"FT107"}  # without a target: no answer
    multi = write_jsonl(tmp_path / "m.jsonl", [prompt(i, turns=2) for i in range(120)])
    assert errors(ftlint.check(multi, target="distill-nova-pro-to-nova-lite")) == []  # Nova students: multi-turn
    llama = errors(ftlint.check(multi, target="distill-llama3-3-70b-to-llama3-1-8b"))
    assert {c for c, _, _ in llama} == {"FT611"} and len(llama) == 120  # Llama students: one user turn


def test_invocation_logs_are_read_and_counted():
    report = ftlint.check(SAMPLES / "invocation_logs.jsonl", target="distill-nova-pro-to-nova-lite")
    assert report.files[0].format == "invocation-log" and errors(report) == []
    ex = report.datasets[0].examples[0]
    assert ex.prompt and ex.completion and ex.turns[-1].role == "assistant"
    other = ftlint.check(SAMPLES / "invocation_logs.jsonl", target="distill-nova-premier-to-nova-lite")
    assert "FT621" in codes(other)  # the logs come from Nova Pro, not the Premier teacher


# --- images ---------------------------------------------------------------------------------------

def test_image_targets_and_check_images(tmp_path):
    # every image-generation target is past its end of life (FT612, an error); the image checks
    # still run, and are tested here with FT612 set aside
    report = ftlint.check(SAMPLES / "product_images.jsonl", target="titan-image-generator-v2")
    assert report.files[0].format == "image-caption" and [c for c, _, _ in errors(report)] == ["FT612"]
    r = run("check", SAMPLES / "images" / "captions.jsonl", "--target", "titan-image-generator-v2",
            "--check-images", "-O", "FT618.allow-local=true", "--no-cache", "--ignore", "FT612")
    assert r.exit_code == 0, r.output
    # the same captions pointing at files that are not there: FT620 opens each one
    rows = [{"image-ref": f"gone-{i}.png", "caption": "a studio photo of a mug"} for i in range(6)]
    path = write_jsonl(tmp_path / "gone.jsonl", rows)
    r = run("check", path, "--target", "titan-image-generator-v2", "--check-images", "-O", "FT618.allow-local=true",
            "--no-cache", "--ignore", "FT612")
    assert r.exit_code == 1 and r.output.count("FT620") == 6 and "no such file" in r.output
    # without --check-images nothing is opened
    r = run("check", path, "--target", "titan-image-generator-v2", "-O", "FT618.allow-local=true", "--no-cache")
    assert "FT620" not in r.output


def test_label_captions_that_repeat_are_not_duplicates():
    # Titan Multimodal Embeddings is tuned on label captions: the same caption, another image
    report = ftlint.check(SAMPLES / "xray_embeddings.jsonl", target="titan-multimodal-embeddings")
    assert report.findings == []
    rows = [{"image-ref": "s3://my-bucket/a.png", "caption": "Effusion"}] * 2
    twice = ftlint.check(rows, select=["FT201"])
    assert [f.code for f in twice.findings] == ["FT201"]  # the same image and caption twice is one


# --- tool use -------------------------------------------------------------------------------------

def test_nova_tool_use_sample_passes_and_nova_2_lite_sft_warns():
    # the sample is template-made: FT205 notes its constant system prompt, and FT202 (character
    # 3-grams) one pair of records that differ only in an order number and a day count
    assert ftlint.check(SAMPLES / "tool_use_nova.jsonl", target="nova-lite", ignore=["FT202", "FT205"]).findings == []
    report = ftlint.check(SAMPLES / "tool_use_nova.jsonl", target="nova-2-lite")
    assert "FT617" in codes(report) and all(f.severity.value == "warning" for f in report.findings if f.code == "FT617")


# --- every new sample passes its target -----------------------------------------------------------

SAMPLE_TARGETS = [
    ("math_rft.jsonl", "rft-nova-2-lite"), ("math_rft.jsonl", "rft-gpt-oss-20b"), ("math_rft.jsonl", "rft-qwen3-32b"),
    ("distill_prompts_nova.jsonl", "distill-nova-pro-to-nova-lite"),
    ("distill_prompts_nova.jsonl", "distill-nova-pro-to-nova-micro"),
    ("invocation_logs.jsonl", "distill-nova-pro-to-nova-lite"),
    ("tool_use_nova.jsonl", "nova-lite"), ("tool_use_nova.jsonl", "nova-pro"),
    ("product_images.jsonl", "titan-image-generator-v2"),
    ("xray_embeddings.jsonl", "titan-multimodal-embeddings"),
]


@pytest.mark.parametrize("name,target", SAMPLE_TARGETS)
def test_sample_passes_its_target(name, target):
    report = ftlint.check(SAMPLES / name, target=target)
    past_eol = targets.lookup(target).status == "end-of-life"
    assert [c for c, _, _ in errors(report)] == (["FT612"] if past_eol else [])


# --- the README's Bedrock section runs as printed -----------------------------------------------

def test_readme_bedrock_commands_run_as_printed(tmp_path, monkeypatch):
    import re
    import shlex

    from conftest import ROOT

    text = (ROOT / "README.md").read_text()
    section = text.split("## Every Bedrock customization job", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample_data").symlink_to(SAMPLES)
    (tmp_path / "build").mkdir()
    commands, pending = [], ""
    for line in block.splitlines():
        if line.startswith("#"):
            continue
        line = pending + line
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        commands.append(line.partition("   #"))
    assert len(commands) >= 10
    for cmd, _, comment in commands:
        r = run(*shlex.split(cmd)[1:], "--no-cache") if cmd.startswith("ftlint check") else run(*shlex.split(cmd)[1:])
        expected = 1 if "exit 1" in comment else 0
        assert r.exit_code == expected, (cmd, r.output)
        if "--print-command" in cmd:
            assert re.search(r"aws bedrock create-model-customization-job --cli-input-json file://\S+job.json", r.output)
    assert json.loads((tmp_path / "build" / "distill-job.json").read_text())["customizationType"] == "DISTILLATION"
