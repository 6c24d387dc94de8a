"""The options several commands share (rule selection, config, target; the CI options) and the
one call that turns them into Settings (:func:`settings_from`). Commands import this module and
the library, never each other or the group (ftlint.cli.main)."""
from __future__ import annotations

import click

from ftlint import formats
from ftlint.settings import Settings, from_options


def split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select FT1,FT2 --select FT3`` -> ("FT1", "FT2", "FT3")."""
    return tuple(c.strip() for v in values for c in v.split(",") if c.strip())


def selection_options(fn):
    fn = click.option("--select", multiple=True, help="Rule codes or prefixes to enable (FT2, FT202), comma-separated; replaces the config's.")(fn)
    fn = click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable on top of the selection.")(fn)
    fn = click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")(fn)
    fn = click.option("-O", "--option", "rule_options", multiple=True, metavar="CODE.NAME=VALUE",
                      help="Set a rule option, e.g. FT202.threshold=0.9 (repeatable).")(fn)
    fn = click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: ftlint.toml, .ftlint.toml or pyproject.toml [tool.ftlint], searched upward).")(fn)
    fn = click.option("--target", help="Bedrock model id or alias (nova-lite, claude-3-haiku, llama3-1-8b, titan-express); enables the FT6 rules.")(fn)
    fn = click.option("--dataset-format", type=click.Choice(formats.FORMATS), help="Record format of every file (skips detection).")(fn)
    return fn


def settings_from(config, select=(), extend_select=(), ignore=(), rule_options=(), target=None,
                  dataset_format=None, fail_on=None, output_format=None) -> Settings:
    """The settings of a command: the config file (``--config``, else discovered), then the
    command line's values on top (see ftlint.settings.from_options)."""
    return from_options(config, select=split_codes(select), extend_select=split_codes(extend_select),
                        ignore=split_codes(ignore), options=tuple(rule_options), fail_on=fail_on,
                        output_format=output_format, dataset_format=dataset_format, target=target)


def ci_options(fn):
    fn = click.option("--statistics", is_flag=True, help="Print the count of findings per code instead of the findings.")(fn)
    fn = click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                      help="Report only findings not in this baseline file (see --write-baseline).")(fn)
    fn = click.option("--write-baseline", type=click.Path(dir_okay=False),
                      help="Record the current findings in this baseline file (keyed by path, code and record hash) and accept them.")(fn)
    fn = click.option("--no-cache", is_flag=True,
                      help="Do not read or write the result cache (.ftlint_cache/, or $FTLINT_CACHE_DIR).")(fn)
    return fn
