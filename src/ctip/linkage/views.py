"""Linkage pages (status and model, review queue, outside-list upload, the person-page block)
and their JSON equivalents under ``/api/v1/linkage``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from ctip.api_types import UtcDateTime, utc_text
from ctip.audit.service import record
from ctip.auth.scope import Actor, visible_persons
from ctip.cases import hooks
from ctip.errors import FieldError, ValidationFailed
from ctip.i18n import current_language, translate
from ctip.linkage import service
from ctip.linkage.files import ROLES, match_registry, parse_mapping, read_list
from ctip.linkage.models import LinkModel
from ctip.linkage.run import status
from ctip.persons.models import Person
from ctip.persons.service import display_name
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["linkage"])

MAX_UPLOAD = 20 * 1024 * 1024
EXAMPLE_MAPPING = (
    "given=first_name\nfamily=last_name\nborn=dob\nsex=sex\nphone=phone\npassport=id_number"
)


def _names(session: Session, actor: Actor, ids: set[int]) -> dict[int, str]:
    """Display names of the persons (all visible to the actor: callers checked)."""
    if not ids:
        return {}
    rows = session.scalars(select(Person).where(Person.id.in_(ids), visible_persons(actor)))
    return {p.id: display_name(p) for p in rows}


def _evidence_rows(evidence: dict[str, Any]) -> list[tuple[str, str, float]]:
    return [(name, str(v[0]), float(v[1])) for name, v in evidence.items() if len(v) >= 2]


# ---- the person page block ------------------------------------------------------------------


@hooks.on_person_page
def person_matches(session: Session, actor: Actor, person_id: int) -> dict[str, Any]:
    """``linkage_matches`` for the person page (nothing for roles without linkage)."""
    if actor.role not in service.LINKAGE_READERS:
        return {}
    matches = service.probable_matches(session=session, actor=actor, person_id=person_id)
    shown = {m.other_person_id for m in matches if m.other_person_id is not None}
    if shown:
        record(
            session,
            actor=actor,
            action="linkage.read",
            entity_type="person",
            entity_id=person_id,
            after={"matches": sorted(shown)},
        )
    return {
        "linkage_matches": matches,
        "linkage_names": _names(session, actor, shown),
        "linkage_hint": service.HIDDEN_HINT,
    }


# ---- pages -------------------------------------------------------------------------------------


def _status_context(session: Session) -> dict[str, Any]:
    found = status(session)
    current = found["current"]
    model = None
    if current is not None and current.model_version:
        model = session.scalar(select(LinkModel).where(LinkModel.version == current.model_version))
    prior, weights = service.model_weights(model.settings) if model else (None, [])
    return {
        "last": found["last"],
        "current": current,
        "model": model,
        "prior": prior,
        "weights": weights,
        "accuracy": service.accuracy(session),
    }


@router.get("/linkage")
def status_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    service.require_reader(actor)
    return render(request, "linkage/status.html", _status_context(session))


@router.get("/linkage/review")
def review_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    items = service.review_queue(session, actor=actor)
    ids = {i.left for i in items} | {i.right for i in items}
    record(
        session,
        actor=actor,
        action="linkage.read",
        entity_type="person",
        detail=f"review queue: {len(items)} pairs",
        after={"persons": sorted(ids)},
    )
    return render(
        request,
        "linkage/review.html",
        {"items": items, "names": _names(session, actor, ids), "evidence_rows": _evidence_rows},
    )


@router.post("/linkage/decide")
def decide_page(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    try:
        left, right = int(str(form.get("left"))), int(str(form.get("right")))
    except ValueError:
        raise ValidationFailed.single("left", "choose a pair of persons") from None
    decision = str(form.get("decision") or "")
    if decision == "undo":
        service.undo_decision(session, actor=actor, person_id_a=left, person_id_b=right)
    else:
        service.decide(
            session,
            actor=actor,
            person_id_a=left,
            person_id_b=right,
            decision=decision,
            note=str(form.get("note") or ""),
        )
    back = str(form.get("next") or "/linkage/review")
    if not back.startswith("/") or back.startswith("//"):
        back = "/linkage/review"
    return RedirectResponse(back, status_code=303)


def _upload_context(**extra: Any) -> dict[str, Any]:
    return {
        "ROLES": ROLES,
        "values": {"mapping": EXAMPLE_MAPPING, "id_column": "id", "threshold": ""},
        "errors": [],
        "rows": None,
        **extra,
    }


@router.get("/linkage/upload")
def upload_form(request: Request, actor: ActorDep) -> Response:
    service.require_reader(actor)
    return render(request, "linkage/upload.html", _upload_context())


def _messages(exc: ValidationFailed, lang: str) -> list[str]:
    out = []
    for error in exc.errors:
        where = []
        if error.row is not None:
            where.append(translate("row %(n)s", lang).replace("%(n)s", str(error.row)))
        where.append(translate("column %(name)s", lang).replace("%(name)s", error.field))
        out.append(f"{', '.join(where)}: {error.translated(lang)}")
    return out


async def _read_upload(form: Any) -> tuple[str, bytes]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationFailed.single("file", "choose a .csv or .xlsx file")
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationFailed.single("file", "the file is larger than 20 MB")
    return upload.filename, data


def _threshold(text: str, default: float) -> float:
    if not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise ValidationFailed(
            [FieldError("threshold", "the threshold is a probability from 0 to 1")]
        )
    return value


@router.post("/linkage/upload")
async def upload_page(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep, form: FormDep
) -> Response:
    service.require_reader(actor)
    values = {
        "mapping": str(form.get("mapping") or ""),
        "id_column": str(form.get("id_column") or "").strip(),
        "threshold": str(form.get("threshold") or ""),
    }
    try:
        name, content = await _read_upload(form)
        rows = _match(session, actor, settings, name, content, values)
    except ValidationFailed as exc:
        return render(
            request,
            "linkage/upload.html",
            _upload_context(values=values, errors=_messages(exc, current_language())),
            status_code=422,
        )
    ids = {int(r) for r in rows["right_id"]} if len(rows) else set()
    return render(
        request,
        "linkage/upload.html",
        _upload_context(
            values=values,
            rows=rows.to_dict("records"),
            names=_names(session, actor, ids),
            filename=name,
        ),
    )


def _match(
    session: Session, actor: Actor, settings: Any, name: str, content: bytes, values: dict[str, str]
) -> Any:
    lines = [ln for ln in values["mapping"].replace(",", "\n").splitlines() if ln.strip()]
    mapping = parse_mapping(lines)
    if not values["id_column"]:
        raise ValidationFailed.single("id_column", "name the column holding each row's id")
    return match_registry(
        session,
        actor=actor,
        data=read_list(name, content),
        id_column=values["id_column"],
        mapping=mapping,
        threshold=_threshold(values["threshold"], settings.linkage_threshold),
        settings=settings,
    )


# ---- JSON API -------------------------------------------------------------------------------


class MatchOut(BaseModel):
    other_person_id: int | None
    probability: float
    evidence: dict[str, Any]
    hidden: bool
    decision: str | None = None
    hint: str | None = None


class RunOut(BaseModel):
    id: int
    status: str
    engine: str
    threshold: float
    model_version: str | None
    started_at: UtcDateTime
    finished_at: UtcDateTime | None
    n_records: int
    n_pairs: int
    n_clusters: int
    is_current: bool


class DecisionIn(BaseModel):
    person_id_a: int
    person_id_b: int
    decision: str
    note: str | None = None


def _run_out(run: Any) -> RunOut | None:
    if run is None:
        return None
    return RunOut(
        id=run.id,
        status=run.status,
        engine=run.engine,
        threshold=run.threshold,
        model_version=run.model_version,
        started_at=run.started_at,
        finished_at=run.finished_at,
        n_records=run.n_records,
        n_pairs=run.n_pairs,
        n_clusters=run.n_clusters,
        is_current=run.is_current,
    )


@api_router.get("/linkage/status")
def api_status(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The last run, the current one, the model's accuracy on analysts' decisions."""
    service.require_reader(actor)
    ctx = _status_context(session)
    acc = ctx["accuracy"]
    return {
        "last": _run_out(ctx["last"]),
        "current": _run_out(ctx["current"]),
        "accuracy": {
            "decided": acc.decided,
            "precision": acc.precision,
            "recall": acc.recall,
        },
    }


