"""`ftlint fix PATH -o OUT`: drop or repair what the selected rules flag (see ftlint.curate.fix)."""
from __future__ import annotations

import os

import click

from ftlint import api, formats
from ftlint.curate import decisions, writers
from ftlint.curate.fix import FixOptions, curate, read_lines
from ftlint.engine import Engine
from ftlint.errors import FtlintError
from ftlint.reader import Source, check_readable
from ftlint.rules import REGISTRY


def default_rejects(out: str) -> str:
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".rejected.jsonl"


def _cli():
    from ftlint.cli import load_settings, selection_options

    @click.command("fix")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="Curated JSONL to write.")
    @click.option("--rejects", type=click.Path(dir_okay=False),
                  help="Where dropped records go, with line, raw text, codes and reason (default OUT.rejected.jsonl).")
    @click.option("--dry-run", is_flag=True, help="Print what would change, counted per rule; write nothing.")
    @click.option("--in-place", is_flag=True, help="Replace PATH with the curated file (atomically).")
    @click.option("--to", "to", type=click.Choice(formats.FORMATS), help="Convert kept records to this format.")
    @click.option("--near-duplicates", "near", is_flag=True,
                  help="Also drop near-duplicates (FT202), keeping each cluster's representative.")
    @click.option("--redact", is_flag=True, help="Mask PII and secrets (FT701/FT702) instead of keeping them as they are.")
    @click.option("--redact-types", help="Comma-separated kinds to redact (default: every kind).")
    @click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False),
                  help="A review sheet from `ftlint review` with its decision column filled (keep, drop or an "
                       "edited text); decisions override the fixes and are recorded in the rejects file and manifest.")
    @click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False),
                  help="Write a manifest (input and output hashes, fixes, decisions by line); default "
                       "OUT.manifest.json when --decisions is given.")
    @click.option("-q", "--quiet", is_flag=True, help="No summary.")
    @selection_options
    def fix_cmd(path, out, rejects, dry_run, in_place, to, near, redact, redact_types, decisions_path, manifest_path,
                quiet, select, extend_select, ignore, rule_options, config, target, dataset_format) -> int:
        """Drop records with errors and duplicates, repair label variants and whitespace, convert.

        Each fix belongs to the rule that motivates it: --select/--ignore choose the fixes as they
        choose the checks. The input is never modified unless --in-place."""
        if path == "-":
            raise FtlintError("fix reads its input twice; give a file, not stdin")
        if sum(bool(x) for x in (out, in_place, dry_run)) != 1:
            raise FtlintError("give exactly one of -o OUT, --in-place or --dry-run")
        if out and os.path.abspath(out) == os.path.abspath(path):
            raise FtlintError("-o names the input file; use --in-place to replace it")
        check_readable(path)
        settings = load_settings(config, select, extend_select, ignore, rule_options, target, dataset_format)
        types = tuple(t.strip() for t in redact_types.split(",") if t.strip()) if redact_types else None
        source = Source(path)
        sheet = decisions.load(decisions_path) if decisions_path else None  # a bad sheet fails before the data
        report = Engine(settings, api.resolve_target(settings.target)).run([source])
        lines = read_lines(source)
        outcomes = None
        if sheet is not None:
            fmt = report.files[0].format if report.files else None
            outcomes = decisions.apply_all(sheet, dict(enumerate(lines, 1)), fmt, path)
        curated = curate(report, source, FixOptions(near=near, to=to, redact=redact or bool(types),
                                                    redact_types=types, decisions=outcomes), lines=lines)
        rows = [(code, n) for code, n in sorted(curated.dropped.items())]
        changes = [(code, n) for code, n in sorted(curated.changed.items())]
        if dry_run:
            click.echo(f"{path}: {curated.lines} lines; would keep {len(curated.kept)}, "
                       f"reject {len(curated.rejected)}")
            for code, n in rows:
                click.echo(f"  {code:<8} {_name(code):<22} {n:>7} dropped")
            for code, n in changes:
                click.echo(f"  {code:<8} {_name(code):<22} {n:>7} changed")
            for f in curated.unfixed:
                click.echo(f"  {f.code:<8} {f.name:<22} not fixable here: {f.message}")
            return 0
        target_path = path if in_place else out
        rejects = rejects or default_rejects(target_path)
        manifest_path = manifest_path or (_default_manifest(target_path) if decisions_path else None)
        input_sha = writers.sha256_file(path) if manifest_path else None  # before --in-place replaces it
        writers.write_jsonl(target_path, (k.out for k in curated.kept))
        writers.write_jsonl(rejects, (r.to_json() for r in curated.rejected))
        if manifest_path:
            writers.write_json(manifest_path, _manifest(path, input_sha, lines, curated, target_path, rejects,
                                                        decisions_path))
        if not quiet:
            detail = "; ".join([f"{c} {n} dropped" for c, n in rows] + [f"{c} {n} changed" for c, n in changes])
            click.echo(f"{path} -> {target_path}: {len(curated.kept)} kept, {len(curated.rejected)} rejected "
                       f"({rejects})" + (f"; {detail}" if detail else ""))
            for f in curated.unfixed:
                click.echo(f"not fixed: {f.code} {f.message}", err=True)
        return 0

    return fix_cmd


def _default_manifest(out: str) -> str:
    base = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    return base + ".manifest.json"


def _manifest(path: str, input_sha: str | None, lines: list[bytes], curated, out: str, rejects: str,
              decisions_path: str | None) -> dict:
    """What fix did, deterministically (no clock): input and output hashes, per-rule counts and
    every review decision by line."""
    from ftlint import __version__

    return {
        "manifest_version": 1,
        "tool": {"name": "ftlint", "version": __version__},
        "command": "fix",
        "input": {"path": path, "sha256": input_sha,
                  "lines": len(lines), "format": curated.format},
        "outputs": {out: {"sha256": writers.sha256_file(out), "records": len(curated.kept)},
                    rejects: {"sha256": writers.sha256_file(rejects), "records": len(curated.rejected)}},
        "output_format": curated.out_format,
        "fixes": curated.summary(),
        "decisions_file": ({"path": decisions_path, "sha256": writers.sha256_file(decisions_path)}
                           if decisions_path else None),
        "decisions": curated.decisions,
    }


def _name(code: str) -> str:
    rule = REGISTRY.get(code)
    return rule.name if rule else {"convert": "conversion", "redact": "redaction",
                                   "review": "review decision"}.get(code, code)


fix_cmd = _cli()
