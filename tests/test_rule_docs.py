"""Every rule's doc is complete, and its bad and good JSONL examples run as tests."""
from __future__ import annotations

import gzip

import pytest

import ftlint
from ftlint.rules import REGISTRY, docs

SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Fix")


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_doc_has_every_section(code):
    rule = REGISTRY[code]
    for title in SECTIONS:
        assert title in rule.doc, f"{code} doc lacks {title!r}"
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary.endswith(".")
    kinds = {e.kind for e in docs.examples(rule)}
    assert {"bad", "good"} <= kinds, f"{code} doc needs a ```jsonl bad and a ```jsonl good example"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_doc_states_level_and_why(code):
    # the severity policy: every rule says why its default level is what it is, and the doc says it
    rule = REGISTRY[code]
    assert rule.why, f"{code} needs why= (a clause: 'error, because ...')"
    text = docs.markdown(rule)
    assert f"Default severity: **{rule.severity.value}**, because {rule.why.rstrip('.')}" in text
    assert docs.POLICY[rule.severity.value] in text


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_doc_examples_behave(code, tmp_path):
    rule = REGISTRY[code]
    for i, ex in enumerate(docs.examples(rule)):
        opts = dict(ex.options)
        path = tmp_path / f"{i}.jsonl"
        if opts.pop("compress", None) == "gzip":  # FT115's example: gzip bytes under a .jsonl name
            path.write_bytes(gzip.compress(ex.text.encode()))
        else:
            path.write_text(ex.text, encoding="utf-8")
        val = None
        if ex.validation is not None:
            val = tmp_path / f"{i}.val.jsonl"
            val.write_text(ex.validation, encoding="utf-8")
        target = opts.pop("target", None)
        fmt = opts.pop("dataset-format", None)
        options = {code: {k: _value(v) for k, v in opts.items()}} if opts else None
        report = ftlint.check(path, validation=val, select=[code], target=target, dataset_format=fmt,
                              options=options)
        hits = [f for f in report.findings if f.code == code]
        if ex.kind == "bad":
            assert hits, f"{code}: the doc's bad example does not trigger the rule"
        else:
            assert not hits, f"{code}: the doc's good example triggers: {[f.message for f in hits]}"


def _value(text: str):
    import tomllib

    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def test_markdown_render_has_title_and_options():
    text = docs.markdown(REGISTRY["FT107"])
    assert text.startswith("# role-order (FT107)")
    assert "## Options" in text and "require-assistant-last" in text
