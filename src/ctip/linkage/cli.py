"""``ctip link``: re-link the registry's persons, show the last run, link outside lists."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

link_app = typer.Typer(
    help="Entity resolution of persons (Splink) and matching of outside lists.",
    no_args_is_help=True,
)

STAGES = (
    "reading persons",
    "estimating the share of matching pairs",
    "estimating u by random sampling",
    "expectation maximisation",
    "scoring candidate pairs",
    "clustering",
    "saving results",
)


def register(app: typer.Typer) -> None:
    app.add_typer(link_app, name="link")


def _bar():  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=Console(stderr=True),
    )


def _engine_option(engine: str) -> str:
    if engine not in ("duckdb", "spark"):
        typer.secho(f"error: --engine must be duckdb or spark, not {engine}", fg="red", err=True)
        raise typer.Exit(2)
    return engine


@link_app.command("run")
def run_command(
    engine: str = typer.Option("duckdb", help="duckdb (default) or spark"),
    threshold: float | None = typer.Option(
        None, min=0.0, max=1.0, help="cluster at this match probability (default: setting)"
    ),
    retrain: bool = typer.Option(
        False, help="train a new model instead of reusing the current one"
    ),
    if_none: bool = typer.Option(
        False, "--if-none", help="do nothing when a complete run is already in force"
    ),
) -> None:
    """Re-link every person record: pairs, clusters and the model, atomically."""
    from ctip.cli import settings
    from ctip.db.session import engine_for, session_factory
    from ctip.linkage.run import run_linkage
    from ctip.security import load_keyring, set_keyring

    engine = _engine_option(engine)
    cfg = settings()
    set_keyring(load_keyring(cfg))
    factory = session_factory(engine_for(cfg), writer=True)
    if if_none:
        from ctip.linkage.service import current_run

        with factory() as session:
            run = current_run(session)
        if run is not None:
            typer.echo(f"run {run.id} is in force; nothing to do (--if-none)")
            return
    with _bar() as bar:
        task = bar.add_task("starting", total=len(STAGES))

        def step(message: str) -> None:
            bar.update(task, description=message, advance=1)

        summary = run_linkage(
            factory,
            settings=cfg,
            engine=engine,
            threshold=threshold,
            retrain=retrain,
            progress=step,
        )
    trained = "trained" if summary.trained else "reused"
    typer.echo(
        f"run {summary.run_id} complete on {summary.engine}: {summary.n_records} persons, "
        f"{summary.n_pairs} pairs, {summary.n_clusters} resolved persons, model "
        f"{summary.model_version} ({trained}), {summary.seconds:.1f} s"
    )


@link_app.command("status")
def status_command() -> None:
    """Show the last linkage run and the one whose results are in force."""
    from sqlalchemy.orm import Session

    from ctip.cli import settings
    from ctip.db.session import engine_for
    from ctip.linkage.run import status

    with Session(engine_for(settings())) as session:
        found = status(session)
    last, current = found["last"], found["current"]
    if last is None:
        typer.echo("no linkage run yet: run `ctip link run`")
        return
    for title, run in (("last run", last), ("current", current)):
        if run is None:
            typer.echo(f"{title}: none complete")
            continue
        typer.echo(
            f"{title}: #{run.id} {run.status} on {run.engine}, threshold {run.threshold}, "
            f"model {run.model_version or '-'}, started {run.started_at:%Y-%m-%d %H:%M:%S}, "
            f"finished {run.finished_at or '-'}, {run.n_records} persons, {run.n_pairs} pairs, "
            f"{run.n_clusters} resolved"
            + (f" ({run.error})" if run.error and run.status == "failed" else "")
        )


@link_app.command("file")
def file_command(
    left: Path = typer.Option(..., "--left", help="CSV or XLSX list"),
    right: Path | None = typer.Option(None, "--right", help="second list (else deduplicate)"),
    id_column: str = typer.Option(..., "--id-column", help="column holding each row's id"),
    mapping: list[str] = typer.Option(
        ..., "--map", help="SOURCE_COLUMN=ROLE, repeated (roles: see docs/linkage.md)"
    ),
    out: Path = typer.Option(..., "--out", help="where to write the matches (CSV)"),
    threshold: float | None = typer.Option(None, min=0.0, max=1.0, help="match probability"),
    engine: str = typer.Option("duckdb", help="duckdb (default) or spark"),
) -> None:
    """Link two lists, or deduplicate one, without the registry: left_id, right_id,
    match_probability, cluster_id and the evidence per field."""
    from ctip.cli import settings
    from ctip.errors import ValidationFailed
    from ctip.linkage.files import link_lists, load, parse_mapping, write_csv

    engine = _engine_option(engine)
    cfg = settings()
    try:
        roles = parse_mapping(mapping)
        left_list = load(left)
        right_list = load(right) if right else None
        with _bar() as bar:
            task = bar.add_task("reading", total=len(STAGES))
            rows = link_lists(
                left_list,
                right_list,
                id_column=id_column,
                mapping=roles,
                threshold=cfg.linkage_threshold if threshold is None else threshold,
                data_dir=cfg.data_dir,
                engine=engine,
                spark_master=cfg.linkage_spark_master,
                progress=lambda m: bar.update(task, description=m, advance=1),
            )
    except ValidationFailed as exc:
        for error in exc.errors:
            where = f"row {error.row}: " if error.row is not None else ""
            typer.secho(f"error: {where}{error.field}: {error.message}", fg="red", err=True)
        typer.echo("nothing written", err=True)
        raise typer.Exit(1)
    write_csv(out, rows)
    typer.echo(f"{len(rows)} matches written to {out}")
