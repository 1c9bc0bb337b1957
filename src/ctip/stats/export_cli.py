"""``ctip export ctdc | dhis2 | ictip``: partner formats of the statistics, scoped to
``--user`` (default: the system, national) and audited like the web."""

from __future__ import annotations

import json
from pathlib import Path

import typer

USER_OPTION = typer.Option(None, "--user", help="act as this user (default: the system)")
OUT_OPTION = typer.Option(..., "--out", help="file to write")


def export_ctdc(
    out: Path = OUT_OPTION,
    year: list[int] | None = typer.Option(None, "--year", help="a year (repeat; default all)"),
    k: int | None = typer.Option(None, "--k", help="k-anonymity (default CTIP_DISCLOSURE_K)"),
    max_suppressed: float = typer.Option(
        0.05, help="share of records that may be suppressed before generalising further"
    ),
    synthetic: bool = typer.Option(
        False, "--synthetic", help="DP synthetic records instead (pac-synth; spends ε per year)"
    ),
    epsilon: float | None = typer.Option(
        None, "--epsilon", help="ε of --synthetic (default CTIP_PRIVACY_EPSILON)"
    ),
    user: str | None = USER_OPTION,
) -> None:
    """Victim microdata in CTDC's layout, k-anonymous on its five quasi-identifiers."""
    from ctip.auth.service import actor_named
    from ctip.cli import settings, unit_of_work
    from ctip.stats import ctdc

    if synthetic:
        with unit_of_work() as session:
            records, real = ctdc.export_synthetic(
                session,
                actor=actor_named(session, user),
                settings=settings(),
                epsilon=epsilon,
                years=year or None,
            )
            out.write_text(ctdc.to_csv(records), encoding="utf-8")
        typer.echo(f"wrote {len(records)} synthetic records (from {real} real) to {out}")
        return
    with unit_of_work() as session:
        actor = actor_named(session, user)
        result = ctdc.export(
            session,
            actor=actor,
            k=settings().disclosure_k if k is None else k,
            years=year or None,
            max_suppressed=max_suppressed,
        )
        out.write_text(ctdc.to_csv(result.records), encoding="utf-8")
    levels = ", ".join(f"{q} {result.levels[q]}" for q in ctdc.QUASI)
    typer.echo(
        f"wrote {len(result.records)} records to {out} (k = {result.k}); "
        f"{result.suppressed} of {result.total} suppressed ({result.share_suppressed:.1%}); "
        f"generalisation levels: {levels}"
    )


def export_dhis2(
    period: str = typer.Option(..., "--period", help="2024, 2024Q1 or 202401"),
    out: Path = OUT_OPTION,
    mapping: Path | None = typer.Option(
        None, "--mapping", help="mapping file (default CTIP_DHIS2_MAPPING)"
    ),
    user: str | None = USER_OPTION,
) -> None:
    """Figures of a period as a DHIS2 dataValueSets JSON file."""
    from ctip.auth.service import actor_named
    from ctip.cli import settings, unit_of_work
    from ctip.errors import ValidationFailed
    from ctip.stats import dhis2

    cfg = settings()
    with unit_of_work() as session:
        path = mapping or cfg.dhis2_mapping
        if path is None:
            raise ValidationFailed.single("mapping", "give --mapping or set CTIP_DHIS2_MAPPING")
        document = dhis2.export(
            session,
            actor=actor_named(session, user),
            settings=cfg,
            period=period,
            mapping=dhis2.load_mapping(path),
        )
        out.write_text(json.dumps(document, indent=2), encoding="utf-8")
    typer.echo(f"wrote {len(document['dataValues'])} data values for {period} to {out}")


def export_ictip(
    out: Path = OUT_OPTION,
    year: list[int] | None = typer.Option(None, "--year", help="a year (repeat; default all)"),
    k: int | None = typer.Option(None, "--k", help="suppress cells below k (viewers: always)"),
    fmt: str = typer.Option("csv", "--format", help="csv or json"),
    user: str | None = USER_OPTION,
) -> None:
    """IC-TIP-aligned tables of victims (exact within scope, or suppressed with --k)."""
    from ctip.auth.service import actor_named
    from ctip.cli import settings, unit_of_work
    from ctip.errors import ValidationFailed
    from ctip.stats import ictip

    with unit_of_work() as session:
        if fmt not in ictip.FORMATS:
            raise ValidationFailed.single("format", "use csv or json")
        tables = ictip.export(
            session,
            actor=actor_named(session, user),
            years=year or None,
            k=k,
            default_k=settings().disclosure_k,
        )
        text = (
            ictip.to_csv(tables)
            if fmt == "csv"
            else json.dumps([t.to_json() for t in tables], indent=2)
        )
        out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {len(tables)} tables to {out}")


def register(app: typer.Typer) -> None:
    """Add the statistics' formats to ``ctip export``."""
    app.command("ctdc")(export_ctdc)
    app.command("dhis2")(export_dhis2)
    app.command("ictip")(export_ictip)
