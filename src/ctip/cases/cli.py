"""``ctip cases``: show a case by reference and list cases, through the same services as the web.

Commands act as the system (national scope) unless ``--user`` names a user, whose scope then
applies; every read is audited as for the web.
"""

from __future__ import annotations

import typer

from ctip.auth.service import actor_named
from ctip.cases import service
from ctip.cases.detail import detail
from ctip.cases.schemas import CaseDetail, CaseFilters, CaseList
from ctip.reference import province_name

app = typer.Typer(help="Cases: show one, list many.", no_args_is_help=True)

USER_OPTION = typer.Option(None, "--user", help="act as this user (default: the system)")
JSON_OPTION = typer.Option(False, "--json", help="print the API's JSON shape")


def _print_detail(data: CaseDetail) -> None:
    typer.echo(f"{data.reference}  {data.title}")
    typer.echo(f"province: {province_name(data.province)} ({data.province})")
    typer.echo(f"opened:   {data.opened_on}")
    typer.echo(f"status:   {data.status} since {data.status_changed_on}")
    typer.echo(f"types:    {', '.join(data.exploitation_types) or '-'}")
    for person in data.participants:
        flag = "  [victim and suspect]" if person.both_sides else ""
        typer.echo(f"person:   {person.role}: {person.person_name} (#{person.person_id}){flag}")
    for event in data.events:
        change = f" {event.from_status or ''} -> {event.to_status}" if event.to_status else ""
        typer.echo(f"event:    {event.occurred_on} {event.event_type}{change}")


@app.command("show")
def show(
    reference: str = typer.Argument(..., help="e.g. KH-1-2024-000123"),
    user: str | None = USER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a case: facts, persons in roles, timeline."""
    from ctip.cli import unit_of_work

    with unit_of_work() as session:
        actor = actor_named(session, user)
        case_id = service.find_reference(session, actor=actor, reference=reference)
        data = detail(session, actor=actor, case_id=case_id)
        if as_json:
            typer.echo(data.model_dump_json(indent=2))
        else:
            _print_detail(data)


@app.command("list")
def list_cases(
    province: str | None = typer.Option(None, help="KH-1 … KH-25"),
    status: str | None = typer.Option(None),
    q: str | None = typer.Option(None, help="reference, title, person name or identifier"),
    exploitation_type: str | None = typer.Option(None, "--type"),
    page: int = typer.Option(1, min=1),
    page_size: int = typer.Option(50, min=1, max=200),
    user: str | None = USER_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """List cases within scope, newest first."""
    from ctip.cli import unit_of_work

    filters = CaseFilters(
        province=province, status=status, q=q, exploitation_type=exploitation_type
    )
    with unit_of_work() as session:
        rows, total = service.search(
            session,
            actor=actor_named(session, user),
            filters=filters,
            page=page,
            page_size=page_size,
        )
    if as_json:
        typer.echo(
            CaseList(items=rows, total=total, page=page, page_size=page_size).model_dump_json(
                indent=2
            )
        )
        return
    for row in rows:
        typer.echo(f"{row.reference}\t{row.opened_on}\t{row.status}\t{row.title}")
    typer.echo(f"{total} cases")
