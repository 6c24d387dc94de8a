"""Errors that end a run with exit code 2 (usage, configuration, unreadable input). Findings use
exit code 1, so a failure is never mistaken for a dirty dataset."""


class FtlintError(Exception):
    exit_code = 2


class ConfigError(FtlintError):
    pass


class InputError(FtlintError):
    pass


class OutputError(FtlintError):
    """An output that cannot be written (a parent that is a file, no permission, a full disk)."""
