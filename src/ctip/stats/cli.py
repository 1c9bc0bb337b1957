"""``ctip report annual`` and ``ctip stats ...``: the annual review from the command line.

Commands act as the system (national scope) unless ``--user`` names a user, whose scope and
role then apply; every report is audited as on the web.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ctip.auth.service import actor_named
from ctip.errors import DomainError

if TYPE_CHECKING:
    from ctip.stats.engine import Report

report_app = typer.Typer(help="Reports: the annual review.", no_args_is_help=True)
stats_app = typer.Typer(help="Statistics: analytic copy, definitions, goals.", no_args_is_help=True)

USER_OPTION = typer.Option(None, "--user", help="act as this user (default: the system)")
STEPS = 10  # copy tables + scope + compute (for the progress bar)


def register(app: typer.Typer) -> None:
    """Add ``ctip report`` and ``ctip stats`` to the main command."""
    app.add_typer(report_app, name="report")
    app.add_typer(stats_app, name="stats")


def _fail(exc: DomainError, language: str) -> NoReturn:
    """The error in the report's language, naming the field; the transaction rolls back."""
    typer.secho(f"error: {exc.translated(language)}", fg="red", err=True)
    raise typer.Exit(1)


@report_app.command("annual")
def annual(
    year: int | None = typer.Option(None, help="calendar year (default: last year)"),
    start: str | None = typer.Option(None, help="period start YYYY-MM-DD (with --end)"),
    end: str | None = typer.Option(None, help="period end YYYY-MM-DD (with --start)"),
    province: str | None = typer.Option(None, help="one province, e.g. KH-12"),
    lang: str = typer.Option("en", "--lang", help="en or km"),
    fmt: str = typer.Option("pdf", "--format", help="pdf, html, xlsx, csv or json"),
    out: Path = typer.Option(..., "--out", help="file to write"),
    user: str | None = USER_OPTION,
) -> None:
    """Write the annual review (figures, charts, goals, definitions annex) to a file."""
    from ctip.cli import settings, unit_of_work
    from ctip.stats.outputs import FORMATS, render_file
    from ctip.stats.service import annual_report
    from ctip.web.fonts import khmer_font

    if fmt not in FORMATS:
        typer.secho(f"error: --format must be one of {', '.join(FORMATS)}", fg="red", err=True)
        raise typer.Exit(1)
    if lang not in ("en", "km"):
        typer.secho("error: --lang must be en or km", fg="red", err=True)
        raise typer.Exit(1)
    try:
        begin, finish = (date.fromisoformat(v) if v else None for v in (start, end))
    except ValueError:
        typer.secho("error: --start/--end must be dates YYYY-MM-DD", fg="red", err=True)
        raise typer.Exit(1)
    if year is None and begin is None and finish is None:
        year = date.today().year - 1
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("annual report", total=STEPS + 2)

        def step(name: str) -> None:
            bar.update(task, advance=1, description=name)

        with unit_of_work() as session:
            try:
                report = annual_report(
                    session=session,
                    actor=actor_named(session, user),
                    settings=settings(),
                    year=year,
                    start=begin,
                    end=finish,
                    province=province,
                    language=lang,
                    output=fmt,
                    progress=step,
                )
            except DomainError as exc:
                _fail(exc, lang)
        step(f"write {fmt}")
        html = _html(report, lang) if fmt == "html" else ""
        data = render_file(report, fmt, language=lang, font=khmer_font(settings()), html=html)
    out.write_bytes(data)
    note = " (no case in this period: zeros)" if report.empty else ""
    typer.echo(
        f"wrote {out} ({len(data)} bytes){note}; data as of "
        f"{report.freshness.refreshed_at:%Y-%m-%d %H:%M} UTC; victims counted as "
        f"{'resolved persons' if report.person_basis == 'linkage' else 'person records'}"
    )


def _html(report: Report, lang: str) -> str:
    """The report as a standalone HTML document (inline charts, no menus)."""
    from ctip.stats.standalone import standalone_html

    return standalone_html(report, lang)


