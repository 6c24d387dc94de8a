"""FT411 mixed-languages and FT412 language-mismatch on seeded data: foreign records planted at 2%
into an English file are found (recall >= 0.9) with under 0.5% false findings on the English
records, short ones included; and the cases that must stay silent."""
from __future__ import annotations

import json

import langdata
import pytest

import ftlint
from ftlint.artifacts.language import identify, languages_of
from ftlint.dataset import Dataset
from ftlint.formats import normalize


def _measure(code: str, seed: int, mismatch: bool) -> tuple[float, float]:
    records, planted = langdata.planted(n=3000, share=0.02, seed=seed, mismatch=mismatch)
    got = {f.line for f in ftlint.check(records, select=[code]).findings}
    recall = len(got & set(planted)) / len(planted)
    false = len(got - set(planted)) / (len(records) - len(planted))
    return recall, false


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_foreign_records_planted_at_2_percent_are_found(seed):
    recall, false = _measure("FT411", seed, mismatch=False)
    assert recall >= 0.9
    assert false < 0.005


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_foreign_answers_planted_at_2_percent_are_found(seed):
    recall, false = _measure("FT412", seed, mismatch=True)
    assert recall >= 0.9
    assert false < 0.005


def test_short_english_texts_are_not_judged():
    # three- and four-word utterances are too little evidence: undetermined, never a finding
    for text in langdata.SHORT:
        assert identify(text) is None, text
    records = [{"prompt": t, "completion": "We can help with that right away, no problem."} for t in langdata.SHORT * 20]
    assert ftlint.check(records, select=["FT411", "FT412"]).findings == []


def test_clean_english_file_has_no_finding():
    records, _ = langdata.planted(n=3000, share=0.0, seed=5)
    assert ftlint.check(records, select=["FT411", "FT412"]).findings == []


def test_a_language_with_a_real_share_is_intended():
    records, planted = langdata.planted(n=200, share=0.15, seed=3)
    by_lang = ftlint.check(records, select=["FT411"]).findings
    # 30 foreign records spread over ten languages are each a minority; all in one language they are not
    assert by_lang
    one = [dict(r) for r in records]
    for line in planted:
        one[line - 1] = {"prompt": langdata.FOREIGN["de"][line % 8], "completion": langdata.FOREIGN["de"][(line + 1) % 8]}
    assert ftlint.check(one, select=["FT411"]).findings == []


def test_translation_sets_and_translation_prompts_are_not_mismatches():
    es = langdata.FOREIGN["es"]
    translation = [{"prompt": f"Please translate this message for our customer: {p}", "completion": es[i % 8]}
                   for i, p in enumerate(langdata.ASKS)]
    assert ftlint.check(translation, select=["FT412"]).findings == []
    # every answer in another language without saying so: a translation set by design
    by_design = [{"prompt": langdata.ASKS[i % 15].format(s="my order"), "completion": es[i % 8]} for i in range(40)]
    assert ftlint.check(by_design, select=["FT412"]).findings == []


def test_classification_labels_and_code_have_no_language():
    labels = [{"input": p.format(s="my card"), "output": lab} for p in langdata.ASKS for lab in ("card_issue", "otro")]
    assert ftlint.check(labels, select=["FT412"]).findings == []
    code = [{"prompt": p.format(s="my order"), "completion": "def refund(order):\n    return api.refund(order_id=order.id, amount=order.total)"}
            for p in langdata.ASKS]
    assert ftlint.check(code, select=["FT412"]).findings == []


def test_message_names_the_language_and_the_dominant_one():
    records, planted = langdata.planted(n=500, share=0.02, seed=4)
    findings = ftlint.check(records, select=["FT411"]).findings
    assert findings
    f = findings[0]
    assert f.data["dominant"] == "en" and f.data["language"] != "en"
    assert "of the file is in English (en)" in f.message


def test_large_files_are_judged_on_a_sample_and_say_so():
    records, _ = langdata.planted(n=600, share=0.05, seed=6)
    findings = ftlint.check(records, select=["FT411"], options={"FT411": {"max-records": 300}}).findings
    assert findings and all("sample of 300 of 600 records" in f.message for f in findings)


def test_language_mix_is_shared_and_counts_judged_records():
    records, _ = langdata.planted(n=300, share=0.02, seed=8)
    examples = [normalize("prompt-completion", r, i + 1) for i, r in enumerate(records)]
    ds = Dataset("x", "prompt-completion", examples)
    langs = languages_of(ds)
    assert langs is languages_of(ds)  # computed once per file
    assert langs.dominant == "en" and 0.9 < langs.shares()["en"] < 1.0
    short = sum(len(r["prompt"].split()) < 5 for r in records)
    assert short and sum(p is None for p in langs.prompt) == short  # short prompts are left undetermined


def test_stats_shows_the_language_mix(tmp_path):
    from click.testing import CliRunner

    from ftlint.cli import main

    records, _ = langdata.planted(n=300, share=0.02, seed=9)
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    r = CliRunner().invoke(main, ["stats", str(path), "--format", "json"])
    assert r.exit_code == 0, r.output
    mix = json.loads(r.output)["files"][0]["languages"]
    assert mix["dominant"] == "en" and mix["shares"]["en"] > 0.9 and mix["judged"] > 200
    text = CliRunner().invoke(main, ["stats", str(path)]).output
    assert "languages (" in text and "English (en)" in text
