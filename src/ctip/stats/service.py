"""The report a user asks for: the engine's tables plus the goals of this and last period,
audited as a read of statistics."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ctip.audit.service import record as audit
from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.stats import goals
from ctip.stats.engine import Report, annual_tables


def annual_report(
    *,
    session: Session,
    actor: Actor,
    settings: Settings,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    province: str | None = None,
    language: str = "en",
    output: str = "page",
    progress: Any = None,
    today: date | None = None,
) -> Report:
    """The annual review for the actor, with goal progress and last period's goals."""
    report = annual_tables(
        session=session,
        actor=actor,
        settings=settings,
        year=year,
        start=start,
        end=end,
        province=province,
        progress=progress,
        today=today,
    )
    began = time.perf_counter()
    report.goals = [
        p.to_json()
        for p in goals.progress(
            session=session,
            actor=actor,
            settings=settings,
            period=report.period,
            today=today,
            language=language,
        )
    ]
    report.previous_goals = [
        p.to_json()
        for p in goals.progress(
            session=session,
            actor=actor,
            settings=settings,
            period=report.period.previous(),
            today=today,
            language=language,
        )
    ]
    report.timings["goals"] = time.perf_counter() - began
    audit(
        session,
        actor=actor,
        action="stats.report",
        entity_type="stats_report",
        detail=f"{report.period.label} {report.province or 'national'} {output}",
    )
    return report
