"""curate/ applies the rules' repairs and writes files; it holds no rule knowledge (issue 18
item 3): no rule code (the codes and what their findings mean to curation live in
ftlint/rules/curation.py) and no similarity logic (shingles, MinHash, LSH, Jaccard, the
union-find that groups duplicates: ftlint.artifacts, reached through the rules)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

CURATE = Path(__file__).resolve().parents[1] / "ftlint" / "curate"
CODE = re.compile(r"\bFT\d")
SIMILARITY = ("ftlint.artifacts.minhash", "ftlint.artifacts.shingles", "ftlint.artifacts.signatures",
              "ftlint.artifacts.banding", "ftlint.artifacts.similarity", "ftlint.artifacts.content",
              "ftlint.artifacts.unionfind", "ftlint.artifacts.tfidf", "ftlint.lsh", "ftlint.clusters",
              "datasketch", "sklearn")


def _modules():
    return sorted(CURATE.rglob("*.py"))


def test_curate_mentions_no_rule_code():
    # in code, comments and docstrings alike: a code written here is rule knowledge kept here
    found = [f"{p.name}:{i}: {line.strip()}" for p in _modules()
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if CODE.search(line)]
    assert not found, "rule codes in ftlint/curate/ (name them in ftlint/rules/curation.py):\n" + "\n".join(found)


def test_curate_imports_no_similarity_logic():
    found = []
    for p in _modules():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.ImportFrom) and node.module == "ftlint.artifacts":
                names = [f"ftlint.artifacts.{a.name}" for a in node.names]
            found += [f"{p.name}: {n}" for n in names if n.startswith(SIMILARITY)]
    assert not found, "similarity logic imported by ftlint/curate/:\n" + "\n".join(found)


def test_the_check_sees_a_code():
    assert CODE.search('DUPLICATE = "FT201"') and not CODE.search("FTX, SOFT1")
