"""Browsing the audit log (admins only, filters, decrypted changes) and its append-only rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from ctip.audit.models import AuditEntry
from ctip.audit.service import record
from ctip.auth.service import actor_for
from tests.conftest import api_headers, login


@pytest.fixture
def trail(db, make_user):
    """An admin, an officer, and a few entries with changes."""
    admin, officer = make_user("admin"), make_user("provincial_officer", username="officer-a")
    actor = actor_for(officer, "10.0.0.7")
    record(
        db,
        actor=actor,
        action="case.update",
        entity_type="case",
        entity_id=41,
        before={"title": "Old title"},
        after={"title": "New title"},
    )
    record(db, actor=actor, action="person.read", entity_type="person", entity_id=7)
    db.flush()
    return admin, officer


@pytest.mark.parametrize("role", ["secretariat", "provincial_officer", "viewer"])
def test_only_admins_browse(client, make_user, role):
    user = make_user(role)
    assert (
        client.get("/api/v1/audit", headers=api_headers(client, user.username)).status_code == 403
    )
    login(client, user.username)
    assert client.get("/audit").status_code == 403


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ("action=case.update", ["case.update"]),
        ("actor=officer-a", ["auth.login", "person.read", "case.update"]),
        ("entity_type=person&entity_id=7", ["person.read"]),
        ("entity_type=case&entity_id=7", []),
        (f"since={date.today().isoformat()}&action=case.update", ["case.update"]),
        (f"until={(date.today() - timedelta(days=1)).isoformat()}", []),
    ],
)
def test_api_filters(client, trail, query, actions):
    admin, officer = trail
    api_headers(client, officer.username)  # an auth.login by the officer
    headers = api_headers(client, admin.username)
    found = client.get(f"/api/v1/audit?{query}", headers=headers).json()
    assert [e["action"] for e in found["items"]] == actions
    assert found["total"] == len(actions)


def test_api_shows_decrypted_changes_and_the_browse_is_audited(client, trail, db):
    admin, _ = trail
    headers = api_headers(client, admin.username)
    entry = client.get("/api/v1/audit?action=case.update", headers=headers).json()["items"][0]
    assert entry["before"] == {"title": "Old title"} and entry["after"] == {"title": "New title"}
    assert entry["address"] == "10.0.0.7" and entry["actor"] == "officer-a"
    reads = db.query(AuditEntry).filter(AuditEntry.action == "audit.read").count()
    assert reads == 1


def test_bad_filters(client, trail):
    headers = api_headers(client, trail[0].username)
    assert client.get("/api/v1/audit?action=nonsense", headers=headers).status_code == 422
    assert client.get("/api/v1/audit?since=yesterday", headers=headers).status_code == 422


def test_page_filters_and_changes(client, trail):
    admin, _ = trail
    login(client, admin.username)
    page = BeautifulSoup(client.get("/audit?action=case.update").text, "html.parser")
    rows = page.select("#audit > tbody > tr[data-entry-id]")
    assert [r["data-action"] for r in rows] == ["case.update"]
    change = rows[0].select_one('tr[data-field="title"]')
    assert change.select_one(".before").text == "Old title"
    assert change.select_one(".after").text == "New title"
    options = [o["value"] for o in page.select("#f-action option") if o["value"]]
    assert "referral.respond" in options and "auth.login_failed" in options
    bad = client.get("/audit?since=31-12-2024")
    assert bad.status_code == 422
    assert BeautifulSoup(bad.text, "html.parser").select_one('[data-field="since"]') is not None


def test_paging(client, db, make_user):
    admin = make_user("admin")
    actor = actor_for(admin)
    for n in range(60):
        record(db, actor=actor, action="case.read", entity_type="case", entity_id=n)
    db.flush()
    headers = api_headers(client, admin.username)
    first = client.get("/api/v1/audit?action=case.read", headers=headers).json()
    second = client.get("/api/v1/audit?action=case.read&page=2", headers=headers).json()
    assert first["total"] == 60 and len(first["items"]) == 50 and len(second["items"]) == 10
    assert first["items"][0]["entity_id"] == 59 and second["items"][-1]["entity_id"] == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor_name = 'someone else'",
        "DELETE FROM audit_log",
    ],
)
def test_audit_log_is_append_only_in_the_database(connection, statement):
    connection.execute(
        text(
            "INSERT INTO audit_log (at, actor_name, action) "
            "VALUES (CURRENT_TIMESTAMP, 'x', 'auth.logout')"
        )
    )
    savepoint = connection.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text(statement))
    savepoint.rollback()
    assert (
        connection.execute(
            text("SELECT count(*) FROM audit_log WHERE actor_name = 'x'")
        ).scalar_one()
        == 1
    )
