"""The annual review page, its files and JSON, and the goals (page, panel, API)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from ctip.api_types import IsoDate
from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.errors import DomainError, PermissionDenied, ValidationFailed
from ctip.i18n import current_language
from ctip.stats import drilldown, publication_views
from ctip.stats import goals as goal_service
from ctip.stats.charts import charts_for, svg
from ctip.stats.definitions import BY_ID, METRICS
from ctip.stats.engine import Period, Report
from ctip.stats.goal_figures import after_change, in_tasks
from ctip.stats.members import COUNTED_COLUMN
from ctip.stats.members import DRILLABLE as RECORD_METRICS
from ctip.stats.outputs import FORMATS, MEDIA_TYPES, headline_rows, render_file, title
from ctip.stats.report import PERSON_BASIS, code_label, report_json
from ctip.stats.service import annual_report
from ctip.stats.standalone import standalone_html
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.fonts import khmer_font
from ctip.web.render import form_errors, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["statistics"])

DRILLABLE = {
    "cases.by_exploitation_type": "type",
    "cases.by_province": "province",
}


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ValidationFailed.single(field, "%(value)s is not a whole number", value=value)


def _date(value: str | None, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed.single(field, "%(value)s is not a date (YYYY-MM-DD)", value=value)


def _ask(params: Any) -> dict[str, Any]:
    start, end = _date(params.get("start"), "start"), _date(params.get("end"), "end")
    year = _int(params.get("year"), "year")
    if year is None and start is None and end is None:
        year = date.today().year - 1
    return {"year": year, "start": start, "end": end, "province": params.get("province") or None}


def drill_link(report: Report, key: str | None = None, code: str | None = None) -> str:
    """The case list filtered to the records behind a figure (the list applies the scope)."""
    params = {
        "opened_from": report.period.start.isoformat(),
        "opened_to": report.period.end.isoformat(),
    }
    if report.province:
        params["province"] = report.province
    if key in DRILLABLE and code:
        params[DRILLABLE[key]] = code
    if key == "cases.forced_labour":
        params["type"] = "ForcedLabour"
    return "/cases?" + urlencode(params)


@router.get("/stats/annual")
def annual_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """The annual review: headline figures with their change, tables, charts, goals, annex."""
    values = dict(request.query_params)
    if actor.role == "viewer":
        return render(request, "stats/viewer.html", {"values": values})
    lang = current_language()
    try:
        report = annual_report(
            session=session,
            actor=actor,
            settings=settings,
            language=lang,
            **_ask(request.query_params),
        )
    except (ValidationFailed, PermissionDenied) as exc:
        return render(
            request,
            "stats/annual.html",
            {"values": values, "errors": form_errors(exc), "report": None},
            status_code=422,
        )
    return render(request, "stats/annual.html", _context(report, values, lang))


def records_link(
    report: Report, metric: str, row: str | None = None, col: str | None = None
) -> str:
    """The drill-down behind one cell: its cases and persons, within the reader's scope."""
    params = {"metric": metric}
    if row is not None and row != "total":
        params["row"] = row
    if col is not None and col != "total":
        params["col"] = col
    if report.period.is_year:
        params["year"] = str(report.period.start.year)
    else:
        params["start"] = report.period.start.isoformat()
        params["end"] = report.period.end.isoformat()
    if report.province:
        params["province"] = report.province
    return "/stats/annual/records?" + urlencode(params)


def _context(report: Report, values: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "values": values,
        "errors": {},
        "report": report,
        "title": title(report, lang),
        "headlines": headline_rows(report, lang),
        "charts": [(c, svg(c)) for c in charts_for(report, lang)],
        "tables": list(report.tables.values()),
        "metrics": METRICS,
        "basis": PERSON_BASIS[report.person_basis],
        "code_label": lambda dim, code: code_label(dim, code, lang),
        "drill": lambda key=None, code=None: drill_link(report, key, code),
        "drillable": set(DRILLABLE) | {"cases.total", "cases.forced_labour"},
        "records": lambda metric, row=None, col=None: records_link(report, metric, row, col),
        "record_metrics": RECORD_METRICS,
        "counted_column": COUNTED_COLUMN,
        "headline_keys": report.headlines,
        "query": urlencode({k: v for k, v in values.items() if k != "format"}),
        "formats": FORMATS,
    }