@api_router.get("/linkage/model")
def api_model(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The current model's version and the match weight of every comparison level."""
    service.require_reader(actor)
    ctx = _status_context(session)
    model = ctx["model"]
    return {
        "version": model.version if model else None,
        "trained_at": utc_text(model.trained_at) if model else None,
        "prior_match_weight": ctx["prior"],
        "comparisons": [
            {
                "name": c.name,
                "description": c.description,
                "levels": [
                    {"label": lv.label, "match_weight": lv.weight, "m": lv.m, "u": lv.u}
                    for lv in c.levels
                ],
            }
            for c in ctx["weights"]
        ],
    }


@api_router.get("/linkage/persons/{person_id}/matches")
def api_matches(person_id: int, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Who this person probably is in other records (scoped; hidden ones only as a hint)."""
    service.require_reader(actor)
    found = person_matches(session, actor, person_id)
    items = [
        MatchOut(
            other_person_id=m.other_person_id,
            probability=round(m.probability, 4),
            evidence=m.evidence,
            hidden=m.hidden,
            decision=m.decision,
            hint=translate(service.HIDDEN_HINT, current_language()) if m.hidden else None,
        ).model_dump()
        for m in found.get("linkage_matches", [])
    ]
    return {"person_id": person_id, "items": items}


@api_router.get("/linkage/review")
def api_review(session: SessionDep, actor: ActorDep, limit: int = 50) -> dict[str, Any]:
    """Undecided pairs both of whose records the caller may see, most uncertain first."""
    items = service.review_queue(session, actor=actor, limit=max(1, min(limit, 500)))
    return {
        "items": [
            {
                "person_id_l": i.left,
                "person_id_r": i.right,
                "probability": i.probability,
                "evidence": i.evidence,
            }
            for i in items
        ]
    }


@api_router.post("/linkage/decisions", status_code=201)
def api_decide(data: DecisionIn, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Confirm or reject a pair as the same person (overrides the model; audited)."""
    found = service.decide(
        session,
        actor=actor,
        person_id_a=data.person_id_a,
        person_id_b=data.person_id_b,
        decision=data.decision,
        note=data.note,
    )
    return {
        "person_id_l": found.person_id_l,
        "person_id_r": found.person_id_r,
        "decision": found.decision,
        "note": found.note,
    }


@api_router.post("/linkage/upload")
async def api_upload(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> dict[str, Any]:
    """Match an uploaded list (multipart: file, id_column, mapping, threshold) against the
    registry persons the caller may see."""
    service.require_reader(actor)
    form = await request.form()
    values = {
        "mapping": str(form.get("mapping") or ""),
        "id_column": str(form.get("id_column") or "").strip(),
        "threshold": str(form.get("threshold") or ""),
    }
    name, content = await _read_upload(form)
    rows = _match(session, actor, settings, name, content, values)
    return {"items": rows.where(rows.notna(), None).to_dict("records")}
