"""Scope escapes found by the security test (issue 9, §0 High), each tried as the outsider
would: by id, by name search, by identifier search, through a roster import and screening,
through the roster's "in the registry" flag, and through the offer checker's analyst list.
Each answers exactly as for a record that does not exist."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.cases.models import CasePerson
from ctip.errors import NotFound, PermissionDenied
from ctip.identifiers import service as identifiers
from ctip.offers import service as offers
from ctip.offers.models import OfferIdentifier, OfferReport
from ctip.persons import service as persons
from ctip.persons.schemas import PersonUpdate
from ctip.screening import interventions, roster
from ctip.screening.models import RosterEntry
from ctip.screening.schemas import InterventionIn, ScreeningIn
from tests.conftest import api_headers
from tests.persons.helpers import attach, make_case, make_person, refer

PASSPORT = "N7654321"
MISSING = 987_654_321


@pytest.fixture
def ngo(make_org):  # type: ignore[no-untyped-def]
    return make_org("Hope Shelter", "NGO", is_agency=False)


@pytest.fixture
def worker(make_actor, ngo):  # type: ignore[no-untyped-def]
    return make_actor("ngo_caseworker", org=ngo, username="hope-worker")


@pytest.fixture
def colleague(make_actor, ngo):  # type: ignore[no-untyped-def]
    return make_actor("ngo_caseworker", org=ngo, username="hope-colleague")


@pytest.fixture
def suspect(db, worker, ngo):  # type: ignore[no-untyped-def]
    """A person the NGO recorded, later named a suspect on a case referred to the NGO and
    then declined; the suspect's passport is in the registry."""
    person = make_person(db, "Vannak", "Broker", actor=worker)
    identifiers.add(db, actor=worker, id_type="passport", value=PASSPORT, person_id=person.id)
    case = make_case(db, "KH-12")
    refer(db, case, ngo, status="declined")
    attach(db, case, person, "suspect")
    return person


def _same_as_missing(db, actor, person_id: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound) as hidden:
        persons.get(db, actor=actor, person_id=person_id)
    with pytest.raises(NotFound) as missing:
        persons.get(db, actor=actor, person_id=MISSING)
    assert hidden.value.template == missing.value.template


# --- (a) NGO case worker and the persons their organisation recorded ----------------------


def test_ngo_worker_cannot_read_a_suspect_their_org_recorded_by_id(db, worker, suspect):
    _same_as_missing(db, worker, suspect.id)


def test_ngo_worker_cannot_find_that_suspect_by_name(db, worker, suspect):
    assert persons.search(db, actor=worker, query="Vannak Broker") == []


def test_ngo_worker_cannot_find_that_suspect_by_identifier(db, worker, suspect):
    hits = identifiers.search(db, actor=worker, value=PASSPORT)
    assert hits.persons == [] and hits.cases == []


def _refused_changes(db, actor, person, error: type[Exception]) -> None:  # type: ignore[no-untyped-def]
    """Both ways of changing a person (its fields, a new identifier) raise ``error``."""
    with pytest.raises(error):
        persons.update(
            db,
            actor=actor,
            person_id=person.id,
            data=PersonUpdate(version=person.version, notes="x"),
        )
    with pytest.raises(error):
        identifiers.add(db, actor=actor, id_type="phone", value="012 999 888", person_id=person.id)


def test_ngo_worker_cannot_edit_that_suspect(db, worker, suspect):
    _refused_changes(db, worker, suspect, NotFound)


def test_ngo_worker_on_an_open_referral_still_sees_no_suspect(db, worker, ngo):
    person = make_person(db, "Dara", "Recruiter", actor=worker)
    case = make_case(db, "KH-12")
    refer(db, case, ngo, status="accepted")
    attach(db, case, person, "broker")
    _same_as_missing(db, worker, person.id)


def test_a_victim_the_org_recorded_stays_readable(db, worker, ngo):
    person = make_person(db, "Sreymom", "Chan", actor=worker)
    attach(db, make_case(db, "KH-12"), person, "victim")
    assert persons.get(db, actor=worker, person_id=person.id).id == person.id
    assert [p.id for p in persons.search(db, actor=worker, query="Sreymom Chan")] == [person.id]


def test_ngo_worker_edits_only_the_persons_they_recorded(db, worker, colleague, ngo):
    mine = make_person(db, "Sokha", "Mine", actor=worker)
    theirs = make_person(db, "Sokha", "Theirs", actor=colleague)
    officers = make_person(db, "Sokha", "Officers")
    case = make_case(db, "KH-12")
    refer(db, case, ngo, status="accepted")
    attach(db, case, officers, "victim")
    updated = persons.update(
        db, actor=worker, person_id=mine.id, data=PersonUpdate(version=mine.version, notes="ok")
    )
    assert updated.notes == "ok"
    for other in (theirs, officers):
        assert persons.get(db, actor=worker, person_id=other.id).id == other.id  # readable
        _refused_changes(db, worker, other, PermissionDenied)


