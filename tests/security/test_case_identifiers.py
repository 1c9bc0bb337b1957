"""The case page's identifiers follow ``ctip.auth.holders.identifiers_shown`` on that case:
an NGO case worker sees those of the persons referred (pending or accepted) to their
organisation on this case only; a declined referral, a referral to another organisation or
a referral on another case shows nothing, nor does an identifier recorded on the case
itself. Every other role sees every participant's and the case's own."""

from __future__ import annotations

import pytest

from ctip.auth.scope import SYSTEM
from ctip.cases import detail
from ctip.identifiers import service as identifiers
from tests.persons.helpers import attach, make_case, make_person, refer

CASE_PHONE = "+85599000111"
# Each victim of the case and how (if at all) it is referred: (phone, case, organisation,
# status); "this"/"other" case, "mine"/"theirs" organisation.
VICTIMS = {
    "+85597000001": ("this", "mine", "accepted"),
    "+85597000002": ("this", "mine", "pending"),
    "+85597000003": ("this", "mine", "declined"),
    "+85597000004": ("this", "theirs", "accepted"),
    "+85597000005": ("other", "mine", "accepted"),
    "+85597000006": None,
}
NGO_SEES = ["+85597000001", "+85597000002"]


@pytest.fixture
def setting(db, make_org):  # type: ignore[no-untyped-def]
    """A case referred to the NGO (so its worker sees it), its victims as in ``VICTIMS``, a
    second visible case, and a phone recorded on the case itself."""
    mine = make_org("Hope Shelter", "NGO", is_agency=False)
    theirs = make_org("Other Shelter", "NGO", is_agency=False)
    case, other = make_case(db, "KH-12"), make_case(db, "KH-12")
    refer(db, case, mine)
    refer(db, other, mine)
    orgs, cases = {"mine": mine, "theirs": theirs}, {"this": case, "other": other}
    for phone, how in VICTIMS.items():
        victim = make_person(db, "Sokha", phone[-4:])
        attach(db, case, victim, "victim")
        identifiers.add(db, actor=SYSTEM, id_type="phone", value=phone, person_id=victim.id)
        if how is not None:
            on, org, status = how
            if on == "other":
                attach(db, other, victim, "victim")
            refer(db, cases[on], orgs[org], status=status).person_id = victim.id
    identifiers.add(db, actor=SYSTEM, id_type="phone", value=CASE_PHONE, case_id=case.id)
    db.flush()
    return case, mine


def _shown(db, actor, case):  # type: ignore[no-untyped-def]
    page = detail.detail(db, actor=actor, case_id=case.id)
    return sorted(str(i.normalised) for i in page.identifiers)


def test_ngo_worker_sees_the_identifiers_of_the_persons_referred_on_this_case(
    db, make_actor, setting
):
    case, mine = setting
    worker = make_actor("ngo_caseworker", org=mine, username="hope-worker")
    assert _shown(db, worker, case) == NGO_SEES


@pytest.mark.parametrize("role", ["secretariat", "admin", "provincial_officer"])
def test_other_roles_see_every_participants_and_the_cases_identifiers(
    db, make_actor, setting, role
):
    case, _ = setting
    reader = make_actor(role, province="KH-12", username=f"{role}-reader")
    assert _shown(db, reader, case) == sorted([*VICTIMS, CASE_PHONE])
