"""The suspect dossier: everything the reader may see about one resolved person, across all
agencies — cases and roles, identifiers, timeline events, linked persons, probable matches
and the network picture — as data, a printable page and a PDF (Khmer and English).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fpdf import FPDF
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.holders import identifiers_shown
from ctip.auth.scope import Actor, visible_participants
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.cases.timeline import describe_place
from ctip.i18n import current_language, label_in, translate
from ctip.identifiers.models import Identifier
from ctip.network import analysis, service
from ctip.network.graph import Link, Network, Node
from ctip.network.schemas import NeighbourhoodOut
from ctip.orgs.models import Location, Organisation
from ctip.persons.models import Person
from ctip.persons.service import split_aliases
from ctip.reference import province_name
from ctip.screening.exports import _fonts  # the one Khmer PDF font set-up, shared

RELATIONS = ("recruited", "transported", "same_person_as")


class DossierRecord(BaseModel):
    person_id: int
    name: str
    name_km: str | None = None
    aliases: list[str] = []
    gender: str
    date_of_birth: date | None = None
    estimated_age: int | None = None
    nationalities: list[str] = []


class DossierRole(BaseModel):
    case_id: int
    reference: str
    title: str
    province: str
    opened_on: date
    status: str
    agency: str | None = None
    person_id: int
    role: str
    role_in_process: str | None = None
    custody_status: str | None = None
    arrested_on: date | None = None


class DossierIdentifier(BaseModel):
    person_id: int
    id_type: str
    value: str
    platform: str | None = None
    valid: bool = True


class DossierEvent(BaseModel):
    reference: str
    occurred_on: date
    event_type: str
    place: str | None = None
    description: str | None = None


class DossierLink(BaseModel):
    person_id: int
    label: str
    role: str | None = None
    relation: str
    reference: str | None = None
    on: date | None = None


class DossierOut(BaseModel):
    person_id: int
    name: str
    records: list[DossierRecord]
    roles: list[DossierRole]
    identifiers: list[DossierIdentifier]
    events: list[DossierEvent]
    linked: list[DossierLink]
    network: NeighbourhoodOut
    generated_on: date


def _records(session: Session, ids: list[int]) -> list[DossierRecord]:
    rows = session.execute(
        select(
            Person.id,
            Person.given_name,
            Person.family_name,
            Person.name_km,
            Person.aliases,
            Person.gender,
            Person.date_of_birth,
            Person.estimated_age,
            Person.nationalities,
        )
        .where(Person.id.in_(ids))
        .order_by(Person.id)
    )
    out = []
    for r in rows:
        name = " ".join(p for p in (r.given_name, r.family_name) if p) or r.name_km or "—"
        out.append(
            DossierRecord(
                person_id=r.id,
                name=name,
                name_km=r.name_km,
                aliases=split_aliases(r.aliases),
                gender=r.gender,
                date_of_birth=r.date_of_birth,
                estimated_age=r.estimated_age,
                nationalities=list(r.nationalities or []),
            )
        )
    return out


def _roles(session: Session, actor: Actor, ids: list[int]) -> list[DossierRole]:
    rows = session.execute(
        select(
            Case.id,
            Case.reference,
            Case.title,
            Case.province,
            Case.opened_on,
            Case.status,
            Organisation.name,
            CasePerson.person_id,
            CasePerson.role,
            CasePerson.role_in_process,
            CasePerson.custody_status,
            CasePerson.arrested_on,
        )
        .join(Case, Case.id == CasePerson.case_id)
        .outerjoin(Organisation, Organisation.id == Case.reporting_org_id)
        .where(CasePerson.person_id.in_(ids), visible_participants(actor))
        .order_by(Case.opened_on, Case.id)
    )
    return [
        DossierRole(
            case_id=r[0],
            reference=r[1],
            title=r[2],
            province=r[3],
            opened_on=r[4],
            status=r[5],
            agency=r[6],
            person_id=r[7],
            role=r[8],
            role_in_process=r[9],
            custody_status=r[10],
            arrested_on=r[11],
        )
        for r in rows
    ]


def _identifiers(session: Session, actor: Actor, ids: list[int]) -> list[DossierIdentifier]:
    rows = session.execute(
        select(
            Identifier.person_id,
            Identifier.id_type,
            Identifier.normalised,
            Identifier.raw,
            Identifier.platform,
            Identifier.valid,
        )
        .where(Identifier.person_id.in_(ids), identifiers_shown(actor, Identifier.person_id))
        .order_by(Identifier.id)
    )
    return [
        DossierIdentifier(
            person_id=pid, id_type=t, value=n or r, platform=platform, valid=bool(valid)
        )
        for pid, t, n, r, platform, valid in rows
    ]


def _events(
    session: Session, roles: list[DossierRole], ids: list[int], language: str
) -> list[DossierEvent]:
    refs = {r.case_id: r.reference for r in roles}
    if not refs:
        return []
    rows = session.execute(
        select(CaseEvent, Location)
        .outerjoin(Location, Location.id == CaseEvent.location_id)
        .where(CaseEvent.case_id.in_(sorted(refs)), CaseEvent.event_type != "status_change")
        .order_by(CaseEvent.occurred_on, CaseEvent.id)
    )
    return [
        DossierEvent(
            reference=refs[event.case_id],
            occurred_on=event.occurred_on,
            event_type=event.event_type,
            place=describe_place(place, language),
            description=event.description,
        )
        for event, place in rows
        if event.person_id is None or event.person_id in ids
    ]


def _tie(other: Node, link: Link) -> DossierLink:
    return DossierLink(
        person_id=other.record_id,
        label=other.label,
        role=other.role,
        relation=link.type,
        reference=link.case_ref,
        on=link.on,
    )


def _linked(view: Network, start: str) -> list[DossierLink]:
    """Persons tied to the subject: directly (recruited, transported, same person as) or as
    fellow participants of a case."""
    out: dict[tuple[str, str, str | None], DossierLink] = {}
    cases = set()
    for link in view.links:
        ends = {link.source, link.target}
        if start in ends and link.type in RELATIONS:
            other = view.nodes[(ends - {start}).pop()]
            out[(other.key, link.type, link.case_ref)] = _tie(other, link)
        elif link.source == start and link.target.startswith("case:"):
            cases.add(link.target)
    for link in view.links:
        if link.target in cases and link.source != start and link.source.startswith("person:"):
            other = view.nodes[link.source]
            out.setdefault((other.key, link.type, link.case_ref), _tie(other, link))
    return sorted(out.values(), key=lambda d: (d.reference or "", d.relation, d.person_id))


def build(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    purpose: str = "page",
    language: str | None = None,
) -> DossierOut:
    """The dossier of the resolved person holding record ``person_id`` (404 outside the
    reader's scope); audited as ``network.dossier``."""
    view, _ = service.around(session, actor=actor, kind="person", record_id=person_id, hops=2)
    language = language or current_language()
    start = view.find("person", person_id)
    assert start is not None  # around() raised NotFound otherwise
    ids = sorted(view.nodes[start].members)
    roles = _roles(session, actor, ids)
    data = DossierOut(
        person_id=person_id,
        name=view.nodes[start].label,
        records=_records(session, ids),
        roles=roles,
        identifiers=_identifiers(session, actor, ids),
        events=_events(session, roles, ids, language),
        linked=_linked(view, start),
        network=_picture(view, start),
        generated_on=date.today(),
    )
    record(
        session,
        actor=actor,
        action="network.dossier",
        entity_type="person",
        entity_id=person_id,
        after={"records": ids, "linked": sorted({d.person_id for d in data.linked})},
        detail=purpose,
    )
    return data


def _picture(view: Network, start: str) -> NeighbourhoodOut:
    positions = analysis.layout(view)
    return NeighbourhoodOut(
        start=start,
        hops=2,
        types=[],
        nodes=[service.node_out(n, positions.get(n.key)) for n in view.nodes.values()],
        links=[service.link_out(lk) for lk in view.links],
    )


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font_size(12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(9)


def _line(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")


def to_pdf(data: DossierOut, font: Path | None, language: str = "en") -> bytes:
    """An A4 PDF of the dossier in ``language`` (Khmer shaped with HarfBuzz), with the
    network picture."""
    from ctip.network.svg import drawing

    t = lambda message, **params: translate(message, language, **params)  # noqa: E731
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=12)
    _fonts(pdf, font)
    pdf.add_page()
    pdf.set_font_size(15)
    pdf.multi_cell(0, 9, f"{t('Suspect dossier')}: {data.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(9)
    _line(pdf, t("Generated on %(day)s from the records you may see.", day=data.generated_on))
    _heading(pdf, t("Person records"))
    for rec in data.records:
        born = (
            rec.date_of_birth.isoformat()
            if rec.date_of_birth
            else (t("about %(age)s years", age=rec.estimated_age) if rec.estimated_age else "—")
        )
        names = " / ".join(filter(None, [rec.name, rec.name_km, *rec.aliases]))
        _line(
            pdf,
            f"#{rec.person_id} {names} · {label_in(rec.gender, language)} · {born}"
            f" · {', '.join(rec.nationalities)}",
        )
    _heading(pdf, t("Cases and roles"))
    for role in data.roles:
        extra = " · ".join(
            label_in(x, language) for x in (role.role_in_process, role.custody_status) if x
        )
        _line(
            pdf,
            f"{role.reference} ({province_name(role.province, language)}, {role.opened_on})"
            f" · {label_in(role.role, language)} {extra} · {label_in(role.status, language)}"
            f" · {role.agency or ''}",
        )
    _heading(pdf, t("Identifiers"))
    for ident in data.identifiers:
        _line(pdf, f"{label_in(ident.id_type, language)}: {ident.value}")
    _heading(pdf, t("Events"))
    for event in data.events:
        _line(
            pdf,
            f"{event.occurred_on} {event.reference} · {label_in(event.event_type, language)}"
            f" · {event.place or ''}",
        )
    _heading(pdf, t("Linked persons"))
    for linked in data.linked:
        _line(
            pdf,
            f"{linked.label} (#{linked.person_id}) · {label_in(linked.relation, language)}"
            f" · {linked.reference or ''}",
        )
    _heading(pdf, t("Network"))
    picture = drawing(data.network, labels=False, interactive=False)
    pdf.image(io.BytesIO(picture.encode("utf-8")), w=180)
    return bytes(pdf.output())
