"""Goals: targets on a metric for a period, and how the period is going against them.

The secretariat (and administrators) record goals; everyone who reads figures sees progress
within their own scope (a provincial officer: the goals of their province and the national
ones measured over their province). Progress is computed from the same engine as the report:

- the period is over → ``met`` or ``missed``;
- the period is running → ``on_track`` when the figure so far meets the target (for a count
  that accumulates and must reach at least the target, the figure projected to the end of the
  period at the pace so far), else ``at_risk``;
- the period has not begun → ``not_started``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.auth.scope import Actor, require_role
from ctip.config import Settings
from ctip.errors import NotFound, ValidationFailed
from ctip.i18n import translate
from ctip.stats.definitions import BY_ID
from ctip.stats.engine import Ask, Period, check_province, figures, resolve_period
from ctip.stats.models import Goal, GoalFigure
from ctip.stats.tables import Figure

COMPARISONS = ("<=", ">=")
GOAL_WRITERS = ("admin", "secretariat")
LEVELS = frozenset({"cases.stalled"})  # states at a date, not counts that accumulate


def _(message: str) -> str:
    return message


STATUS_LABELS = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "missed": _("Missed"),
    "met": _("Met"),
    "not_started": _("Not started"),
    "no_data": _("No data yet"),
    "computing": _("Being computed"),
}


@dataclass(frozen=True)
class Progress:
    id: int
    metric: str
    title: str
    comparison: str
    target: float
    period_start: date
    period_end: date
    province: str | None
    figure: Figure
    projected: Figure
    status: str
    status_label: str
    computed_on: date
    computed_at: datetime | None = None  # UTC; None: computed now, or being computed

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("period_start", "period_end", "computed_on", "computed_at"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        return data


def check_goal(metric: str, comparison: str, target: float | None) -> None:
    """Each mistake names its field."""
    if metric not in BY_ID:
        raise ValidationFailed.single(
            "metric", "unknown metric %(value)s; choose one from the definitions", value=metric
        )
    if comparison not in COMPARISONS:
        raise ValidationFailed.single(
            "comparison", "the comparison must be <= or >=, not %(value)s", value=comparison
        )
    if target is None or target < 0:
        raise ValidationFailed.single("target", "the target must be a number of 0 or more")


def create(
    *,
    session: Session,
    actor: Actor,
    metric: str,
    comparison: str,
    target: float | None,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    province: str | None = None,
    note: str | None = None,
) -> Goal:
    """Record a goal (secretariat and administrators), audited in the same transaction."""
    require_role(actor, *GOAL_WRITERS)
    check_goal(metric, comparison, target)
    period = resolve_period(year, start, end)
    goal = Goal(
        metric=metric,
        comparison=comparison,
        target=float(target or 0),
        period_start=period.start,
        period_end=period.end,
        province=check_province(province),
        note=(note or "").strip()[:200] or None,
        created_by_id=actor.id,
    )
    session.add(goal)
    session.flush()
    audit(
        session,
        actor=actor,
        action="stats.goal_create",
        entity_type="stats_goal",
        entity_id=goal.id,
        after=_snapshot(goal),
    )
    return goal


def update(
    *,
    session: Session,
    actor: Actor,
    goal_id: int,
    target: float | None = None,
    comparison: str | None = None,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Goal:
    """Change a goal's target, comparison and/or period (what is not given stays), audited
    with the goal before and after in the same transaction. The metric and province stay:
    another metric is another goal."""
    require_role(actor, *GOAL_WRITERS)
    goal = session.get(Goal, goal_id, with_for_update=True)
    if goal is None:
        raise NotFound("no goal %(id)s", id=goal_id)
    before = _snapshot(goal)
    new_target = goal.target if target is None else target
    new_comparison = goal.comparison if comparison in (None, "") else comparison
    check_goal(goal.metric, str(new_comparison), new_target)
    if year is not None or start is not None or end is not None:
        period = resolve_period(year, start, end)
        goal.period_start, goal.period_end = period.start, period.end
    goal.target = float(new_target)
    goal.comparison = str(new_comparison)
    session.flush()
    after = _snapshot(goal)
    if after != before:
        audit(
            session,
            actor=actor,
            action="stats.goal_update",
            entity_type="stats_goal",
            entity_id=goal.id,
            before=before,
            after=after,
        )
    return goal


def remove(*, session: Session, actor: Actor, goal_id: int) -> None:
    require_role(actor, *GOAL_WRITERS)
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("no goal %(id)s", id=goal_id)
    before = _snapshot(goal)
    session.execute(delete(GoalFigure).where(GoalFigure.goal_id == goal_id))
    session.execute(delete(Goal).where(Goal.id == goal_id))
    audit(
        session,
        actor=actor,
        action="stats.goal_delete",
        entity_type="stats_goal",
        entity_id=goal_id,
        before=before,
    )


def _snapshot(goal: Goal) -> dict[str, Any]:
    return {
        "metric": goal.metric,
        "comparison": goal.comparison,
        "target": goal.target,
        "period_start": goal.period_start.isoformat(),
        "period_end": goal.period_end.isoformat(),
        "province": goal.province,
    }


def goals_for(session: Session, actor: Actor, period: Period) -> list[Goal]:
    """Goals whose period overlaps ``period`` that the actor's figures can measure."""
    query = select(Goal).where(Goal.period_start <= period.end, Goal.period_end >= period.start)
    if actor.role == "provincial_officer":
        query = query.where(or_(Goal.province.is_(None), Goal.province == actor.province))
    return list(session.scalars(query.order_by(Goal.period_start, Goal.id)))


