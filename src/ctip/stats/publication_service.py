"""Releases of public tables: the year's count tables protected by cell suppression (k) or
differential privacy (ε), stored once and shown to everyone, with the exact figures they were
made from kept for national readers.

A differentially private release spends ε from the year's budget
(``CTIP_PRIVACY_BUDGET_PER_YEAR``); the year's row in ``privacy_budget_years`` is locked
while the release is made, so two releases at once cannot both spend the last of it. A release
that would overspend is refused with what is left.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_role
from ctip.config import Settings
from ctip.errors import NotFound, ValidationFailed
from ctip.stats.definitions import BY_ID
from ctip.stats.disclosure import Published, check_k, published_grid, suppress_tables
from ctip.stats.engine import annual_tables, resolve_period
from ctip.stats.privacy import (
    DEFAULT_TABLES,
    check_budget,
    check_epsilon,
    dp_codes,
    noisy_tables,
    remaining,
)
from ctip.stats.publication_models import PrivacyBudgetYear, PublicationRelease
from ctip.stats.queries import BY_METRIC
from ctip.stats.tables import Figure, Table

Method = Literal["suppression", "dp"]
METHODS: tuple[str, ...] = ("suppression", "dp")  # made from the tables; "synthetic" by export
PUBLISHERS = ("admin", "secretariat")
CellStatus = Literal["exact", "suppressed", "noisy"]


@dataclass(frozen=True)
class Budget:
    """The privacy budget of one year of data."""

    year: int
    budget: float
    spent: float
    releases: int

    @property
    def remaining(self) -> float:
        return remaining(self.budget, self.spent)


@dataclass(frozen=True)
class ReleaseSummary:
    id: int
    year: int
    method: str
    k: int | None
    epsilon: float | None
    title: str
    created_at: datetime
    created_by: str
    cells: int
    cells_suppressed: int

    @property
    def share_suppressed(self) -> float:
        return self.cells_suppressed / self.cells if self.cells else 0.0


@dataclass(frozen=True)
class ReleaseTable:
    """One table of a release: the public figures, the status of each (exact, suppressed or
    noisy), the noise margin, and the exact figures when the reader may see them."""

    table: Table
    status: list[list[CellStatus]]
    margin: float | None = None
    internal: Table | None = None


@dataclass(frozen=True)
class ReleaseDetail:
    summary: ReleaseSummary
    tables: list[ReleaseTable]
    shows_internal: bool


def _summary(row: PublicationRelease) -> ReleaseSummary:
    return ReleaseSummary(
        row.id,
        row.year,
        row.method,
        row.k,
        row.epsilon,
        row.title,
        row.created_at,
        row.created_by_name,
        row.cells,
        row.cells_suppressed,
    )


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValidationFailed.single(
            "method", "unknown method %(value)s; use suppression or dp", value=method
        )


def budget(session: Session, *, settings: Settings, year: int) -> Budget:
    """What the year's differentially private releases have spent and may still spend."""
    row = session.get(PrivacyBudgetYear, year)
    spent = row.spent if row else 0.0
    return Budget(year, settings.privacy_budget_per_year, spent, row.releases if row else 0)


def _locked_budget_row(session: Session, year: int) -> PrivacyBudgetYear:
    """The year's budget row, created if missing, locked until the transaction ends."""
    row = session.get(PrivacyBudgetYear, year, with_for_update=True)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(PrivacyBudgetYear(year=year, spent=0.0, releases=0))
    except IntegrityError:
        pass  # made meanwhile by a concurrent release; lock that one
    locked = session.get(PrivacyBudgetYear, year, with_for_update=True, populate_existing=True)
    assert locked is not None
    return locked


def _check_room(row: PrivacyBudgetYear, settings: Settings, year: int, epsilon: float) -> None:
    """Refuse ``epsilon`` when the year's locked budget row has not that much left."""
    check_budget(
        year=year, epsilon=epsilon, spent=row.spent, budget=settings.privacy_budget_per_year
    )


def _charge(row: PrivacyBudgetYear, epsilon: float) -> None:
    """Book one release of ``epsilon`` on the year's locked budget row."""
    row.spent = round(row.spent + epsilon, 9)
    row.releases += 1


