"""``python -m ctip`` is the ``ctip`` command."""

from ctip.cli import app

app()
