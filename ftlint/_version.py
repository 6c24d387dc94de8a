"""ftlint's version: a leaf module, so that anything (the CLI's --version, the reports, the cache
key) can read it without importing the rest of the package. pyproject.toml reads it too."""
__version__ = "0.1.0"
