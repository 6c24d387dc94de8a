"""manifest.json: what a team versions next to its model. Deterministic (no clock, no host
name): the same input, options and seed give the same bytes."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ftlint._version import __version__
from ftlint.targets import Profile

MANIFEST_VERSION = 1


def build(*, command: str, options: dict[str, Any], seed: int | None, input_path: str, input_sha256: str,
          input_lines: int, input_format: str | None, output_format: str | None,
          outputs: dict[str, dict[str, Any]], labels: dict[str, Counter] | None, caps: Profile,
          findings: dict[str, Any], fixes: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    target = None
    if caps.key:
        target = {"key": caps.key, "name": caps.name, "model_id": caps.model_id, "format": output_format,
                  "validation_allowed": caps.validation,
                  "limits": {k: v for k, v in (("train_min", caps.train_min), ("train_max", caps.train_max),
                                                ("validation_min", caps.validation_min),
                                                ("validation_max", caps.validation_max),
                                                ("total_min", caps.total_min), ("total_max", caps.total_max))
                             if v is not None},
                  "hyperparameters": caps.hyperparameters}
    return {
        "manifest_version": MANIFEST_VERSION,
        "tool": {"name": "ftlint", "version": __version__},
        "command": command,
        "options": options,
        "seed": seed,
        "input": {"path": input_path, "sha256": input_sha256, "lines": input_lines, "format": input_format},
        "output_format": output_format,
        "outputs": outputs,
        "records": {name: info["records"] for name, info in outputs.items()},
        "labels": ({split: dict(sorted(c.items())) for split, c in labels.items()} if labels is not None else None),
        "target": target,
        "findings": findings,
        "fixes": fixes,
        "notes": notes,
    }
