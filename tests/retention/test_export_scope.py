"""The person export reads each table by its own service's rule: partially scoped readers
(an investigator of the reporting agency, an NGO case worker) get only what those rules let
them read; the secretariat gets everything it may read."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.auth.service import actor_for
from ctip.cases.models import CasePerson
from ctip.retention import service
from ctip.screening.models import NonPunishmentFlag
from ctip.support import service as support
from ctip.support.schemas import NoteIn, ServiceIn
from tests.support.conftest import World, world  # noqa: F401  (the fixture)

TODAY = date(2024, 3, 1)


@pytest.fixture
def scene(db, world: World, make_user):  # noqa: F811
    on_case = {"case_id": world.case.id}
    support.add_note(
        db,
        actor=world.caseworker,
        data=NoteIn(body="family visit, unshared", shared_with=[]),
        person_id=world.victim.id,
        **on_case,
    )
    support.add_service(
        db,
        actor=world.officer,
        data=ServiceIn(service_type="Health"),
        person_id=world.other_victim.id,
        **on_case,
    )
    db.add(CasePerson(case_id=world.case.id, person_id=world.victim.id, role="broker"))
    for person in (world.victim, world.other_victim):
        db.add(
            NonPunishmentFlag(
                person_id=person.id,
                status="open",
                victim_case_ids=[str(world.case.id)],
                suspect_case_ids=[str(world.case.id)],
                raised_on=TODAY,
                decision_reason="kept from the case workers",
            )
        )
    db.flush()
    police = world.case.reporting_org
    assert police is not None
    investigator = actor_for(make_user("investigator", province="KH-12", org=police))
    secretariat = actor_for(make_user("secretariat"))
    return world, investigator, secretariat


def _export(db, actor, person_id):
    return service.export_person(db, actor=actor, person_id=person_id)


def test_an_investigator_gets_neither_another_ngos_unshared_note_nor_the_flag(db, scene):
    w, investigator, _ = scene
    doc = _export(db, investigator, w.victim.id)
    assert doc["records"]["case_persons"]  # the person is in scope
    assert "case_notes" not in doc["records"]
    assert "non_punishment_flags" not in doc["records"]
    assert "kept from the case workers" not in str(doc)
    assert "family visit" not in str(doc)


def test_an_ngo_case_worker_gets_only_the_victim_side_of_those_referred_to_them(db, scene):
    w, _, _ = scene
    doc = _export(db, w.caseworker, w.victim.id)
    roles = {r["role"] for r in doc["records"]["case_persons"]}
    assert roles == {"victim"}
    assert "non_punishment_flags" not in doc["records"]
    assert [n["body"] for n in doc["records"]["case_notes"]] == ["family visit, unshared"]
    other = _export(db, w.caseworker, w.other_victim.id)
    for table in ("support_services", "support_tasks", "case_notes", "non_punishment_flags"):
        assert table not in other["records"]
    assert "import_sources" in other["not_included"]


def test_the_secretariat_still_gets_them(db, scene):
    w, _, secretariat = scene
    doc = _export(db, secretariat, w.victim.id)
    assert {r["role"] for r in doc["records"]["case_persons"]} == {"victim", "broker"}
    assert doc["records"]["non_punishment_flags"][0]["decision_reason"] == (
        "kept from the case workers"
    )
    assert [c["id"] for c in doc["cases"]] == [w.case.id]
    other = _export(db, secretariat, w.other_victim.id)
    assert [s["service_type"] for s in other["records"]["support_services"]] == ["Health"]
    assert "non_punishment_flags" in other["records"]
