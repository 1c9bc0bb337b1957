"""Security headers on every response (pages, API, errors, static files, 413s); HSTS in
production only; no inline script, event-handler attribute or javascript: URL in any template
(the CSP forbids them); X-Forwarded-For believed only from configured proxies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from ctip.web.proxy import is_trusted
from tests.conftest import api_headers, login

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ctip"


def _check(answer) -> None:  # type: ignore[no-untyped-def]
    csp = answer.headers["content-security-policy"]
    script = re.search(r"script-src ([^;]+)", csp)
    assert script is not None and "unsafe-inline" not in script.group(1)
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-frame-options"] == "DENY"


def test_every_kind_of_response_carries_the_headers(client, make_user, settings):
    user = make_user()
    answers = [
        client.get("/login"),
        client.get("/static/ctip.css"),
        client.get("/no-such-page"),
        client.get("/api/v1/me"),
        client.get("/api/v1/me", headers=api_headers(client, user.username)),
        client.post("/api/v1/offers/check", content=b" " * (settings.max_body_bytes + 1)),
        client.get("/", follow_redirects=False),
    ]
    login(client, user.username)
    answers.append(client.get("/"))
    for answer in answers:
        _check(answer)
        assert "strict-transport-security" not in answer.headers


def test_hsts_in_production(settings, sessions):
    from ctip.web.app import create_app

    settings.env = "production"
    settings.secret_key = "p" * 40
    application = create_app(settings)
    application.state.engine.dispose()
    application.state.sessions = application.state.write_sessions = sessions
    with TestClient(application, base_url="https://testserver") as client:
        answer = client.get("/login")
    assert answer.headers["strict-transport-security"].startswith(
        f"max-age={settings.hsts_seconds}"
    )
    _check(answer)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.glob("**/templates/**/*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_hold_no_inline_script(path):
    text = path.read_text(encoding="utf-8")
    inline = list(re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text))
    assert inline == [], "move inline scripts to a file under /static"
    assert not re.search(r"\son\w+\s*=", text), "event-handler attributes are inline script"
    assert "javascript:" not in text


# --- X-Forwarded-For -------------------------------------------------------------------------


def _seen_address(app, headers: dict[str, str]) -> str | None:  # type: ignore[no-untyped-def]
    from ctip.web.proxy import client_address

    @app.get("/whoami-for-test")
    def whoami(request: Request) -> dict[str, str | None]:
        return {"address": client_address(request)}

    with TestClient(app) as client:
        return client.get("/whoami-for-test", headers=headers).json()["address"]


def test_x_forwarded_for_is_ignored_by_default(app):
    assert _seen_address(app, {"X-Forwarded-For": "203.0.113.9"}) == "testclient"


def test_x_forwarded_for_is_believed_from_a_trusted_proxy(app, settings):
    settings.trusted_proxies = "testclient, 10.0.0.0/8"
    seen = _seen_address(app, {"X-Forwarded-For": "198.51.100.7, 203.0.113.9, 10.1.2.3"})
    assert seen == "203.0.113.9"  # the right-most hop that is not a trusted proxy


def test_forged_addresses_do_not_escape_the_offer_rate_limit(client, settings):
    settings.offer_checks_per_minute = 2
    answers = [
        client.post(
            "/api/v1/offers/check",
            json={},  # refused as invalid, but counted first (no model needed)
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(4)
    ]
    assert answers == [422, 422, 429, 429]


@pytest.mark.parametrize(
    "host, setting, trusted",
    [
        ("10.1.2.3", "10.0.0.0/8", True),
        ("10.1.2.3", "192.168.0.0/16", False),
        ("::1", "::1", True),
        ("127.0.0.1", "", False),
        ("proxy", "proxy", True),
        ("not-an-ip", "10.0.0.0/8", False),
    ],
)
def test_trusted_proxy_rules(host, setting, trusted):
    assert is_trusted(host, setting) is trusted


def test_a_route_may_allow_framing_by_ctip_itself(app):
    from starlette.responses import PlainTextResponse

    from ctip.web.hardening import SAME_ORIGIN_FRAMING

    @app.get("/panel-for-test")
    def panel() -> PlainTextResponse:
        return PlainTextResponse("panel", headers=SAME_ORIGIN_FRAMING)

    with TestClient(app) as client:
        answer = client.get("/panel-for-test")
    assert "frame-ancestors 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["x-content-type-options"] == "nosniff"
