"""The command line: parse options, call the API, pick a reporter, choose the exit code.

No check logic lives here. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage,
configuration, input or internal error; click's own exceptions are mapped to 2 as well, so a
failure is never mistaken for findings."""
from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from ftlint import __version__, api, baseline, cache, formats, pairing, progress
from ftlint import config as cfg
from ftlint.errors import FtlintError
from ftlint.report import REPORTERS, render
from ftlint.rules import REGISTRY, docs, get, matching

FORMAT_ENV = "FTLINT_FORMAT"


class FtlintGroup(click.Group):
    """Maps every way a run can fail to exit code 2, with one message and no traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        code = self._run(args, prog_name, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, args, prog_name, complete_var, **extra) -> int:
        try:
            rv = super().main(args=args, prog_name=prog_name or "ftlint", complete_var=complete_var,
                              standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            return exc.exit_code
        except click.ClickException as exc:
            exc.show()
            return 2
        except (click.Abort, KeyboardInterrupt):
            click.echo("ftlint: interrupted", err=True)
            return 2
        except FtlintError as exc:
            click.echo(f"ftlint: error: {exc}", err=True)
            return exc.exit_code
        except BrokenPipeError:
            # a closed pipe (`ftlint check ... | head`) is not the data's fault
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush error
            return 2
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("FTLINT_DEBUG"):
                raise
            click.echo(f"ftlint: internal error: {type(exc).__name__}: {exc}\n"
                       "Set FTLINT_DEBUG=1 for a traceback, and please report it.", err=True)
            return 2
        return rv if isinstance(rv, int) else 0


def _split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.strip() for v in values for c in v.split(",") if c.strip())


@click.group(cls=FtlintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ftlint")
def main() -> None:
    """ftlint: lint and curate fine-tuning datasets (JSONL) before the training job does."""


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


def load_settings(config_path, select, extend_select, ignore, rule_options, target, dataset_format,
                  fail_on=None, output_format=None) -> cfg.Settings:
    settings = cfg.load(config_path)
    return cfg.with_cli(settings, select=_split_codes(select), extend_select=_split_codes(extend_select),
                        ignore=_split_codes(ignore), fail_on=fail_on, output_format=output_format,
                        dataset_format=dataset_format, target=target, options=rule_options)


def ci_options(fn):
    fn = click.option("--statistics", is_flag=True, help="Print the count of findings per code instead of the findings.")(fn)
    fn = click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                      help="Report only findings not in this baseline file (see --write-baseline).")(fn)
    fn = click.option("--write-baseline", type=click.Path(dir_okay=False),
                      help="Record the current findings in this baseline file (keyed by path, code and record hash) and accept them.")(fn)
    fn = click.option("--no-cache", is_flag=True,
                      help="Do not read or write the result cache (.ftlint_cache/, or $FTLINT_CACHE_DIR).")(fn)
    return fn


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--validation", "validation", multiple=True, type=click.Path(allow_dash=False),
              help="A held-out file checked as a split against PATHS (repeat for a test file too).")
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default=None,
              help=f"Output format (default text, or ${FORMAT_ENV}).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (2 still means failure).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--no-pair-splits", is_flag=True,
              help="Check X_val.jsonl, X_validation.jsonl, X_test.jsonl (or validation.jsonl) given next to "
                   "X.jsonl (train.jsonl) apart, not as its split (config: pair-splits = false).")
@ci_options
@selection_options
def check(paths, validation, output_format, output_file, fail_on, exit_zero, quiet, no_pair_splits, select,
          extend_select, ignore, rule_options, config, target, dataset_format, statistics, baseline_file,
          write_baseline, no_cache) -> int:
    """Check JSONL files and report every finding as path:line:col: CODE message."""
    settings = load_settings(config, select, extend_select, ignore, rule_options, target, dataset_format,
                             fail_on, output_format)
    name = settings.output_format or os.environ.get(FORMAT_ENV) or _ci_default_format() or "text"
    if name not in REPORTERS:
        raise FtlintError(f"unknown output format {name!r}; use one of {', '.join(sorted(REPORTERS))}")
    accepted = baseline.load(baseline_file) if baseline_file and not write_baseline else None
    sources = api.sources_of(list(paths))
    vsources = api.sources_of(list(validation)) if validation else []
    pairs = pairing.groups(list(paths)) if settings.pair_splits and not no_pair_splits and not vsources else []
    with progress.bar(progress.wanted(quiet)) as on_progress:
        def runner(settings_, train, val):
            return api.run(settings_, train, val, progress=on_progress)

        def run(train, val):
            return runner(settings, train, val) if no_cache else cache.run(settings, train, val, runner)

        report = pairing.run(sources, pairs, run) if pairs else run(sources, vsources)
    if pairs and not quiet:
        for g in pairs:
            for h in g.held:
                click.echo(f"ftlint: {paths[h]} checked as the {pairing.kind(paths[h])} split of {paths[g.train]} "
                           "(paired by name; --no-pair-splits checks them apart)", err=True)
    if write_baseline:
        n = baseline.write(report, sources + vsources, write_baseline)
        if quiet or output_file or statistics or name != "text":  # else the summary line says it
            click.echo(f"ftlint: wrote {n} finding{'s' * (n != 1)} to the baseline {write_baseline}; "
                       "they are accepted from now on", err=True)
        accepted = baseline.load(write_baseline)
    if accepted is not None:
        report = baseline.apply(report, sources + vsources, accepted, write_baseline or baseline_file,
                                written=bool(write_baseline))
    if statistics:
        _emit_statistics(name, report, output_file)
    else:
        _emit(name, report, output_file, quiet=quiet)
    if name == "github" and os.environ.get("GITHUB_STEP_SUMMARY") and not quiet:
        _append_step_summary(report)
    return 0 if exit_zero else report.exit_code


def _ci_default_format() -> str | None:
    """GitHub Actions gets annotations without configuration (an explicit format still wins)."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else None


