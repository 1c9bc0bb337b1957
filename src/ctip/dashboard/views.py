"""The dashboard page and its JSON form."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from ctip.dashboard.service import summary
from ctip.web.deps import ActorDep, SessionDep
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["dashboard"])


@router.get("/")
def dashboard(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return render(request, "dashboard/index.html", {"data": summary(session, actor=actor)})


@api_router.get("/dashboard")
def dashboard_json(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Counts by status and province within the caller's scope, and recent events."""
    return asdict(summary(session, actor=actor))
