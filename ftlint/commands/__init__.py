"""CLI commands that grew beyond a few lines, one module each; cli.py registers them."""
