"""Each metric's figure computed alone (the goal panel prepares only the temporary tables
its queries read) equals the same figure in the full report."""

from __future__ import annotations

from datetime import date

from ctip.auth.scope import SYSTEM
from ctip.stats.engine import Ask, Period, annual_tables, figures
from ctip.stats.queries import QUERIES, SCALARS


def test_every_scalar_alone_equals_the_report(db, make_case, stats_settings):
    make_case(
        "KH-1",
        victims=(("Feminine", "TH", 30), ("Feminine", "VN", 15)),
        suspects=("absconded", "in_custody"),
        statuses=(("charged", date(2024, 5, 30)), ("convicted", date(2024, 9, 1))),
    )
    make_case("KH-12", types=("SexualExploitation",), victims=(("Masculine", "KH", 40),))
    make_case("KH-12", opened_on=date(2023, 6, 1), statuses=(("charged", date(2024, 2, 1)),))
    today = date(2025, 1, 15)
    year = Period.year(2024)
    report = annual_tables(
        session=db, actor=SYSTEM, settings=stats_settings, year=2024, today=today
    )
    asks = [Ask((q.metric,), year) for q in QUERIES] + [
        Ask((q.metric,), year, "KH-12") for q in SCALARS
    ]
    alone = figures(session=db, actor=SYSTEM, settings=stats_settings, asks=asks, today=today)
    national = alone[: len(QUERIES)]
    for query, got in zip(QUERIES, national, strict=True):
        assert got == {query.metric: report.tables[query.metric].value}, query.metric
    province = annual_tables(
        session=db, actor=SYSTEM, settings=stats_settings, year=2024, province="KH-12", today=today
    )
    for query, got in zip(SCALARS, alone[len(QUERIES) :], strict=True):
        assert got == {query.metric: province.tables[query.metric].value}, query.metric
    assert report.tables["suspects.convicted"].value == 2
