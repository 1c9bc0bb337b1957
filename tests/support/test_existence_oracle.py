"""A service or task id outside the caller's scope answers exactly as a missing one."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ctip.auth.models import User
from ctip.support import service
from ctip.support.schemas import ServiceIn, TaskIn
from tests.conftest import api_headers, csrf_of, login

MISSING = 987_654
# Every page carries the CSRF secret under a fresh random pad (BREACH), so two pages never
# repeat it; the pad is the only part allowed to differ.
_MASKED_CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def _unpadded(html: str) -> str:
    return _MASKED_CSRF.sub('name="csrf_token" value=""', html)


@pytest.fixture
def records(db, world):
    where = {"case_id": world.case.id, "person_id": world.victim.id}
    made = service.add_service(
        db, actor=world.caseworker, data=ServiceIn(service_type="Health"), **where
    )
    task = service.add_task(
        db,
        actor=world.caseworker,
        data=TaskIn(title="call", due_on=date(2024, 3, 1)),
        **where,
    )
    db.flush()
    return made.id, task.id


def _outsiders(db, world):
    return [db.get(User, a.id).username for a in (world.outsider, world.other_province)]


def test_api_answers_alike_for_an_outsiders_id_and_a_missing_one(client, db, world, records):
    service_id, task_id = records
    for who in _outsiders(db, world):
        headers = api_headers(client, who)
        calls = [
            ("patch", "/api/v1/support/services/{}", {"status": "completed"}),
            ("post", "/api/v1/support/services/{}/followups", {"followed_on": "2024-03-05"}),
            ("post", "/api/v1/support/tasks/{}/done", None),
        ]
        for (method, url, body), real in zip(calls, (service_id, service_id, task_id), strict=True):
            send = getattr(client, method)
            seen = send(url.format(real), json=body, headers=headers)
            missing = send(url.format(MISSING), json=body, headers=headers)
            assert seen.status_code == missing.status_code == 404, (who, url)
            assert seen.json() == missing.json(), (who, url)


def test_pages_answer_alike_for_an_outsiders_id_and_a_missing_one(client, db, world, records):
    service_id, task_id = records
    for who in _outsiders(db, world):
        login(client, who)
        token = csrf_of(client.get("/support/tasks").text)
        forms = [
            ("/support/services/{}/followups", {"followed_on": "2024-03-05", "note": "x"}),
            ("/support/tasks/{}/done", {}),
        ]
        for (url, data), real in zip(forms, (service_id, task_id), strict=True):
            form = {"csrf_token": token, **data}
            seen = client.post(url.format(real), data=form, follow_redirects=False)
            missing = client.post(url.format(MISSING), data=form, follow_redirects=False)
            assert seen.status_code == missing.status_code == 404, (who, url)
            # the page echoes its own address (the language switch); nothing else may differ
            echoed = seen.text.replace(url.format(real), url.format(MISSING))
            assert _unpadded(echoed) == _unpadded(missing.text), (who, url)
