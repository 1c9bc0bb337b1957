"""``ctip import FILE --source htcds|kobo|odk|csv``: preview, then import as one batch.

The command prints the summary and every error (row, column as the file calls it, problem, in
the acting user's language). Without ``--skip-invalid`` a file with any invalid row writes
nothing and the command exits 1; ``--dry-run`` only previews (and lists each row).
"""

from __future__ import annotations

from pathlib import Path

import typer

from ctip.i18n import translate
from ctip.imports import service
from ctip.imports.service import Preview

SOURCE_HELP = "htcds (the IOM Excel template or a CTIP export), kobo, odk, or csv (mapped)"


def summary_line(preview: Preview, language: str) -> str:
    counts = preview.summary()
    return translate(
        "%(cases)s cases, %(persons)s persons, %(errors)s rows with errors",
        language,
        cases=counts["cases"],
        persons=counts["persons"],
        errors=counts["error_rows"],
    )


def error_lines(preview: Preview, language: str) -> list[str]:
    return [
        translate(
            "row %(row)s, column %(column)s: %(problem)s",
            language,
            row=e.row,
            column=e.field,
            problem=e.translated(language),
        )
        for e in preview.errors
    ]


def row_lines(preview: Preview, language: str) -> list[str]:
    lines = []
    for row in preview.rows:
        name = " ".join(filter(None, (row.person.get("given_name"), row.person.get("family_name"))))
        ids = ", ".join(i.normalised or f"{i.raw} (?)" for i in row.identifiers)
        same = preview.matches.get(row.number, [])
        hint = (
            "; likely the same as "
            + ", ".join(
                f"#{m.person_id}" + (f" (p={m.probability:.2f})" if m.probability else "")
                for m in same
            )
            if same
            else ""
        )
        lines.append(
            f"row {row.number}: {preview.state(row)} · {row.role} {name or '-'}"
            f" · {row.province or '-'} · {ids or '-'}{hint}"
        )
    return lines


def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    source: str = typer.Option(..., "--source", help=SOURCE_HELP),
    province: str | None = typer.Option(None, "--province", help="province of rows without one"),
    mapping: str | None = typer.Option(None, "--mapping", help="saved column mapping (csv)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="preview only, write nothing"),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="import the good rows"),
    encoding: str | None = typer.Option(None, "--encoding", help="CSV text encoding"),
    user: str | None = typer.Option(None, "--user", help="act as this user (default: system)"),
) -> None:
    """Import cases and persons from an HTCDS template, a Kobo or ODK export, or a CSV."""
    from ctip.auth.service import actor_named
    from ctip.cli import settings, unit_of_work

    cfg = settings()
    with unit_of_work() as session:
        actor = actor_named(session, user)
        language = actor.language
        found = service.preview(
            session,
            actor=actor,
            settings=cfg,
            data=file.read_bytes(),
            filename=file.name,
            source=source,
            province=province,
            mapping=mapping,
            encoding=encoding,
        )
        for notice in found.notices:
            typer.echo(translate(notice, language))
        typer.echo(summary_line(found, language))
        if dry_run:
            for line in row_lines(found, language):
                typer.echo(line)
        for line in error_lines(found, language):
            typer.secho(line, fg="red", err=True)
        if found.bad_rows and not skip_invalid:
            typer.secho(
                translate(
                    "nothing was imported: correct the rows above, or import "
                    "the good rows with --skip-invalid",
                    language,
                ),
                fg="red",
                err=True,
            )
            raise typer.Exit(1)
        if dry_run:
            return
        outcome = service.run(session, actor=actor, preview=found, skip_invalid=skip_invalid)
        typer.echo(outcome_line(outcome, language))


def outcome_line(outcome: service.Outcome, language: str) -> str:
    if outcome.nothing_new:
        return translate("nothing new: every row is already in the registry", language)
    return translate(
        "imported: %(cases)s cases and %(created)s persons added, %(updated)s updated, "
        "%(unchanged)s unchanged, %(skipped)s rows skipped",
        language,
        cases=outcome.created_cases,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        skipped=outcome.skipped,
    )


def register(app: typer.Typer) -> None:
    """Add ``ctip import`` as a top-level command."""
    app.command("import")(import_file)
