"""The HTCDS export: scoped, audited, neutralised cells, and a round trip back into CTIP."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM
from ctip.cases import participants
from ctip.cases import service as cases
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.cases.schemas import CaseIn, ParticipantDetails
from ctip.identifiers import service as identifiers
from ctip.identifiers.models import Identifier
from ctip.imports import export, service
from ctip.persons import service as persons
from ctip.persons.schemas import PersonIn
from ctip.referrals.models import Referral


def _registry(db):
    """Two cases in KH-1 (a victim with phones and a broker) and one in KH-2."""
    made = {}
    for province, title in (("KH-1", "Poipet compound"), ("KH-1", "Kiln"), ("KH-2", "Other")):
        made[title] = cases.create(
            db,
            actor=SYSTEM,
            data=CaseIn(
                title=title,
                province=province,
                opened_on=date(2024, 3, 1),
                exploitation_types=["ForcedLabour"],
                industry="F_Construction",
                origin_countries=["KH"],
                exploitation_countries=["TH"],
                summary="Told at the border",
            ),
        )
    case = made["Poipet compound"]
    victim = persons.create(
        db,
        actor=SYSTEM,
        data=PersonIn(
            given_name="=Sokha",
            family_name="Chea",
            name_km="សុខា",
            gender="Feminine",
            date_of_birth=date(2001, 4, 5),
            nationalities=["KH", "TH"],
            address="Street 1\nPoipet",
            aliases=["Kha"],
        ),
    )
    participants.add_participant(
        db,
        actor=SYSTEM,
        case_id=case.id,
        person_id=victim.id,
        role="victim",
        details=ParticipantDetails(
            trafficking_status="ActualVictimOfTrafficking",
            status_decided_by="Police",
            status_decided_on=date(2024, 3, 5),
            methods_of_control=["DebtBondage", "WithholdsDocuments"],
            recruitment_method="ThroughOnlineSocialNetworks",
            recruitment_apps=["Telegram"],
        ),
    )
    for phone in ("012 345 678", "+66 81 234 5678"):
        identifiers.add(db, actor=SYSTEM, id_type="phone", value=phone, person_id=victim.id)
    identifiers.add(db, actor=SYSTEM, id_type="passport", value="N1234567", person_id=victim.id)
    broker = persons.create(
        db, actor=SYSTEM, data=PersonIn(given_name="Broker", gender="Masculine")
    )
    participants.add_participant(
        db,
        actor=SYSTEM,
        case_id=case.id,
        person_id=broker.id,
        role="broker",
        details=ParticipantDetails(
            role_in_process="RecruiterOrIntermediary", custody_status="at_large"
        ),
    )
    other = persons.create(db, actor=SYSTEM, data=PersonIn(given_name="Elsewhere"))
    participants.add_participant(
        db, actor=SYSTEM, case_id=made["Other"].id, person_id=other.id, role="victim"
    )
    db.flush()
    return made


def _snapshot(db, case_id):
    case = db.get(Case, case_id)
    people = []
    for link in db.scalars(
        select(CasePerson).where(CasePerson.case_id == case_id).order_by(CasePerson.role)
    ):
        p = link.person
        phones = sorted(
            i.normalised or i.raw
            for i in db.scalars(select(Identifier).where(Identifier.person_id == p.id))
        )
        people.append(
            (
                link.role,
                p.given_name,
                p.family_name,
                p.name_km,
                p.aliases,
                p.gender,
                p.date_of_birth,
                p.nationalities,
                p.address,
                phones,
                link.trafficking_status,
                link.status_decided_by,
                link.status_decided_on,
                link.methods_of_control,
                link.recruitment_method,
                link.recruitment_apps,
                link.role_in_process,
                link.custody_status,
            )
        )
    return (
        (
            case.title,
            case.province,
            case.opened_on,
            case.exploitation_types,
            case.industry,
            case.origin_countries,
            case.exploitation_countries,
            case.summary,
        ),
        people,
    )


def test_an_officer_exports_their_province_only_and_it_is_audited(db, make_actor):
    _registry(db)
    officer = make_actor(province="KH-1")
    found = export.collect(db, actor=officer, filters=export.ExportFilters())
    assert (found.cases, found.persons) == (2, 2)
    assert {r["cas_Province"] for r in found.sheets["cases"]} == {"KH-1"}
    assert [r["per_Role"] for r in found.sheets["perpetrators"]] == ["broker"]
    entry = db.scalar(
        select(AuditEntry).where(AuditEntry.actor_id == officer.id, AuditEntry.action == "export")
    )
    assert entry is not None and "HTCDS" in entry.detail


def test_an_ngo_case_worker_gets_only_the_victim_side_of_referred_cases(db, make_actor, make_org):
    made = _registry(db)
    ngo = make_org("Shelter", "NGO", is_agency=False)
    db.add(
        Referral(
            case_id=made["Poipet compound"].id,
            to_org_id=ngo.id,
            reason="Other",
            referred_on=date(2024, 3, 6),
            status="accepted",
        )
    )
    db.flush()
    worker = make_actor("ngo_caseworker", org=ngo)
    found = export.collect(db, actor=worker, filters=export.ExportFilters())
    assert found.cases == 1
    assert found.sheets["perpetrators"] == []
    assert [r["prs_FirstName"] for r in found.sheets["persons"]] == ["=Sokha"]


def test_events_about_the_suspect_are_left_out_for_the_ngo_case_worker(db, make_actor, make_org):
    """As on the case timeline: an event about a person in a role the reader may not see."""
    case = _registry(db)["Poipet compound"]
    role = {
        link.role: link.person_id
        for link in db.scalars(select(CasePerson).where(CasePerson.case_id == case.id))
    }
    for event_type, person_id in (
        ("recruitment", role["broker"]),
        ("exploitation", role["victim"]),
        ("border_crossing", None),
    ):
        db.add(
            CaseEvent(
                case_id=case.id,
                event_type=event_type,
                occurred_on=date(2024, 2, 1),
                person_id=person_id,
            )
        )
    ngo = make_org("Shelter", "NGO", is_agency=False)
    db.add(
        Referral(
            case_id=case.id,
            to_org_id=ngo.id,
            reason="Other",
            referred_on=date(2024, 3, 6),
            status="accepted",
        )
    )
    db.flush()

    def events(actor):
        found = export.collect(db, actor=actor, filters=export.ExportFilters())
        return sorted((r["hte_Type"], r["prs_PersonId"] or 0) for r in found.sheets["events"])

    officer = make_actor(province="KH-1")
    assert events(officer) == sorted(
        [("Recruitment", role["broker"]), ("Exploitation", role["victim"]), ("Transit", 0)]
    )
    worker = make_actor("ngo_caseworker", org=ngo)
    assert events(worker) == sorted([("Exploitation", role["victim"]), ("Transit", 0)])


@pytest.mark.parametrize("role", ["viewer"])
def test_a_viewer_exports_nothing(db, make_actor, role):
    from ctip.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        export.collect(db, actor=make_actor(role), filters=export.ExportFilters())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_back_into_ctip_without_loss(db, make_actor, settings, fmt):
    made = _registry(db)
    officer = make_actor(province="KH-1")
    data = export.render(export.collect(db, actor=officer, filters=export.ExportFilters()), fmt)
    name = "export.xlsx" if fmt == "xlsx" else "export.zip"
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data))["Case Sheet"]
        names = [c.value for c in sheet[1]]
        cell = sheet.cell(3, names.index("prs_FirstName") + 1)
        assert cell.value == "'=Sokha" and cell.data_type == "s"
    preview = service.preview(
        db, actor=officer, settings=settings, data=data, filename=name, source="htcds"
    )
    assert preview.errors == []
    assert preview.summary()["cases"] == 2  # one without persons
    outcome = service.run(db, actor=officer, preview=preview)
    assert (outcome.created_cases, outcome.created) == (2, 2)
    original = _snapshot(db, made["Poipet compound"].id)
    copy = _snapshot(db, outcome.case_ids[3])
    assert copy == original
    again = service.preview(
        db, actor=officer, settings=settings, data=data, filename=name, source="htcds"
    )
    assert service.run(db, actor=officer, preview=again).nothing_new
