"""The rule registry: a literal mapping from code to Rule, built from plain imports of one module
per family. Looking up an unknown code fails with a clear message."""
from __future__ import annotations

from ftlint.rules import (
    answer_leak,
    completions,
    consistency,
    coverage,
    distillation,
    duplicates,
    edge_cases,
    images,
    labels,
    language,
    leakage,
    lifecycle,
    limits,
    mislabeled,
    mojibake,
    privacy,
    reading,
    rft,
    split_labels,
    split_shift,
    structure,
    system_prompt,
    tools,
)
from ftlint.rules.base import Option, Rule, rule, stage_rule

# one module per family (FT2's leakage rule and FT3's pair rules in modules of their own), in code
# order; a new family is one import and one entry here
FAMILIES = (structure, mojibake, reading, duplicates, leakage, labels, split_labels, mislabeled, split_shift, coverage,
            edge_cases, completions, language,
            consistency, system_prompt, answer_leak, limits, lifecycle, rft, tools, images, distillation, privacy)

REGISTRY: dict[str, Rule] = dict(sorted((r.code, r) for family in FAMILIES for r in family.RULES))
BY_NAME: dict[str, Rule] = {r.name: r for r in REGISTRY.values()}


def known_prefix(prefix: str) -> bool:
    p = prefix.strip().upper()
    return bool(matching(p))


def get(code_or_name: str) -> Rule:
    key = code_or_name.strip()
    found = REGISTRY.get(key.upper()) or BY_NAME.get(key.lower())
    if found is None:
        from ftlint.suggest import did_you_mean

        hint = did_you_mean(key, [*sorted({c[:3] for c in REGISTRY}), *REGISTRY, *BY_NAME])
        raise KeyError(f"unknown rule {code_or_name!r}{hint}; `ftlint rules` lists them")
    return found


def matching(prefix: str) -> list[Rule]:
    """Rules whose code starts with prefix ('FT2', 'FT202', 'ALL')."""
    p = prefix.strip().upper()
    if p == "ALL":
        return list(REGISTRY.values())
    return [r for c, r in REGISTRY.items() if c.startswith(p)]


__all__ = ["REGISTRY", "Rule", "Option", "rule", "stage_rule", "get", "matching", "known_prefix"]
