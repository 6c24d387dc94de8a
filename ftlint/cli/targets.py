"""`ftlint targets [NAME]`: list the target profiles, or show one with every figure's source, as
the run would use them (with the config's [targets] overrides)."""
from __future__ import annotations

import json

import click

from ftlint import targets as tg
from ftlint.cli.options import settings_from


@click.command("targets")
@click.argument("name", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--config", type=click.Path(dir_okay=False),
              help="Config file whose [targets] overrides apply (default: discovered as for check).")
def targets_cmd(name: str | None, output_format: str, config: str | None) -> int:
    """List the Bedrock target profiles (--target), or show one with its figures and sources."""
    settings = settings_from(config)
    if name:
        p = settings.profile(name, tokenizer=False)
        if output_format == "json":
            click.echo(json.dumps(_to_dict(p), indent=2))
            return 0
        pages = tg.pages()
        click.echo(f"{p.key}: {p.name}")
        click.echo(f"  base model id: {p.model_id or '-'}   aliases: {', '.join(p.aliases) or '-'}")
        width = max(len(k) for k, _ in p.figures())
        for key, value in p.figures():
            mark = " [U]" if key in p.uncertain else ""
            page = p.source_of(key)
            click.echo(f"  {key:<{width}}  {_show(value)}{mark}   ({page})")
        if p.notes:
            click.echo(f"  note: {p.notes}")
        click.echo("  sources:")
        for page in sorted({p.source_of(k) for k, _ in p.figures()} - {""}):
            click.echo(f"    {page}: {pages.get(page, page)}")
        if p.uncertain:
            click.echo(f"  [U] = not confirmed in a primary source; override in config: "
                       f"[tool.ftlint.targets.{p.key}]")
        return 0
    profiles = {key: settings.profile(key, tokenizer=False) for key in tg.profiles()}
    if output_format == "json":
        click.echo(json.dumps([_to_dict(p, full=False) for p in profiles.values()], indent=2))
        return 0
    width = max(len(k) for k in profiles)
    for key, p in profiles.items():
        records = _range(p)
        tokens = f"{p.max_total_tokens:,} tokens" if p.max_total_tokens else (
            f"{p.max_input_tokens:,}+{p.max_output_tokens:,} tokens" if p.max_input_tokens else "-")
        click.echo(f"{key:<{width}}  {_method(p):<12}  {', '.join(p.formats):<22}  {records:<22}  {tokens:<14}  "
                   f"{_status(p):<20}  {p.name}")
    return 0


_METHODS = {"fine-tuning": "fine-tuning", "continued-pretraining": "cpt", "distillation": "distillation",
            "reinforcement-fine-tuning": "rft"}


def _method(p) -> str:
    return _METHODS.get(p.method, p.method)


def _status(p) -> str:
    """active, legacy (EOL date) or end-of-life (date): the model lifecycle page's state."""
    if p.status == "active":
        return "active"
    if p.status == "end-of-life":
        return f"EOL {p.eol_date}" if p.eol_date else "EOL"
    return f"legacy, EOL {p.eol_date}" if p.eol_date else "legacy"


def _range(p) -> str:
    lo = p.train_min if p.train_min is not None else p.total_min
    hi = p.train_max if p.train_max is not None else p.total_max
    if lo is None and hi is None:
        return "-"
    if hi is None:
        return f">= {lo:,} records"
    return f"{lo:,}-{hi:,} records" if lo is not None else f"<= {hi:,} records"


def _show(value) -> str:
    if isinstance(value, tuple):
        return ", ".join(repr(v) if "\n" in v else v for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and value >= 1000:
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_spec(v) if isinstance(v, dict) else v}" for k, v in value.items())
    return str(value)


def _spec(spec: dict) -> str:
    """A hyper-parameter spec as `default [min..max]` (`auto` when the value must be given)."""
    shown = spec.get("default", spec.get("auto", "required"))
    if "choices" in spec:
        return f"{shown} [{'|'.join(spec['choices'])}]"
    if "min" in spec or "max" in spec:
        return f"{shown} [{spec.get('min', '')}..{spec.get('max', '')}]"
    return str(shown)


def _to_dict(p, full: bool = True) -> dict:
    d = {"key": p.key, "name": p.name, "model_id": p.model_id, "aliases": list(p.aliases),
         "formats": list(p.formats), "method": p.method, "customization_type": p.customization_type,
         "status": p.status, "eol_date": p.eol_date, "replacement": p.replacement}
    if full:
        d["figures"] = {k: {"value": list(v) if isinstance(v, tuple) else v, "source": p.source_of(k),
                            "uncertain": k in p.uncertain} for k, v in p.figures()}
        d["notes"] = p.notes
        d["pages"] = tg.pages()
    return d