@router.get("/stats/annual/download")
def annual_download(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """The report as PDF, HTML, XLSX, CSV or JSON (``format``, ``lang``); audited."""
    fmt = request.query_params.get("format", "pdf")
    lang = request.query_params.get("lang") or current_language()
    try:
        if fmt not in FORMATS:
            raise ValidationFailed.single("format", "unknown format %(value)s", value=fmt)
        if lang not in ("en", "km"):
            raise ValidationFailed.single("lang", "unknown language %(value)s", value=lang)
        report = annual_report(
            session=session,
            actor=actor,
            settings=settings,
            language=lang,
            output=fmt,
            **_ask(request.query_params),
        )
    except DomainError as exc:
        return Response(exc.translated(current_language()), status_code=exc.status_code)
    html = ""
    if fmt == "html":
        html = standalone_html(report, lang)
    body = render_file(report, fmt, language=lang, font=khmer_font(settings), html=html)
    name = f"ctip-annual-{report.period.label}-{report.province or 'national'}-{lang}.{fmt}"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@api_router.get("/stats/annual")
def annual_json(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    year: int | None = Query(None, description="calendar year (default: last year)"),
    province: str | None = Query(None, description="ISO 3166-2:KH code, e.g. KH-12"),
    start: str | None = Query(None, description="period start (YYYY-MM-DD), with end"),
    end: str | None = Query(None, description="period end (YYYY-MM-DD), with start"),
) -> dict[str, Any]:
    """Every table of the annual review as JSON, within the caller's scope."""
    report = annual_report(
        session=session,
        actor=actor,
        settings=settings,
        output="json",
        language=current_language(),
        **_ask(request.query_params),
    )
    return report_json(report, current_language())


def _records(request: Request, session: Session, actor: Actor, settings: Settings) -> Any:
    params = request.query_params
    return drilldown.records(
        session=session,
        actor=actor,
        settings=settings,
        metric=params.get("metric", ""),
        row=params.get("row") or None,
        col=params.get("col") or None,
        page=_int(params.get("page"), "page") or 1,
        **_ask(params),
    )


@router.get("/stats/annual/records")
def records_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """The cases and persons behind one figure of the annual review (scoped, audited)."""
    found = _records(request, session, actor, settings)
    metric = BY_ID[found.metric]
    query = urlencode({k: v for k, v in request.query_params.items() if k != "page"})
    return render(
        request,
        "stats/records.html",
        {
            "found": found,
            "metric": metric,
            "query": query,
            "code_label": lambda dim, code: code_label(dim, code, current_language()),
        },
    )


@api_router.get("/stats/annual/records")
def records_json(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    metric: str = Query(..., description="a metric id from the definitions"),
    row: str | None = Query(None, description="row code of the cell (e.g. Feminine, KH-1)"),
    col: str | None = Query(None, description="column code of the cell (two-way tables)"),
    year: int | None = Query(None, description="calendar year (default: last year)"),
    province: str | None = Query(None, description="ISO 3166-2:KH code, e.g. KH-12"),
    start: str | None = Query(None, description="period start (YYYY-MM-DD), with end"),
    end: str | None = Query(None, description="period end (YYYY-MM-DD), with start"),
    page: int = Query(1, ge=1, description="page of 50 records"),
) -> dict[str, Any]:
    """The cases and persons behind one cell, within the caller's scope (audited)."""
    result: dict[str, Any] = _records(request, session, actor, settings).to_json()
    return result


# -- goals -----------------------------------------------------------------------------------


@router.get("/stats/goals")
def goals_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    tasks: BackgroundTasks,
) -> Response:
    schedule = in_tasks(tasks, request.app.state.write_sessions, settings)
    return _goals_page(request, session, actor, settings, {}, {}, schedule=schedule)


def _goals_page(
    request: Request,
    session: Session,
    actor: Actor,
    settings: Settings,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    schedule: Callable[[str], None] | None = None,
) -> Response:
    """This year's goals show the figures stored for the reader's scope, as the dashboard's
    panel does (stale ones recomputed after the answer); another year's are computed."""
    rows: list[goal_service.Progress] = []
    year = _int(request.query_params.get("year"), "year") or date.today().year
    if actor.role != "viewer" and year == date.today().year:
        rows = list(
            goal_service.panel(
                session=session,
                actor=actor,
                settings=settings,
                language=current_language(),
                schedule=schedule,
            ).rows
        )
    elif actor.role != "viewer":
        rows = goal_service.progress(
            session=session,
            actor=actor,
            settings=settings,
            period=Period.year(year),
            language=current_language(),
        )
    return render(
        request,
        "stats/goals.html",
        {
            "rows": rows,
            "metrics": METRICS,
            "values": values,
            "errors": errors,
            "comparisons": goal_service.COMPARISONS,
            "can_write": actor.role in goal_service.GOAL_WRITERS,
        },
        status_code=status_code,
    )


@router.post("/stats/goals")
def goals_create(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    form: FormDep,
    tasks: BackgroundTasks,
) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        target = values.get("target", "")
        try:
            number = float(target) if target != "" else None
        except ValueError:
            raise ValidationFailed.single("target", "the target must be a number of 0 or more")
        goal = goal_service.create(
            session=session,
            actor=actor,
            metric=values.get("metric", ""),
            comparison=values.get("comparison", ""),
            target=number,
            year=_int(values.get("year"), "year"),
            start=_date(values.get("start"), "start"),
            end=_date(values.get("end"), "end"),
            province=values.get("province") or None,
            note=values.get("note"),
        )
    except DomainError as exc:
        return _goals_page(request, session, actor, settings, values, form_errors(exc), 422)
    after_change(tasks, request.app.state.write_sessions, settings, goal.province)
    return RedirectResponse("/stats/goals", status_code=303)


