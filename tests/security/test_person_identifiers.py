"""The person page and the person's identifier list follow the case page's rule: an NGO case
worker sees the identifiers of the victims referred to their organisation (and of the persons
their organisation recorded), not every victim's passport and phone on a case referred to
them. The outsider opens the second, unreferred victim by id."""

from __future__ import annotations

import pytest

from ctip.auth.scope import SYSTEM
from ctip.cases import service as cases
from ctip.cases.schemas import CaseFilters
from ctip.identifiers import service as identifiers
from ctip.persons import service as persons
from tests.persons.helpers import attach, make_case, make_person, refer

REFERRED_PHONE, OTHER_PASSPORT, OWN_PHONE = "+85597111222", "N1234567", "+85597555666"


@pytest.fixture
def ngo(make_org):  # type: ignore[no-untyped-def]
    return make_org("Hope Shelter", "NGO", is_agency=False)


@pytest.fixture
def worker(make_actor, ngo):  # type: ignore[no-untyped-def]
    return make_actor("ngo_caseworker", org=ngo, username="hope-worker")


@pytest.fixture
def setting(db, ngo):  # type: ignore[no-untyped-def]
    """A case with two victims; one of them is referred to the NGO, the other is not."""
    case = make_case(db, "KH-12")
    referred, other = make_person(db, "Sokha", "Chea"), make_person(db, "Sreyneang", "Ouk")
    attach(db, case, referred, "victim")
    attach(db, case, other, "victim")
    referral = refer(db, case, ngo)
    referral.person_id = referred.id
    identifiers.add(db, actor=SYSTEM, id_type="phone", value=REFERRED_PHONE,
                    person_id=referred.id)  # fmt: skip
    identifiers.add(db, actor=SYSTEM, id_type="passport", value=OTHER_PASSPORT,
                    person_id=other.id)  # fmt: skip
    db.flush()
    return referred, other


def test_ngo_worker_does_not_get_an_unreferred_victims_identifiers(db, worker, setting):
    referred, other = setting
    page = persons.profile(db, actor=worker, person_id=other.id)
    assert page.identifiers == [] and page.roles  # the victim is shown, not her passport
    assert identifiers.for_person(db, actor=worker, person_id=other.id) == []
    mine = persons.profile(db, actor=worker, person_id=referred.id)
    assert [i.normalised for i in mine.identifiers] == [REFERRED_PHONE]


def test_ngo_worker_cannot_confirm_an_unreferred_victims_passport_by_search(db, worker, setting):
    referred, _ = setting
    hits = identifiers.search(db, actor=worker, value=OTHER_PASSPORT)
    assert hits.persons == [] and hits.cases == []
    found = identifiers.search(db, actor=worker, value=REFERRED_PHONE)
    assert [p.id for p in found.persons] == [referred.id]


def test_ngo_worker_cannot_find_the_case_by_an_unreferred_victims_passport(db, worker, setting):
    hidden, _ = cases.search(db, actor=worker, filters=CaseFilters(q=OTHER_PASSPORT))
    shown, _ = cases.search(db, actor=worker, filters=CaseFilters(q=REFERRED_PHONE))
    assert hidden == [] and len(shown) == 1


def test_ngo_worker_still_gets_the_identifiers_of_a_person_they_recorded(db, worker):
    own = make_person(db, "Dara", "Kim", actor=worker)
    identifiers.add(db, actor=worker, id_type="phone", value=OWN_PHONE, person_id=own.id)
    db.flush()
    page = persons.profile(db, actor=worker, person_id=own.id)
    assert [i.normalised for i in page.identifiers] == [OWN_PHONE]
    assert len(identifiers.for_person(db, actor=worker, person_id=own.id)) == 1


def test_the_secretariat_sees_both_victims_identifiers(db, make_actor, setting):
    national = make_actor("secretariat", username="sec")
    for person in setting:
        assert len(persons.profile(db, actor=national, person_id=person.id).identifiers) == 1
