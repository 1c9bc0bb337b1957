"""Screenings on real databases: recording, status confirmation (audited), non-punishment
flags that appear and clear, mass screening of a roster entry, and consent-gated referrals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.cases import service as cases
from ctip.cases.models import Case, CasePerson
from ctip.cases.schemas import CaseIn
from ctip.errors import PermissionDenied, ValidationFailed
from ctip.screening import flags, interventions, roster, service
from ctip.screening.models import RosterEntry
from ctip.screening.schemas import ReferralFromScreeningIn, ScreeningIn, StatusIn

TODAY = date(2024, 3, 5)
PRESUMED = {
    "act": ["recruitment"],
    "means": ["deception"],
    "purpose": ["ForcedLabour"],
    "assessed": ["act", "means", "purpose"],
    "age_at_act": 24,
}
NOTHING = {"assessed": ["act", "means", "purpose"], "age_at_act": 24}


def screen(db, actor, case, person, **answers):
    return service.record(
        db,
        actor=actor,
        case_id=case.id,
        person_id=person.id,
        data=ScreeningIn(**answers),
        today=TODAY,
    )


def test_screening_stores_result_notes_and_audits(db, officer, case, person_on):
    person = person_on(case)
    screening = screen(
        db,
        officer,
        case,
        person,
        **PRESUMED,
        services_needed=["shelter"],
        notes=[
            {"question": "means:deception", "note": "promised a hotel job", "source": "interview"}
        ],
    )
    assert screening.result == "presumed_victim"
    out = service.to_out(screening)
    assert out.decision.result == "presumed_victim"
    assert out.notes[0].note == "promised a hotel job"
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "screening")
    ).all()
    assert actions == ["screening.create"]


def test_screening_refuses_bad_input_naming_fields(db, officer, case, person_on):
    person = person_on(case)
    with pytest.raises(ValidationFailed) as caught:
        screen(
            db,
            officer,
            case,
            person,
            act=["kidnap"],
            services_needed=["spa"],
            notes=[{"question": "means:bribe", "source": "rumour"}],
        )
    assert sorted(e.field for e in caught.value.errors) == [
        "act",
        "notes",
        "notes",
        "services_needed",
    ]


def test_person_must_be_on_the_case(db, officer, case, person_on):
    other = cases.create(
        db, actor=officer, data=CaseIn(title="Other", province="KH-18", opened_on=date(2024, 1, 1))
    )
    person = person_on(other)
    with pytest.raises(ValidationFailed) as caught:
        screen(db, officer, case, person, **PRESUMED)
    assert caught.value.errors[0].field == "person_id"


def test_status_confirmation_is_recorded_and_audited(db, officer, case, person_on):
    person = person_on(case)
    service.confirm_status(
        db,
        actor=officer,
        data=StatusIn(
            case_id=case.id,
            person_id=person.id,
            status="ActualVictimOfTrafficking",
            decided_by="Police",
            decided_on=TODAY,
        ),
        today=TODAY,
    )
    role = db.scalar(
        select(CasePerson).where(CasePerson.person_id == person.id, CasePerson.role == "victim")
    )
    assert (role.trafficking_status, role.status_decided_by, role.status_decided_on) == (
        "ActualVictimOfTrafficking",
        "Police",
        TODAY,
    )
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "screening.status_confirm"))
    assert entry.entity_id == role.id and "ActualVictimOfTrafficking" in entry.changes


def test_status_needs_an_authorised_role_and_valid_codes(
    db, officer, case, person_on, make_actor, make_org
):
    person = person_on(case)
    ngo = make_actor("ngo_caseworker", org=make_org("Shelter", org_type="NGO"))
    data = StatusIn(case_id=case.id, person_id=person.id, status="Victim", decided_by="Army")
    with pytest.raises(PermissionDenied):
        service.confirm_status(db, actor=ngo, data=data)
    with pytest.raises(ValidationFailed) as caught:
        service.confirm_status(db, actor=officer, data=data)
    assert [e.field for e in caught.value.errors] == ["status", "decided_by"]


def test_flag_appears_and_clears(db, officer, case, person_on, make_actor):
    secretariat = make_actor("secretariat")
    person = person_on(case)
    other = cases.create(
        db,
        actor=officer,
        data=CaseIn(title="Scam fraud", province="KH-18", opened_on=date(2024, 2, 1)),
    )
    person_on(other, role="suspect", person=person)
    screen(db, officer, case, person, **PRESUMED)
    queue = flags.queue(db, actor=secretariat)
    assert [(r.person_id, r.status, r.victim_basis) for r in queue] == [
        (person.id, "open", "presumed_victim")
    ]
    assert queue[0].suspect_cases == [(other.id, other.reference)]
    assert flags.flagged_persons(db, actor=officer, person_ids=[person.id]) == {person.id}
    screen(db, officer, case, person, **NOTHING)
    assert flags.queue(db, actor=secretariat) == []
    assert flags.counts(db)["cleared"] == 1
    actions = db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.action.like("nonpunishment.%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["nonpunishment.raise", "nonpunishment.clear"]


def test_confirmed_status_overrides_screening_for_flags(db, officer, case, person_on, make_actor):
    secretariat = make_actor("secretariat")
    person = person_on(case)
    person_on(case, role="suspect", person=person)
    screen(db, officer, case, person, **NOTHING)
    assert flags.queue(db, actor=secretariat) == []
    service.confirm_status(
        db,
        actor=officer,
        data=StatusIn(
            case_id=case.id,
            person_id=person.id,
            status="PossibleVictimOfTrafficking",
            decided_by="Police",
        ),
        today=TODAY,
    )
    assert [r.victim_basis for r in flags.queue(db, actor=secretariat)] == [
        "PossibleVictimOfTrafficking"
    ]


def test_flag_decision_needs_reason_and_is_recorded(db, officer, case, person_on, make_actor):
    secretariat = make_actor("secretariat")
    person = person_on(case)
    person_on(case, role="suspect", person=person)
    screen(db, officer, case, person, **PRESUMED)
    flag_id = flags.queue(db, actor=secretariat)[0].id
    with pytest.raises(PermissionDenied):
        flags.decide(db, actor=officer, flag_id=flag_id, decision="applied", reason="x")
    with pytest.raises(ValidationFailed) as caught:
        flags.decide(db, actor=secretariat, flag_id=flag_id, decision="maybe", reason=" ")
    assert [e.field for e in caught.value.errors] == ["decision", "reason"]
    flags.decide(
        db,
        actor=secretariat,
        flag_id=flag_id,
        decision="applied",
        reason="scam work was compelled",
        today=TODAY,
    )
    decided = flags.queue(db, actor=secretariat, status="applied")
    assert decided[0].decision_reason == "scam work was compelled"
    assert flags.counts(db)["applied"] == 1


def test_screening_a_roster_entry_registers_the_person(db, officer, intervention):
    csv = b"Name,Sex,Age,Nationality,Passport,Phone\nLan Tran,F,16,VN,B1234567,0912345678\n"
    roster.import_file(
        db, actor=officer, intervention_id=intervention.id, data=csv, filename="r.csv", today=TODAY
    )
    entry = db.scalar(select(RosterEntry))
    screening = interventions.screen_entry(
        db,
        actor=officer,
        entry_id=entry.id,
        today=TODAY,
        data=ScreeningIn(
            act=["transport"],
            purpose=["ForcedLabour"],
            age_at_act=16,
            assessed=["act", "means", "purpose"],
            services_needed=["shelter"],
        ),
    )
    assert screening.result == "presumed_victim"
    assert entry.person_id == screening.person_id
    progress = interventions.progress(db, actor=officer, intervention_id=intervention.id)
    assert (progress.total, progress.screened, progress.remaining) == (1, 1, 0)
    assert progress.by_nationality == {"VN": {"presumed_victim": 1}}
    assert interventions.next_unscreened(db, intervention_id=intervention.id) is None


def test_roster_person_with_known_passport_is_linked_and_flagged(
    db, officer, intervention, case, person_on, make_actor
):
    from ctip.identifiers import service as identifiers

    other = cases.create(
        db, actor=officer, data=CaseIn(title="Fraud", province="KH-18", opened_on=date(2024, 1, 1))
    )
    suspect = person_on(other, role="suspect")
    identifiers.add(db, actor=officer, id_type="passport", value="N0123456", person_id=suspect.id)
    csv = b"Name,Sex,Age,Nationality,Passport\nSokha Chea,F,24,KH,N0123456\n"
    roster.import_file(
        db, actor=officer, intervention_id=intervention.id, data=csv, filename="r.csv", today=TODAY
    )
    entry = db.scalar(select(RosterEntry))
    interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**PRESUMED)
    )
    assert entry.person_id == suspect.id
    queue = flags.queue(db, actor=make_actor("secretariat"))
    assert [r.person_id for r in queue] == [suspect.id]
    rows, _ = interventions.entries(db, actor=officer, intervention_id=intervention.id)
    assert rows[0].nonpunishment_flag


def test_referral_from_screening_is_consent_gated(db, officer, case, person_on, make_org):
    person = person_on(case)
    shelter = make_org("Safe Shelter", org_type="NGO", is_agency=False)
    screening = screen(db, officer, case, person, **PRESUMED)
    with pytest.raises(ValidationFailed) as caught:
        service.refer(
            db,
            actor=officer,
            screening_id=screening.id,
            today=TODAY,
            data=ReferralFromScreeningIn(to_org_id=shelter.id, service="shelter"),
        )
    assert caught.value.errors[0].field == "consent"
    referral = service.refer(
        db,
        actor=officer,
        screening_id=screening.id,
        today=TODAY,
        data=ReferralFromScreeningIn(
            to_org_id=shelter.id, service="shelter", consent_given=True, consent_on=TODAY
        ),
    )
    assert (referral.person_id, referral.service, referral.status) == (
        person.id,
        "shelter",
        "pending",
    )


def _victim_here_suspect_there(db, officer, case, person_on):  # type: ignore[no-untyped-def]
    """A person presumed a victim on ``case`` and a suspect on another KH-18 case: flagged."""
    person = person_on(case)
    other = cases.create(
        db,
        actor=officer,
        data=CaseIn(title="Scam fraud", province="KH-18", opened_on=date(2024, 2, 1)),
    )
    person_on(other, role="suspect", person=person)
    screen(db, officer, case, person, **PRESUMED)
    db.flush()
    return person, other


def test_flag_shows_on_the_person_page_and_in_the_case_list(db, client, officer, case, person_on):
    from bs4 import BeautifulSoup

    from tests.conftest import login

    person, other = _victim_here_suspect_there(db, officer, case, person_on)
    marked_here = select(Case.id).where(
        Case.id.in_([case.id, other.id]), flags.case_list_mark(officer)
    )
    assert set(db.scalars(marked_here)) == {case.id, other.id}
    login(client, officer.username)
    listing = BeautifulSoup(client.get("/cases?province=KH-18").text, "html.parser")
    marked = {
        int(tr["data-case-id"])
        for tr in listing.select("tr[data-case-id]")
        if tr.select_one("[data-flag=nonpunishment]")
    }
    assert marked == {case.id, other.id}
    page = BeautifulSoup(client.get(f"/persons/{person.id}").text, "html.parser")
    assert page.select_one("[data-flag=nonpunishment]") is not None
    # The JSON twin carries the same mark, read in the list's own query.
    from tests.conftest import api_headers

    headers = api_headers(client, officer.username)
    items = client.get("/api/v1/cases?province=KH-18", headers=headers).json()["items"]
    assert {i["id"] for i in items if i["marks"] == ["nonpunishment"]} == {case.id, other.id}


def test_the_list_mark_shows_the_victim_side_no_offender_role(
    db, officer, case, person_on, make_actor, make_org
):
    """The mark checks only the roles the reader may see (the list holds only visible
    cases): a case worker's would not mark a case where the flagged person is a suspect, and
    an officer of another province lists neither case."""
    from ctip.cases.schemas import CaseFilters

    _, other = _victim_here_suspect_there(db, officer, case, person_on)
    ngo = make_org("Mark NGO", org_type="NGO", is_agency=False)
    caseworker = make_actor(role="ngo_caseworker", org=ngo)
    marked = select(Case.id).where(
        Case.id.in_([case.id, other.id]), flags.case_list_mark(caseworker)
    )
    assert set(db.scalars(marked)) == {case.id}
    outsider = make_actor(province="KH-1")
    rows, total = cases.search(db, actor=outsider, filters=CaseFilters(province="KH-18"))
    assert (rows, total) == ([], 0)
