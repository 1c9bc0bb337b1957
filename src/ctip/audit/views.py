"""Browsing the audit trail (administrators only): a filtered page and its JSON form."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from ctip.api_types import IsoDate, UtcDateTime
from ctip.audit.events import AUDIT_ACTIONS
from ctip.audit.models import AuditEntry
from ctip.audit.service import browse
from ctip.auth.scope import Actor, require_role
from ctip.errors import FieldError, ValidationFailed
from ctip.i18n import current_language
from ctip.web.deps import ActorDep, SessionDep, SettingsDep
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["audit"])


class AuditEntryOut(BaseModel):
    """One audit entry with its changes decrypted."""

    id: int
    at: UtcDateTime
    actor_id: int | None
    actor: str
    address: str | None
    action: str
    entity_type: str | None
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: str | None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    total: int
    page: int
    page_size: int


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    changes = json.loads(entry.changes) if entry.changes else {}
    return AuditEntryOut(
        id=entry.id,
        at=entry.at,
        actor_id=entry.actor_id,
        actor=entry.actor_name,
        address=entry.address,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        before=changes.get("before"),
        after=changes.get("after"),
        detail=entry.detail,
    )


def changed_fields(item: AuditEntryOut) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field named in either side."""
    before, after = item.before or {}, item.after or {}
    return [(name, before.get(name), after.get(name)) for name in sorted(set(before) | set(after))]


def _day(value: str, name: str, errors: list[FieldError]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.append(FieldError(name, "not a date (use YYYY-MM-DD)"))
        return None


def _filters(params: dict[str, str]) -> dict[str, Any]:
    """The page's query parameters as ``browse`` arguments; bad ones raise ValidationFailed."""
    errors: list[FieldError] = []
    action = params.get("action") or None
    if action and action not in AUDIT_ACTIONS:
        errors.append(FieldError("action", "choose from the list"))
    entity_id = params.get("entity_id", "").strip()
    if entity_id and not entity_id.isdigit():
        errors.append(FieldError("entity_id", "a whole number"))
    since, until = (
        _day(params.get("since", ""), "since", errors),
        _day(params.get("until", ""), "until", errors),
    )
    if errors:
        raise ValidationFailed(errors)
    return {
        "action": action,
        "actor_name": params.get("actor", "").strip() or None,
        "entity_type": params.get("entity_type", "").strip() or None,
        "entity_id": int(entity_id) if entity_id else None,
        "since": datetime.combine(since, time()) if since else None,
        "until": datetime.combine(until + timedelta(days=1), time()) if until else None,
    }


def _page(value: str | None) -> int:
    return max(int(value), 1) if value and value.isdigit() else 1


def _browse(
    session: SessionDep, actor: Actor, filters: dict[str, Any], page: int, page_size: int
) -> AuditPage:
    rows, total = browse(session, actor=actor, page=page, page_size=page_size, **filters)
    return AuditPage(
        items=[entry_out(r) for r in rows], total=total, page=page, page_size=page_size
    )


@router.get("/audit")
def audit_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    require_role(actor, "admin")
    params = dict(request.query_params)
    page = _page(params.get("page"))
    try:
        result = _browse(session, actor, _filters(params), page, settings.page_size)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        result = AuditPage(items=[], total=0, page=1, page_size=settings.page_size)
        errors = {e.field: e.translated(current_language()) for e in exc.errors}
    return render(
        request,
        "audit/list.html",
        {
            "result": result,
            "filters": params,
            "errors": errors,
            "ACTIONS": list(AUDIT_ACTIONS),
            "changed_fields": changed_fields,
        },
        status_code=422 if errors else 200,
    )


@api_router.get("/audit", response_model=AuditPage)
def audit_json(
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    action: str | None = None,
    actor_filter: str | None = Query(None, alias="actor", description="username of the actor"),
    entity_type: str | None = None,
    entity_id: int | None = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    page: int = 1,
) -> AuditPage:
    """Audit entries, newest first, changes decrypted; ``until`` is inclusive; admins only."""
    require_role(actor, "admin")
    params = {
        "action": action or "",
        "actor": actor_filter or "",
        "entity_type": entity_type or "",
        "entity_id": str(entity_id) if entity_id is not None else "",
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    return _browse(session, actor, _filters(params), max(page, 1), settings.page_size)


class FindingOut(BaseModel):
    entry_id: int | None
    seal_id: int | None
    problem: str


class VerifyOut(BaseModel):
    """The result of checking the audit trail's keyed hashes and seals."""

    ok: bool
    entries: int
    sealed: int
    seals: int
    unsealed: int
    first_bad_entry: int | None
    findings: list[FindingOut]


def _verify(session: SessionDep, actor: Actor, settings: SettingsDep) -> VerifyOut:
    from ctip.audit.chain import verify
    from ctip.audit.cli import anchor_path
    from ctip.audit.service import record

    require_role(actor, "admin")
    report = verify(session, anchor=anchor_path(settings))
    record(
        session,
        actor=actor,
        action="audit.verify",
        detail=f"entries={report.entries} seals={report.seals} problems={len(report.findings)}",
    )
    first = report.first
    return VerifyOut(
        ok=report.ok,
        entries=report.entries,
        sealed=report.sealed,
        seals=report.seals,
        unsealed=report.unsealed,
        first_bad_entry=first.entry_id if first else None,
        findings=[FindingOut(**vars(f)) for f in report.findings[:100]],
    )


@router.get("/audit/verify")
def verify_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """Check the audit trail (admins only); 409 when it was tampered with."""
    result = _verify(session, actor, settings)
    return render(
        request, "audit/verify.html", {"result": result}, status_code=200 if result.ok else 409
    )


@api_router.get("/audit/verify", response_model=VerifyOut)
def verify_json(session: SessionDep, actor: ActorDep, settings: SettingsDep) -> VerifyOut:
    """Check every audit entry's keyed hash and every seal; admins only (never seals)."""
    return _verify(session, actor, settings)
