"""Network pages (neighbourhood, list, path, alerts, dossier) and their JSON twins."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ctip.api_types import IsoDate
from ctip.i18n import current_language
from ctip.network import alerts, dossier, service
from ctip.network.exports import FORMATS
from ctip.network.graph import CROSSING_NAMES, LINK_TYPES, NODE_KINDS
from ctip.network.schemas import AlertPage, NeighbourhoodOut, NetworkListOut, PathOut
from ctip.network.svg import drawing
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.fonts import khmer_font
from ctip.web.gates import requires
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["network"])
STATIC = Path(__file__).parent / "static"

Hops = Annotated[int, Query(ge=1, le=service.MAX_HOPS)]
Types = Annotated[list[str] | None, Query()]


def _hint(settings: Any) -> bool:
    return bool(getattr(settings, "linkage_hidden_hint", True))


def _download(data: bytes, fmt: str, stem: str) -> Response:
    media, ext = FORMATS[fmt]
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{ext}"'},
    )


ASSETS = {"network.js": "text/javascript", "network.css": "text/css"}


@router.get("/network/static/{name}")
def network_asset(name: str) -> Response:
    """The network pages' own script and style sheet (served here, no CDN)."""
    if name not in ASSETS:
        return Response(status_code=404)
    return FileResponse(
        STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/network")
def list_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    order: str = "size",
    province: str | None = None,
    crossing: str | None = None,
    spans: str | None = None,
) -> Response:
    data = service.networks(
        session,
        actor=actor,
        order=order,
        province=province or None,
        crossing=crossing or None,
        spans=spans or None,
    )
    ctx = {"data": data, "formats": FORMATS, "crossing_names": CROSSING_NAMES}
    return render(request, "network/list.html", ctx)


@router.get("/network/alerts", dependencies=[requires("cases.read")])
def alerts_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    page = alerts.inbox(session, actor=actor, hint_hidden=_hint(settings))
    return render(request, "network/alerts.html", {"page": page})


