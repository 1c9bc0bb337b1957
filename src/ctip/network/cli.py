"""``ctip network``: export the network, list networks, find a path, write a dossier, raise
alerts for existing records. Commands act as the system (national scope) unless ``--user``
names a user, whose scope then applies; exports and reads are audited as on the web."""

from __future__ import annotations

from pathlib import Path

import typer

from ctip.auth.service import actor_named

app = typer.Typer(help="Networks: export, list, path, dossier, alerts.", no_args_is_help=True)

USER_OPTION = typer.Option(None, "--user", help="act as this user (default: the system)")


@app.command("export")
def export_command(
    fmt: str = typer.Option(..., "--format", help="graphml, gexf or anx"),
    out: Path = typer.Option(..., "--out", help="file to write"),
    around: int | None = typer.Option(None, "--around", help="only around this person id"),
    hops: int = typer.Option(2, "--hops", help="1-3 links around --around"),
    user: str | None = USER_OPTION,
) -> None:
    """Write the network (or a person's neighbourhood) as GraphML, GEXF or i2 ANX."""
    from ctip.cli import unit_of_work
    from ctip.network import service

    with unit_of_work() as session:
        data = service.export(
            session, actor=actor_named(session, user), fmt=fmt, around_person=around, hops=hops
        )
    out.write_bytes(data)
    typer.echo(f"wrote {out} ({len(data)} bytes)")


@app.command("list")
def list_command(
    order: str = typer.Option("size", help="size or growth"),
    province: str | None = typer.Option(None, help="KH-1 … KH-25"),
    crossing: str | None = typer.Option(None, help="border crossing code, e.g. poipet"),
    user: str | None = USER_OPTION,
    as_json: bool = typer.Option(False, "--json", help="print the API's JSON shape"),
) -> None:
    """The largest or fastest-growing networks, with bridging brokers."""
    from ctip.cli import unit_of_work
    from ctip.network import service

    with unit_of_work() as session:
        data = service.networks(
            session,
            actor=actor_named(session, user),
            order=order,
            province=province,
            crossing=crossing,
        )
    if as_json:
        typer.echo(data.model_dump_json(indent=2))
        return
    for n in data.networks:
        where = ",".join(n.provinces)
        typer.echo(
            f"{n.persons:4} persons {n.cases:4} cases {n.recent_cases:3} recent  {where}"
            f"  {','.join(n.crossings)}  around {n.centre}"
        )


@app.command("path")
def path_command(
    person_a: int = typer.Argument(...),
    person_b: int = typer.Argument(...),
    user: str | None = USER_OPTION,
) -> None:
    """A shortest chain of people, identifiers and cases between two persons."""
    from ctip.cli import unit_of_work
    from ctip.network import service

    with unit_of_work() as session:
        data = service.path(
            session, actor=actor_named(session, user), person_a=person_a, person_b=person_b
        )
    if not data.nodes:
        typer.echo("not connected")
    for node in data.nodes:
        typer.echo(f"{node.key:24} {node.label}")


@app.command("dossier")
def dossier_command(
    person_id: int = typer.Argument(...),
    out: Path = typer.Option(..., "--out", help="PDF file to write"),
    language: str = typer.Option("en", help="en or km"),
    user: str | None = USER_OPTION,
) -> None:
    """Write the suspect dossier of a resolved person as a PDF."""
    from ctip.cli import settings, unit_of_work
    from ctip.network import dossier
    from ctip.web.fonts import khmer_font

    with unit_of_work() as session:
        data = dossier.build(
            session,
            actor=actor_named(session, user),
            person_id=person_id,
            purpose="pdf",
            language=language,
        )
    out.write_bytes(dossier.to_pdf(data, khmer_font(settings()), language))
    typer.echo(f"wrote {out}")


@app.command("alerts-scan")
def alerts_scan_command(user: str | None = USER_OPTION) -> None:
    """Raise the alerts existing records call for (after a bulk load); already raised
    alerts are not repeated."""
    from ctip.cli import unit_of_work
    from ctip.network import alerts

    with unit_of_work() as session:
        actor = actor_named(session, user)
        total = alerts.rescan(session, actor=actor, person_ids=alerts.persons_on_cases(session))
    typer.echo(f"{total} alerts raised")
