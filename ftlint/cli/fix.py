"""`ftlint fix PATH -o OUT`: drop or repair what the selected rules flag (see ftlint.curate.fix)."""
from __future__ import annotations

import os

import click

from ftlint import formats
from ftlint.cli.options import selection_options, settings_from
from ftlint.curate.fix import FixOptions
from ftlint.curate.fix_file import fix_file
from ftlint.errors import FtlintError
from ftlint.rules import REGISTRY


@click.command("fix")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help="Curated JSONL to write.")
@click.option("--rejects", type=click.Path(dir_okay=False),
              help="Where dropped records go, with line, raw text, codes and reason (default OUT.rejected.jsonl).")
@click.option("--dry-run", is_flag=True, help="Print what would change, counted per rule; write nothing.")
@click.option("--in-place", is_flag=True, help="Replace PATH with the curated file (atomically).")
@click.option("--to", "to", type=click.Choice(formats.FORMATS), help="Convert kept records to this format.")
@click.option("--near-duplicates", "near", is_flag=True,
              help="Also drop near-duplicates (FT202), keeping one record of each cluster (the first that no other fix drops).")
@click.option("--redact", is_flag=True, help="Mask PII and secrets (FT701/FT702) instead of keeping them as they are.")
@click.option("--redact-types", help="Comma-separated kinds to redact (default: every kind).")
@click.option("--repair-json", is_flag=True,
              help="Repair lines that are not JSON (FT101) when json-repair fixes them unambiguously and the "
                   "record then validates; each repair is recorded with the original line in the manifest.")
@click.option("--no-mask-rejects", "no_mask", is_flag=True,
              help="Write credentials (and, with --redact, personal data) in the rejects file as they are; "
                   "by default they are masked there as in every report (aws-access-key-id ****MPLE).")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False),
              help="A review sheet from `ftlint review` with its decision column filled (keep, drop or an "
                   "edited text); decisions override the fixes and are recorded in the rejects file and manifest.")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False),
              help="Write a manifest (input and output hashes, fixes, decisions by line); default "
                   "OUT.manifest.json when --decisions or --repair-json is given.")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
@selection_options
def fix_cmd(path, out, rejects, dry_run, in_place, to, near, redact, redact_types, repair_json, no_mask,
            decisions_path, manifest_path, quiet, select, extend_select, ignore, rule_options, config, target,
            dataset_format) -> int:
    """Drop records with errors and duplicates, repair label variants and whitespace, convert.

    Each fix belongs to the rule that motivates it: --select/--ignore choose the fixes as they
    choose the checks. The input is never modified unless --in-place."""
    if sum(bool(x) for x in (out, in_place, dry_run)) != 1:
        raise FtlintError("give exactly one of -o OUT, --in-place or --dry-run")
    if out and os.path.abspath(out) == os.path.abspath(path):
        raise FtlintError("-o names the input file; use --in-place to replace it")
    settings = settings_from(config, select, extend_select, ignore, rule_options, target, dataset_format)
    types = tuple(t.strip() for t in redact_types.split(",") if t.strip()) if redact_types else None
    result = fix_file(path, settings,
                      FixOptions(near=near, to=to, redact=redact or bool(types), redact_types=types,
                                 repair_json=repair_json, mask_rejects=not no_mask),
                      output=None if dry_run else out, rejects=rejects, in_place=in_place,
                      decisions_path=decisions_path, manifest_path=manifest_path)
    curated = result.curated
    rows = [(code, n) for code, n in sorted(curated.dropped.items())]
    changes = [(code, n) for code, n in sorted(curated.changed.items())]
    if dry_run:
        click.echo(f"{path}: {curated.lines} lines; would keep {len(curated.kept)}, "
                   f"reject {len(curated.rejected)}")
        for code, n in rows:
            click.echo(f"  {code:<8} {_name(code):<22} {n:>7} dropped")
        for code, n in changes:
            click.echo(f"  {code:<8} {_name(code):<22} {n:>7} changed")
        for kind, n in sorted(curated.redacted.items()):
            click.echo(f"  {'redact':<8} {kind:<22} {n:>7} values")
        for f in curated.unfixed:
            click.echo(f"  {f.code:<8} {f.name:<22} not fixable here: {f.message}")
        return 0
    target_path, rejects = result.output, result.rejects
    if not quiet:
        detail = "; ".join([f"{c} {n} dropped" for c, n in rows] + [f"{c} {n} changed" for c, n in changes]
                           + [f"{n} {kind} redacted" for kind, n in sorted(curated.redacted.items())])
        click.echo(f"{path} -> {target_path}: {len(curated.kept)} kept, {len(curated.rejected)} rejected "
                   f"({rejects})" + (f"; {detail}" if detail else ""))
        if curated.masked:
            n = sum(curated.masked.values())
            click.echo(f"masked {n} found value{'s' * (n != 1)} in {rejects} "
                       f"({', '.join(f'{k} {v}' for k, v in sorted(curated.masked.items()))}); "
                       "--no-mask-rejects keeps them as they are", err=True)
        for f in curated.unfixed:
            click.echo(f"not fixed: {f.code} {f.message}", err=True)
    return 0


def _name(code: str) -> str:
    rule = REGISTRY.get(code)
    return rule.name if rule else {"convert": "conversion", "redact": "redaction",
                                   "review": "review decision"}.get(code, code)
