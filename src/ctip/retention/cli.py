"""``ctip retention``: retention dates, the purge, and the export of one person's records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from ctip.retention import service

app = typer.Typer(help="Retention dates, purges and one person's records.", no_args_is_help=True)


def _day(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.secho(f"error: {value!r} is not a date (YYYY-MM-DD)", fg="red", err=True)
        raise typer.Exit(1)


@app.command("set")
def set_command(
    until: str = typer.Option(..., "--until", help="retention date, YYYY-MM-DD"),
    case: int | None = typer.Option(None, "--case", help="case id"),
    person: int | None = typer.Option(None, "--person", help="person id"),
    reason: str | None = typer.Option(None, "--reason"),
    user: str | None = typer.Option(None, "--user", help="act as this user (default: system)"),
) -> None:
    """Set a case's or person's retention date (audited)."""
    from ctip.auth.service import actor_named
    from ctip.cli import unit_of_work

    if (case is None) == (person is None):
        typer.secho("error: give exactly one of --case and --person", fg="red", err=True)
        raise typer.Exit(1)
    kind, entity_id = ("case", case) if case is not None else ("person", person)
    assert entity_id is not None
    with unit_of_work() as session:
        actor = actor_named(session, user)
        row = service.set_date(
            session, actor=actor, kind=kind, entity_id=entity_id, until=_day(until), reason=reason
        )
        typer.echo(f"{kind} {entity_id} kept until {row.retain_until.isoformat()}")


@app.command("due")
def due_command(on: str | None = typer.Option(None, "--on", help="date (default today)")) -> None:
    """List the cases and persons past their retention date."""
    from ctip.cli import unit_of_work

    with unit_of_work() as session:
        found = service.due(session, on=_day(on))
    for kind, ids in found.items():
        typer.echo(f"{kind}s past their retention date: {len(ids)}")
        if ids:
            typer.echo("  " + " ".join(str(i) for i in ids))


@app.command("purge")
def purge_command(
    on: str | None = typer.Option(None, "--on", help="purge dates before this (default today)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="count only, delete nothing"),
    user: str | None = typer.Option(None, "--user", help="act as this admin (default: system)"),
) -> None:
    """Delete every case and person past their retention date; only counts are kept."""
    from ctip.auth.service import actor_named
    from ctip.cli import unit_of_work

    with unit_of_work() as session:
        actor = actor_named(session, user)
        result = service.purge(session, actor=actor, on=_day(on), dry_run=dry_run)
    verb = "would purge" if dry_run else "purged"
    typer.echo(
        f"{verb} {result.cases} cases and {result.persons} persons; "
        f"{result.kept_persons} persons kept (still on a case or referenced)"
    )


@app.command("export-person")
def export_person_command(
    person_id: int = typer.Argument(..., help="person id"),
    out: Path = typer.Option(..., "--out", dir_okay=False),
    fmt: str = typer.Option("json", "--format", help="json or pdf"),
    user: str | None = typer.Option(None, "--user", help="act as this user (default: system)"),
) -> None:
    """Write everything held about one person, within the user's scope (audited)."""
    import os

    from ctip.auth.service import actor_named
    from ctip.cli import settings, unit_of_work

    if fmt not in ("json", "pdf"):
        typer.secho("error: --format: choose json or pdf", fg="red", err=True)
        raise typer.Exit(1)
    with unit_of_work() as session:
        actor = actor_named(session, user)
        doc = service.export_person(session, actor=actor, person_id=person_id, fmt=fmt)
        if fmt == "pdf":
            from ctip.retention.pdf import to_pdf
            from ctip.web.fonts import khmer_font

            body = to_pdf(doc, khmer_font(settings()), actor.language)
        else:
            body = service.export_json(doc)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
    typer.echo(f"wrote {out}: {sum(len(v) for v in doc['records'].values())} records")
