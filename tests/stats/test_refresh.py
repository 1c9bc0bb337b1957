"""The analytic copy's incremental refresh: only changed rows are read, deletions and rows
committed late are reconciled, and the copy (its derived tables included) then equals a full
build (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, inspect, select, update

from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.persons.models import Person
from ctip.stats import analytic


def _contents(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every copied table's rows, by id, less ``updated_at`` (a build and an increment may
    read the same row at different instants), and every derived table's rows in order."""
    out = {}
    for spec in analytic.TABLES:
        names = ", ".join(c for c in spec.columns if c != "updated_at")
        out[spec.table] = conn.execute(f"SELECT {names} FROM {spec.table} ORDER BY id").fetchall()
    for derived in analytic.DERIVED:
        out[derived.table] = conn.execute(f"SELECT * FROM {derived.table} ORDER BY ALL").fetchall()
    return out


def _full(db, settings) -> dict[str, list[tuple[Any, ...]]]:
    fresh = settings.model_copy(update={"stats_copy_path": ":memory:"})
    with analytic.open_copy(fresh) as conn:
        assert analytic.refresh(conn, session=db, settings=fresh, full=True).rebuilt
        return _contents(conn)


def test_the_registry_indexes_updated_at_for_the_refresh(db):
    inspector = inspect(db.connection())
    for table in ("cases", "case_persons", "persons", "referrals", "non_punishment_flags"):
        indexed = {tuple(i["column_names"]) for i in inspector.get_indexes(table)}
        assert ("updated_at",) in indexed, table


def test_increments_read_changed_rows_only_and_equal_a_full_build(db, make_case, stats_settings):
    kept = make_case("KH-1", victims=(("Feminine", "TH", 30), ("Masculine", "KH", 40)))
    moved = make_case("KH-2")
    with analytic.open_copy(stats_settings) as conn:
        built = analytic.refresh(conn, session=db, settings=stats_settings)
        assert built.rebuilt
        make_case("KH-3")
        db.execute(update(Case).where(Case.id == moved.id).values(province="KH-9"))
        db.flush()
        step = analytic.refresh(conn, session=db, settings=stats_settings)
        assert not step.rebuilt
        # the new case, its victim and person; the moved case; plus rows within the commit
        # margin of the latest change (all of this test's rows are that recent)
        assert 3 <= step.rows <= built.rows + 3
        province = conn.execute("SELECT province FROM cases WHERE id = ?", [moved.id]).fetchone()
        assert province == ("KH-9",)
        assert _contents(conn) == _full(db, stats_settings)
    assert kept.id


def test_a_deleted_case_leaves_the_copy_without_a_rebuild(db, make_case, stats_settings):
    make_case("KH-1")
    gone = make_case("KH-2", victims=(("Feminine", "VN", 22), ("Feminine", "TH", 25)))
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        db.execute(delete(CaseEvent).where(CaseEvent.case_id == gone.id))
        db.execute(delete(CasePerson).where(CasePerson.case_id == gone.id))
        db.execute(delete(Case).where(Case.id == gone.id))
        db.flush()
        step = analytic.refresh(conn, session=db, settings=stats_settings)
        left = conn.execute("SELECT count(*) FROM cases WHERE id = ?", [gone.id]).fetchone()
        assert not step.rebuilt and left == (0,)
        assert _contents(conn) == _full(db, stats_settings)


def test_a_row_committed_late_is_read_by_the_margin_or_the_count(db, make_case, stats_settings):
    """A transaction flushed before a refresh and committed after it brings rows older than
    the latest change copied: one within the commit margin is re-read by ``updated_at``; a
    row the copy lacks below its highest id is read when the counts differ."""
    first = make_case("KH-1")
    make_case("KH-2")
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        latest = conn.execute("SELECT max(updated_at) FROM cases").fetchone()
        assert latest is not None
        earlier = latest[0] - analytic.COMMIT_MARGIN / 2
        db.execute(
            update(Case).where(Case.id == first.id).values(province="KH-7", updated_at=earlier)
        )
        db.flush()
        conn.execute("DELETE FROM case_persons WHERE id = (SELECT min(id) FROM case_persons)")
        analytic.refresh(conn, session=db, settings=stats_settings)
        province = conn.execute("SELECT province FROM cases WHERE id = ?", [first.id]).fetchone()
        assert province == ("KH-7",)
        assert _contents(conn) == _full(db, stats_settings)


def test_a_settled_table_is_not_read(db, make_case, stats_settings):
    """Once the last refresh came more than the margin after a table's latest change, equal
    marks mean nothing is read."""
    make_case("KH-1")
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        later = analytic.COMMIT_MARGIN + timedelta(minutes=1)
        row = conn.execute("SELECT refreshed_at FROM _meta").fetchone()
        assert row is not None
        conn.execute("UPDATE _meta SET refreshed_at = ?", [row[0] + later])
        step = analytic.refresh(conn, session=db, settings=stats_settings)
    assert step.rows == 0
    assert db.scalar(select(Case.id).limit(1)) is not None


def test_derived_rows_follow_a_changed_person_a_new_event_and_a_moved_participant(
    db, make_case, stats_settings
):
    """A person read again changes the victim rows of every case they are on; a new event
    changes its case's timeline; a participant moved to another case leaves the old one."""
    first = make_case("KH-1", victims=(("Feminine", "TH", 30),))
    second = make_case("KH-2", victims=(("Masculine", "VN", 19),))
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        person = db.scalar(select(CasePerson.person_id).where(CasePerson.case_id == first.id))
        db.execute(update(Person).where(Person.id == person).values(gender="Masculine"))
        db.add(
            CaseEvent(
                case_id=second.id,
                event_type="status_change",
                occurred_on=date(2024, 5, 2),
                to_status="charged",
            )
        )
        db.execute(
            update(CasePerson).where(CasePerson.case_id == second.id).values(case_id=first.id)
        )
        db.flush()
        analytic.refresh(conn, session=db, settings=stats_settings)
        victims = conn.execute(
            "SELECT case_id, gender FROM victim_rows WHERE case_id IN (?, ?) ORDER BY ALL",
            [first.id, second.id],
        ).fetchall()
        charged = conn.execute(
            "SELECT charged_on, last_status FROM case_timeline WHERE case_id = ?", [second.id]
        ).fetchone()
        assert victims == [(first.id, "Masculine"), (first.id, "Masculine")]
        assert charged == (date(2024, 5, 2), "charged")
        assert _contents(conn) == _full(db, stats_settings)


def test_a_refresh_that_fails_half_way_leaves_the_copy_as_it_was(
    db, make_case, stats_settings, monkeypatch
):
    """Rows and derived tables are written in one transaction: a failure while deriving
    rolls the rows back too, so the next refresh reads them again."""
    make_case("KH-1")
    with analytic.open_copy(stats_settings) as conn:
        analytic.refresh(conn, session=db, settings=stats_settings)
        before = _contents(conn)
        make_case("KH-3", victims=(("Feminine", "LA", 24),))

        def broken(*_args: Any, **_kwargs: Any) -> None:
            raise RuntimeError("stopped while deriving")

        with monkeypatch.context() as patch:
            patch.setattr(analytic, "_derive", broken)
            with pytest.raises(RuntimeError):
                analytic.refresh(conn, session=db, settings=stats_settings)
        assert _contents(conn) == before
        analytic.refresh(conn, session=db, settings=stats_settings)
        assert _contents(conn) == _full(db, stats_settings)
