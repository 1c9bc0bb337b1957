"""``ctip export htcds``: the registry as HTCDS sheets (scoped to ``--user``, audited)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from ctip.imports import export


def export_htcds(
    out: Path = typer.Option(..., "--out", help="file to write (.xlsx, or .zip of CSVs)"),
    fmt: str = typer.Option("xlsx", "--format", help="xlsx or csv (a zip of one CSV a table)"),
    opened_from: datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"]),
    opened_to: datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"]),
    province: str | None = typer.Option(None, "--province"),
    user: str | None = typer.Option(None, "--user", help="act as this user (default: system)"),
) -> None:
    """Write cases, persons and victim contexts under HTCDS field names."""
    from ctip.auth.service import actor_named
    from ctip.cli import unit_of_work

    with unit_of_work() as session:
        actor = actor_named(session, user)
        filters = export.ExportFilters(
            opened_from.date() if opened_from else None,
            opened_to.date() if opened_to else None,
            province,
        )
        data = export.render(export.collect(session, actor=actor, filters=filters), fmt)
    out.write_bytes(data)
    typer.echo(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.command("htcds")(export_htcds)
