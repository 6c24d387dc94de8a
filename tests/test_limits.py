"""FT6 target rules, profiles, token estimation, `ftlint targets` and `ftlint convert`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SAMPLES, write_jsonl

import ftlint
from ftlint import targets
from ftlint.cli import main
from ftlint.curate.convert import (
    CONVERTIBLE,
    ConversionError,
    LossyConversion,
    convert_file,
    convert_record,
    target_format,
)
from ftlint.errors import ConfigError
from ftlint.targets import tokens

TARGET_FIXTURES = FIXTURES / "targets"


def pc(i):
    return {"prompt": f"Where is order {i}?", "completion": f"Order {i} ships on Monday."}


def cm(i):
    return {"messages": [{"role": "user", "content": f"Where is order {i}?"},
                         {"role": "assistant", "content": f"Order {i} ships on Monday."}]}


def codes(report, prefix="FT6"):
    return sorted((f.code, f.line, f.severity.value) for f in report.findings if f.code.startswith(prefix))


# --- profiles ---------------------------------------------------------------------------------

def test_every_profile_figure_names_a_known_source_page():
    pages = targets.pages()
    for key, p in targets.profiles().items():
        assert p.formats, key
        for field, _ in p.figures():
            assert p.source_of(field) in pages, (key, field)
        assert p.uncertain <= {f for f, _ in p.figures()}, key


def test_aliases_and_model_ids_resolve_to_one_target():
    assert targets.lookup("nova-lite").key == "nova-lite"
    assert targets.lookup("amazon.nova-lite-v1:0:300k").key == "nova-lite"
    assert targets.lookup("Claude-3-Haiku").key == "claude-3-haiku"
    assert targets.lookup("meta.llama3-1-8b-instruct-v1:0").key == "llama3-1-8b"
    names = [n.lower() for p in targets.profiles().values() for n in (p.key, *p.aliases)]
    assert len(names) == len(set(names))
    with pytest.raises(ConfigError, match="unknown target 'gpt-4'"):
        targets.lookup("gpt-4")


def test_issue_targets_have_the_documented_figures():
    haiku = targets.lookup("claude-3-haiku")
    assert (haiku.train_min, haiku.train_max, haiku.validation_min, haiku.validation_max) == (32, 10000, 32, 1000)
    assert targets.lookup("llama3-1-8b").max_total_tokens == 16000
    assert targets.lookup("nova-micro").images is False and targets.lookup("nova-lite").images is True
    assert targets.lookup("nova-2-lite").validation is False and targets.lookup("nova-2-lite").reasoning
    assert "total-max" in targets.lookup("titan-express").uncertain


def test_config_overrides_a_figure_and_rejects_unknown_fields(tmp_path, jsonl):
    path = jsonl([pc(i) for i in range(5)])
    cfg = tmp_path / "ftlint.toml"
    cfg.write_text('target = "titan-express"\n[targets.titan-express]\ntotal-max = 3\n')
    report = ftlint.check(path, config=cfg, select=["FT601"])
    assert [f.data["max"] for f in report.findings] == [3]
    cfg.write_text('[targets.titan-express]\ntotal-maximum = 3\n')
    with pytest.raises(ConfigError, match="unknown target field 'total-maximum'"):
        ftlint.check(path, config=cfg)
    cfg.write_text('[targets.titan-express]\ntotal-max = "many"\n')
    with pytest.raises(ConfigError, match="total-max must be int"):
        ftlint.check(path, config=cfg)


def test_unknown_target_exits_2(jsonl):
    result = CliRunner().invoke(main, ["check", str(jsonl([pc(1)])), "--target", "nova-mega"])
    assert result.exit_code == 2 and "unknown target 'nova-mega'" in result.output


# --- token estimation ---------------------------------------------------------------------------

def test_heuristic_is_conservative_for_prose_cjk_and_code():
    est = tokens.Heuristic()
    prose = "The customer was charged twice for the annual plan and asks for a refund. " * 10
    assert est.count(prose) == -(-len(prose) // 3)  # 3 chars per token, rounded up
    assert est.count("日本語のテキスト") == 8  # one per CJK character
    code = "if (x[i] == y) { return {a: b}; } // $var_name = <tag>;" * 5
    assert est.count(code) > len(code) / 3  # symbols push it towards 2 chars/token
    assert est.count(code) <= -(-len(code) // 2)
    assert est.count("") == 0


def test_tokenizer_file_needs_the_extra_or_the_file(tmp_path):
    with pytest.raises(ConfigError):
        tokens.from_file(str(tmp_path / "missing.json"))


def test_token_limit_warns_near_and_errors_over_with_estimate_and_method(jsonl):
    over = {"prompt": "word " * 3000, "completion": "Done."}  # 15,005 chars ~ 5,002 tokens
    near = {"prompt": "word " * 2100, "completion": "Done."}  # ~3,502 tokens: 85% of 4,096
    report = ftlint.check(jsonl([pc(1), over, near]), target="titan-express", select=["FT602"])
    assert codes(report) == [("FT602", 2, "error"), ("FT602", 3, "warning")]
    err = report.findings[0]
    assert "over the limit of 4,096 total tokens" in err.message and "chars/token" in err.message
    assert err.data["limit"] == 4096 and err.data["tokens"] > 4096 and err.data["method"].startswith("estimate")
    report = ftlint.check(jsonl([near]), target="titan-express", select=["FT602"],
                          options={"FT602": {"warn-share": 0.9}})
    assert codes(report) == []


def test_token_limit_checks_cohere_input_and_output_separately(jsonl):
    rec = {"prompt": "Short question?", "completion": "word " * 1300}  # ~2,167 output tokens > 2,048
    report = ftlint.check(jsonl([rec]), target="cohere-command", select=["FT602"])
    assert [f.data["kind"] for f in report.findings] == ["output"]


# --- record counts ------------------------------------------------------------------------------

def test_claude_validation_file_is_checked_against_validation_limits(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", [cm(i) for i in range(40)])
    val = write_jsonl(tmp_path / "val.jsonl", [cm(i) for i in range(1001, 2002)])
    report = ftlint.check(train, validation=val, target="claude-3-haiku", select=["FT601"])
    assert [(f.path, f.data["kind"], f.data["max"]) for f in report.findings] == [(str(val), "validation", 1000)]


def test_llama_total_counts_train_and_validation_together(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", [pc(i) for i in range(90)])
    val = write_jsonl(tmp_path / "val.jsonl", [pc(i) for i in range(100, 120)])
    assert codes(ftlint.check(train, validation=val, target="llama3-1-8b", select=["FT601"])) == []
    alone = ftlint.check(train, target="llama3-1-8b", select=["FT601"])
    assert [f.data["kind"] for f in alone.findings] == ["total"]
    assert "takes 100 to 10,000 records" in alone.findings[0].message


def test_every_problem_in_one_run_with_lines_blank_lines_and_nulls_included(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"prompt": "Hi", "completion": "Hello."}\n\n{"prompt": null, "completion": "x"}\n'
                     b'{"prompt": "' + b"w " * 30000 + b'", "completion": "y"}\n{"input": "a", "output": "b"}\n')
    report = ftlint.check(path, target="llama3-1-8b")
    found = {(f.code, f.line) for f in report.findings}
    assert {("FT108", 2), ("FT103", 3), ("FT104", 5), ("FT602", 4), ("FT601", None)} <= found


# --- reserved strings, media, shapes ---------------------------------------------------------------

def test_claude_reserved_markers_need_the_newline(jsonl):
    ok = {"system": "Reply as the Assistant: briefly.", "messages": cm(1)["messages"]}
    bad = {"system": "Be brief.", "messages": [{"role": "user", "content": "Log:\nHuman: hi"},
                                               {"role": "assistant", "content": "Sure.\nAssistant: done"}]}
    report = ftlint.check(jsonl([ok, bad]), target="claude-3-haiku", select=["FT604"])
    assert [(f.line, f.data["field"]) for f in report.findings] == [(2, "messages[0]"), (2, "messages[1]")]


def test_nova_reserved_strings_ignore_assistant_text_and_match_any_case(jsonl):
    def bc(user, assistant):
        return {"messages": [{"role": "user", "content": [{"text": user}]},
                             {"role": "assistant", "content": [{"text": assistant}]}]}
    report = ftlint.check(jsonl([bc("ok", "BOT: fine"), bc("thought: hmm", "ok")]), target="nova-pro",
                          select=["FT604"])
    assert [(f.line, f.data["strings"]) for f in report.findings] == [(2, ["thought:"])]


def test_nova_micro_takes_no_images_and_nova_2_lite_reasoning_only_in_assistant_turns(jsonl):
    image = {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://bucket-a/x.png"}}}}
    rec = {"messages": [{"role": "user", "content": [{"text": "What?"}, image]},
                        {"role": "assistant", "content": [{"text": "A cat."}]}]}
    report = ftlint.check(jsonl([rec]), target="nova-micro", select=["FT606"])
    assert "takes no images" in report.findings[0].message
    assert codes(ftlint.check(jsonl([rec]), target="nova-lite", select=["FT606"])) == []
    thinking = {"reasoningContent": {"reasoningText": {"text": "hmm"}}}
    rec = {"messages": [{"role": "user", "content": [{"text": "What?"}, thinking]},
                        {"role": "assistant", "content": [{"text": "A cat."}]}]}
    report = ftlint.check(jsonl([rec]), target="nova-2-lite", select=["FT607"])
    assert "assistant turns only" in report.findings[0].message


def test_distillation_needs_schema_version_and_one_user_turn(jsonl):
    multi = {"schemaVersion": "bedrock-conversation-2024", "messages": [
        {"role": "user", "content": [{"text": "a"}]}, {"role": "assistant", "content": [{"text": "b"}]},
        {"role": "user", "content": [{"text": "c"}]}, {"role": "assistant", "content": [{"text": "d"}]}]}
    missing = {"messages": multi["messages"][:2]}
    report = ftlint.check(jsonl([multi, missing]), target="distillation", select=["FT610", "FT611"])
    assert codes(report) == [("FT610", 2, "error"), ("FT611", 1, "error")]
    # Nova accepts any schemaVersion string
    assert codes(ftlint.check(jsonl([{**missing, "schemaVersion": "x"}]), target="nova-lite", select=["FT610"])) == []


def test_rules_do_not_run_without_a_target(jsonl):
    report = ftlint.check(jsonl([{"input": "a", "output": "b"}]))
    assert codes(report) == []


# --- a clean fixture per target family ------------------------------------------------------------

@pytest.mark.parametrize("target", sorted(p.stem for p in TARGET_FIXTURES.glob("*.jsonl") if ".val" not in p.stem))
def test_family_fixture_passes_check_with_its_target(target):
    val = TARGET_FIXTURES / f"{target}.val.jsonl"
    # FT612: a target past its end of life (Claude 3 Haiku) is an error whatever the data
    report = ftlint.check(TARGET_FIXTURES / f"{target}.jsonl", target=target,
                          validation=val if val.exists() else None, ignore=["FT612"])
    errors = [(f.code, f.line, f.message) for f in report.findings if f.severity.value == "error"]
    assert errors == []


# --- convert ----------------------------------------------------------------------------------------

def test_convert_record_round_trips_and_carries_the_system_prompt():
    claude = {"system": "Be brief.", "messages": cm(1)["messages"]}
    bedrock, dropped = convert_record(claude, "claude-messages", "bedrock-conversation")
    assert dropped == [] and bedrock["schemaVersion"] == "bedrock-conversation-2024"
    assert bedrock["system"] == [{"text": "Be brief."}]
    back, _ = convert_record(bedrock, "bedrock-conversation", "claude-messages")
    assert back == claude
    openai, _ = convert_record(claude, "claude-messages", "openai-chat")
    assert openai["messages"][0] == {"role": "system", "content": "Be brief."}
    single, _ = convert_record(claude, "claude-messages", "prompt-completion")
    assert single == {"prompt": "Be brief.\n\nWhere is order 1?", "completion": "Order 1 ships on Monday."}


def test_convert_instruction_uses_the_template():
    rec = {"instruction": "Classify the ticket.", "input": "I was charged twice", "output": "billing"}
    out, _ = convert_record(rec, "instruction", "prompt-completion")
    assert out["prompt"] == "Classify the ticket.\n\nI was charged twice"
    out, _ = convert_record(rec, "instruction", "claude-messages", template="{instruction}\nTicket: {input}")
    assert out["messages"][0]["content"] == "Classify the ticket.\nTicket: I was charged twice"
    out, _ = convert_record({"instruction": "Say hi.", "input": "", "output": "Hi"}, "instruction", "input-output")
    assert out == {"input": "Say hi.", "output": "Hi"}


def test_lossy_conversion_is_refused_unless_allowed_and_counted():
    chat = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                         {"role": "user", "content": "c"}, {"role": "assistant", "content": "d"}]}
    with pytest.raises(LossyConversion) as exc:
        convert_record(chat, "claude-messages", "prompt-completion")
    assert exc.value.parts == ["earlier turn", "earlier turn"] and "2 earlier turns" in str(exc.value)
    out, dropped = convert_record(chat, "claude-messages", "prompt-completion", allow_lossy=True)
    assert out == {"prompt": "c", "completion": "d"} and len(dropped) == 2
    image = {"image": {"format": "png", "source": {"s3Location": {"uri": "s3://b/x.png"}}}}
    media = {"messages": [{"role": "user", "content": [{"text": "What?"}, image]},
                          {"role": "assistant", "content": [{"text": "A cat."}]}]}
    with pytest.raises(LossyConversion, match="1 image"):
        convert_record(media, "bedrock-conversation", "claude-messages")
    with pytest.raises(LossyConversion, match="key 'label'"):
        convert_record({"input": "a", "output": "b", "label": "x"}, "input-output", "claude-messages")
    with pytest.raises(ConversionError, match="not valid prompt-completion"):
        convert_record({"prompt": None, "completion": "x"}, "prompt-completion", "claude-messages")


def test_target_format():
    assert target_format(targets.lookup("titan-express")) == "prompt-completion"
    assert target_format(targets.lookup("nova-lite")) == "bedrock-conversation"


def test_convert_cli_writes_atomically_and_never_touches_input(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [cm(1), cm(2)])
    before = src.read_bytes()
    out = tmp_path / "out.jsonl"
    run = CliRunner().invoke(main, ["convert", str(src), "--to", "bedrock-conversation", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert src.read_bytes() == before
    assert [json.loads(x)["schemaVersion"] for x in out.read_text().splitlines()] == ["bedrock-conversation-2024"] * 2
    same = CliRunner().invoke(main, ["convert", str(src), "--to", "openai-chat", "-o", str(src)])
    assert same.exit_code == 2 and src.read_bytes() == before


def test_convert_cli_refuses_lossy_then_counts_with_allow_lossy(tmp_path):
    chat = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
                         {"role": "user", "content": "c"}, {"role": "assistant", "content": "d"}]}
    src = write_jsonl(tmp_path / "in.jsonl", [cm(1), chat])
    out = tmp_path / "out.jsonl"
    run = CliRunner().invoke(main, ["convert", str(src), "--target", "titan-express", "-o", str(out)])
    assert run.exit_code == 2 and "--allow-lossy" in run.output and "line 2" in run.output
    assert not out.exists()
    run = CliRunner().invoke(main, ["convert", str(src), "--target", "titan-express", "-o", str(out),
                                    "--allow-lossy"])
    assert run.exit_code == 0 and "dropped 2 earlier turns in 1 records" in run.output
    assert len(out.read_text().splitlines()) == 2


def test_convert_reports_invalid_lines_or_skips_them(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"prompt": "a", "completion": "b"}\n\n{"prompt": "a"\n{"prompt": null, "completion": "c"}\n')
    out = tmp_path / "out.jsonl"
    run = CliRunner().invoke(main, ["convert", str(src), "--to", "claude-messages", "-o", str(out)])
    assert run.exit_code == 2 and "line 3" in run.output and "line 4" in run.output and not out.exists()
    result = convert_file(str(src), "claude-messages", str(out), skip_invalid=True)
    assert result.written == 1 and [ln for ln, _ in result.skipped] == [3, 4] and result.blank_lines == 1


def test_targets_command_lists_and_explains():
    run = CliRunner().invoke(main, ["targets"])
    assert run.exit_code == 0 and "nova-lite" in run.output and "claude-messages" in run.output
    run = CliRunner().invoke(main, ["targets", "titan-express"])
    assert "total-max" in run.output and "[U]" in run.output and "https://docs.aws.amazon.com" in run.output
    data = json.loads(CliRunner().invoke(main, ["targets", "llama3-1-8b", "--format", "json"]).output)
    assert data["figures"]["max-total-tokens"]["value"] == 16000


# --- sample data, converted to each issue target, passes that target --------------------------------

SAMPLE_TARGETS = ("nova-lite", "claude-3-haiku", "llama3-1-8b", "titan-express")
CLEAN_SAMPLES = ("support_tickets", "support_chat_claude", "support_chat_nova", "product_qa")


@pytest.mark.parametrize("target", SAMPLE_TARGETS)
@pytest.mark.parametrize("sample", CLEAN_SAMPLES)
def test_sample_data_converted_passes_its_target(sample, target, tmp_path):
    src = SAMPLES / f"{sample}.jsonl"
    if not src.exists():
        pytest.skip("sample_data/ not merged yet")
    out = tmp_path / f"{sample}.{target}.jsonl"
    # multi-turn chats become single exchanges for prompt-completion targets: lossy by design
    convert_file(str(src), target_format(targets.lookup(target)), str(out), allow_lossy=True)
    report = ftlint.check(out, target=target, ignore=["FT612"])  # Claude 3 Haiku is past its end of life
    errors = [(f.code, f.line, f.message) for f in report.findings if f.severity.value == "error"]
    # every sample set has at least 100 records (Llama 3.1's minimum), so no error at all, FT601 included
    assert errors == []
    assert report.files[0].records >= 100


def test_every_convertible_pair_produces_a_valid_record():
    from ftlint import formats

    samples = {
        "prompt-completion": {"prompt": "a", "completion": "b"},
        "instruction": {"instruction": "a", "input": "x", "output": "b"},
        "input-output": {"input": "a", "output": "b"},
        "openai-chat": {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "a"},
                                     {"role": "assistant", "content": "b"}]},
        "claude-messages": {"system": "s", "messages": [{"role": "user", "content": "a"},
                                                        {"role": "assistant", "content": "b"}]},
        "bedrock-conversation": {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": "s"}],
                                 "messages": [{"role": "user", "content": [{"text": "a"}]},
                                              {"role": "assistant", "content": [{"text": "b"}]}]},
        "rft": {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "a"}],
                "reference_answer": "b"},
    }
    for src in CONVERTIBLE:
        for dst in CONVERTIBLE:
            out, dropped = convert_record(samples[src], src, dst)
            assert formats.is_valid(dst, out), (src, dst, out)
            assert dropped == [], (src, dst)


def test_exact_counts_from_a_local_tokenizer_file(tmp_path, jsonl):
    tk = pytest.importorskip("tokenizers")
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    tok = tk.Tokenizer(WordLevel({"[UNK]": 0, "word": 1}, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    est = tokens.from_file(str(path))
    assert est.count("word word word") == 3 and est.method == "tokenizer tokenizer.json"
    cfg = tmp_path / "ftlint.toml"
    cfg.write_text(f'tokenizer = "{path}"\n')
    # 5,000 whitespace words = 5,000 exact tokens (the heuristic would say ~8,300)
    rec = {"prompt": "word " * 5000, "completion": "word"}
    report = ftlint.check(jsonl([rec]), config=cfg, target="titan-express", select=["FT602"])
    assert report.findings[0].data["tokens"] == 5001
    assert "tokenizer tokenizer.json" in report.findings[0].message
