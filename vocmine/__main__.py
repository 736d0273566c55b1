"""`python -m vocmine` is the same as the `vocmine` command."""

from vocmine.cli import app

app(prog_name="vocmine")
