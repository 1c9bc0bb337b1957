"""``ctip screening``: import an intervention roster, export its referral lists.

Commands act as the system (national scope) unless ``--user`` names a user, whose scope and
role then apply; imports and exports are audited as on the web.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ctip.auth.service import actor_named

app = typer.Typer(help="Victim screening: rosters and referral lists.", no_args_is_help=True)

USER_OPTION = typer.Option(None, "--user", help="act as this user (default: the system)")


@app.command("import-roster")
def import_roster(
    intervention: int = typer.Option(..., help="intervention id"),
    file: Path = typer.Option(..., exists=True, dir_okay=False, help="roster .csv or .xlsx"),
    user: str | None = USER_OPTION,
) -> None:
    """Import a roster; refused rows are printed by row and field, the rest are kept."""
    from ctip.cli import unit_of_work
    from ctip.screening import roster

    with unit_of_work() as session:
        report = roster.import_file(
            session,
            actor=actor_named(session, user),
            intervention_id=intervention,
            data=file.read_bytes(),
            filename=file.name,
        )
    for error in report.errors:
        typer.secho(f"row {error.row}: {error.field}: {error.message}", fg="yellow", err=True)
    for row, first in report.repeated_rows:
        typer.secho(f"row {row}: repeats row {first} (not added again)", fg="yellow", err=True)
    typer.echo(
        f"{report.rows} rows read: {report.created} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len({e.row for e in report.errors})} refused; "
        f"{report.duplicates} twice on the roster, {report.in_registry} already in "
        "the registry"
    )


@app.command("export-referrals")
def export_referrals(
    intervention: int = typer.Option(..., help="intervention id"),
    out: Path = typer.Option(..., help="file to write (.xlsx or .pdf)"),
    fmt: str | None = typer.Option(None, "--format", help="xlsx or pdf (default: from --out)"),
    language: str = typer.Option("en", help="en or km"),
    user: str | None = USER_OPTION,
) -> None:
    """Write the referral lists (per nationality and per service) as XLSX or PDF."""
    from ctip.cli import settings, unit_of_work
    from ctip.screening import exports
    from ctip.web.fonts import khmer_font

    chosen = fmt or out.suffix.lstrip(".").lower()
    with unit_of_work() as session:
        data = exports.export(
            session,
            actor=actor_named(session, user),
            intervention_id=intervention,
            fmt=chosen,
            font=khmer_font(settings()),
            language=language,
        )
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data)} bytes)")
