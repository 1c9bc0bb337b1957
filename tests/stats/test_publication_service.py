"""Releases of public tables on a real database: suppression, DP with the year's budget."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.models import AuditEntry
from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.errors import PermissionDenied, ValidationFailed
from ctip.stats import publication_service as pub
from ctip.stats.disclosure import Published, determined, grid_of
from ctip.stats.privacy import BudgetExhausted
from ctip.stats.publication_models import PrivacyBudgetYear
from ctip.stats.tables import Table
from tests.stats.publication_data import seed_registry


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "stats_copy_attach": False,
            "stats_copy_path": ":memory:",
            "privacy_budget_per_year": 5.0,
        }
    )


@pytest.fixture
def secretariat(make_actor: Callable[..., Actor]) -> Actor:
    return make_actor("secretariat")


@pytest.fixture
def seeded(db: Session) -> None:
    seed_registry(db)


def _full(table: Table) -> list[list[object]]:
    rows = [[*row, table.row_totals[i]] for i, row in enumerate(table.cells)]
    return [*rows, [*table.col_totals, table.total]]


def test_a_suppressed_release_hides_small_counts_and_reveals_none(
    db: Session, seeded: None, cfg: Settings, secretariat: Actor
) -> None:
    summary = pub.create_release(db, actor=secretariat, settings=cfg, year=2024, k=11)
    detail = pub.get_release(db, actor=secretariat, release_id=summary.id)
    assert summary.method == "suppression" and summary.k == 11
    assert 0 < summary.cells_suppressed < summary.cells
    published = []
    for item in detail.tables:
        assert item.internal is not None
        exact = _full(item.internal)
        shown = _full(item.table)
        for row_e, row_s in zip(exact, shown, strict=True):
            for e, s in zip(row_e, row_s, strict=True):
                assert s is None or s == e
                if isinstance(e, int) and 0 < e < 11:
                    assert s is None
        grid = grid_of(item.internal)
        published.append(Published(grid, shown, [[False] * len(r) for r in shown]))  # type: ignore[arg-type]
    assert determined(published) == []
    statuses = {s for item in detail.tables for row in item.status for s in row}
    assert statuses == {"exact", "suppressed"}
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "publication.release")).one()
    assert entry.entity_id == summary.id and "k=11" in (entry.detail or "")


def test_a_viewer_sees_the_protected_tables_only(
    db: Session, seeded: None, cfg: Settings, secretariat: Actor, make_actor: Callable[..., Actor]
) -> None:
    summary = pub.create_release(db, actor=secretariat, settings=cfg, year=2024)
    viewer = make_actor("viewer")
    assert [r.id for r in pub.list_releases(db, actor=viewer)] == [summary.id]
    detail = pub.get_release(db, actor=viewer, release_id=summary.id)
    assert not detail.shows_internal
    assert all(t.internal is None for t in detail.tables)
    with pytest.raises(PermissionDenied):
        pub.create_release(db, actor=viewer, settings=cfg, year=2024)


def test_dp_releases_spend_the_year_budget_and_stop_when_it_is_spent(
    db: Session, seeded: None, cfg: Settings, secretariat: Actor
) -> None:
    first = pub.create_release(
        db, actor=secretariat, settings=cfg, year=2024, method="dp", epsilon=3
    )
    assert first.epsilon == 3 and first.cells_suppressed == 0
    assert pub.budget(db, settings=cfg, year=2024).remaining == pytest.approx(2.0)
    with pytest.raises(BudgetExhausted) as caught:
        pub.create_release(db, actor=secretariat, settings=cfg, year=2024, method="dp", epsilon=2.5)
    assert "2 is left" in caught.value.message
    assert db.get(PrivacyBudgetYear, 2024).spent == pytest.approx(3.0)  # type: ignore[union-attr]
    pub.create_release(db, actor=secretariat, settings=cfg, year=2024, method="dp", epsilon=2)
    left = pub.budget(db, settings=cfg, year=2024)
    assert left.remaining == 0 and left.releases == 2
    assert pub.budget(db, settings=cfg, year=2023).remaining == 5.0
    detail = pub.get_release(db, actor=secretariat, release_id=first.id)
    assert {s for t in detail.tables for row in t.status for s in row} == {"noisy"}
    assert all(t.margin and t.margin > 0 for t in detail.tables)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"k": 1}, "k"),
        ({"method": "dp", "epsilon": 0}, "epsilon"),
        ({"method": "dp", "epsilon": -2}, "epsilon"),
        ({"method": "rounding"}, "method"),
        ({"year": 1200}, "year"),
    ],
)
def test_bad_input_names_the_field(
    db: Session, cfg: Settings, secretariat: Actor, changes: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {"year": 2024, **changes}
    with pytest.raises(ValidationFailed) as caught:
        pub.create_release(db, actor=secretariat, settings=cfg, **args)  # type: ignore[arg-type]
    assert caught.value.errors[0].field == field


def test_no_cell_of_a_release_is_recovered_from_identities_across_its_tables(
    db: Session, seeded: None, cfg: Settings, secretariat: Actor
) -> None:
    """The independent attacker of test_disclosure, told the identities that hold between
    the annual tables (a headline equals a total or a cell of a breakdown)."""
    from tests.stats.test_disclosure import attack, solvable_by_elimination

    summary = pub.create_release(db, actor=secretariat, settings=cfg, year=2024, k=11)
    detail = pub.get_release(db, actor=secretariat, release_id=summary.id)
    keys = [t.table.key for t in detail.tables]
    published = [
        Published(grid_of(t.internal), _full(t.table), [])  # type: ignore[arg-type]
        for t in detail.tables
    ]

    def corner(key: str) -> tuple[int, int, int]:
        n = keys.index(key)
        table = detail.tables[n].table
        return (n, len(table.rows), len(table.columns))

    def row_total(key: str, code: str) -> tuple[int, int, int]:
        n = keys.index(key)
        table = detail.tables[n].table
        return (n, table.rows.index(code), len(table.columns))

    links = [
        (corner("cases.total"), corner("cases.by_province")),
        (corner("victims.total"), corner("victims.by_sex")),
        (corner("victims.total"), corner("victims.by_age_group")),
        (corner("cases.forced_labour"), row_total("cases.by_exploitation_type", "ForcedLabour")),
        (corner("victims.children"), row_total("victims.by_age_group", "child")),
    ]
    spans = attack(published, links)
    assert spans, "the release suppresses something"
    assert all(hi - lo >= 1 for lo, hi in spans.values()), spans
    assert solvable_by_elimination(published, links) == []
