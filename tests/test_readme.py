"""The README's rule table is generated from the registry; they must agree."""
from __future__ import annotations

import re

from conftest import ROOT

from ftlint.rules import REGISTRY
from ftlint.rules.table import rule_table

BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def test_readme_rule_table_matches_registry():
    text = (ROOT / "README.md").read_text()
    assert BEGIN in text and END in text
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == rule_table().strip(), "README rule table is stale: run `python -m ftlint.rules.table --write`"


def test_readme_names_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert "ftlint check sample_data/" in text
    assert re.search(r"pytest", text)
    assert set(REGISTRY) <= set(re.findall(r"FT\d{3}", text))
