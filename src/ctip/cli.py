"""The ``ctip`` command: one subcommand group per noun, calling the same services as the web."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from ctip.config import Settings
from ctip.db.session import engine_for, session_factory
from ctip.errors import DomainError, ValidationFailed
from ctip.security import create_key_file, load_keyring, set_keyring

app = typer.Typer(help="CTIP: counter-trafficking information system.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Users and roles.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(keys_app, name="keys")

# Packages whose ``cli`` module contributes a Typer group named after the package.
# A module may instead define ``register(app)`` to add top-level commands (``ctip import``).
CLI_PACKAGES = (
    "auth",
    "demo",
    "cases",
    "screening",
    "offers",
    "linkage",
    "network",
    "stats",
    "imports",
    "support",
    "exports",
    "audit",
    "backup",
    "retention",
)


def settings() -> Settings:
    return Settings()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Keys loaded, one transaction; domain errors become a clear message and exit code 1."""
    cfg = settings()
    set_keyring(load_keyring(cfg))
    from ctip.audit.service import set_seal_interval  # not loaded for every command

    set_seal_interval(cfg.audit_seal_seconds)
    factory = session_factory(engine_for(cfg), writer=True)
    try:
        with factory() as session, session.begin():
            yield session
    except ValidationFailed as exc:
        for error in exc.errors:
            where = f"row {error.row}: " if error.row is not None else ""
            typer.secho(f"error: {where}{error.field}: {error.message}", fg="red", err=True)
        raise typer.Exit(1)
    except DomainError as exc:
        typer.secho(f"error: {exc.message}", fg="red", err=True)
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from ctip.db.migrate import BINDING, crossed, current, upgrade

    engine = engine_for(settings())
    before = current(engine)
    upgrade(engine, revision)
    after = current(engine)
    typer.echo(f"database at revision {after}")
    if crossed(before, after):
        # Values written before BINDING are re-encrypted bound to their rows, once, in
        # resumable batches (`ctip keys rebind` does the same and finishes a killed run).
        from ctip.keys.commands import run_rebind
        from ctip.keys.rotation import BATCH

        typer.echo(f"re-encrypting values written before {BINDING}, bound to their rows")
        run_rebind(settings(), BATCH)


@db_app.command("current")
def db_current() -> None:
    """Print the database's migration revision."""
    from ctip.db.migrate import current

    typer.echo(current(engine_for(settings())) or "empty")


@user_app.command("create")
def user_create(
    username: str = typer.Option(...),
    password: str = typer.Option(...),
    role: str = typer.Option(...),
    province: str | None = typer.Option(None),
    org: str | None = typer.Option(None, help="organisation name"),
    display_name: str = typer.Option(""),
    language: str = typer.Option("en"),
) -> None:
    """Create a user with a role, and a province or organisation where the role needs one."""
    from ctip.auth.service import create_user

    with unit_of_work() as session:
        user = create_user(
            session,
            username=username,
            password=password,
            role=role,
            province=province,
            org_name=org,
            display_name=display_name,
            language=language,
        )
        typer.echo(f"created user {user.username} ({user.role})")


@keys_app.command("create")
def keys_create(
    production: bool = typer.Option(False, help="mark the keys fit for production"),
) -> None:
    """Write a new key file (refuses to overwrite one)."""
    cfg = settings()
    path = cfg.resolved_key_file
    if path.exists():
        typer.secho(f"error: {path} exists; keys are never overwritten", fg="red", err=True)
        raise typer.Exit(1)
    create_key_file(path, development=not production)
    typer.echo(f"wrote {path}; back it up: data encrypted with it is lost without it")


@keys_app.command("status")
def keys_status() -> None:
    """The keys in force and how many stored values are on which key, in which form."""
    from ctip.keys.commands import show_status

    show_status(settings())


@keys_app.command("rotate")
def keys_rotate(batch: int = typer.Option(500, min=1, help="rows per transaction")) -> None:
    """New data and blind-index keys: re-encrypt and re-index every value (resumable)."""
    from ctip.keys.commands import run_rotate

    run_rotate(settings(), batch)


@keys_app.command("rebind")
def keys_rebind(batch: int = typer.Option(500, min=1, help="rows per transaction")) -> None:
    """Bind values written before binding to their table, column and row (current key)."""
    from ctip.keys.commands import run_rebind

    run_rebind(settings(), batch)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    workers: int = typer.Option(0, help="worker processes; 0 = one per core"),
) -> None:
    """Serve the web app and API (several worker processes, TCP_NODELAY on every
    connection; see docs/deployment.md)."""
    from ctip.web.serving import default_workers
    from ctip.web.serving import serve as serve_app

    count = workers or default_workers()
    typer.echo(f"CTIP is at http://{host}:{port}/ ({count} worker(s))")
    # X-Forwarded-For only from CTIP_TRUSTED_PROXIES (ctip.web.proxy): uvicorn's proxy
    # headers stay off (ctip.web.serving passes UVICORN_OPTIONS).
    try:
        serve_app(host, port, count)
    except OSError as exc:
        import errno

        if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise
        typer.echo(f"cannot listen on {host}:{port}: {exc.strerror}", err=True)
        raise typer.Exit(1) from exc


def _add_package_groups() -> None:
    for name in CLI_PACKAGES:
        try:
            module = importlib.import_module(f"ctip.{name}.cli")
        except ModuleNotFoundError as exc:
            if exc.name in (f"ctip.{name}", f"ctip.{name}.cli"):
                continue
            raise
        if hasattr(module, "register"):
            module.register(app)
        else:
            app.add_typer(module.app, name=name)


_add_package_groups()

if __name__ == "__main__":
    app()
