"""The dashboard page and its JSON form, built from the same figures."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from starlette.responses import Response

from ctip.cases.lifecycle import STATUSES
from ctip.dashboard.service import ACTIVITY_DAYS, summary
from ctip.i18n import current_language
from ctip.reference import province_name
from ctip.stats.goal_figures import in_tasks
from ctip.stats.goals import panel as goal_panel
from ctip.web.deps import ActorDep, SessionDep, SettingsDep
from ctip.web.render import can, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["dashboard"])


@router.get("/")
def dashboard(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    tasks: BackgroundTasks,
) -> Response:
    data = summary(session, actor=actor, due_days=settings.referral_due_days)
    lang = current_language()
    provinces = sorted(data.by_province.items(), key=lambda kv: province_name(kv[0], lang))
    statuses = [(s, data.by_status[s]) for s in STATUSES if s in data.by_status]
    return render(
        request,
        "dashboard/index.html",
        {
            "data": data,
            "activity_days": ACTIVITY_DAYS,
            "due_days": settings.referral_due_days,
            "provinces": provinces,
            "statuses": statuses,
            "links": not data.aggregate_only and can(actor, "cases.read"),
            "goal_panel": goal_panel(
                session=session,
                actor=actor,
                settings=settings,
                language=lang,
                schedule=in_tasks(tasks, request.app.state.write_sessions, settings),
            ),
        },
    )


@api_router.get("/dashboard")
def dashboard_json(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> dict[str, Any]:
    """Counts by status, province and exploitation type, open and overdue referrals and
    activity within the caller's scope; recent case events except for viewers."""
    return asdict(summary(session, actor=actor, due_days=settings.referral_due_days))
