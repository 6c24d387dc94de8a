"""`ftlint stats PATH [--validation V]`: what a person reads before training. Records per format,
label distribution, length percentiles in characters and estimated tokens, edge-case shares,
duplicate and finding counts per code. Text tables or `--format json`.

The numbers come from the same engine run as `ftlint check` (same config, same rules), so the
finding counts match; the summaries are pandas over the shared per-file artifacts."""
from __future__ import annotations

import json
from typing import Any

import click

from ftlint import api
from ftlint.artifacts.labels import labels_of
from ftlint.artifacts.language import language_lines, language_mix
from ftlint.artifacts.profile import profile_of
from ftlint.cli.options import settings_from

PERCENTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def dataset_stats(dataset, findings) -> dict[str, Any]:
    """The statistics of one checked file (a Dataset from Report.datasets) as a JSON-able dict."""
    import pandas as pd  # here, not at the top: every ftlint start-up (a hook run) would pay ~0.3 s

    from ftlint.rules.edge_cases import edge_case_shares

    exs = dataset.examples
    out: dict[str, Any] = {"path": dataset.path, "role": dataset.role, "format": dataset.format,
                           "records": dataset.records, "valid": len(exs)}
    mine = [f for f in findings if f.path == dataset.path]
    by_code = pd.Series([f.code for f in mine], dtype=object).value_counts().sort_index()
    out["findings"] = {str(k): int(v) for k, v in by_code.items()}
    out["duplicates"] = {c: out["findings"].get(c, 0) for c in ("FT201", "FT202", "FT203", "FT204")}
    if not exs:
        out.update(labels=None, lengths={}, edge_cases={})
        return out
    info = labels_of(dataset)
    if info is not None:
        counts = pd.Series(info.counts).sort_values(ascending=False)
        out["labels"] = {"source": info.source, "distinct": int(len(counts)),
                         "counts": {str(k): int(v) for k, v in counts.items()},
                         "shares": {str(k): round(float(v), 4) for k, v in (counts / counts.sum()).items()}}
    else:
        out["labels"] = None
    prof = profile_of(dataset)
    from ftlint.targets.tokens import Heuristic

    est = Heuristic()
    frame = pd.DataFrame({
        "prompt_chars": prof.prompt_chars, "completion_chars": prof.completion_chars,
        "prompt_tokens": [est.count(e.prompt) for e in exs],
        "completion_tokens": [est.count(e.completion) for e in exs],
        "turns": [len(e.turns) for e in exs],
    })
    desc = frame.describe(percentiles=list(PERCENTILES)).T
    cols = ["min", "5%", "25%", "50%", "75%", "95%", "max", "mean"]
    out["lengths"] = {name: {c: round(float(desc.loc[name, c]), 1) for c in cols} for name in frame.columns}
    out["tokens_total"] = int(frame["prompt_tokens"].sum() + frame["completion_tokens"].sum())
    out["edge_cases"] = {k: (round(v, 4) if v is not None else None) for k, v in edge_case_shares(dataset).items()}
    out["languages"] = language_mix(dataset)
    return out


def _text(stats: list[dict[str, Any]]) -> str:
    import pandas as pd

    lines: list[str] = []
    for s in stats:
        lines.append(f"{s['path']} ({s['role']}): {s['records']} records, {s['valid']} valid, format {s['format']}")
        if s.get("tokens_total") is not None:
            lines.append(f"  estimated tokens: {s['tokens_total']}")
        if s["labels"]:
            lab = s["labels"]
            lines.append(f"\n  labels ({lab['distinct']}, from the {lab['source']}):")
            width = max(len(k) for k in lab["counts"])
            for k, n in lab["counts"].items():
                share = lab["shares"][k]
                lines.append(f"    {k:<{width}}  {n:>7}  {share:>6.1%}  {'#' * max(1, round(share * 40))}")
        if s["lengths"]:
            frame = pd.DataFrame(s["lengths"]).T
            frame = frame.astype({c: "int64" for c in frame.columns if c != "mean"})
            lines.append("\n  lengths (characters, estimated tokens, turns):")
            lines.extend("    " + row for row in frame.to_string().splitlines())
        lines.extend(language_lines(s.get("languages")))
        if s["edge_cases"]:
            lines.append("\n  edge cases (share of the records in each; a record can be in several, so the "
                         "shares do not add up):")
            lines.extend(_edge_case_lines(s["edge_cases"]))
        dup = ", ".join(f"{k} {v}" for k, v in s["duplicates"].items())
        lines.append(f"  duplicates: {dup}")
        found = ", ".join(f"{k} {v}" for k, v in s["findings"].items()) or "none"
        lines.append(f"  findings: {found}\n")
    return "\n".join(lines)


# what each edge-case share counts (ftlint.rules.edge_cases.edge_case_shares), in the text tables
EDGE_CASE_MEANING = {
    "borderline": "nearest neighbour (TF-IDF) carries another label",
    "short": "prompt at most a third of the median length",
    "long": "prompt at least three times the median length",
    "numbers": "holds a number",
    "code": "holds code",
    "non-latin": "holds non-Latin script",
}


def _edge_case_lines(shares: dict[str, float | None]) -> list[str]:
    rows = [(k, v, EDGE_CASE_MEANING.get(k, "")) for k, v in shares.items() if v is not None and k != "any"]
    if shares.get("any") is not None:
        union = [k for k, _v, _m in rows if k != "borderline"]
        rows.append(("any unusual", shares["any"], "in at least one of " + ", ".join(union) +
                     (" (borderline not counted)" if "borderline" in shares else "")))
    width = max((len(k) for k, _v, _m in rows), default=0)
    return [f"    {k:<{width}}  {v:>6.1%}  {m}".rstrip() for k, v, m in rows]


@click.command("stats")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--validation", "validation", multiple=True, type=click.Path(dir_okay=False),
              help="A held-out file, summarised too (and checked as a split).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: discovered as for check).")
@click.option("--target", help="Bedrock model id or alias; adds the FT6 findings to the counts.")
def stats_cmd(paths, validation, output_format, config, target) -> int:
    """Summarise JSONL files: formats, labels, length percentiles, edge cases, findings per code."""
    settings = settings_from(config, target=target)
    report = api.run(settings, api.sources_of(list(paths)),
                     api.sources_of(list(validation)) if validation else [])
    stats = [dataset_stats(d, report.findings) for d in report.datasets]
    if output_format == "json":
        click.echo(json.dumps({"version": 1, "files": stats}, indent=2, ensure_ascii=False))
    else:
        click.echo(_text(stats).rstrip())
    return 0
