"""Support plan pages and API through the in-process client."""

from __future__ import annotations

from bs4 import BeautifulSoup

from ctip.auth.models import User
from tests.conftest import api_headers, csrf_of, login


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def _username(db, actor) -> str:
    return db.get(User, actor.id).username


def test_a_case_worker_builds_a_plan_on_the_page(client, db, world):
    login(client, _username(db, world.caseworker))
    url = f"/support/cases/{world.case.id}/persons/{world.victim.id}"
    page = client.get(url)
    token = csrf_of(page.text)
    assert soup(page).select_one("#service-form") is not None
    added = client.post(
        f"{url}/service",
        data={"csrf_token": token, "service_type": "Legal", "status": "planned"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    plan = soup(client.get(url))
    row = plan.select_one("#plan-services tr[data-service='Legal']")
    assert row is not None and "Legal support" in row.get_text()
    service_id = row["id"].split("-")[1]
    follow = client.post(
        f"/support/services/{service_id}/followups",
        data={
            "csrf_token": token,
            "followed_on": "2024-03-05",
            "note": "met the lawyer",
            "case_id": str(world.case.id),
            "person_id": str(world.victim.id),
        },
        follow_redirects=False,
    )
    assert follow.status_code == 303
    assert "met the lawyer" in soup(client.get(url)).select_one("#plan-services").get_text()
    refused = client.post(f"{url}/task", data={"csrf_token": token, "title": "", "due_on": "x"})
    assert refused.status_code == 422
    fields = {
        p["data-field"]
        for p in BeautifulSoup(refused.text, "html.parser").select("#task-form p.field-error")
    }
    assert fields == {"title", "due_on"}


def test_the_case_page_links_victims_to_their_plan(client, db, world):
    login(client, _username(db, world.officer))
    page = soup(client.get(f"/cases/{world.case.id}"))
    link = page.select_one(f"tr[data-person-id='{world.victim.id}'] a.support-plan")
    assert link["href"] == f"/support/cases/{world.case.id}/persons/{world.victim.id}"


def test_api_plan_and_overdue_tasks(client, db, world):
    headers = api_headers(client, _username(db, world.caseworker))
    base = f"/api/v1/support/cases/{world.case.id}/persons/{world.victim.id}"
    made = client.post(
        f"{base}/tasks", json={"title": "travel papers", "due_on": "2020-01-01"}, headers=headers
    )
    assert made.status_code == 201
    overdue = client.get("/api/v1/support/tasks?overdue=true", headers=headers).json()
    assert [t["title"] for t in overdue] == ["travel papers"] and overdue[0]["overdue"]
    plan = client.get(base, headers=headers).json()
    assert plan["tasks"][0]["title"] == "travel papers"
    outsider = api_headers(client, _username(db, world.outsider))
    assert client.get(base, headers=outsider).status_code == 404
    assert client.get("/api/v1/support/tasks", headers=outsider).json() == []


def test_the_overdue_page(client, db, world):
    login(client, _username(db, world.caseworker))
    url = f"/support/cases/{world.case.id}/persons/{world.victim.id}"
    token = csrf_of(client.get(url).text)
    client.post(f"{url}/task", data={"csrf_token": token, "title": "call", "due_on": "2020-01-01"})
    page = soup(client.get("/support/tasks?overdue=1"))
    assert page.select_one("#tasks tr.overdue a").get_text() == "call"