@stats_app.command("refresh")
def refresh(full: bool = typer.Option(False, "--full", help="rebuild from scratch")) -> None:
    """Bring the analytic copy up to date (incrementally, or from scratch with --full)."""
    from ctip.cli import settings, unit_of_work
    from ctip.stats import analytic, goal_figures

    with unit_of_work() as session:
        with analytic.open_copy(settings()) as conn:
            result = analytic.refresh(conn, session=session, settings=settings(), full=full)
        stored = goal_figures.store(session=session, settings=settings())
    how = "rebuilt" if result.rebuilt else "updated"
    typer.echo(
        f"analytic copy {how} via {result.loader}: {result.rows} rows in {result.seconds:.2f} s"
    )
    typer.echo(f"goal figures stored: {stored}")


@stats_app.command("goal-figures")
def goal_figures_command() -> None:
    """Compute and store this year's goal figures for every scope the dashboard has shown
    (and the national one), for the goal panel to read; run it on a schedule."""
    from ctip.cli import settings, unit_of_work
    from ctip.stats import goal_figures

    with unit_of_work() as session:
        stored = goal_figures.store(session=session, settings=settings())
    typer.echo(f"goal figures stored: {stored}")


@stats_app.command("definitions")
def definitions(lang: str = typer.Option("en", "--lang", help="en or km")) -> None:
    """List the metric definitions (id, unit, definition)."""
    from ctip.stats.definitions import METRICS, VERSION

    typer.echo(f"definitions version {VERSION}")
    for m in METRICS:
        typer.echo(f"{m.id}\t{m.unit}\t{m.definition(lang)}")


@stats_app.command("goal-add")
def goal_add(
    metric: str = typer.Option(..., help="metric id (ctip stats definitions)"),
    comparison: str = typer.Option(..., help="<= or >="),
    target: float = typer.Option(..., help="target figure"),
    year: int = typer.Option(..., help="the goal's year"),
    province: str | None = typer.Option(None, help="one province, e.g. KH-12"),
    user: str | None = USER_OPTION,
) -> None:
    """Record a goal (audited)."""
    from ctip.cli import unit_of_work
    from ctip.stats import goals

    with unit_of_work() as session:
        try:
            goal = goals.create(
                session=session,
                actor=actor_named(session, user),
                metric=metric,
                comparison=comparison,
                target=target,
                year=year,
                province=province,
            )
        except DomainError as exc:
            _fail(exc, "en")
        goal_id = goal.id
    typer.echo(f"goal {goal_id} recorded")


@stats_app.command("goal-edit")
def goal_edit(
    goal_id: int = typer.Argument(..., help="the goal's id (ctip stats goals)"),
    target: float | None = typer.Option(None, help="the new target"),
    comparison: str | None = typer.Option(None, help="<= or >="),
    year: int | None = typer.Option(None, help="the new year"),
    start: str | None = typer.Option(None, help="new period start YYYY-MM-DD (with --end)"),
    end: str | None = typer.Option(None, help="new period end YYYY-MM-DD (with --start)"),
    user: str | None = USER_OPTION,
) -> None:
    """Change a goal's target, comparison or period (audited); what is not given stays."""
    from ctip.cli import unit_of_work
    from ctip.stats import goals

    try:
        begin, finish = (date.fromisoformat(v) if v else None for v in (start, end))
    except ValueError:
        typer.secho("error: --start/--end must be dates YYYY-MM-DD", fg="red", err=True)
        raise typer.Exit(1)
    with unit_of_work() as session:
        try:
            goal = goals.update(
                session=session,
                actor=actor_named(session, user),
                goal_id=goal_id,
                target=target,
                comparison=comparison,
                year=year,
                start=begin,
                end=finish,
            )
        except DomainError as exc:
            _fail(exc, "en")
        shown = f"{goal.comparison} {goal.target:g} {goal.period_start}..{goal.period_end}"
    typer.echo(f"goal {goal_id} now {shown}")


@stats_app.command("goals")
def goals_list(user: str | None = USER_OPTION) -> None:
    """This year's goals with their figure and status."""
    from ctip.cli import settings, unit_of_work
    from ctip.stats import goals

    with unit_of_work() as session:
        rows = goals.progress(
            session=session, actor=actor_named(session, user), settings=settings()
        )
    for p in rows:
        typer.echo(f"{p.id}\t{p.metric} {p.comparison} {p.target:g}\t{p.figure}\t{p.status}")
