"""Log-in throttling and lock-out per account and per address; unknown usernames answered
and timed like real ones; unlock by an administrator on the page, the API and the CLI."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.auth import service, throttle
from ctip.auth.models import LoginFailure
from ctip.auth.throttle import LoginThrottled
from ctip.db.base import utcnow
from ctip.security import set_password_hasher
from tests.conftest import TEST_PASSWORD, api_headers, csrf_of, login


def _try(client, username: str, password: str = "wrong-password"):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def _lock(client, username: str, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.login_max_failures_account):
        assert _try(client, username).status_code == 401


def test_account_is_locked_after_repeated_failures(client, make_user, settings, db):
    user = make_user()
    _lock(client, user.username, settings)
    locked = _try(client, user.username, TEST_PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= settings.login_window_seconds
    api = client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": TEST_PASSWORD}
    )
    assert api.status_code == 429 and "retry-after" in api.headers
    assert db.scalar(select(func.count()).where(AuditEntry.action == "auth.locked")) == 2


def test_unknown_usernames_get_the_same_answers(client, make_user, settings):
    user = make_user()
    known, unknown = _try(client, user.username), _try(client, "nobody-here")
    assert known.status_code == unknown.status_code == 401
    assert (
        "Wrong username or password" in known.text and "Wrong username or password" in unknown.text
    )
    for _ in range(settings.login_max_failures_account - 1):
        _try(client, user.username)
        _try(client, "nobody-here")
    assert _try(client, user.username).status_code == _try(client, "nobody-here").status_code
    assert _try(client, "nobody-here").status_code == 429


def test_address_is_locked_after_failures_across_usernames(client, settings):
    settings.login_max_failures_address = 3
    for n in range(3):
        assert _try(client, f"guess-{n}").status_code == 401
    assert _try(client, "guess-99").status_code == 429


def test_lock_lifts_when_the_window_passes(db, make_user):
    user = make_user()
    limits = throttle.Limits(account=2, address=50, window_seconds=60)
    old = utcnow()
    for _ in range(2):
        throttle.note_failure(db, username=user.username, address="10.0.0.1", now=old)
    db.flush()
    assert (
        throttle.seconds_locked(
            db, username=user.username, address="10.0.0.1", limits=limits, now=old
        )
        == 60
    )
    later = old + timedelta(seconds=61)
    assert (
        throttle.seconds_locked(db, username=user.username, address=None, limits=limits, now=later)
        == 0
    )
    with pytest.raises(LoginThrottled):
        service.authenticate(
            db, username=user.username, password=TEST_PASSWORD, address="x", limits=limits
        )


def test_failures_are_kept_as_digests_only(client, db):
    _try(client, "Secret.Username")
    keys = db.scalars(select(LoginFailure.key)).all()
    assert keys and all("Secret" not in k and "testclient" not in k for k in keys)


def test_admin_unlocks_on_the_users_page(client, make_user, settings, db):
    user, admin = make_user(), make_user("admin")
    _lock(client, user.username, settings)
    assert _try(client, user.username, TEST_PASSWORD).status_code == 429
    client.cookies.clear()
    settings.login_max_failures_address = 10_000  # the address has failures too
    login(client, admin.username)
    page = client.get("/users")
    assert f'data-unlock="{user.id}"' in page.text
    answer = client.post(f"/users/{user.id}/unlock", data={"csrf_token": csrf_of(page.text)})
    assert answer.status_code == 200
    client.cookies.clear()
    assert _try(client, user.username, TEST_PASSWORD).status_code == 303
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "auth.unlock"))


def test_admin_unlocks_by_api_and_only_admins_may(client, make_user, settings):
    user, admin, officer = make_user(), make_user("admin"), make_user()
    _lock(client, user.username, settings)
    settings.login_max_failures_address = 10_000
    refused = client.post(
        f"/api/v1/users/{user.id}/unlock", headers=api_headers(client, officer.username)
    )
    assert refused.status_code == 403
    done = client.post(
        f"/api/v1/users/{user.id}/unlock", headers=api_headers(client, admin.username)
    )
    assert done.status_code == 200
    assert _try(client, user.username, TEST_PASSWORD).status_code == 303


def _median_login_seconds(client, username: str, n: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        client.post("/api/v1/auth/token", data={"username": username, "password": "wrong-pass"})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_unknown_username_costs_as_much_time_as_a_wrong_password(client, make_user, settings):
    """With a real-cost Argon2 the two take comparable time (before the fix an unknown name
    skipped Argon2 and answered many times faster)."""
    settings.login_max_failures_account = settings.login_max_failures_address = 10_000
    user = make_user()
    set_password_hasher(PasswordHasher(time_cost=2, memory_cost=32768, parallelism=1))
    try:
        from ctip.auth.models import User
        from ctip.security import hash_password

        # Re-hash the user's password with the costly parameters.
        with client.app.state.write_sessions() as session, session.begin():
            row = session.get(User, user.id)
            row.password_hash = hash_password(TEST_PASSWORD)
        _median_login_seconds(client, "warm-up", 1)
        known = _median_login_seconds(client, user.username)
        unknown = _median_login_seconds(client, "no-such-user")
    finally:
        set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    assert 0.5 < unknown / known < 2.0, (known, unknown)