def _emit_statistics(name: str, report, output_file: str | None) -> None:
    from ftlint.report import statistics as stats

    if output_file:
        from ftlint.atomic import atomic_write_text

        with atomic_write_text(output_file) as out:
            stats.render(report, out, as_json=name == "json")
    else:
        stats.render(report, sys.stdout, as_json=name == "json")


def _append_step_summary(report) -> None:
    from ftlint.report import github

    try:
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(github.step_summary(report))
    except OSError:
        pass  # the summary page is a nicety; the annotations and the exit code are what count


def _emit(name: str, report, output_file: str | None, **options: Any) -> None:
    if output_file:
        from ftlint.atomic import atomic_write_text

        with atomic_write_text(output_file) as out:
            render(name, report, out, **options)
    else:
        color = name == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        render(name, report, sys.stdout, color=color, **options)


@main.command("rules")
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


from ftlint.commands.fix import fix_cmd  # noqa: E402 - registered after the group exists
from ftlint.commands.split import split_cmd  # noqa: E402

main.add_command(fix_cmd)
main.add_command(split_cmd)

from ftlint.commands.convert import convert_cmd  # noqa: E402 - registered after the group exists
from ftlint.commands.targets import targets_cmd  # noqa: E402

main.add_command(targets_cmd)
main.add_command(convert_cmd)

from ftlint.commands.report import report_cmd  # noqa: E402 - registered after the group exists
from ftlint.commands.review import review_cmd  # noqa: E402

main.add_command(report_cmd)
main.add_command(review_cmd)

if __name__ == "__main__":  # pragma: no cover
    main()

from ftlint.commands.stats import stats_cmd  # noqa: E402

main.add_command(stats_cmd)

from ftlint.commands import bedrock  # noqa: E402 - job.json, split's job options, check --check-images

bedrock.install(main)
