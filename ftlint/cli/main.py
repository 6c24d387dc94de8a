"""The command line: the click group, with one module per command in this package.

No check logic lives here. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage,
configuration, input or internal error; click's own exceptions are mapped to 2 as well, so a
failure is never mistaken for findings."""
from __future__ import annotations

import os
import sys

import click

from ftlint._version import __version__
from ftlint.cli import check, convert, fix, job, report, review, rules, split, stats, targets
from ftlint.errors import FtlintError


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


@click.group(cls=FtlintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ftlint")
def main() -> None:
    """ftlint: lint and curate fine-tuning datasets (JSONL) before the training job does."""


for _command in (check.check, rules.rules_cmd, fix.fix_cmd, split.split_cmd, convert.convert_cmd,
                 targets.targets_cmd, report.report_cmd, review.review_cmd, stats.stats_cmd, job.job_cmd):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