def spend_budget(
    session: Session,
    *,
    actor: Actor,
    settings: Settings,
    years: list[int],
    epsilon: float,
    title: str,
    method: str = "synthetic",
) -> None:
    """Spend ε from each year's budget for a release outside the tables (synthetic
    microdata), all or nothing, and record one release row per year."""
    rows = [_locked_budget_row(session, year) for year in years]
    for year, row in zip(years, rows, strict=True):
        _check_room(row, settings, year, epsilon)
    for year, row in zip(years, rows, strict=True):
        _charge(row, epsilon)
        release = _store(session, actor, year, method, 0, epsilon, title, {}, [])
        session.flush()
        record(
            session,
            actor=actor,
            action="publication.release",
            entity_type="publication_release",
            entity_id=release.id,
            detail=f"year={year} method={method} epsilon={epsilon:g}",
        )


def _payload(pairs: list[tuple[Table, Any]], method: str) -> list[dict[str, Any]]:
    out = []
    for table, detail in pairs:
        item: dict[str, Any] = {"table": table.to_json()}
        if method == "suppression":
            item["primary"] = detail.primary
        else:
            item["margin"] = max(q.margin for q in detail.queries)
            item["epsilon"] = detail.epsilon
        out.append(item)
    return out


def protect(
    tables: dict[str, Table],
    *,
    method: str,
    k: int,
    epsilon: float,
    prior: list[Published] | None = None,
    keys: tuple[str, ...] = DEFAULT_TABLES,
) -> list[dict[str, Any]]:
    """The publishable tables protected by ``method``, as stored in a release; suppression
    beside ``prior``, what earlier releases of the period printed; dp of the tables ``keys``."""
    if method == "suppression":
        return _payload(list(suppress_tables(tables.values(), k, prior=prior or [])), method)
    return _payload(list(noisy_tables(tables.values(), epsilon, keys)), method)


def _empty_table(key: str) -> Table:
    """A metric's table with no figures: its shape and dimensions, for ``dp_codes``."""
    metric, query = BY_ID[key], BY_METRIC[key]
    if query.shape == "scalar":
        return Table.scalar(key, metric.title, metric.unit, 0)
    if query.shape == "pairs":
        return Table.from_pairs(
            key, metric.title, metric.unit, query.row_dim or "", query.col_dim or "", {}
        )
    table = Table.from_counts(
        key, metric.title, metric.unit, query.row_dim or "", {}, additive=not metric.multi_select
    )
    return replace(table, statistic="median") if query.shape == "duration" else table


def check_dp_tables(keys: list[str] | None) -> tuple[str, ...]:
    """The metrics a dp release is asked to hold (default ``DEFAULT_TABLES``); an unknown
    metric or one that cannot be released with differential privacy names the field."""
    if not keys:
        return DEFAULT_TABLES
    for key in keys:
        metric = BY_ID.get(key)
        if metric is None:
            raise ValidationFailed.single(
                "tables", "unknown metric %(value)s; choose one from the definitions", value=key
            )
        probe = _empty_table(key)
        why = dp_codes(probe, multi_select=metric.multi_select)
        if isinstance(why, str):
            raise ValidationFailed.single("tables", why, value=key)
    return tuple(dict.fromkeys(keys))


def prior_published(session: Session, *, year: int) -> list[Published]:
    """Every table the year's earlier suppression releases printed, beside the exact figures
    each was made from, oldest first: a new release is suppressed so that setting it beside
    them (a corrected version beside the first) reveals no withheld figure."""
    out: list[Published] = []
    query = (
        select(PublicationRelease)
        .where(PublicationRelease.year == year, PublicationRelease.method == "suppression")
        .order_by(PublicationRelease.id)
    )
    for row in session.scalars(query):
        exact = {t["key"]: Table.from_json(t) for t in json.loads(row.internal)}
        for item in json.loads(row.published):
            shown = Table.from_json(item["table"])
            if shown.key in exact:
                out.append(published_grid(exact[shown.key], shown))
    return out


