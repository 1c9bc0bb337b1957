"""``ctip backup --out FILE`` and ``ctip restore FILE`` (top-level commands)."""

from __future__ import annotations

from pathlib import Path

import typer

from ctip.audit.cli import anchor_path
from ctip.backup.service import BackupError, backup, restore
from ctip.i18n import translate

# Messages in the language of CTIP_DEFAULT_LANGUAGE (the commands run without a user).


def _(message: str, language: str = "en", **params: object) -> str:
    return translate(message, language, **params)


def backup_command(
    out: Path = typer.Option(..., "--out", dir_okay=False, help="the backup file to write"),
) -> None:
    """Copy the whole registry to FILE while it runs, checked, with FILE.sha256 (audited)."""
    from ctip.audit.service import record
    from ctip.auth.scope import SYSTEM
    from ctip.cli import settings
    from ctip.db.session import engine_for, session_factory, transaction
    from ctip.security import load_keyring, set_keyring

    cfg = settings()
    set_keyring(load_keyring(cfg))
    engine = engine_for(cfg)
    language = cfg.default_language
    try:
        done = backup(engine, out, anchor=anchor_path(cfg))
    except BackupError as exc:
        typer.secho(
            _("error: %(error)s", language, error=exc.translated(language)), fg="red", err=True
        )
        raise typer.Exit(1)
    with transaction(session_factory(engine, writer=True)) as session:
        record(
            session,
            actor=SYSTEM,
            action="backup.create",
            detail=f"engine={engine.dialect.name} file={out.name} bytes={done.size}",
        )
    engine.dispose()
    typer.echo(
        _(
            "wrote %(file)s (%(size)s bytes, sha256 %(digest)s...): integrity checked, "
            "audit chain verified (%(entries)s entries)",
            language,
            file=out,
            size=done.size,
            digest=done.sha256[:16],
            entries=done.audit.entries,
        )
    )


def restore_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    yes: bool = typer.Option(False, "--yes", help="do not ask for confirmation"),
) -> None:
    """Replace the registry with a backup made by ctip backup, then check it (audited)."""
    from ctip.audit.service import record
    from ctip.auth.scope import SYSTEM
    from ctip.cli import settings
    from ctip.db.session import engine_for, session_factory, transaction
    from ctip.security import load_keyring, set_keyring

    cfg = settings()
    set_keyring(load_keyring(cfg))
    language = cfg.default_language
    if not yes:
        typer.confirm(
            _("Replace everything in the registry with this backup?", language), abort=True
        )
    engine = engine_for(cfg)
    try:
        done = restore(engine, file, anchor=anchor_path(cfg))
    except BackupError as exc:
        typer.secho(
            _("error: %(error)s", language, error=exc.translated(language)), fg="red", err=True
        )
        raise typer.Exit(1)
    with transaction(session_factory(engine, writer=True)) as session:
        record(session, actor=SYSTEM, action="backup.restore", detail=f"file={file.name}")
    engine.dispose()
    typer.echo(
        _(
            "restored %(file)s: integrity checked, audit chain verified (%(entries)s entries, "
            "%(seals)s seals)",
            language,
            file=file,
            entries=done.audit.entries,
            seals=done.audit.seals,
        )
    )


def register(app: typer.Typer) -> None:
    """Add ``ctip backup`` and ``ctip restore`` as top-level commands."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
