"""Public releases: the list with the year's privacy budget, the form to publish, each
release's tables marked exact, suppressed or noisy, and the same as JSON."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from ctip.errors import DomainError, ValidationFailed
from ctip.stats import publication_service as pub
from ctip.stats.report import code_label
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.render import form_errors, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["statistics"])


class ReleaseIn(BaseModel):
    """A release to make: the year of data, suppression (k) or differential privacy (ε)."""

    year: int
    method: Literal["suppression", "dp"] = "suppression"
    k: int | None = Field(None, description="suppress counts below k (default CTIP_DISCLOSURE_K)")
    epsilon: float | None = Field(
        None, description="ε of a dp release (default CTIP_PRIVACY_EPSILON)"
    )
    title: str = ""
    tables: list[str] | None = Field(
        None, description="metrics a dp release holds (default: its nine standard tables)"
    )


def _number(value: Any, field: str, kind: type[int] | type[float]) -> Any:
    if value in (None, ""):
        return None
    try:
        return kind(str(value))
    except ValueError:
        raise ValidationFailed.single(field, "%(value)s is not a number", value=value)


def _release_json(detail: pub.ReleaseDetail) -> dict[str, Any]:
    return {
        "release": asdict(detail.summary),
        "shows_internal": detail.shows_internal,
        "tables": [
            {
                "table": t.table.to_json(),
                "status": t.status,
                "margin": t.margin,
                "internal": t.internal.to_json() if t.internal else None,
            }
            for t in detail.tables
        ],
    }


def _list_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    year: int,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "releases": pub.list_releases(session, actor=actor),
        "budget": pub.budget(session, settings=settings, year=year),
        "year": year,
        "can_publish": actor.role in pub.PUBLISHERS,
        "form": form
        or {
            "year": year,
            "method": "suppression",
            "k": settings.disclosure_k,
            "epsilon": settings.privacy_epsilon,
        },
        "errors": errors or {},
    }
    return render(request, "stats/publication.html", context, status_code=status_code)


@router.get("/stats/publication")
def publication_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    year: int | None = None,
) -> Response:
    """Releases of public tables and the privacy budget of a year."""
    return _list_page(request, session, actor, settings, year or date.today().year - 1)


@router.post("/stats/publication")
def publish(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep, form: FormDep
) -> Response:
    values = {k: str(form.get(k, "")) for k in ("year", "method", "k", "epsilon", "title")}
    try:
        year = _number(values["year"], "year", int)
        if year is None:
            raise ValidationFailed.single("year", "give a year")
        summary = pub.create_release(
            session,
            actor=actor,
            settings=settings,
            year=year,
            method=values["method"] or "suppression",
            k=_number(values["k"], "k", int),
            epsilon=_number(values["epsilon"], "epsilon", float),
            title=values["title"],
        )
    except DomainError as exc:
        shown = _number(values["year"], "year", int) if values["year"].isdigit() else None
        return _list_page(
            request,
            session,
            actor,
            settings,
            shown or date.today().year - 1,
            form=values,
            errors=form_errors(exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/stats/publication/{summary.id}", status_code=303)


@router.get("/stats/publication/{release_id}")
def release_page(
    request: Request, session: SessionDep, actor: ActorDep, release_id: int
) -> Response:
    """A release's tables: public figures, and for national readers the exact ones beside."""
    detail = pub.get_release(session, actor=actor, release_id=release_id)
    return render(
        request, "stats/publication_release.html", {"detail": detail, "code_label": code_label}
    )


@api_router.get("/stats/releases")
def releases_json(
    session: SessionDep, actor: ActorDep, year: int | None = None
) -> list[dict[str, Any]]:
    """Releases of public tables, newest first."""
    return [asdict(r) for r in pub.list_releases(session, actor=actor, year=year)]


@api_router.post("/stats/releases", status_code=201)
def create_release_json(
    body: ReleaseIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> dict[str, Any]:
    """Make a release (secretariat): suppression with k, or dp spending ε of the year's budget
    (409 with the remaining budget when it would overspend)."""
    summary = pub.create_release(session, actor=actor, settings=settings, **body.model_dump())
    return _release_json(pub.get_release(session, actor=actor, release_id=summary.id))


@api_router.get("/stats/releases/{release_id}")
def release_json(session: SessionDep, actor: ActorDep, release_id: int) -> dict[str, Any]:
    """A release's tables with each figure's status (exact, suppressed, noisy)."""
    return _release_json(pub.get_release(session, actor=actor, release_id=release_id))


@api_router.get("/stats/privacy-budget")
def budget_json(
    session: SessionDep, actor: ActorDep, settings: SettingsDep, year: int = Query(...)
) -> dict[str, Any]:
    """The ε the year's dp releases have spent, and what is left."""
    found = pub.budget(session, settings=settings, year=year)
    return {**asdict(found), "remaining": found.remaining}
