"""The idle timeout's "last seen" stamp in the session cookie is rewritten at most once a
minute (a tenth of the timeout), not on every page: the cookie is signed and sent again
only then, and a session in use still never idles out."""

from __future__ import annotations

import base64
import json
import time

import itsdangerous
from fastapi.testclient import TestClient

from ctip.auth import sessions as auth_sessions
from tests.conftest import login


def _cookie_data(client: TestClient) -> dict[str, object]:
    token = client.cookies.get("ctip_session")
    assert token is not None
    return _payload(token)


def _payload(token: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(base64.b64decode(token.rsplit(".", 2)[0]))
    return data


def _with(client: TestClient, secret: str, data: dict[str, object]) -> None:
    payload = base64.b64encode(json.dumps(data).encode())
    client.cookies.clear()
    client.cookies.set("ctip_session", itsdangerous.TimestampSigner(secret).sign(payload).decode())


def test_a_fresh_stamp_sends_no_new_cookie(client, make_user) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user().username)
    assert client.get("/cases").status_code == 200  # (the first page adds the CSRF secret)
    page = client.get("/cases")
    assert page.status_code == 200
    assert "ctip_session=" not in " ".join(page.headers.get_list("set-cookie"))


def test_an_old_stamp_is_renewed_and_the_session_lives_on(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user().username)
    data = _cookie_data(client)
    old = int(time.time()) - settings.session_idle_seconds + 30  # idle, not yet too long
    _with(client, settings.secret_key, {**data, auth_sessions.SEEN: old})
    page = client.get("/cases")
    assert page.status_code == 200
    (renewed,) = [c for c in page.headers.get_list("set-cookie") if c.startswith("ctip_session=")]
    seen = _payload(renewed.split(";")[0].removeprefix("ctip_session="))[auth_sessions.SEEN]
    assert int(str(seen)) >= int(time.time()) - 5
    assert client.get("/cases").status_code == 200
