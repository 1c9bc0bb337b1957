"""The statistics engine on a real registry (SQLite, and PostgreSQL when configured) and a
real DuckDB analytic copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.auth.scope import SYSTEM
from ctip.cases.models import Case
from ctip.errors import PermissionDenied, ValidationFailed
from ctip.stats import analytic, goals
from ctip.stats.engine import Period, annual_tables
from ctip.stats.outputs import to_csv, to_pdf, to_xlsx
from ctip.stats.report import report_json
from ctip.web.fonts import khmer_font

VOLATILE = ("data_as_of", "analytic_copy", "province", "goals", "previous_goals")


def _figures(report) -> dict:
    data = report_json(report)
    return {k: v for k, v in data.items() if k not in VOLATILE}


def _registry(make_case):
    march = date(2024, 3, 1)
    make_case(
        "KH-1",
        victims=(("Feminine", "TH", 30), ("Feminine", "VN", 25)),
        suspects=("absconded",),
        statuses=(
            ("under_investigation", date(2024, 3, 5)),
            ("charged", date(2024, 5, 30)),
            ("at_trial", date(2024, 6, 30)),
            ("convicted", date(2024, 9, 1)),
        ),
    )
    make_case("KH-1", types=("SexualExploitation",), victims=(("Masculine", "KH", 15),))
    make_case(
        "KH-12",
        victims=(("Feminine", "KH", 40), ("Feminine", "CN", 22)),
        suspects=("in_custody",),
        statuses=(("under_investigation", march), ("charged", date(2024, 4, 10))),
    )
    make_case("KH-12", opened_on=date(2023, 6, 1))


def test_figures_count_cases_women_nationalities_and_suspects(db, make_case, stats_settings):
    _registry(make_case)
    report = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    assert report.figure("cases.total") == 3
    assert report.tables["cases.by_province"].as_dict() == {"KH-1": 2, "KH-12": 1}
    assert report.figure("cases.forced_labour_involving_women") == 2
    assert report.figure("cases.forced_labour_nationalities_of_women") == 4
    assert report.figure("victims.total") == 5
    assert report.figure("victims.children") == 1
    assert report.figure("suspects.charged") == 2
    assert report.figure("suspects.convicted_in_absentia") == 1
    assert report.tables["durations.intervention_to_charge"].cell("all", "median") == 65.0
    assert report.previous["cases.total"] == 1
    assert report.change("cases.total") == 2
    assert report.person_basis == "records"


def test_provincial_report_equals_national_report_restricted_to_the_province(
    db, make_case, make_actor, stats_settings
):
    _registry(make_case)
    officer = make_actor("provincial_officer", province="KH-1")
    secretariat = make_actor("secretariat")
    own = annual_tables(session=db, actor=officer, settings=stats_settings, year=2024)
    national = annual_tables(
        session=db, actor=secretariat, settings=stats_settings, year=2024, province="KH-1"
    )
    assert _figures(own) == _figures(national)
    assert own.figure("cases.total") == 2


@pytest.mark.parametrize("role", ["provincial_officer", "viewer"])
def test_outsiders_get_no_exact_figures(db, make_case, make_actor, stats_settings, role):
    _registry(make_case)
    actor = make_actor(role, province="KH-1") if role == "provincial_officer" else make_actor(role)
    with pytest.raises(PermissionDenied):
        annual_tables(session=db, actor=actor, settings=stats_settings, year=2024, province="KH-12")


def test_ngo_caseworker_counts_only_cases_referred_to_them(
    db, make_case, make_actor, make_org, stats_settings
):
    _registry(make_case)
    worker = make_actor("ngo_caseworker", org=make_org("Shelter", org_type="NGO"))
    report = annual_tables(session=db, actor=worker, settings=stats_settings, year=2024)
    assert report.figure("cases.total") == 0


def test_a_year_without_cases_gives_zeros(db, stats_settings):
    report = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2031)
    assert report.empty
    assert report.figure("victims.total") == 0
    assert report_json(report)["notice"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 2024, "province": "KH-99"}, "province"),
        ({"start": date(2024, 5, 1), "end": date(2024, 1, 1)}, "end"),
        ({"start": date(2024, 5, 1)}, "end"),
        ({"year": 1800}, "year"),
    ],
)
def test_bad_input_names_the_field(db, stats_settings, kwargs, field):
    with pytest.raises(ValidationFailed) as caught:
        annual_tables(session=db, actor=SYSTEM, settings=stats_settings, **kwargs)
    assert caught.value.errors[0].field == field


def test_copy_is_refreshed_incrementally_and_holds_no_encrypted_column(
    db, make_case, stats_settings
):
    _registry(make_case)
    with analytic.open_copy(stats_settings) as conn:
        first = analytic.refresh(conn, session=db, settings=stats_settings)
        make_case("KH-5")
        second = analytic.refresh(conn, session=db, settings=stats_settings)
        columns = {
            r[0]
            for r in conn.execute("SELECT column_name FROM information_schema.columns").fetchall()
        }
    assert first.rebuilt and not second.rebuilt
    assert second.rows >= 1
    assert not columns & {"summary", "given_name", "family_name", "notes", "description"}
    path = analytic.copy_path(stats_settings)
    assert path is not None and path.stat().st_mode & 0o077 == 0


def test_full_build_attaches_the_registry_through_the_offline_extension(tmp_path: Path):
    from ctip.config import Settings
    from ctip.db.migrate import upgrade
    from ctip.db.session import make_engine, session_factory

    url = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(env="test", data_dir=tmp_path, database_url=url)
    with session_factory(engine)() as session, analytic.open_copy(settings) as conn:
        result = analytic.refresh(conn, session=session, settings=settings)
    engine.dispose()
    assert result.loader == "attach"
    assert (tmp_path / "stats" / "extensions" / "sqlite_scanner.duckdb_extension").exists()


def test_goal_progress_and_bad_goal(db, make_case, make_actor, stats_settings):
    _registry(make_case)
    secretariat = make_actor("secretariat")
    goals.create(
        session=db, actor=secretariat, metric="cases.total", comparison=">=", target=2, year=2024
    )
    [done] = goals.progress(
        session=db,
        actor=secretariat,
        settings=stats_settings,
        period=Period.year(2024),
        today=date(2025, 1, 10),
    )
    assert (done.figure, done.status) == (3, "met")
    with pytest.raises(ValidationFailed) as caught:
        goals.create(
            session=db, actor=secretariat, metric="nope", comparison=">=", target=1, year=2025
        )
    assert caught.value.errors[0].field == "metric"
    with pytest.raises(PermissionDenied):
        goals.create(
            session=db,
            actor=make_actor("provincial_officer"),
            metric="cases.total",
            comparison=">=",
            target=1,
            year=2025,
        )


def test_files_in_khmer(db: Session, make_case, stats_settings):
    _registry(make_case)
    report = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    font = khmer_font(stats_settings)
    pdf = to_pdf(report, font, "km")
    assert pdf.startswith(b"%PDF")
    if font is not None:
        assert b"KhmerOS" in pdf or b"Khmer" in pdf
    assert to_xlsx(report, "km")[:2] == b"PK"
    assert "ករណី".encode() in to_csv(report, "km") or to_csv(report, "km")


def test_full_build_attaches_each_registry_engine(engine, tmp_path: Path):
    """On SQLite and PostgreSQL alike the full build reads the committed registry through
    DuckDB's extension, loaded by path from the installed wheel."""
    from ctip.config import Settings
    from ctip.db.session import session_factory

    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(env="test", data_dir=tmp_path, database_url=url)
    with session_factory(engine)() as session, analytic.open_copy(settings) as conn:
        result = analytic.refresh(conn, session=session, settings=settings)
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()
        registry = session.scalar(select(func.count()).select_from(Case))
    assert result.loader == "attach"
    assert cases is not None and cases[0] == registry


