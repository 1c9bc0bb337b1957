"""What `ctip keys status`, `rotate` and `rebind` do and print (commands in ``ctip.cli``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session, sessionmaker

from ctip.config import Settings
from ctip.db.session import engine_for, session_factory
from ctip.keys import rotation
from ctip.keys.places import status
from ctip.security import KeyConfigError, keyring, load_keyring, set_keyring


def _factory(cfg: Settings) -> sessionmaker[Session]:
    set_keyring(load_keyring(cfg))
    return session_factory(engine_for(cfg), writer=True)


def show_status(cfg: Settings) -> None:
    """The keys in force and how many values each column holds on which key."""
    factory = _factory(cfg)
    ring = keyring()
    audit = "its own key" if ring.audit is not None else "derived from the blind-index key"
    typer.echo(f"data keys {sorted(ring.data_keys)}, encrypting with {ring.current_key_id}")
    scheme = "a key per purpose" if ring.index_scheme == 2 else "one key for every purpose"
    typer.echo(f"blind-index key {ring.index_key_id} ({scheme}); audit trail: {audit}")
    if ring.previous_index:
        old = ", ".join(str(g.id) for g in ring.previous_index)
        typer.echo(f"rotation pending: index key(s) {old} still searched; run `ctip keys rotate`")
    with factory() as session:
        for count in status(session.connection()):
            typer.echo(f"{count.place}: {count.values} {count.form}, key {count.key_id}")


@contextmanager
def _bar(total: int) -> Iterator[Callable[[str, int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), transient=True
    ) as bar:
        task = bar.add_task("starting", total=total)

        def step(table: str, rows: int) -> None:
            bar.update(task, description=table, advance=rows)

        yield step


def _report(out: rotation.Outcome, what: str) -> None:
    for table, rows in out.rewritten.items():
        if rows:
            typer.echo(f"{table}: {rows} row(s) {what}")
    typer.echo(f"{out.total} row(s) in all")


def run_rotate(cfg: Settings, batch: int) -> None:
    """Rotate (or resume), with a progress bar; exit 1 when values remain on old keys."""
    factory = _factory(cfg)
    if cfg.encryption_key or cfg.blind_index_key:
        typer.secho(
            "error: keys from the environment cannot rotate; use a key file", fg="red", err=True
        )
        raise typer.Exit(1)
    try:
        with _bar(rotation.total_rows(factory)) as step:
            out = rotation.rotate(factory, cfg.resolved_key_file, batch=batch, progress=step)
    except KeyConfigError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc
    _report(out, "re-encrypted and re-indexed")
    if not out.finished:
        typer.secho("values were written under the old keys meanwhile: run again", fg="yellow")
        raise typer.Exit(1)
    typer.echo("rotation finished; the old keys are retired in the key file: back it up now")


def run_rebind(cfg: Settings, batch: int) -> None:
    """Bind every old value to its row under the current key, with a progress bar."""
    factory = _factory(cfg)
    try:
        with _bar(rotation.total_rows(factory)) as step:
            out = rotation.rebind(factory, batch=batch, progress=step)
    except KeyConfigError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc
    _report(out, "bound to their rows")