def create_release(
    session: Session,
    *,
    actor: Actor,
    settings: Settings,
    year: int,
    method: str = "suppression",
    k: int | None = None,
    epsilon: float | None = None,
    title: str = "",
    tables: list[str] | None = None,
) -> ReleaseSummary:
    """Protect the year's national count tables and store them as a public release.

    Only the secretariat (and admins) publish. ``k`` defaults to ``CTIP_DISCLOSURE_K``, ``ε``
    to ``CTIP_PRIVACY_EPSILON``; a dp release over the year's budget is refused.
    """
    require_role(actor, *PUBLISHERS)
    _check_method(method)
    resolve_period(year)
    k = settings.disclosure_k if k is None else k
    check_k(k)
    eps = settings.privacy_epsilon if epsilon is None else epsilon
    keys = check_dp_tables(tables) if method == "dp" else DEFAULT_TABLES
    row = None
    if method == "dp":
        check_epsilon(eps)
        row = _locked_budget_row(session, year)
        _check_room(row, settings, year, eps)
    report = annual_tables(session=session, actor=actor, settings=settings, year=year)
    prior = prior_published(session, year=year) if method == "suppression" else []
    published = protect(report.tables, method=method, k=k, epsilon=eps, prior=prior, keys=keys)
    release = _store(session, actor, year, method, k, eps, title, report.tables, published)
    release.definitions_version = report.definitions_version
    if row is not None:
        _charge(row, eps)
    session.flush()
    record(
        session,
        actor=actor,
        action="publication.release",
        entity_type="publication_release",
        entity_id=release.id,
        detail=f"year={year} method={method} "
        + (f"epsilon={eps:g}" if method == "dp" else f"k={k}")
        + f" tables={len(published)} suppressed={release.cells_suppressed}/{release.cells}",
    )
    return _summary(release)


def _store(
    session: Session,
    actor: Actor,
    year: int,
    method: str,
    k: int,
    epsilon: float,
    title: str,
    exact: dict[str, Table],
    published: list[dict[str, Any]],
) -> PublicationRelease:
    keys = {item["table"]["key"] for item in published}
    cells = suppressed = 0
    for item in published:
        for figure in _figures(Table.from_json(item["table"])):
            cells += 1
            suppressed += figure is None
    release = PublicationRelease(
        year=year,
        method=method,
        k=k if method == "suppression" else None,
        epsilon=None if method == "suppression" else epsilon,
        title=title.strip()[:200] or f"{year}",
        published=json.dumps(published, ensure_ascii=False),
        internal=json.dumps([t.to_json() for key, t in exact.items() if key in keys]),
        cells=cells,
        cells_suppressed=suppressed,
        created_by_id=actor.id,
        created_by_name=actor.username,
    )
    session.add(release)
    return release


def _figures(table: Table) -> list[Figure]:
    """Every number a table publishes: its cells and, for breakdowns, its totals."""
    figures = [v for row in table.cells for v in row]
    if not table.is_scalar:
        figures += [*table.row_totals, *table.col_totals, table.total]
    return figures


def list_releases(
    session: Session, *, actor: Actor, year: int | None = None
) -> list[ReleaseSummary]:
    """Releases, newest first; public tables, so every signed-in role may list them."""
    query = select(PublicationRelease).order_by(PublicationRelease.id.desc())
    if year is not None:
        query = query.where(PublicationRelease.year == year)
    return [_summary(r) for r in session.scalars(query)]


def latest_release(session: Session, *, year: int) -> PublicationRelease | None:
    """The newest release of a year's data (what a viewer's export draws on)."""
    return session.scalar(
        select(PublicationRelease)
        .where(PublicationRelease.year == year)
        .order_by(PublicationRelease.id.desc())
        .limit(1)
    )


def published_tables(release: PublicationRelease) -> dict[str, Table]:
    """The protected tables of a release by metric key."""
    items = json.loads(release.published)
    return {item["table"]["key"]: Table.from_json(item["table"]) for item in items}


def _status(item: dict[str, Any], table: Table, method: str) -> list[list[CellStatus]]:
    full = [[*row, table.row_totals[i]] for i, row in enumerate(table.cells)] + [
        [*table.col_totals, table.total]
    ]
    if method == "dp":
        return [["noisy" for _ in row] for row in full]
    return [["suppressed" if v is None else "exact" for v in row] for row in full]


def get_release(session: Session, *, actor: Actor, release_id: int) -> ReleaseDetail:
    """A release's tables; national readers also get the exact figures beside them."""
    row = session.get(PublicationRelease, release_id)
    if row is None:
        raise NotFound("no release %(id)s", id=release_id)
    internal = {t["key"]: Table.from_json(t) for t in json.loads(row.internal)}
    shows = actor.is_national
    tables = []
    for item in json.loads(row.published):
        table = Table.from_json(item["table"])
        tables.append(
            ReleaseTable(
                table,
                _status(item, table, row.method),
                item.get("margin"),
                internal.get(table.key) if shows else None,
            )
        )
    return ReleaseDetail(_summary(row), tables, shows)