def progress(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    period: Period | None = None,
    today: date | None = None,
    language: str = "en",
    fresh: bool = False,
) -> list[Progress]:
    """Every goal overlapping ``period`` (default: this year) with its figure and status;
    all figures come from one pass over the analytic copy (``fresh``: computed now, not
    taken from the minute-long cache)."""
    today = today or date.today()
    period = period or Period.year(today.year)
    chosen = goals_for(session, actor, period)
    measured = [g for g in chosen if g.metric in BY_ID and today >= g.period_start]
    own = actor.province if actor.role == "provincial_officer" else None
    asks = [
        Ask((g.metric,), Period(g.period_start, min(today, g.period_end)), g.province or own)
        for g in measured
    ]
    key = (
        str(settings.data_dir),
        actor.role,
        actor.province,
        actor.organisation_id,
        today,
        tuple((g.id, ask) for g, ask in zip(measured, asks, strict=True)),
    )
    values = None if fresh else _cached(key)
    if values is None:
        order = sorted(range(len(asks)), key=lambda i: str(asks[i].province))
        found = figures(
            session=session,
            actor=actor,
            settings=settings,
            asks=[asks[i] for i in order],
            today=today,
        )
        values = {measured[i].id: found[n] for n, i in enumerate(order)}
        _remember(key, values)
    return [_progress(goal, values.get(goal.id), today, language) for goal in chosen]


@dataclass(frozen=True)
class GoalPanel:
    """What the dashboard's goal panel shows: this year's goals with their progress."""

    shown: bool  # False for a viewer (no exact figures): the panel is left out
    rows: tuple[Progress, ...] = ()


def panel(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    language: str = "en",
    today: date | None = None,
    schedule: Callable[[str], None] | None = None,
) -> GoalPanel:
    """The goal panel rendered into the dashboard (server-side, no frame): this year's goals
    with the figures stored for the reader's scope (``ctip.stats.goal_figures``), never
    computed on the request; stale or missing figures are handed to ``schedule`` (default: a
    background thread) and shown as they are, or as being computed."""
    if actor.role == "viewer":
        return GoalPanel(shown=False)
    from ctip.stats import goal_figures

    rows = goal_figures.stored_progress(
        session=session,
        actor=actor,
        settings=settings,
        language=language,
        today=today,
        schedule=schedule,
    )
    return GoalPanel(shown=True, rows=tuple(rows))


# Goal figures of a scope for the live pages (``progress``: /stats/goals, its API, the CLI),
# kept for as long as the analytic copy may be stale anyway (``figures`` refreshes the copy
# only when it is older than this). The dashboard's panel reads stored figures instead.
CACHE_SECONDS = 60.0
_cache: dict[Any, tuple[float, dict[int, dict[str, Figure]]]] = {}
_cache_lock = threading.Lock()


def _cached(key: Any) -> dict[int, dict[str, Figure]] | None:
    with _cache_lock:
        hit = _cache.get(key)
    if hit is None or time.monotonic() - hit[0] > CACHE_SECONDS:
        return None
    return hit[1]


def forget_cached() -> None:
    """Drop every scope's cached goal figures (the next panel computes them)."""
    with _cache_lock:
        _cache.clear()


def _remember(key: Any, values: dict[int, dict[str, Figure]]) -> None:
    with _cache_lock:
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = (time.monotonic(), values)


def _progress(goal: Goal, values: dict[str, Figure] | None, today: date, language: str) -> Progress:
    metric = BY_ID.get(goal.metric)
    figure: Figure = None
    projected: Figure = None
    if today < goal.period_start:
        status = "not_started"
    elif metric is None or values is None:
        status = "no_data"
    else:
        figure = values.get(goal.metric)
        projected = _project(goal, figure, min(today, goal.period_end))
        status = _status(goal, figure, projected, today)
    return Progress(
        id=goal.id,
        metric=goal.metric,
        title=translate(metric.title if metric else goal.metric, language),
        comparison=goal.comparison,
        target=goal.target,
        period_start=goal.period_start,
        period_end=goal.period_end,
        province=goal.province,
        figure=figure,
        projected=projected,
        status=status,
        status_label=translate(STATUS_LABELS[status], language),
        computed_on=today,
    )


def _meets(comparison: str, value: Figure, target: float) -> bool:
    if value is None:
        return False
    return value <= target if comparison == "<=" else value >= target


def _project(goal: Goal, figure: Figure, until: date) -> Figure:
    """A count's figure at the end of the period at the pace so far."""
    metric = BY_ID[goal.metric]
    if figure is None or metric.unit == "days" or goal.metric in LEVELS:
        return figure
    elapsed = (until - goal.period_start).days + 1
    length = (goal.period_end - goal.period_start).days + 1
    return round(figure * length / max(1, elapsed), 1)


def _status(goal: Goal, figure: Figure, projected: Figure, today: date) -> str:
    if figure is None:
        return "no_data"
    if today > goal.period_end:
        return "met" if _meets(goal.comparison, figure, goal.target) else "missed"
    judged = projected if goal.comparison == ">=" else figure
    return "on_track" if _meets(goal.comparison, judged, goal.target) else "at_risk"
