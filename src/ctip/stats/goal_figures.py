"""Goal figures computed off the request path: each goal's figure, projection and status
stored per figure scope (``ctip.auth.scope.figure_scope``) with the time computed, for the
dashboard's goal panel to read.

They are computed (``store``)

- by ``ctip stats refresh`` after the analytic copy is brought up to date, and by
  ``ctip stats goal-figures`` (run it on a schedule, e.g. every 10 minutes from cron);
- in the background after a panel found its scope's figures missing, older than
  ``CTIP_STATS_GOAL_FIGURES_MAX_AGE_SECONDS`` or from another day — never in the request.

A goal created or edited since its figure was computed is shown as being computed until the
background computation stores it. Every scope that has stored figures is recomputed by
``store``; the national one always.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.background import BackgroundTasks

from ctip.auth.scope import Actor, figure_scope, figure_scope_actor
from ctip.config import Settings
from ctip.db.base import utcnow
from ctip.db.session import transaction
from ctip.i18n import translate
from ctip.stats import goals
from ctip.stats.definitions import BY_ID
from ctip.stats.engine import Period
from ctip.stats.models import Goal, GoalFigure
from ctip.stats.tables import Figure

log = logging.getLogger(__name__)


def store(
    *,
    session: Session,
    settings: Settings,
    scopes: Iterable[str] | None = None,
    today: date | None = None,
) -> int:
    """Compute this year's goal figures for ``scopes`` (default: every scope already stored,
    and the national one) and store them, replacing the scope's previous rows; answers the
    number of rows stored."""
    today = today or date.today()
    if scopes is None:
        known = set(session.scalars(select(GoalFigure.scope).distinct()))
        scopes = known | {"national"}
    stored = 0
    for key in sorted(set(scopes)):
        began = utcnow()  # a goal edited while this runs is newer than its figure
        rows = goals.progress(
            session=session,
            actor=figure_scope_actor(key),
            settings=settings,
            today=today,
            fresh=True,
        )
        session.execute(delete(GoalFigure).where(GoalFigure.scope == key))
        session.add_all(
            GoalFigure(
                goal_id=p.id,
                scope=key,
                figure=p.figure,
                projected=p.projected,
                status=p.status,
                computed_on=p.computed_on,
                computed_at=began,
            )
            for p in rows
        )
        session.flush()
        stored += len(rows)
    return stored


def stored_progress(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    language: str = "en",
    today: date | None = None,
    schedule: Callable[[str], None] | None = None,
) -> list[goals.Progress]:
    """This year's goals ``actor`` may see (``goals.goals_for``) with the figures stored for
    the actor's figure scope; nothing is computed here. When a figure is missing, stale or
    older than its goal, ``schedule(scope)`` is called once (to recompute in the background)."""
    today = today or date.today()
    key = figure_scope(actor)
    chosen = goals.goals_for(session, actor, Period.year(today.year))
    if not chosen:
        return []
    found = {
        f.goal_id: f
        for f in session.scalars(
            select(GoalFigure).where(
                GoalFigure.scope == key, GoalFigure.goal_id.in_([g.id for g in chosen])
            )
        )
    }
    now = utcnow()
    stale = False
    rows = []
    for goal in chosen:
        figure = found.get(goal.id)
        current = figure is not None and figure.computed_at >= goal.updated_at
        if not current or figure is None:
            stale = True
            rows.append(_row(goal, None, language, today))
            continue
        age = (now - figure.computed_at).total_seconds()
        if age > settings.stats_goal_figures_max_age_seconds or figure.computed_on != today:
            stale = True
        rows.append(_row(goal, figure, language, today))
    if stale and schedule is not None:
        schedule(key)
    return rows


def _row(goal: Goal, stored: GoalFigure | None, language: str, today: date) -> goals.Progress:
    metric = BY_ID.get(goal.metric)
    status = "computing" if stored is None else stored.status
    return goals.Progress(
        id=goal.id,
        metric=goal.metric,
        title=translate(metric.title if metric else goal.metric, language),
        comparison=goal.comparison,
        target=goal.target,
        period_start=goal.period_start,
        period_end=goal.period_end,
        province=goal.province,
        figure=None if stored is None else _number(stored.figure),
        projected=None if stored is None else _number(stored.projected),
        status=status,
        status_label=translate(goals.STATUS_LABELS[status], language),
        computed_on=today if stored is None else stored.computed_on,
        computed_at=None if stored is None else stored.computed_at,
    )


def _number(value: float | None) -> Figure:
    """Counts come back from the Float column as whole numbers."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


# Scopes whose figures are being computed in this process: one computation each at a time.
_running: set[tuple[str, str]] = set()
_running_lock = threading.Lock()


def recompute(factory: sessionmaker[Session], settings: Settings, key: str) -> None:
    """Compute and store one scope's goal figures in their own transaction (the background
    work a panel schedules); skipped while the same scope is being computed already."""
    token = (str(settings.data_dir), key)
    with _running_lock:
        if token in _running:
            return
        _running.add(token)
    try:
        with transaction(factory) as session:
            store(session=session, settings=settings, scopes=[key])
    except Exception:  # a failed background run leaves the old figures; the next panel retries
        log.exception("goal figures for scope %s not computed", key)
    finally:
        with _running_lock:
            _running.discard(token)


def in_tasks(
    tasks: BackgroundTasks, factory: sessionmaker[Session], settings: Settings
) -> Callable[[str], None]:
    """A ``schedule`` for ``stored_progress`` that recomputes after the response is sent."""

    def schedule(key: str) -> None:
        tasks.add_task(recompute, factory, settings, key)

    return schedule


def after_change(
    tasks: BackgroundTasks,
    factory: sessionmaker[Session],
    settings: Settings,
    province: str | None = None,
) -> None:
    """A goal was created or edited: recompute the national scope (and the goal's province)
    after the response, so that the dashboard shows it computed without waiting for a panel
    to ask; other scopes see it as being computed until their panel asks."""
    tasks.add_task(recompute, factory, settings, "national")
    if province:
        officer = Actor(id=None, username="", role="provincial_officer", province=province)
        tasks.add_task(recompute, factory, settings, figure_scope(officer))


def in_thread(factory: sessionmaker[Session], settings: Settings) -> Callable[[str], None]:
    """A ``schedule`` for ``stored_progress`` that recomputes in a daemon thread."""

    def schedule(key: str) -> None:
        threading.Thread(
            target=recompute, args=(factory, settings, key), name="goal-figures", daemon=True
        ).start()

    return schedule