def test_a_removed_role_leaves_the_copy_on_the_next_refresh(db, make_case, stats_settings):
    from ctip.cases.models import CasePerson

    case = make_case("KH-3", victims=(("Feminine", "KH", 30), ("Masculine", "KH", 40)))
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        gone = db.scalars(select(CasePerson).where(CasePerson.case_id == case.id)).first()
        db.delete(gone)
        db.flush()
        analytic.refresh(conn, session=db, settings=stats_settings)
        copied = conn.execute("SELECT count(*) FROM case_persons").fetchone()
    assert copied is not None
    assert copied[0] == db.scalar(select(func.count()).select_from(CasePerson))


def test_victims_are_resolved_persons_when_linkage_has_run(db, make_case, stats_settings):
    """Two records of one woman on two cases count once after a linkage run clusters them."""
    from ctip.cases.models import CasePerson
    from ctip.linkage.models import LinkRun, PersonCluster

    first = make_case("KH-2", victims=(("Feminine", "TH", 28),))
    second = make_case("KH-2", victims=(("Feminine", "TH", 28),))
    people = [
        db.scalar(select(CasePerson.person_id).where(CasePerson.case_id == c.id))
        for c in (first, second)
    ]
    before = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    run = LinkRun(threshold=0.9, status="complete", is_current=True)
    db.add(run)
    db.flush()
    db.add_all(PersonCluster(run_id=run.id, person_id=p, cluster_id=min(people)) for p in people)
    db.flush()
    after = annual_tables(session=db, actor=SYSTEM, settings=stats_settings, year=2024)
    assert (before.person_basis, before.figure("victims.total")) == ("records", 2)
    assert (after.person_basis, after.figure("victims.total")) == ("linkage", 1)
    assert after.figure("cases.total") == 2