@router.get("/network/alerts/unread", dependencies=[requires("cases.read")])
def alerts_unread(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> dict[str, int]:
    """The unread count for the dashboard badge (session cookie, like the pages)."""
    return {"unread": alerts.unread_count(session, actor=actor, hint_hidden=_hint(settings))}


@router.post("/network/alerts/{alert_id:int}/read")
def alert_read(alert_id: int, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    alerts.mark_read(session, actor=actor, alert_id=alert_id)
    target = str(form.get("next") or "/network/alerts")
    if not target.startswith("/") or target.startswith("//"):
        target = "/network/alerts"
    return RedirectResponse(target, status_code=303)


@router.get("/network/path")
def path_page(request: Request, session: SessionDep, actor: ActorDep, a: int, b: int) -> Response:
    data = service.path(session, actor=actor, person_a=a, person_b=b)
    return render(request, "network/path.html", {"data": data, "a": a, "b": b})


@router.get("/network/export.{fmt}")
def export_all(fmt: str, session: SessionDep, actor: ActorDep) -> Response:
    data = service.export(session, actor=actor, fmt=fmt)
    return _download(data, fmt, "ctip-network")


@router.get("/network/person/{person_id:int}/dossier")
def dossier_page(
    person_id: int, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    data = dossier.build(session, actor=actor, person_id=person_id)
    return render(request, "network/dossier.html", {"d": data, "svg": drawing(data.network)})


@router.get("/network/person/{person_id:int}/dossier.pdf")
def dossier_pdf(
    person_id: int, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    language = current_language()
    data = dossier.build(session, actor=actor, person_id=person_id, purpose="pdf")
    pdf = dossier.to_pdf(data, khmer_font(settings), language)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="dossier-{person_id}.pdf"'},
    )


@router.get("/network/{kind}/{record_id:int}/export.{fmt}")
def export_around(
    kind: str,
    record_id: int,
    fmt: str,
    session: SessionDep,
    actor: ActorDep,
    hops: Hops = 2,
) -> Response:
    data = service.export(
        session, actor=actor, fmt=fmt, around_person=record_id, hops=hops, kind=kind
    )
    return _download(data, fmt, f"ctip-network-{kind}-{record_id}")


@router.get("/network/{kind}/{record_id:int}")
def neighbourhood_page(
    kind: str,
    record_id: int,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    hops: Hops = 2,
    types: Types = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
) -> Response:
    data = service.neighbourhood(
        session,
        actor=actor,
        kind=kind,
        record_id=record_id,
        hops=hops,
        types=types or None,
        since=since,
        until=until,
    )
    ctx = {
        "data": data,
        "kind": kind,
        "record_id": record_id,
        "svg": drawing(data),
        "link_types": LINK_TYPES,
        "node_kinds": NODE_KINDS,
        "chosen": set(types or LINK_TYPES),
        "formats": FORMATS,
    }
    return render(request, "network/neighbourhood.html", ctx)


# --- JSON API -------------------------------------------------------------------------


@api_router.get("/network", response_model=NetworkListOut)
def list_json(
    session: SessionDep,
    actor: ActorDep,
    order: str = "size",
    province: str | None = None,
    crossing: str | None = None,
    spans: str | None = None,
) -> NetworkListOut:
    """The largest (``order=size``) or fastest-growing (``order=growth``) networks in scope,
    by province and border crossing (``spans=provinces|border``: only networks across
    provinces or borders), with bridging brokers and victims turned offenders."""
    return service.networks(
        session, actor=actor, order=order, province=province, crossing=crossing, spans=spans
    )


@api_router.get("/network/alerts", response_model=AlertPage, dependencies=[requires("cases.read")])
def alerts_json(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> AlertPage:
    """The caller's alerts, newest first (records outside their scope never named)."""
    return alerts.inbox(session, actor=actor, hint_hidden=_hint(settings))


@api_router.post("/network/alerts/{alert_id}/read", status_code=204)
def alert_read_json(alert_id: int, session: SessionDep, actor: ActorDep) -> Response:
    """Mark one of the caller's alerts read."""
    alerts.mark_read(session, actor=actor, alert_id=alert_id)
    return Response(status_code=204)


@api_router.get("/network/path", response_model=PathOut)
def path_json(session: SessionDep, actor: ActorDep, a: int, b: int) -> PathOut:
    """A shortest chain of people, identifiers and cases between persons ``a`` and ``b``."""
    return service.path(session, actor=actor, person_a=a, person_b=b)


@api_router.get("/network/export")
def export_json(
    session: SessionDep,
    actor: ActorDep,
    format: str = "graphml",
    around: int | None = None,
    kind: str = "person",
    hops: Hops = 2,
) -> Response:
    """The network in scope (or around one record) as GraphML, GEXF or i2 ANX."""
    data = service.export(
        session, actor=actor, fmt=format, around_person=around, hops=hops, kind=kind
    )
    return _download(data, format, "ctip-network")


@api_router.get("/network/person/{person_id}/dossier", response_model=dossier.DossierOut)
def dossier_json(person_id: int, session: SessionDep, actor: ActorDep) -> dossier.DossierOut:
    """Everything the reader may see about one resolved person, across agencies."""
    return dossier.build(session, actor=actor, person_id=person_id)


@api_router.get("/network/{kind}/{record_id}", response_model=NeighbourhoodOut)
def neighbourhood_json(
    kind: str,
    record_id: int,
    session: SessionDep,
    actor: ActorDep,
    hops: Hops = 2,
    types: Types = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
) -> NeighbourhoodOut:
    """A person's, identifier's or case's neighbourhood (1–3 hops), filtered by link type
    and date; nodes carry layout positions in [0, 1]²."""
    return service.neighbourhood(
        session,
        actor=actor,
        kind=kind,
        record_id=record_id,
        hops=hops,
        types=types or None,
        since=since,
        until=until,
    )