def _goal_edit(session: Session, actor: Actor, goal_id: int, values: dict[str, Any]) -> str | None:
    """Apply the edit form; answers the goal's province."""
    target = str(values.get("target") or "")
    try:
        number = float(target) if target != "" else None
    except ValueError:
        raise ValidationFailed.single("target", "the target must be a number of 0 or more")
    goal = goal_service.update(
        session=session,
        actor=actor,
        goal_id=goal_id,
        target=number,
        comparison=values.get("comparison") or None,
        year=_int(values.get("year"), "year"),
        start=_date(values.get("start"), "start"),
        end=_date(values.get("end"), "end"),
    )
    return goal.province


@router.post("/stats/goals/{goal_id}")
def goals_edit(
    goal_id: int,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    form: FormDep,
    tasks: BackgroundTasks,
) -> Response:
    """Change a goal's target, comparison or period (secretariat, administrators); audited."""
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        province = _goal_edit(session, actor, goal_id, values)
    except (ValidationFailed, PermissionDenied) as exc:
        errors = {f"goal-{goal_id}-{k}": v for k, v in form_errors(exc).items()}
        return _goals_page(request, session, actor, settings, {}, errors, 422)
    after_change(tasks, request.app.state.write_sessions, settings, province)
    return RedirectResponse("/stats/goals", status_code=303)


class GoalChange(BaseModel):
    """What may change on a goal; a field left out stays as it is."""

    target: float | None = Field(None, description="the new target (0 or more)")
    comparison: str | None = Field(None, description="<= or >=")
    year: int | None = Field(None, description="the goal's year")
    start: IsoDate | None = Field(None, description="period start, with end")
    end: IsoDate | None = Field(None, description="period end, with start")


@api_router.patch("/stats/goals/{goal_id}")
def goals_patch(
    goal_id: int,
    change: GoalChange,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    """Change a goal's target, comparison or period; answers the goal with its progress."""
    goal = goal_service.update(
        session=session,
        actor=actor,
        goal_id=goal_id,
        target=change.target,
        comparison=change.comparison,
        year=change.year,
        start=change.start,
        end=change.end,
    )
    after_change(tasks, request.app.state.write_sessions, settings, goal.province)
    period = Period(goal.period_start, goal.period_end)
    for p in goal_service.progress(
        session=session, actor=actor, settings=settings, period=period, language=current_language()
    ):
        if p.id == goal.id:
            return p.to_json()
    return {"id": goal.id}


@router.post("/stats/goals/{goal_id}/delete")
def goals_delete(goal_id: int, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    goal_service.remove(session=session, actor=actor, goal_id=goal_id)
    return RedirectResponse("/stats/goals", status_code=303)


def _stored_panel(
    request: Request, session: Session, actor: Actor, settings: Settings, tasks: BackgroundTasks
) -> goal_service.GoalPanel:
    """The panel of both routes: stored figures, stale ones recomputed after the answer."""
    return goal_service.panel(
        session=session,
        actor=actor,
        settings=settings,
        language=current_language(),
        schedule=in_tasks(tasks, request.app.state.write_sessions, settings),
    )


@router.get("/stats/goals/panel")
def goals_panel(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    tasks: BackgroundTasks,
) -> Response:
    """The dashboard's goal panel (a fragment): this year's goals and their stored progress
    (stale figures are recomputed after the response)."""
    found = _stored_panel(request, session, actor, settings, tasks)
    # The dashboard renders the same panel itself (no frame); this fragment keeps the app's
    # default headers, which forbid any framing.
    return render(request, "stats/goals_panel.html", {"rows": list(found.rows)})


@api_router.get("/stats/goals/panel")
def goals_panel_json(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    tasks: BackgroundTasks,
) -> list[dict[str, Any]]:
    """The dashboard's goal panel: this year's goals with the figures stored for the caller's
    scope and when they were computed (``computed_at`` null: being computed)."""
    found = _stored_panel(request, session, actor, settings, tasks)
    return [p.to_json() for p in found.rows]


@api_router.get("/stats/goals")
def goals_json(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> list[dict[str, Any]]:
    """This year's goals with figure, projection and status, within the caller's scope."""
    if actor.role == "viewer":
        return []
    return [
        p.to_json()
        for p in goal_service.progress(
            session=session, actor=actor, settings=settings, language=current_language()
        )
    ]


# Public releases (issue 8 §4) share these routers.
router.include_router(publication_views.router)
api_router.include_router(publication_views.api_router)
