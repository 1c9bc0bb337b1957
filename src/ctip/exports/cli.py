"""``ctip export``: one group for every partner format; each part contributes its commands.

A part adds a module to ``COMMAND_MODULES`` that defines ``register(app)`` and attaches its
commands to the group, so the formats live with the part that owns the data.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="Exports for partners (scoped and audited).", no_args_is_help=True)

# Modules defining ``register(app: typer.Typer)``; a module not (yet) present is skipped.
COMMAND_MODULES = ("ctip.stats.export_cli", "ctip.imports.export_cli")


def register(main: typer.Typer) -> None:
    """Add ``ctip export`` to the main command when at least one format is present."""
    found = False
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        module.register(app)
        found = True
    if found:
        main.add_typer(app, name="export")
