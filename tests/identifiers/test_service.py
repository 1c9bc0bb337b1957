"""Identifiers service: kept-and-flagged values, search in any format, scope, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.identifiers.models import Identifier
from tests.persons.helpers import attach, make_case, make_person, refer

PHONE_FORMATS = ["+855 12 345 678", "012345678", "855-12-345-678"]


def test_add_normalises_and_indexes(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    ident = identifiers.add(
        db, actor=actor, id_type="phone", value="012 345 678", person_id=person.id
    )
    assert (ident.raw, ident.normalised, ident.valid, ident.problem) == (
        "012 345 678",
        "+85512345678",
        True,
        None,
    )
    assert ident.digest == identifiers.digest_of("phone", "+85512345678")


def test_unparseable_value_is_kept_flagged_and_findable(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    ident = identifiers.add(db, actor=actor, id_type="phone", value="12-34 5", person_id=person.id)
    assert (ident.raw, ident.normalised, ident.valid) == ("12-34 5", None, False)
    assert ident.problem == "not a valid phone number"
    hits = identifiers.search(db, actor=actor, value=" 12-34  5")
    assert [p.id for p in hits.persons] == [person.id]


@pytest.mark.parametrize("stored", PHONE_FORMATS)
def test_search_finds_the_same_phone_in_every_format(db, make_actor, stored):
    actor = make_actor("admin")
    person = make_person(db)
    case = make_case(db)
    attach(db, case, person, "victim")
    identifiers.add(db, actor=actor, id_type="phone", value=stored, person_id=person.id)
    for query in [*PHONE_FORMATS, "០១២ ៣៤៥ ៦៧៨", "(012) 345-678"]:
        hits = identifiers.search(db, actor=actor, value=query)
        assert [p.id for p in hits.persons] == [person.id]
        assert [(c.id, c.role, c.person_id) for c in hits.cases] == [(case.id, "victim", person.id)]


def test_identifier_on_the_case_itself(db, make_actor):
    actor = make_actor("admin")
    case = make_case(db)
    identifiers.add(
        db,
        actor=actor,
        id_type="social_handle",
        value="https://t.me/Broker_KH",
        case_id=case.id,
        platform="telegram",
    )
    hits = identifiers.search(db, actor=actor, value="@broker_kh")
    assert hits.persons == [] and [(c.id, c.role) for c in hits.cases] == [(case.id, None)]
    stored = identifiers.for_case(db, actor=actor, case_id=case.id)
    assert [(i.platform, i.normalised) for i in stored] == [("telegram", "broker_kh")]


def test_search_respects_province_scope(db, make_actor):
    kh1 = make_actor("provincial_officer", province="KH-1")
    kh2 = make_actor("provincial_officer", province="KH-2")
    person = make_person(db, actor=kh1)
    attach(db, make_case(db, "KH-1"), person, "victim")
    identifiers.add(db, actor=kh1, id_type="phone", value="012345678", person_id=person.id)
    assert identifiers.search(db, actor=kh2, value="012345678") == identifiers.IdentifierHits()
    with pytest.raises(NotFound):
        identifiers.for_person(db, actor=kh2, person_id=person.id)
    with pytest.raises(NotFound):
        identifiers.add(db, actor=kh2, id_type="phone", value="011", person_id=person.id)


def test_ngo_caseworker_does_not_get_suspects(db, make_actor, make_org):
    ngo = make_org("Shelter NGO", org_type="NGO")
    caseworker = make_actor("ngo_caseworker", org=ngo)
    admin = make_actor("admin")
    victim, suspect = make_person(db, given="Srey"), make_person(db, given="Broker")
    case = make_case(db)
    attach(db, case, victim, "victim")
    attach(db, case, suspect, "suspect")
    # the victim is referred: only a referred victim's identifiers are shown to the NGO
    refer(db, case, ngo).person_id = victim.id
    shared = "@shared_handle"
    for person in (victim, suspect):
        identifiers.add(db, actor=admin, id_type="social_handle", value=shared, person_id=person.id)
    suspect_phone = identifiers.add(
        db, actor=admin, id_type="phone", value="097 123 4567", person_id=suspect.id
    )
    hits = identifiers.search(db, actor=caseworker, value="shared_handle")
    assert [p.id for p in hits.persons] == [victim.id]
    assert [(c.id, c.role) for c in hits.cases] == [(case.id, "victim")]
    assert (
        identifiers.search(db, actor=caseworker, value=suspect_phone.raw)
        == identifiers.IdentifierHits()
    )
    ids = identifiers.for_case(db, actor=caseworker, case_id=case.id, include_participants=True)
    assert suspect_phone.id not in [i.id for i in ids] and len(ids) == 1


def test_case_ids_matching_direct_and_via_participants(db, make_actor, make_org):
    ngo = make_org("Shelter NGO", org_type="NGO")
    caseworker = make_actor("ngo_caseworker", org=ngo)
    admin = make_actor("admin")
    suspect = make_person(db)
    via_suspect, direct = make_case(db), make_case(db)
    attach(db, via_suspect, suspect, "suspect")
    identifiers.add(db, actor=admin, id_type="phone", value="012345678", person_id=suspect.id)
    identifiers.add(db, actor=admin, id_type="phone", value="+85512345678", case_id=direct.id)
    found = set(db.scalars(identifiers.case_ids_matching("855-12-345-678")))
    assert found == {via_suspect.id, direct.id}
    scoped = set(db.scalars(identifiers.case_ids_matching("012345678", actor=caseworker)))
    # A number recorded on a case itself is offender-side (issue 9 §0): the victim side
    # finds no case through it, nor through the suspect's.
    assert scoped == set()


def test_search_is_audited_without_the_value(db, make_actor):
    actor = make_actor("secretariat")
    identifiers.search(db, actor=actor, value="+855 12 345 678")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "identifier.search")).one()
    assert entry.actor_id == actor.id
    assert "345" not in (entry.changes or "") + (entry.detail or "")
    assert identifiers.digest_of("phone", "+85512345678") in (entry.changes or "")


def test_create_is_audited_without_the_value(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    ident = identifiers.add(
        db, actor=actor, id_type="email", value="x.y@example.com", person_id=person.id
    )
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "identifier.create")).one()
    assert entry.entity_id == ident.id
    assert "example" not in (entry.changes or "") + (entry.detail or "")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"id_type": "shoe", "value": "1"}, "type"),
        ({"id_type": "phone", "value": "  "}, "value"),
        ({"id_type": "phone", "value": "1", "platform": "myspace"}, "platform"),
        ({"id_type": "passport", "value": "N1234567", "issuing_country": "XX"}, "issuing_country"),
        ({"id_type": "phone", "value": "1", "person_id": None}, "person_id"),
    ],
)
def test_invalid_identifier_input_names_the_field(db, make_actor, kwargs, field):
    actor = make_actor("admin")
    person = make_person(db)
    with pytest.raises(ValidationFailed) as info:
        identifiers.add(db, actor=actor, **{"person_id": person.id, **kwargs})
    assert [e.field for e in info.value.errors] == [field]


def test_both_person_and_case_is_refused(db, make_actor):
    actor = make_actor("admin")
    with pytest.raises(ValidationFailed):
        identifiers.add(
            db,
            actor=actor,
            id_type="phone",
            value="012345678",
            person_id=make_person(db).id,
            case_id=make_case(db).id,
        )


def test_same_identifier_twice_on_one_person_is_a_conflict(db, make_actor):
    actor = make_actor("admin")
    person = make_person(db)
    identifiers.add(db, actor=actor, id_type="phone", value="012345678", person_id=person.id)
    with pytest.raises(Conflict):
        identifiers.add(
            db, actor=actor, id_type="phone", value="+855 12 345 678", person_id=person.id
        )
    assert len(identifiers.for_person(db, actor=actor, person_id=person.id)) == 1


def test_readers_cannot_add(db, make_actor):
    reader = make_actor("secretariat")
    person = make_person(db)
    with pytest.raises(PermissionDenied):
        identifiers.add(db, actor=reader, id_type="phone", value="012345678", person_id=person.id)
    assert db.scalar(select(Identifier.id).where(Identifier.person_id == person.id)) is None
