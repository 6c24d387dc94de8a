"""`ftlint convert PATH --to FORMAT -o OUT`: the CLI over ftlint.curate.convert."""
from __future__ import annotations

import click

from ftlint.cli.options import settings_from
from ftlint.curate import convert as cv


@click.command("convert")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--to", "dst", help="Format to write: " + ", ".join(cv.CONVERTIBLE) + ".")
@click.option("--target", help="Write the format this Bedrock target takes (instead of --to).")
@click.option("--from", "src", type=click.Choice(cv.CONVERTIBLE), help="Input format (default: detected).")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="Output JSONL file.")
@click.option("--template", help="How an instruction record's instruction and input become one prompt "
              f"(default {cv.DEFAULT_TEMPLATE!r}).")
@click.option("--allow-lossy", is_flag=True, help="Convert even when parts are dropped (earlier turns, "
              "media, extra keys); every dropped part is counted.")
@click.option("--skip-invalid", is_flag=True, help="Leave out records that cannot be converted instead of failing.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@click.option("--config", type=click.Path(dir_okay=False),
              help="Config file whose [targets] overrides apply to --target (default: discovered as for check).")
def convert_cmd(path, dst, target, src, out, template, allow_lossy, skip_invalid, quiet, config) -> int:
    """Convert a JSONL file to another record format (written atomically; the input is untouched)."""
    from ftlint.read.reader import check_readable

    check_readable(path)  # a local file or an s3:// object
    if bool(dst) == bool(target):
        raise click.UsageError("give exactly one of --to FORMAT or --target MODEL")
    if target:
        dst = cv.target_format(settings_from(config, target=target).profile(tokenizer=False))
    if dst not in cv.CONVERTIBLE:
        raise click.UsageError(f"--to must be one of {', '.join(cv.CONVERTIBLE)}")
    template = template.encode().decode("unicode_escape") if template else None
    result = cv.convert_file(path, dst, out, src=src, template=template, allow_lossy=allow_lossy,
                             skip_invalid=skip_invalid)
    if not quiet:
        msg = f"ftlint: converted {result.written} records from {result.src} to {result.dst} -> {out}"
        if result.dropped:
            parts = cv.describe_parts(result.dropped)
            msg += f"; dropped {parts} in {len(result.lossy_lines)} records"
        if result.skipped:
            msg += f"; skipped {len(result.skipped)} invalid records (lines " + \
                ", ".join(str(ln) for ln, _ in result.skipped[:10]) + (", ..." if len(result.skipped) > 10 else "") + ")"
        if result.blank_lines:
            msg += f"; left out {result.blank_lines} blank lines"
        click.echo(msg, err=True)
    return 0
