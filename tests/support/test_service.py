"""Support plans on real databases: a service with follow-ups, notes shared by consent, tasks
and the overdue list, reintegration steps on the timeline, scope and audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ctip.audit.models import AuditEntry
from ctip.cases.models import CaseEvent
from ctip.errors import NotFound, PermissionDenied, ValidationFailed
from ctip.support import service
from ctip.support.schemas import FollowUpIn, NoteIn, ServiceIn, ServiceUpdate, StepIn, TaskIn

TODAY = date(2024, 3, 10)


def _plan(db, world, actor):
    return service.plan(db, actor=actor, case_id=world.case.id, person_id=world.victim.id)


def test_a_service_with_a_follow_up(db, world):
    where = {"case_id": world.case.id, "person_id": world.victim.id}
    made = service.add_service(
        db,
        actor=world.caseworker,
        data=ServiceIn(
            service_type="Health", provider_org_id=world.ngo.id, start_on=date(2024, 3, 2)
        ),
        **where,
    )
    service.add_followup(
        db,
        actor=world.caseworker,
        service_id=made.id,
        data=FollowUpIn(followed_on=date(2024, 3, 9), note="clinic visit done"),
        today=TODAY,
    )
    service.update_service(
        db, actor=world.caseworker, service_id=made.id, data=ServiceUpdate(status="in_progress")
    )
    plan = _plan(db, world, world.officer)
    assert [(s.service_type, s.status, s.provider) for s in plan.services] == [
        ("Health", "in_progress", "Safe Haven Shelter")
    ]
    assert [f.note for f in plan.services[0].followups] == ["clinic visit done"]
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"support.service_add", "support.followup_add", "support.service_update"} <= actions
    assert "support.read" in actions


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"service_type": "Haircut"}, {"service_type"}),
        ({"service_type": "Legal", "status": "maybe"}, {"status"}),
        (
            {"service_type": "Legal", "start_on": date(2024, 3, 5), "end_on": date(2024, 3, 1)},
            {"end_on"},
        ),
    ],
)
def test_bad_services_are_refused_by_field(db, world, data, fields):
    with pytest.raises(ValidationFailed) as caught:
        service.add_service(
            db,
            actor=world.caseworker,
            case_id=world.case.id,
            person_id=world.victim.id,
            data=ServiceIn(**data),
        )
    assert {e.field for e in caught.value.errors} == fields


def test_notes_are_read_only_by_the_organisations_they_are_shared_with(db, world):
    where = {"case_id": world.case.id, "person_id": world.victim.id}
    service.add_note(db, actor=world.officer, data=NoteIn(body="afraid of the broker"), **where)
    private = service.add_note(
        db, actor=world.caseworker, data=NoteIn(body="family visit", shared_with=[]), **where
    )
    assert [n.body for n in _plan(db, world, world.caseworker).notes] == [
        "family visit",
        "afraid of the broker",
    ]
    assert [n.body for n in _plan(db, world, world.officer).notes] == ["afraid of the broker"]
    assert private.shared_with == []
    with pytest.raises(ValidationFailed) as caught:
        service.add_note(
            db,
            actor=world.officer,
            data=NoteIn(body="x", shared_with=[world.outsider.organisation_id]),
            **where,
        )
    assert caught.value.errors[0].field == "shared_with"


def test_tasks_and_the_overdue_list(db, world):
    where = {"case_id": world.case.id, "person_id": world.victim.id}
    late = service.add_task(
        db,
        actor=world.caseworker,
        data=TaskIn(title="call family", due_on=date(2024, 3, 5)),
        **where,
    )
    service.add_task(
        db,
        actor=world.caseworker,
        data=TaskIn(title="school place", due_on=date(2024, 4, 1)),
        **where,
    )
    overdue = service.tasks(db, actor=world.caseworker, overdue_only=True, today=TODAY)
    assert [t.title for t in overdue] == ["call family"] and overdue[0].overdue
    assert len(service.tasks(db, actor=world.officer, today=TODAY)) == 2
    assert service.tasks(db, actor=world.outsider, today=TODAY) == []
    assert service.tasks(db, actor=world.other_province, today=TODAY) == []
    service.complete_task(db, actor=world.caseworker, task_id=late.id, today=TODAY)
    assert service.tasks(db, actor=world.caseworker, overdue_only=True, today=TODAY) == []


def test_reintegration_steps_go_on_the_case_timeline(db, world):
    event = service.add_step(
        db,
        actor=world.caseworker,
        case_id=world.case.id,
        person_id=world.victim.id,
        data=StepIn(step="family_tracing", occurred_on=date(2024, 3, 4), description="aunt found"),
        today=TODAY,
    )
    assert db.get(CaseEvent, event.id).event_type == "family_tracing"
    assert [s.step for s in _plan(db, world, world.officer).steps] == ["family_tracing"]
    with pytest.raises(ValidationFailed):
        service.add_step(
            db,
            actor=world.caseworker,
            case_id=world.case.id,
            person_id=world.victim.id,
            data=StepIn(step="party", occurred_on=date(2099, 1, 1)),
            today=TODAY,
        )


def test_outsiders_learn_nothing(db, world, make_actor):
    for outsider in (world.outsider, world.other_province, make_actor("viewer")):
        with pytest.raises(NotFound):
            _plan(db, world, outsider)
    with pytest.raises(NotFound):  # referred: one victim, not the other
        service.plan(
            db, actor=world.caseworker, case_id=world.case.id, person_id=world.other_victim.id
        )
    with pytest.raises(PermissionDenied):
        service.add_task(
            db,
            actor=make_actor("secretariat"),
            case_id=world.case.id,
            person_id=world.victim.id,
            data=TaskIn(title="x", due_on=TODAY),
        )
