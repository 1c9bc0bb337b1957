"""``ctip demo``: load demo data, print the demo log-ins, print the ground truth."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from ctip.config import Settings
from ctip.db.session import engine_for
from ctip.demo import setup, truth
from ctip.demo.loader import BATCH, LoadResult, load, refuse_in_production
from ctip.errors import PermissionDenied
from ctip.reference import province_name
from ctip.security import load_keyring, set_keyring

app = typer.Typer(help="Demo data (development only).", no_args_is_help=True)


def _settings() -> Settings:
    """Settings for a demo command; production refuses with a clear message."""
    settings = Settings()
    try:
        refuse_in_production(settings)
    except PermissionDenied as exc:
        typer.secho(f"error: {exc.message}", fg="red", err=True)
        raise typer.Exit(1)
    return settings


@app.command("load")
def load_command(
    cases: int = typer.Option(400, min=0, help="how many demo cases"),
    seed: int = typer.Option(2024, help="random seed: the same seed gives the same data"),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="load only when the database has no cases"
    ),
    batch: int = typer.Option(
        BATCH, min=1, help="cases per committed transaction (a resumed load needs the same)"
    ),
) -> None:
    """Load seeded demo cases and create the demo log-ins (running it again adds nothing)."""
    settings = _settings()
    set_keyring(load_keyring(settings))
    engine = engine_for(settings)
    began = time.perf_counter()
    with Progress(
        TextColumn("demo cases"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("load", total=cases)
        result = load(
            engine,
            cases=cases,
            seed=seed,
            settings=settings,
            if_empty=if_empty,
            batch=batch,
            progress=lambda n: bar.advance(task, n),
        )
    _report(result, time.perf_counter() - began)


def _report(result: LoadResult, seconds: float) -> None:
    if result.skipped:
        typer.echo(f"demo data not loaded: {result.skipped}")
    else:
        typer.echo(
            f"loaded demo cases {result.first_case}..{result.requested - 1} of seed "
            f"{result.seed} ({result.written} cases) in {seconds:.1f} s"
        )
        typer.echo(f"ground truth: {result.truth_file}")
    if result.users_created:
        typer.echo(
            f"created demo log-ins {', '.join(result.users_created)} with the password "
            f"{setup.DEMO_PASSWORD} (development only); `ctip demo logins` lists them"
        )


def _print_logins(session: Session) -> None:
    with session:
        rows = setup.working_logins(session)
    typer.echo(f"CTIP: {setup.DEMO_URL}")
    if not any(ok for _, ok in rows):
        typer.echo("no demo log-ins: run `ctip demo load` first")
        return
    table = Table(title="Demo log-ins (development only)")
    for heading in ("username", "password", "role", "scope"):
        table.add_column(heading)
    for spec, ok in rows:
        if ok:
            scope = (
                province_name(spec.province) if spec.province else spec.organisation or "national"
            )
            table.add_row(spec.username, setup.DEMO_PASSWORD, spec.role, scope)
    Console(width=120).print(table)


@app.command("logins")
def logins_command() -> None:
    """Print the URL and the demo log-ins that work in this database."""
    settings = _settings()
    set_keyring(load_keyring(settings))
    _print_logins(Session(engine_for(settings)))


@app.command("identifiers")
def identifiers_command(
    total: int = typer.Option(1_000_000, min=0, help="rows wanted in the identifiers table"),
    seed: int = typer.Option(1, help="random seed"),
) -> None:
    """Top the identifiers up to TOTAL with random ones (for the search benchmark)."""
    from ctip.demo.padding import add_identifiers

    settings = _settings()
    set_keyring(load_keyring(settings))
    began = time.perf_counter()
    added = add_identifiers(engine_for(settings), total=total, seed=seed, settings=settings)
    typer.echo(f"added {added} identifiers in {time.perf_counter() - began:.1f} s")


@app.command("truth")
def truth_command(seed: int | None = typer.Option(None, help="only this seed's file")) -> None:
    """Print the ground truth (JSON lines): which person records are the same person."""
    settings = Settings()
    folder = settings.data_dir / "demo"
    paths = (
        [truth.truth_path(settings.data_dir, seed)]
        if seed is not None
        else sorted(folder.glob("truth-*.jsonl"))
    )
    paths = [p for p in paths if p.exists()]
    if not paths:
        typer.secho("no ground truth: run `ctip demo load` first", fg="red", err=True)
        raise typer.Exit(1)
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                sys.stdout.write(line)


@app.command("htcds-sample")
def htcds_sample_command(
    out: Path = typer.Option(..., "--out", help="the .xlsx file to write"),
    seed: int = typer.Option(2024, help="random seed: the same seed gives the same people"),
) -> None:
    """Write a filled HTCDS 2.0 template of synthetic people (45 rows, 3 with errors)."""
    from ctip.demo import htcds_sample

    out.write_bytes(htcds_sample.sample_xlsx(seed))
    typer.echo(
        f"wrote {out}: {htcds_sample.SAMPLE_ROWS} rows, {htcds_sample.SAMPLE_CASES} cases, "
        f"{htcds_sample.SAMPLE_ERRORS} rows with errors (seed {seed}); import it with "
        "`ctip import FILE --source htcds --province KH-1` or on the Import page"
    )
