"""``ctip backup --out FILE`` and ``ctip restore FILE`` (top-level commands)."""

from __future__ import annotations

from pathlib import Path

import typer

from ctip.audit.cli import anchor_path
from ctip.backup.service import BackupError, backup, restore


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
    try:
        done = backup(engine, out, anchor=anchor_path(cfg))
    except BackupError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
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
        f"wrote {out} ({done.size} bytes, sha256 {done.sha256[:16]}...): integrity checked, "
        f"audit chain verified ({done.audit.entries} entries)"
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
    if not yes:
        typer.confirm("Replace everything in the registry with this backup?", abort=True)
    engine = engine_for(cfg)
    try:
        done = restore(engine, file, anchor=anchor_path(cfg))
    except BackupError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(1)
    with transaction(session_factory(engine, writer=True)) as session:
        record(session, actor=SYSTEM, action="backup.restore", detail=f"file={file.name}")
    engine.dispose()
    typer.echo(
        f"restored {file}: integrity checked, audit chain verified ({done.audit.entries} "
        f"entries, {done.audit.seals} seals)"
    )


def register(app: typer.Typer) -> None:
    """Add ``ctip backup`` and ``ctip restore`` as top-level commands."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