def test_pages_offer_an_ngo_worker_editing_only_of_persons_they_recorded(client, db, worker, ngo):
    """The person page shows the edit link and the edit form opens only where the change
    would be allowed (no form that then answers 403)."""
    from tests.conftest import login

    mine = make_person(db, "Sokha", "Mine", actor=worker)
    officers = make_person(db, "Sokha", "Officers")
    case = make_case(db, "KH-12")
    refer(db, case, ngo, status="accepted")
    attach(db, case, mine, "victim")
    attach(db, case, officers, "victim")
    login(client, worker.username)
    assert f'href="/persons/{mine.id}/edit"' in client.get(f"/persons/{mine.id}").text
    assert client.get(f"/persons/{mine.id}/edit").status_code == 200
    page = client.get(f"/persons/{officers.id}")
    assert page.status_code == 200 and f'href="/persons/{officers.id}/edit"' not in page.text
    assert client.get(f"/persons/{officers.id}/edit").status_code == 403


def test_api_answers_the_hidden_suspect_like_a_missing_person(client, worker, suspect):
    headers = api_headers(client, worker.username)
    hidden = client.get(f"/api/v1/persons/{suspect.id}", headers=headers)
    missing = client.get(f"/api/v1/persons/{MISSING}", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    found = client.get("/api/v1/persons", params={"q": "Vannak Broker"}, headers=headers)
    assert found.status_code == 200 and str(suspect.id) not in found.text
    by_id = client.get("/api/v1/identifiers/search", params={"q": PASSPORT}, headers=headers)
    assert by_id.status_code == 200 and str(suspect.id) not in by_id.text
    patched = client.patch(
        f"/api/v1/persons/{suspect.id}", json={"version": 1, "notes": "x"}, headers=headers
    )
    assert patched.status_code == 404 and patched.json() == missing.json()


# --- (b) roster import: matched only within the importer's scope --------------------------


@pytest.fixture
def other_province_suspect(db, make_actor):  # type: ignore[no-untyped-def]
    """A suspect in Battambang (KH-2) with a passport that a Preah Sihanouk roster repeats."""
    officer2 = make_actor("provincial_officer", province="KH-2", username="officer-kh2")
    person = make_person(db, "Kosal", "Suspect", actor=officer2, owner_province="KH-2")
    attach(db, make_case(db, "KH-2"), person, "suspect")
    identifiers.add(db, actor=officer2, id_type="passport", value=PASSPORT, person_id=person.id)
    return person


@pytest.fixture
def importer(make_actor):  # type: ignore[no-untyped-def]
    return make_actor("provincial_officer", province="KH-18", username="officer-kh18")


@pytest.fixture
def roster_intervention(db, importer):  # type: ignore[no-untyped-def]
    from ctip.cases import service as cases
    from ctip.cases.schemas import CaseIn

    case = cases.create(
        db,
        actor=importer,
        data=CaseIn(
            title="Raid",
            province="KH-18",
            opened_on=date(2024, 3, 1),
            exploitation_types=["ForcedLabour"],
        ),
    )
    return interventions.create(
        db,
        actor=importer,
        data=InterventionIn(case_id=case.id, occurred_on=date(2024, 3, 2), place="Compound"),
    )


ROSTER = f"Name,Sex,Age,Nationality,Passport\nKosal Suspect,M,30,KH,{PASSPORT}\n".encode()


def _import(db, actor, intervention):  # type: ignore[no-untyped-def]
    return roster.import_file(
        db, actor=actor, intervention_id=intervention.id, data=ROSTER, filename="r.csv"
    )


def test_roster_flag_says_nothing_of_a_person_outside_scope(
    db, importer, roster_intervention, other_province_suspect
):
    report = _import(db, importer, roster_intervention)
    assert report.in_registry == 0
    (entry,) = db.scalars(select(RosterEntry)).all()
    assert entry.registry_person_ids == []
    rows, _ = interventions.entries(db, actor=importer, intervention_id=roster_intervention.id)
    assert rows[0].in_registry == []
    progress = interventions.progress(db, actor=importer, intervention_id=roster_intervention.id)
    assert progress.in_registry == 0


def test_screening_a_roster_entry_never_attaches_a_person_outside_scope(
    db, importer, roster_intervention, other_province_suspect
):
    _import(db, importer, roster_intervention)
    (entry,) = db.scalars(select(RosterEntry)).all()
    screening = interventions.screen_entry(
        db, actor=importer, entry_id=entry.id, data=ScreeningIn(), today=date(2024, 3, 3)
    )
    assert screening.person_id != other_province_suspect.id
    on_case = db.scalars(
        select(CasePerson.person_id).where(CasePerson.case_id == roster_intervention.case_id)
    ).all()
    assert other_province_suspect.id not in on_case
    _same_as_missing(db, importer, other_province_suspect.id)


def test_a_match_within_scope_is_still_linked(db, importer, roster_intervention):
    known = make_person(db, "Kosal", "Suspect", actor=importer)
    identifiers.add(db, actor=importer, id_type="passport", value=PASSPORT, person_id=known.id)
    report = _import(db, importer, roster_intervention)
    assert report.in_registry == 1
    (entry,) = db.scalars(select(RosterEntry)).all()
    screening = interventions.screen_entry(
        db, actor=importer, entry_id=entry.id, data=ScreeningIn(), today=date(2024, 3, 3)
    )
    assert screening.person_id == known.id


def test_stored_matches_are_shown_to_each_reader_within_their_scope(
    db, importer, roster_intervention, make_actor, ngo
):
    """A national reader's import records a match; an NGO case worker later reading the same
    roster (the case referred to them) is not shown the person they may not see."""
    national = make_actor("admin", username="admin-importer")
    known = make_person(db, "Kosal", "Suspect")
    attach(db, make_case(db, "KH-2"), known, "suspect")
    identifiers.add(db, actor=national, id_type="passport", value=PASSPORT, person_id=known.id)
    assert _import(db, national, roster_intervention).in_registry == 1
    from ctip.cases.models import Case

    case = db.get(Case, roster_intervention.case_id)
    refer(db, case, ngo, status="accepted")
    reader = make_actor("ngo_caseworker", org=ngo, username="roster-reader")
    rows, _ = interventions.entries(db, actor=reader, intervention_id=roster_intervention.id)
    assert rows[0].in_registry == []
    (entry,) = db.scalars(select(RosterEntry)).all()
    assert interventions.registry_matches(db, actor=reader, entry=entry) == []
    assert (
        interventions.progress(db, actor=reader, intervention_id=roster_intervention.id).in_registry
        == 0
    )


# --- (c) the offer checker's analyst list -----------------------------------------------------


def _reported_offer(db, digest: str) -> None:  # type: ignore[no-untyped-def]
    """A public tip naming a phone (made directly: the analyst list is what is tested)."""
    db.add(
        OfferReport(
            source="public",
            text="Hotel receptionist in Siem Reap, $250. Call 017 111 222",
            language="en",
            risk="high",
            score=0.9,
            flags=[],
            status="new",
            identifiers=[OfferIdentifier(kind="phone", value="017 111 222", digest=digest)],
        )
    )
    db.flush()


def test_offer_analyst_list_does_not_reveal_registry_holders_outside_scope(db, make_actor):
    officer2 = make_actor("provincial_officer", province="KH-2", username="officer-b")
    person = make_person(db, "Kosal", "Broker", actor=officer2, owner_province="KH-2")
    attach(db, make_case(db, "KH-2"), person, "broker")
    held = identifiers.add(
        db, actor=officer2, id_type="phone", value="017 111 222", person_id=person.id
    )
    _reported_offer(db, held.digest)
    outsider = make_actor("provincial_officer", province="KH-18", username="officer-c")
    (group,) = offers.groups(db, actor=outsider)
    assert group.in_registry == set()
    (inside,) = offers.groups(db, actor=officer2)
    assert inside.in_registry == {held.digest}


# --- identifiers recorded on a case (the broker's handle) -----------------------------------


def test_ngo_worker_sees_no_case_identifier_and_finds_no_case_through_one(
    client, db, worker, ngo, make_actor
):
    officer = make_actor("provincial_officer", province="KH-12", username="officer-kh12")
    case = make_case(db, "KH-12")
    refer(db, case, ngo, status="accepted")
    identifiers.add(
        db,
        actor=officer,
        id_type="social_handle",
        value="@broker_kh",
        platform="telegram",
        case_id=case.id,
    )
    assert identifiers.for_case(db, actor=worker, case_id=case.id, include_participants=True) == []
    assert identifiers.search(db, actor=worker, value="@broker_kh").cases == []
    headers = api_headers(client, worker.username)
    listed = client.get(f"/api/v1/cases/{case.id}/identifiers", headers=headers)
    assert listed.status_code == 200 and listed.json() == []
    found = client.get("/api/v1/cases", params={"q": "@broker_kh"}, headers=headers)
    assert found.status_code == 200 and found.json()["items"] == []
    # the officer still sees and finds it
    assert len(identifiers.for_case(db, actor=officer, case_id=case.id)) == 1
    assert [c.id for c in identifiers.search(db, actor=officer, value="@broker_kh").cases] == [
        case.id
    ]
