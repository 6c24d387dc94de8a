"""ftlint's command line: the click group (:mod:`ftlint.cli.main`), one module per command, and
the options they share (:mod:`ftlint.cli.options`). ``python -m ftlint.cli`` runs it."""
from ftlint.cli.main import main

__all__ = ["main"]
