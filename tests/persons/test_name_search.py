"""Finding a person by any part of their name, in any order, Latin or Khmer script, through
blind indexes only; and the persons list with its filters."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ctip.persons import service as persons
from ctip.persons.names import name_keys, query_terms
from tests.conftest import login
from tests.persons.helpers import attach, make_case, make_person


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Sokha Chea", True),
        ("Chea Sokha", True),
        ("sokha", True),
        ("Sok", True),  # the start of a name
        ("Che Sok", True),  # starts of both, other order
        ("ចា សុខា", True),
        ("សុខា ចា", True),  # Khmer in the other order
        ("សុខ", True),
        ("So", False),  # too short to be indexed
        ("Sokha Dara", False),  # every word must match
        ("okha", False),  # not the start of a name
    ],
)
def test_any_part_of_a_name_in_any_order(db, query, found):
    person = make_person(db, given="Sokha", family="Chea", name_km="ចា សុខា")
    other = make_person(db, given="Dara", family="Kim")
    hits = set(db.scalars(persons.matching_name_ids(query)))
    assert (person.id in hits) is found and other.id not in hits


def test_prefix_keys_are_indexed_and_queried_pure():
    keys = name_keys("Sokha", None)
    assert ("prefix", "sok") in keys and ("prefix", "sokh") in keys
    assert ("prefix", "so") not in keys and ("prefix", "sokha") not in keys
    assert query_terms("Chea  SOK") == [
        [("token", "chea"), ("prefix", "chea")],
        [("token", "sok"), ("prefix", "sok")],
    ]


def test_the_persons_list_filters_by_name_sex_nationality_and_role(client, db, make_user):
    officer = make_user("provincial_officer", province="KH-1")
    case = make_case(db, "KH-1")
    victim = make_person(db, given="Srey", family="Mom", gender="Feminine", nationalities=["KH"])
    suspect = make_person(db, given="Wei", family="Zhang", gender="Masculine", nationalities=["CN"])
    attach(db, case, victim, "victim")
    attach(db, case, suspect, "suspect")
    login(client, officer.username)

    def listed(**params):
        page = client.get("/persons", params=params)
        assert page.status_code == 200, page.text
        rows = BeautifulSoup(page.text, "html.parser").select("#person-results tr[data-person]")
        return {int(r["data-person"]) for r in rows}

    assert listed() == {victim.id, suspect.id}
    assert listed(q="mom sre") == {victim.id}
    assert listed(gender="Masculine") == {suspect.id}
    assert listed(nationality="CN") == {suspect.id}
    assert listed(role="victim") == {victim.id}
    bad = client.get("/persons", params={"role": "hero"})
    assert bad.status_code == 422
    outsider = make_user("provincial_officer", province="KH-2")
    client.cookies.clear()
    login(client, outsider.username)
    assert listed() == set()
