"""`python -m leaktrace` runs the command line."""

from .cli import app

app()
