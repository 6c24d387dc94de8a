"""`ftlint rules [CODE]`: list every rule, explain one, or list a family."""
from __future__ import annotations

import json

import click

from ftlint.errors import FtlintError
from ftlint.rules import REGISTRY, docs, get, matching


@click.command("rules")
@click.argument("code", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(code: str | None, output_format: str) -> int:
    """List every rule, explain one (`ftlint rules FT202`), or list a family (`ftlint rules FT2`)."""
    rules = list(REGISTRY.values())
    if code:
        try:
            rule = get(code)
        except KeyError as exc:
            rules = matching(code) if len(code.strip()) < 5 else []  # a prefix such as FT2 or FT20
            if not rules:
                raise FtlintError(exc.args[0]) from None
        else:
            if output_format == "json":
                click.echo(json.dumps(docs.to_dict(rule), indent=2))
            else:
                click.echo(docs.markdown(rule), nl=False)
            return 0
    if output_format == "json":
        click.echo(json.dumps([docs.to_dict(r, full=False) for r in rules], indent=2))
        return 0
    width = max(len(r.name) for r in rules)
    for r in rules:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}")
    if code and code.strip().upper() != "ALL":
        click.echo(f"\n{len(rules)} rule{'s' * (len(rules) != 1)} starting with {code.strip().upper()}; "
                   f"`ftlint rules {rules[0].code}` explains one.")
    return 0
