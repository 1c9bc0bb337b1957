"""Two suppression releases of one year on a real database: a first version, then a
corrected one after more cases were recorded. Beside each other they reveal no withheld
figure to the independent attacker of ``test_disclosure``, told every figure that did not
change between the versions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.stats import publication_service as pub
from ctip.stats.disclosure import Published, grid_of
from ctip.stats.tables import Table
from tests.stats.publication_data import seed_registry
from tests.stats.test_disclosure import Pair, attack, solvable_by_elimination


@pytest.fixture
def cfg(settings: Settings) -> Settings:
    return settings.model_copy(update={"stats_copy_attach": False, "stats_copy_path": ":memory:"})


def _full(table: Table) -> list[list[object]]:
    rows = [[*row, table.row_totals[i]] for i, row in enumerate(table.cells)]
    return [*rows, [*table.col_totals, table.total]]


def _labelled(table: Table) -> dict[tuple[str, str], tuple[int, int]]:
    rows, cols = [*table.rows, "="], [*table.columns, "="]
    return {(r, c): (i, j) for i, r in enumerate(rows) for j, c in enumerate(cols)}


def _both(db: Session, actor: Actor, ids: list[int]) -> tuple[list[Published], list[Pair]]:
    """Both releases' tables for the attacker, and the figures unchanged between them."""
    published: list[Published] = []
    where: dict[str, list[tuple[int, Table]]] = {}
    for release_id in ids:
        for item in pub.get_release(db, actor=actor, release_id=release_id).tables:
            assert item.internal is not None
            where.setdefault(item.table.key, []).append((len(published), item.internal))
            published.append(Published(grid_of(item.internal), _full(item.table), []))  # type: ignore[arg-type]
    links: list[Pair] = []
    for versions in where.values():
        if len(versions) != 2:
            continue
        (ta, a), (tb, b) = versions
        fa, fb, lb = _full(a), _full(b), _labelled(b)
        for label, (i, j) in _labelled(a).items():
            if label in lb and fa[i][j] == fb[lb[label][0]][lb[label][1]]:
                links.append(((ta, i, j), (tb, *lb[label])))
    return published, links


def test_a_corrected_release_beside_the_first_reveals_no_withheld_figure(
    db: Session, cfg: Settings, make_actor: Callable[..., Actor], make_case: Callable[..., object]
) -> None:
    secretariat = make_actor("secretariat")
    seed_registry(db)
    first = pub.create_release(db, actor=secretariat, settings=cfg, year=2024, k=11)
    for n in range(4):  # late records: the correction
        make_case(province="KH-2", opened_on=date(2024, 5, 1 + n), types=("ForcedMarriage",))
    second = pub.create_release(db, actor=secretariat, settings=cfg, year=2024, k=11)
    before = {
        t.table.key: t.table
        for t in pub.get_release(db, actor=secretariat, release_id=first.id).tables
    }
    after = {
        t.table.key: t.table
        for t in pub.get_release(db, actor=secretariat, release_id=second.id).tables
    }
    withheld = 0
    for key, old in before.items():
        new, at = after[key], _labelled(after[key])
        for label, (i, j) in _labelled(old).items():
            if _full(old)[i][j] is None and label in at:
                withheld += 1
                assert _full(new)[at[label][0]][at[label][1]] is None, (key, label)
    assert withheld
    published, links = _both(db, secretariat, [first.id, second.id])
    assert links
    spans = attack(published, links)
    assert spans and all(hi - lo >= 1 for lo, hi in spans.values()), spans
    assert solvable_by_elimination(published, links) == []
