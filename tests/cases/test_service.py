"""Case services on a real database: references, rules, scope, versions, audit, search."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from ctip.audit.models import AuditEntry
from ctip.auth.scope import SYSTEM
from ctip.cases import participants, service, timeline
from ctip.cases.models import Case, CaseEvent, CasePerson, CaseSequence
from ctip.cases.schemas import CaseFilters, CaseUpdate, EventIn, ParticipantDetails
from ctip.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)


def _audit(db, action, entity_id=None):
    query = select(AuditEntry).where(AuditEntry.action == action)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return db.scalars(query.order_by(AuditEntry.id)).all()


def test_references_count_per_province_and_year(make_case):
    first = make_case(province="KH-1")
    second = make_case(province="KH-1")
    other_year = make_case(province="KH-1", opened_on=date(2023, 12, 31))
    other_province = make_case(province="KH-2")
    assert [c.reference for c in (first, second, other_year, other_province)] == [
        "KH-1-2024-000001",
        "KH-1-2024-000002",
        "KH-1-2023-000001",
        "KH-2-2024-000001",
    ]


def test_numbers_used_outside_the_counter_are_skipped(db, make_case):
    first = make_case(province="KH-5")
    db.execute(update(CaseSequence).where(CaseSequence.province == "KH-5").values(last=0))
    assert make_case(province="KH-5").reference == "KH-5-2024-000002"
    assert first.reference == "KH-5-2024-000001"


def test_create_records_reported_status_event_and_audit(db, make_case):
    case = make_case()
    assert case.status == "reported" and case.status_changed_on == case.opened_on
    events = db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert [(e.event_type, e.from_status, e.to_status) for e in events] == [
        ("status_change", None, "reported")
    ]
    entry = _audit(db, "case.create", case.id)[0]
    assert json.loads(entry.changes)["after"]["reference"] == case.reference


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"province": "KH-99"}, "province"),
        ({"exploitation_types": ["ForcedLabor"]}, "exploitation_types"),
        ({"industry": "Z_Nothing"}, "industry"),
        ({"origin_countries": ["XX"]}, "origin_countries"),
        ({"opened_on": date.today() + timedelta(days=1)}, "opened_on"),
        ({"title": "  "}, "title"),
        (
            {
                "forced_labour_subtype": "ForcedCriminalityOnlineScam",
                "exploitation_types": ["SexualExploitation"],
            },
            "forced_labour_subtype",
        ),
        ({"reporting_org_id": 999999}, "reporting_org_id"),
    ],
)
def test_create_refuses_bad_fields_and_writes_nothing(db, make_case, fields, field):
    before = db.scalar(select(Case.id).order_by(Case.id.desc()).limit(1))
    with pytest.raises(ValidationFailed) as caught:
        make_case(**fields)
    assert [e.field for e in caught.value.errors] == [field]
    assert db.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) == before


def test_unknown_province_message_names_it(make_case):
    with pytest.raises(ValidationFailed) as caught:
        make_case(province="KH-99")
    assert caught.value.errors[0].message == "unknown province code KH-99"


def test_country_codes_are_upper_cased(make_case):
    case = make_case(origin_countries=["kh", "vn", "kh"], exploitation_countries=["MM"])
    assert case.origin_countries == ["KH", "VN"]


def test_forced_criminality_subtype_with_forced_labour(make_case):
    case = make_case(
        forced_labour_subtype="ForcedCriminalityOnlineScam",
        industry="J_InformationAndCommunication",
    )
    assert case.forced_labour_subtype == "ForcedCriminalityOnlineScam"


def test_provincial_officer_only_in_own_province(make_actor, make_case):
    officer = make_actor("provincial_officer", province="KH-1")
    assert make_case(officer, province="KH-1").province == "KH-1"
    with pytest.raises(PermissionDenied) as caught:
        make_case(officer, province="KH-2")
    assert caught.value.field == "province"
    assert caught.value.message == "you work in KH-1 and cannot act in KH-2"


@pytest.mark.parametrize("role", ["secretariat", "viewer"])
def test_non_writers_cannot_create(make_actor, make_case, role):
    with pytest.raises(PermissionDenied):
        make_case(make_actor(role))


def test_investigator_case_belongs_to_their_agency(make_org, make_actor, make_case):
    police = make_org("Anti-trafficking police KH-12")
    other = make_org("Other agency")
    case = make_case(make_actor("investigator", org=police), reporting_org_id=other.id)
    assert case.reporting_org_id == police.id


def test_scope_of_reads(db, make_org, make_actor, make_case):
    police, ngo = make_org("Police A"), make_org("Police B")
    own = make_case(make_actor("investigator", org=police))
    other = make_case(make_actor("investigator", org=ngo))
    kh1 = make_case(province="KH-1")
    investigator = make_actor("investigator", org=police)
    assert service.get(db, actor=investigator, case_id=own.id).id == own.id
    for case in (other, kh1):
        with pytest.raises(NotFound):
            service.get(db, actor=investigator, case_id=case.id)
    service.share(db, actor=SYSTEM, case_id=other.id, organisation_id=police.id)
    assert service.get(db, actor=investigator, case_id=other.id).id == other.id
    officer = make_actor("provincial_officer", province="KH-12")
    with pytest.raises(NotFound):
        service.get(db, actor=officer, case_id=kh1.id)
    assert _audit(db, "case.read", own.id)[0].actor_id == investigator.id


def test_secretariat_reads_but_cannot_change(make_actor, make_case, db):
    case = make_case()
    reader = make_actor("secretariat")
    assert service.get(db, actor=reader, case_id=case.id).id == case.id
    with pytest.raises(PermissionDenied):
        service.update(
            db, actor=reader, case_id=case.id, data=CaseUpdate(version=case.version, title="x")
        )


def test_update_patch_semantics_and_audit(db, make_case):
    case = make_case(summary="Found at a compound", origin_countries=["KH"])
    updated = service.update(
        db, actor=SYSTEM, case_id=case.id, data=CaseUpdate(version=1, title="Renamed")
    )
    assert (updated.title, updated.summary, updated.origin_countries, updated.version) == (
        "Renamed",
        "Found at a compound",
        ["KH"],
        2,
    )
    changes = json.loads(_audit(db, "case.update", case.id)[0].changes)
    assert changes["before"]["title"] == "Scam compound rescue"
    assert changes["after"]["title"] == "Renamed"


def test_stale_version_changes_nothing(db, make_case):
    case = make_case()
    service.update(db, actor=SYSTEM, case_id=case.id, data=CaseUpdate(version=1, title="B"))
    with pytest.raises(StaleVersion):
        service.update(db, actor=SYSTEM, case_id=case.id, data=CaseUpdate(version=1, title="C"))
    db.refresh(case)
    assert (case.title, case.version) == ("B", 2)


def test_province_cannot_change(db, make_case):
    case = make_case()
    with pytest.raises(ValidationFailed) as caught:
        service.update(
            db, actor=SYSTEM, case_id=case.id, data=CaseUpdate(version=1, province="KH-1")
        )
    assert caught.value.errors[0].field == "province"


def test_transitions_to_verdict_with_events_and_actor(db, make_actor, make_case):
    officer = make_actor("provincial_officer", province="KH-12")
    case = make_case(officer)
    steps = [
        ("under_investigation", date(2024, 2, 1)),
        ("charged", date(2024, 3, 1)),
        ("at_trial", date(2024, 5, 1)),
        ("convicted", date(2024, 9, 1)),
        ("closed", date(2024, 9, 2)),
    ]
    for target, on in steps:
        timeline.transition(
            db, actor=officer, case_id=case.id, target=target, on=on, note=f"to {target}"
        )
    assert (case.status, case.status_changed_on) == ("closed", date(2024, 9, 2))
    events = timeline.timeline(db, actor=officer, case_id=case.id)
    assert [(e.to_status, e.actor_id) for e in events] == [("reported", officer.id)] + [
        (t, officer.id) for t, _ in steps
    ]
    assert events[-1].description == "to closed"
    assert len(_audit(db, "case.transition", case.id)) == len(steps)


def test_verdict_before_charge_changes_nothing(db, make_case):
    case = make_case()
    timeline.transition(
        db, actor=SYSTEM, case_id=case.id, target="under_investigation", on=date(2024, 2, 1)
    )
    with pytest.raises(InvalidTransition) as caught:
        timeline.transition(
            db, actor=SYSTEM, case_id=case.id, target="convicted", on=date(2024, 3, 1)
        )
    assert "a verdict needs a charge first" in caught.value.message
    assert case.status == "under_investigation"
    assert len(timeline.timeline(db, actor=SYSTEM, case_id=case.id)) == 2


def test_transition_date_before_last_change_is_refused(db, make_case):
    case = make_case()
    with pytest.raises(ValidationFailed) as caught:
        timeline.transition(
            db, actor=SYSTEM, case_id=case.id, target="under_investigation", on=date(2024, 1, 1)
        )
    assert caught.value.errors[0].field == "on"


def test_transition_with_stale_version(db, make_case):
    case = make_case()
    with pytest.raises(StaleVersion):
        timeline.transition(
            db,
            actor=SYSTEM,
            case_id=case.id,
            target="under_investigation",
            on=date(2024, 2, 1),
            version=7,
        )


def test_timeline_event_with_place_and_person(db, make_case, make_person):
    case = make_case()
    person = make_person()
    participants.add_participant(
        db, actor=SYSTEM, case_id=case.id, person_id=person.id, role="victim"
    )
    event = timeline.add_event(
        db,
        actor=SYSTEM,
        case_id=case.id,
        data=EventIn(
            event_type="border_crossing",
            occurred_on=date(2024, 1, 3),
            border_crossing="poipet",
            province="KH-1",
            person_id=person.id,
            description="Crossed at night",
        ),
    )
    again = timeline.add_event(
        db,
        actor=SYSTEM,
        case_id=case.id,
        data=EventIn(
            event_type="transit",
            occurred_on=date(2024, 1, 4),
            border_crossing="poipet",
            province="KH-1",
        ),
    )
    assert event.location_id == again.location_id is not None
    shown = timeline.timeline(db, actor=SYSTEM, case_id=case.id)
    assert [e.event_type for e in shown] == ["border_crossing", "transit", "status_change"]
    assert shown[0].place == "Banteay Meanchey, Poipet"
    assert shown[0].description == "Crossed at night"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event_type": "status_change"}, "event_type"),
        ({"event_type": "party"}, "event_type"),
        ({"occurred_on": date.today() + timedelta(days=2)}, "occurred_on"),
        ({"province": "KH-30"}, "province"),
        ({"border_crossing": "nowhere"}, "border_crossing"),
        ({"person_id": 424242}, "person_id"),
    ],
)
def test_bad_events_are_refused(db, make_case, fields, field):
    case = make_case()
    values = {"event_type": "arrest", "occurred_on": date(2024, 2, 2), **fields}
    with pytest.raises(ValidationFailed) as caught:
        timeline.add_event(db, actor=SYSTEM, case_id=case.id, data=EventIn(**values))
    assert [e.field for e in caught.value.errors] == [field]


def test_same_person_same_role_twice_is_a_conflict(db, make_case, make_person):
    case = make_case()
    person = make_person()
    participants.add_participant(
        db, actor=SYSTEM, case_id=case.id, person_id=person.id, role="victim"
    )
    with pytest.raises(Conflict) as caught:
        participants.add_participant(
            db, actor=SYSTEM, case_id=case.id, person_id=person.id, role="victim"
        )
    assert caught.value.message == "this person is already on the case as victim"
    assert caught.value.field == "role"
    participants.add_participant(
        db, actor=SYSTEM, case_id=case.id, person_id=person.id, role="witness"
    )


def test_victim_details_accept_htcds_alternative_spellings(db, make_case, make_person):
    case = make_case()
    row = participants.add_participant(
        db,
        actor=SYSTEM,
        case_id=case.id,
        person_id=make_person().id,
        role="victim",
        details=ParticipantDetails(
            trafficking_status="ActualVictimOfTrafficking",
            status_decided_by="Police",
            methods_of_control=["PhysicalThreats", "Threats", "ThreatsLawEnforcement"],
            recruitment_method="ThroughOnlineSocialNetworks",
            recruitment_apps=["Telegram"],
        ),
    )
    assert row.methods_of_control == ["Threats", "ThreatOfLawEnforcement"]


@pytest.mark.parametrize(
    ("role", "details", "field"),
    [
        ("victim", {"trafficking_status": "ActualVictimOfTrafficking"}, "status_decided_by"),
        ("victim", {"trafficking_status": "Maybe"}, "trafficking_status"),
        ("victim", {"methods_of_control": ["Bribes"]}, "methods_of_control"),
        ("victim", {"custody_status": "in_custody"}, "custody_status"),
        ("suspect", {"trafficking_status": "PossibleVictimOfTrafficking"}, "trafficking_status"),
        ("suspect", {"custody_status": "in jail"}, "custody_status"),
        ("broker", {"role_in_process": "Boss"}, "role_in_process"),
        ("boss", {}, "role"),
    ],
)
def test_bad_role_details(db, make_case, make_person, role, details, field):
    case = make_case()
    with pytest.raises(ValidationFailed) as caught:
        participants.add_participant(
            db,
            actor=SYSTEM,
            case_id=case.id,
            person_id=make_person().id,
            role=role,
            details=ParticipantDetails(**details),
        )
    assert [e.field for e in caught.value.errors] == [field]


def test_suspect_details_and_update(db, make_case, make_person):
    case = make_case()
    row = participants.add_participant(
        db,
        actor=SYSTEM,
        case_id=case.id,
        person_id=make_person().id,
        role="suspect",
        details=ParticipantDetails(
            role_in_process="RecruiterOrIntermediary",
            custody_status="in_custody",
            arrested_on=date(2024, 2, 3),
        ),
    )
    from ctip.cases.schemas import ParticipantUpdate

    updated = participants.update_participant(
        db,
        actor=SYSTEM,
        case_id=case.id,
        participant_id=row.id,
        data=ParticipantUpdate(
            version=row.version,
            role_in_process="RecruiterOrIntermediary",
            custody_status="absconded",
        ),
    )
    assert (updated.custody_status, updated.version) == ("absconded", 2)
    with pytest.raises(StaleVersion):
        participants.update_participant(
            db,
            actor=SYSTEM,
            case_id=case.id,
            participant_id=row.id,
            data=ParticipantUpdate(version=1),
        )


def test_new_person_with_phone_in_one_go(db, make_case):
    case = make_case()
    row = participants.add_new_person(
        db,
        actor=SYSTEM,
        case_id=case.id,
        role="victim",
        phone="012 345 678",
        person={"given_name": "Srey", "family_name": "Mom", "sex": "F", "nationalities": ["KH"]},
    )
    rows, total = service.search(db, actor=SYSTEM, filters=CaseFilters(q="855-12-345-678"))
    assert (total, rows[0].id, row.role) == (1, case.id, "victim")


def test_new_person_errors_are_reported_together_and_nothing_written(db, make_case):
    case = make_case()
    with pytest.raises(ValidationFailed) as caught:
        participants.add_new_person(
            db,
            actor=SYSTEM,
            case_id=case.id,
            role="victim",
            details=ParticipantDetails(custody_status="in_custody"),
            person={"given_name": "Srey", "date_of_birth": date.today() + timedelta(days=3)},
        )
    assert {e.field for e in caught.value.errors} == {"custody_status", "date_of_birth"}
    assert db.scalars(select(CasePerson).where(CasePerson.case_id == case.id)).all() == []


def test_victim_and_suspect_is_flagged(db, make_case, make_person):
    person = make_person()
    first, second = make_case(), make_case()
    participants.add_participant(
        db, actor=SYSTEM, case_id=first.id, person_id=person.id, role="victim"
    )
    participants.add_participant(
        db, actor=SYSTEM, case_id=second.id, person_id=person.id, role="suspect"
    )
    shown = participants.participants(db, actor=SYSTEM, case_id=second.id)
    assert [(p.role, p.both_sides) for p in shown] == [("suspect", True)]


def test_ngo_sees_only_the_victim_side(db, make_org, make_user, make_case, make_person):
    from ctip.auth.service import actor_for
    from ctip.referrals.models import Referral

    ngo = make_org("Shelter NGO", org_type="NGO", is_agency=False)
    worker = actor_for(make_user("ngo_caseworker", org=ngo))
    case = make_case()
    victim, suspect = make_person(), make_person(given_name="Dara")
    for person, role in ((victim, "victim"), (suspect, "suspect")):
        participants.add_participant(
            db, actor=SYSTEM, case_id=case.id, person_id=person.id, role=role
        )
    with pytest.raises(NotFound):
        service.get(db, actor=worker, case_id=case.id)
    db.add(
        Referral(
            case_id=case.id,
            person_id=victim.id,
            to_org_id=ngo.id,
            reason="Other",
            referred_on=date(2024, 2, 1),
            consent_given=True,
        )
    )
    db.flush()
    shown = participants.participants(db, actor=worker, case_id=case.id)
    assert [p.role for p in shown] == ["victim"]
    _, total = service.search(db, actor=worker, filters=CaseFilters(q="Dara"))
    assert total == 0


def test_sharing_twice_is_a_conflict(db, make_org, make_case):
    police = make_org("Police C")
    case = make_case()
    service.share(db, actor=SYSTEM, case_id=case.id, organisation_id=police.id)
    with pytest.raises(Conflict):
        service.share(db, actor=SYSTEM, case_id=case.id, organisation_id=police.id)
    assert [o.name for o in service.shares(db, actor=SYSTEM, case_id=case.id)] == ["Police C"]
