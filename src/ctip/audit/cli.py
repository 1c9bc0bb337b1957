"""``ctip audit seal`` and ``ctip audit verify``: the tamper-evident audit trail."""

from __future__ import annotations

from pathlib import Path

import typer

from ctip.config import Settings
from ctip.i18n import translate

app = typer.Typer(help="The audit trail: seal and verify.", no_args_is_help=True)


def _(message: str, **params: object) -> str:
    """``message`` in CTIP_DEFAULT_LANGUAGE (the commands run without a user)."""
    from ctip.cli import settings

    return translate(message, settings().default_language, **params)


def anchor_path(settings: Settings) -> Path:
    """The anchor file: the latest seal, kept outside the database."""
    return settings.data_dir / "audit-anchor.json"


@app.command("seal")
def seal_command() -> None:
    """Seal every committed, unsealed audit entry (also run by verify)."""
    from ctip.audit.chain import seal
    from ctip.cli import settings, unit_of_work

    with unit_of_work() as session:
        count = seal(session, full=True, anchor=anchor_path(settings()))
    typer.echo(_("sealed %(n)s audit entries", n=count))


@app.command("verify")
def verify_command(
    no_seal: bool = typer.Option(False, "--no-seal", help="verify without sealing first"),
) -> None:
    """Seal, then check every audit entry and seal; exit 1 naming the first bad entry."""
    from ctip.audit.chain import seal, verify
    from ctip.audit.service import record
    from ctip.auth.scope import SYSTEM
    from ctip.cli import settings, unit_of_work

    anchor = anchor_path(settings())
    with unit_of_work() as session:
        report = verify(session, anchor=anchor)
        if report.ok and not no_seal:
            seal(session, full=True, anchor=anchor)
            report = verify(session, anchor=anchor)
        record(
            session,
            actor=SYSTEM,
            action="audit.verify",
            detail=f"entries={report.entries} seals={report.seals} problems={len(report.findings)}",
        )
    typer.echo(
        _(
            "%(entries)s entries, %(sealed)s sealed in %(seals)s seals, "
            "%(unsealed)s not yet sealed",
            entries=report.entries,
            sealed=report.sealed,
            seals=report.seals,
            unsealed=report.unsealed,
        )
    )
    if not report.ok:
        first = report.first
        assert first is not None
        typer.secho(_("TAMPERED: %(problem)s", problem=first.problem), fg="red", err=True)
        for finding in report.findings[:20]:
            typer.secho(f"  {finding.problem}", err=True)
        if len(report.findings) > 20:
            typer.secho("  " + _("... %(n)s more", n=len(report.findings) - 20), err=True)
        raise typer.Exit(1)
    typer.echo(_("audit trail verified"))
