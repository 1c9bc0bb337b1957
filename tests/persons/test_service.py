"""Persons service: rules, blind-indexed name search, scope, versions and audit."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.cases.models import CaseShare
from ctip.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from ctip.persons import service as persons
from ctip.persons.models import PersonNameKey
from ctip.persons.names import name_keys
from ctip.persons.schemas import PersonIn, PersonUpdate
from tests.persons.helpers import attach, make_case, make_person, refer

TOMORROW = date.today() + timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"given_name": "Dara", "date_of_birth": TOMORROW}, "date_of_birth", "in the future"),
        ({"given_name": "Dara", "date_of_birth": date(1850, 1, 1)}, "date_of_birth", "years ago"),
        ({"given_name": "Dara", "nationalities": ["KH", "QQ"]}, "nationalities", "QQ"),
        ({"given_name": "Dara", "estimated_age": 150}, "estimated_age", "between 0 and 120"),
        ({"given_name": "Dara", "estimated_age": -1}, "estimated_age", "between 0 and 120"),
        ({"given_name": "Dara", "gender": "Robot"}, "gender", "unknown gender"),
        ({"notes": "no name at all"}, "given_name", "at least one name"),
    ],
)
def test_invalid_person_is_refused_naming_the_field(db, make_actor, fields, field, message):
    actor = make_actor("provincial_officer", province="KH-1")
    with pytest.raises(ValidationFailed) as info:
        persons.create(db, actor=actor, data=PersonIn.model_validate(fields))
    assert [e.field for e in info.value.errors] == [field]
    assert message in info.value.errors[0].message


@pytest.mark.parametrize(
    ("sex", "gender"),
    [
        ("F", "Feminine"),
        ("m", "Masculine"),
        ("female", "Feminine"),
        ("Male", "Masculine"),
        ("Feminine", "Feminine"),
        ("", "NonSpecifiedUnknown"),
        (None, "NonSpecifiedUnknown"),
    ],
)
def test_sex_key_maps_to_htcds_gender(db, sex, gender):
    person = make_person(db, sex=sex)
    assert person.gender == gender


def test_create_sets_owner_and_audits(db, make_actor):
    actor = make_actor("provincial_officer", province="KH-3")
    person = make_person(
        db,
        actor=actor,
        nationalities=["kh", "TH"],
        aliases=["Ah Kha"],
        name_km="សុខា ជា",
        estimated_age=30,
    )
    assert (person.owner_province, person.created_by_id) == ("KH-3", actor.id)
    assert person.nationalities == ["KH", "TH"]
    assert persons.split_aliases(person.aliases) == ["Ah Kha"]
    assert person.age_estimated_on == date.today() and persons.age_of(person) == 30
    entry = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.create", AuditEntry.entity_id == person.id
        )
    ).one()
    assert '"given_name": "Sokha"' in (entry.changes or "")


@pytest.mark.parametrize(
    "query",
    ["Sokha Chea", "chea sokha", "SOKHA", "Chea", "សុខា", "ជា សុខា", "Ah Kha", "  sokha,  chea "],
)
def test_name_search_finds_every_indexed_form(db, make_actor, query):
    actor = make_actor("admin")
    person = make_person(db, name_km="ជា សុខា", aliases=["Ah Kha"])
    assert person in persons.search(db, actor=actor, query=query)


def test_name_search_misses_other_names_and_is_scoped(db, make_actor):
    mine = make_actor("provincial_officer", province="KH-1")
    other = make_actor("provincial_officer", province="KH-2")
    person = make_person(db, actor=mine)
    assert persons.search(db, actor=mine, query="Sokha Chea") == [person]
    assert persons.search(db, actor=mine, query="Sokha Dara") == []
    assert persons.search(db, actor=other, query="Sokha Chea") == []


def test_matching_name_ids_is_unscoped_for_other_services(db, make_actor):
    kh1 = make_actor("provincial_officer", province="KH-1")
    person = make_person(db, actor=kh1, given="Rith", family="Kong")
    assert list(db.scalars(persons.matching_name_ids("kong rith"))) == [person.id]
    assert list(db.scalars(persons.matching_name_ids(""))) == []


def test_name_keys_hold_no_plaintext(db, test_keyring):
    person = make_person(db, given="Vannak", family="Sok")
    digests = set(
        db.scalars(select(PersonNameKey.digest).where(PersonNameKey.person_id == person.id))
    )
    forms = name_keys("Vannak", "Sok")
    assert digests == {test_keyring.blind_index("name:" + kind, form) for kind, form in forms}
    unkeyed = {form for _, form in forms}
    unkeyed |= {hashlib.sha256(form.encode()).hexdigest()[:40] for form in unkeyed}
    assert not digests & unkeyed  # keyed HMACs: neither the names nor their plain hashes


def test_get_outside_scope_is_not_found(db, make_actor):
    kh1 = make_actor("provincial_officer", province="KH-1")
    kh2 = make_actor("provincial_officer", province="KH-2")
    person = make_person(db, actor=kh1)
    attach(db, make_case(db, "KH-1"), person, "victim")
    assert persons.get(db, actor=kh1, person_id=person.id) is person
    with pytest.raises(NotFound):
        persons.get(db, actor=kh2, person_id=person.id)


def test_every_read_is_audited(db, make_actor):
    actor = make_actor("secretariat")
    person = make_person(db)
    persons.get(db, actor=actor, person_id=person.id)
    persons.get(db, actor=actor, person_id=person.id)
    reads = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.read", AuditEntry.entity_id == person.id
        )
    ).all()
    assert [(e.actor_id, e.entity_type) for e in reads] == [(actor.id, "person")] * 2


def test_update_changes_names_and_keys_and_audits_before_after(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    persons.update(
        db,
        actor=actor,
        person_id=person.id,
        data=PersonUpdate(version=person.version, given_name="Bopha"),
    )
    assert person.given_name == "Bopha" and person.family_name == "Chea"
    assert persons.search(db, actor=actor, query="Bopha Chea") == [person]
    assert persons.search(db, actor=actor, query="Sokha Chea") == []
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "person.update")).one()
    assert '"before": {' in (entry.changes or "") and "Bopha" in (entry.changes or "")


def test_stale_version_changes_nothing(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    old = person.version
    persons.update(
        db, actor=actor, person_id=person.id, data=PersonUpdate(version=old, notes="first")
    )
    with pytest.raises(StaleVersion):
        persons.update(
            db, actor=actor, person_id=person.id, data=PersonUpdate(version=old, notes="second")
        )
    assert person.notes == "first" and person.version == old + 1


def test_update_keeps_rules(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    with pytest.raises(ValidationFailed) as info:
        persons.update(
            db,
            actor=actor,
            person_id=person.id,
            data=PersonUpdate(version=person.version, date_of_birth=TOMORROW),
        )
    assert info.value.errors[0].field == "date_of_birth" and person.date_of_birth is None


@pytest.mark.parametrize("role", ["viewer", "secretariat"])
def test_readers_cannot_record_persons(db, make_actor, role):
    with pytest.raises(PermissionDenied):
        make_person(db, actor=make_actor(role))


def test_roles_of_lists_each_visible_case_and_role(db, make_actor, make_org):
    ngo = make_org("Shelter NGO", org_type="NGO")
    caseworker = make_actor("ngo_caseworker", org=ngo)
    admin = make_actor("admin")
    person = make_person(db)
    victim_case, suspect_case = make_case(db, "KH-1"), make_case(db, "KH-2")
    attach(db, victim_case, person, "victim")
    attach(db, suspect_case, person, "suspect")
    refer(db, victim_case, ngo)
    refer(db, suspect_case, ngo)
    roles = persons.roles_of(db, actor=admin, person_id=person.id)
    assert sorted((c.id, r.role) for c, r in roles) == [
        (victim_case.id, "victim"),
        (suspect_case.id, "suspect"),
    ]
    assert [
        (c.id, r.role) for c, r in persons.roles_of(db, actor=caseworker, person_id=person.id)
    ] == [(victim_case.id, "victim")]


def test_ngo_caseworker_cannot_open_a_suspect(db, make_actor, make_org):
    ngo = make_org("Shelter NGO", org_type="NGO")
    caseworker = make_actor("ngo_caseworker", org=ngo)
    suspect = make_person(db, given="Broker", family="Man")
    case = make_case(db)
    attach(db, case, suspect, "suspect")
    refer(db, case, ngo)
    with pytest.raises(NotFound):
        persons.get(db, actor=caseworker, person_id=suspect.id)


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2000, 6, 15), date(2024, 6, 14), 23),
        (date(2000, 6, 15), date(2024, 6, 15), 24),
        (date(2024, 1, 1), date(2024, 1, 1), 0),
    ],
)
def test_age_from_date_of_birth(db, born, today, age):
    person = make_person(db, date_of_birth=born)
    assert persons.age_of(person, today) == age


def test_an_age_estimate_keeps_its_date_when_saved_again(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db, estimated_age=30)
    person.age_estimated_on = date(2020, 1, 1)
    db.flush()
    persons.update(
        db,
        actor=actor,
        person_id=person.id,
        data=PersonUpdate(version=person.version, estimated_age=30, notes="n"),
    )
    assert person.age_estimated_on == date(2020, 1, 1)
    assert persons.age_of(person, date(2024, 6, 1)) == 34
    persons.update(
        db,
        actor=actor,
        person_id=person.id,
        data=PersonUpdate(version=person.version, estimated_age=31),
    )
    assert person.age_estimated_on == date.today()


def test_investigator_sees_persons_on_own_and_shared_cases_only(db, make_actor, make_org):
    police, other = make_org("Police AHT"), make_org("Border police")
    investigator = make_actor("investigator", org=police)
    own, shared, foreign = (
        make_case(db, "KH-1", org=police),
        make_case(db, "KH-2", org=other),
        make_case(db, "KH-3", org=other),
    )
    db.add(CaseShare(case_id=shared.id, organisation_id=police.id))
    people = [make_person(db, given=name) for name in ("Own", "Shared", "Foreign")]
    for case, person in zip((own, shared, foreign), people, strict=True):
        attach(db, case, person, "suspect")
    seen = persons.search(db, actor=investigator, query="Chea")
    assert sorted(p.given_name for p in seen) == ["Own", "Shared"]
    with pytest.raises(NotFound):
        persons.get(db, actor=investigator, person_id=people[2].id)
