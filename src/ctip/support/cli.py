"""``ctip support``: a victim's support plan and the overdue task list, from the command line.

Commands act as the system (national scope) unless ``--user`` names a user.
"""

from __future__ import annotations

import typer

from ctip.auth.service import actor_named
from ctip.i18n import label

app = typer.Typer(help="Victim support plans: services, tasks, notes.", no_args_is_help=True)

USER_OPTION = typer.Option(None, "--user", help="act as this user (default: the system)")


@app.command("tasks")
def tasks(
    overdue: bool = typer.Option(False, "--overdue", help="only tasks past their due date"),
    user: str | None = USER_OPTION,
) -> None:
    """List open support tasks, soonest due first."""
    from ctip.cli import unit_of_work  # ctip.cli imports this module
    from ctip.support import service

    with unit_of_work() as session:
        rows = service.tasks(session, actor=actor_named(session, user), overdue_only=overdue)
        for task in rows:
            mark = " OVERDUE" if task.overdue else ""
            typer.echo(f"{task.due_on}  {task.case_reference}  {task.title}{mark}")
    if not rows:
        typer.echo("no open tasks")


@app.command("plan")
def plan(
    case: int = typer.Option(..., help="case id"),
    person: int = typer.Option(..., help="person id"),
    user: str | None = USER_OPTION,
) -> None:
    """Print a victim's support plan: services with follow-ups, tasks and steps."""
    from ctip.cli import unit_of_work  # ctip.cli imports this module
    from ctip.support import service

    with unit_of_work() as session:
        found = service.plan(
            session, actor=actor_named(session, user), case_id=case, person_id=person
        )
        typer.echo(f"{found.case_reference} · {found.person_name}")
        for s in found.services:
            typer.echo(f"- {label(s.service_type)} ({label(s.status)}) {s.provider or ''}".rstrip())
            for f in s.followups:
                typer.echo(f"    {f.followed_on} {f.note or ''}".rstrip())
        for t in found.tasks:
            typer.echo(f"task {t.due_on} {t.title}{' (done)' if t.done_on else ''}")
        for e in found.steps:
            typer.echo(f"step {e.occurred_on} {label(e.step)}")
