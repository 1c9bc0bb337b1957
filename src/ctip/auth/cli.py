"""``ctip user unlock``: lift a log-in lock-out from the command line."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the auth commands to the ``ctip user`` group."""
    from ctip.cli import user_app

    @user_app.command("unlock")
    def user_unlock(
        username: str = typer.Argument("", help="the locked username"),
        address: str = typer.Option("", help="also (or only) unlock this client address"),
    ) -> None:
        """Forget the failed log-ins of a username and/or an address (audited)."""
        from ctip.auth.scope import SYSTEM
        from ctip.auth.service import unlock
        from ctip.cli import unit_of_work

        with unit_of_work() as session:
            removed = unlock(
                session, actor=SYSTEM, username=username or None, address=address or None
            )
        typer.echo(f"unlocked ({removed} failed log-ins forgotten)")
