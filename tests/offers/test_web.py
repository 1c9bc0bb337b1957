"""The public checker page and API, and the analysts' page, through the app."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from ctip.offers.models import OfferReport
from ctip.offers.views import CHECKS_PER_MINUTE, RateLimiter
from tests.conftest import api_headers, csrf_of, login

SCAM = (
    "ជ្រើសរើសបុគ្គលិកសេវាអតិថិជន ប្រាក់ខែ ១៥០០ ដុល្លារ មិនត្រូវការបទពិសោធន៍ "
    "ធ្វើការនៅក្រុងព្រះសីហនុ សំបុត្រយន្តហោះឥតគិតថ្លៃ ទាក់ទងតេឡេក្រាម @job_kh1"
)

pytestmark = pytest.mark.usefixtures("with_model")


def test_api_check(client) -> None:
    response = client.post("/api/v1/offers/check", json={"text": SCAM})
    assert response.status_code == 200
    body = response.json()
    assert (body["risk"], body["language"], body["answer_language"]) == ("high", "km", "km")
    assert 0.8 <= body["score"] <= 1  # Khmer scores carry their language offset
    codes = {f["code"] for f in body["flags"]}
    assert {"C1", "C2", "C3", "C4", "C5", "C6"} <= codes
    assert all(q in SCAM for f in body["flags"] for q in f["evidence"])
    assert body["identifiers"] == [{"kind": "telegram", "value": "job_kh1", "text": "@job_kh1"}]
    assert body["advice"] and "1288" in body["advice"][-1]


LEGIT = (
    "Angkor Star Garment Co., Ltd. (No. 12, Street 271, Phnom Penh) is hiring sewing "
    "operators. Salary $210/month plus NSSF, written contract. Apply at hr@angkorstar.com.kh."
)


@pytest.mark.parametrize(
    ("lang", "hotline"),
    [("km", "1288"), ("en", "1288"), ("th", "1300"), ("vi", "111"), ("zh", "110")],
)
def test_api_none_found_keeps_old_clients_working(client, lang, hotline) -> None:
    body = client.post("/api/v1/offers/check", json={"text": LEGIT, "lang": lang}).json()
    assert (body["risk"], body["legacy_risk"]) == ("none_found", "low")
    assert len(body["checklist"]) == 5 and hotline in body["hotlines"]
    assert hotline in body["checklist"][-1]


def test_api_schema_documents_the_new_and_deprecated_risk(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CheckOut"]
    assert "none_found" in schema["properties"]["risk"]["enum"]
    assert schema["properties"]["legacy_risk"]["deprecated"] is True


def test_page_without_signs_shows_the_checklist_not_reassurance(client) -> None:
    token = csrf_of(client.get("/check?lang=en").text)
    response = client.post("/check", data={"text": LEGIT, "lang": "en", "csrf_token": token})
    html = BeautifulSoup(response.text, "html.parser")
    assert html.select_one("#result")["data-risk"] == "none_found"
    assert "does not mean this offer is safe" in html.select_one("#summary").text
    assert len(html.select("#checklist li")) == 5
    assert "1288" in html.select_one("#hotlines").text


def test_api_answers_in_the_requested_language(client) -> None:
    body = client.post("/api/v1/offers/check", json={"text": SCAM, "lang": "vi"}).json()
    assert body["answer_language"] == "vi"
    assert any(f["label"] == "Bên tuyển trả vé hoặc lo visa" for f in body["flags"])


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"text": "x" * 10_001}, 422),
        ({"text": SCAM, "lang": "fr"}, 422),
        ({}, 422),
        ({"text": 5}, 422),
    ],
)
def test_api_refuses_bad_input(client, payload, status) -> None:
    assert client.post("/api/v1/offers/check", json=payload).status_code == status


def test_api_refuses_an_oversized_body(client) -> None:
    response = client.post(
        "/api/v1/offers/check",
        content=b'{"text": "' + b"a" * 200_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def test_api_is_rate_limited_per_address(client) -> None:
    statuses = [
        client.post("/api/v1/offers/check", json={"text": "hello"}).status_code
        for _ in range(CHECKS_PER_MINUTE + 1)
    ]
    assert statuses[:-1] == [200] * CHECKS_PER_MINUTE and statuses[-1] == 429


def test_page_over_the_rate_limit_answers_in_the_visitors_language(client) -> None:
    token = csrf_of(client.get("/check").text)
    for _ in range(CHECKS_PER_MINUTE):
        client.post("/api/v1/offers/check", json={"text": "hello"})
    response = client.post("/check", data={"text": "hello", "csrf_token": token, "lang": "km"})
    assert response.status_code == 429
    alert = BeautifulSoup(response.text, "html.parser").select_one("#form-errors")
    assert alert is not None and "សូមរង់ចាំមួយនាទី" in alert.get_text()


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(2, window=60)
    assert [limiter.allow("a", t) for t in (0, 1, 2)] == [True, True, False]
    assert limiter.allow("b", 2) and limiter.allow("a", 61)


def test_page_is_khmer_by_default_and_offers_five_languages(client) -> None:
    html = BeautifulSoup(client.get("/check").text, "html.parser")
    assert html.html["lang"] == "km"
    langs = [a["data-lang"] for a in html.select("#offer-languages a")]
    assert langs == ["km", "en", "th", "vi", "zh"]
    assert html.select_one("#check-form textarea[name=text]") is not None


def test_page_in_another_language(client) -> None:
    html = BeautifulSoup(client.get("/check?lang=th").text, "html.parser")
    assert html.html["lang"] == "th"
    assert html.select_one("h1").text == "ตรวจสอบข้อเสนองาน"


def test_page_check_quotes_evidence_and_stores_nothing(client, db) -> None:
    token = csrf_of(client.get("/check").text)
    response = client.post("/check", data={"text": SCAM, "lang": "km", "csrf_token": token})
    html = BeautifulSoup(response.text, "html.parser")
    assert html.select_one("#result")["data-risk"] == "high"
    quotes = [q.text for q in html.select("#flags q.evidence")]
    assert "ក្រុងព្រះសីហនុ" in quotes
    assert db.scalars(select(OfferReport)).all() == []


def test_page_report_becomes_a_tip(client, db) -> None:
    token = csrf_of(client.get("/check?lang=en").text)
    response = client.post(
        "/check",
        data={
            "text": SCAM,
            "lang": "en",
            "csrf_token": token,
            "contact": "012 999 888",
            "report": "1",
        },
    )
    assert BeautifulSoup(response.text, "html.parser").select_one("#reported") is not None
    (offer,) = db.scalars(select(OfferReport)).all()
    assert {i.value for i in offer.identifiers} == {"job_kh1", "+85512999888"}


def test_page_refuses_an_empty_offer(client) -> None:
    token = csrf_of(client.get("/check").text)
    response = client.post("/check", data={"text": "  ", "csrf_token": token})
    assert response.status_code == 422


def test_analyst_page_needs_log_in_and_groups_offers(client, make_user) -> None:
    assert client.get("/offers", follow_redirects=False).status_code in (302, 303, 401)
    token = csrf_of(client.get("/check").text)
    for text in ("Typing job in Poipet, $2000, free visa", "Easy job in Bavet, $1800"):
        client.post(
            "/check",
            data={"text": text, "csrf_token": token, "report": "1", "contact": "@group_test_77"},
        )
    user = make_user("secretariat")
    login(client, user.username)
    html = BeautifulSoup(client.get("/offers").text, "html.parser")
    link = html.select_one("[data-identifier=group_test_77]")
    assert link is not None
    assert link.find_parent("section")["data-offers"] == "2"


def test_reports_api_for_analysts(client, make_user, make_org) -> None:
    checked = SCAM + " api-only-check"
    client.post("/api/v1/offers/check", json={"text": checked})
    user = make_user("investigator", org=make_org("Anti-trafficking police"))
    headers = api_headers(client, user.username)
    groups = client.get("/api/v1/offers/reports", headers=headers).json()
    assert checked not in [o["text"] for g in groups for o in g["offers"]]  # checks not kept
    viewer = make_user("viewer")
    denied = client.get("/api/v1/offers/reports", headers=api_headers(client, viewer.username))
    assert denied.status_code == 403


def test_model_and_language_identifier_are_ready_when_the_server_starts(
    settings, sessions, with_model
) -> None:
    from fastapi.testclient import TestClient

    from ctip.offers import service
    from ctip.offers.language import _latin_identifier
    from ctip.web.app import create_app

    ready = settings.model_copy(update={"offers_preload": True, "hotline_numbers": "1288,117"})
    app = create_app(ready)
    app.state.engine.dispose()
    app.state.sessions = app.state.write_sessions = sessions
    _latin_identifier.cache_clear()
    key = (service.model_dir(ready), ready.hotline_numbers)
    service._CHECKERS.pop(key, None)
    with TestClient(app) as client:
        assert key in service._CHECKERS  # built during start-up, before any request
        assert _latin_identifier.cache_info().currsize == 1
        body = client.post("/api/v1/offers/check", json={"text": LEGIT}).json()
    assert body["risk"] == "none_found"


@pytest.mark.parametrize("preload", [True, False], ids=["preload", "no-preload"])
def test_model_is_loaded_from_its_cache_at_start_up_not_on_the_first_check(
    settings, sessions, offer_model, preload: bool
) -> None:
    """With ``CTIP_OFFERS_PRELOAD`` the server reads the cached model while it starts, so
    the first visitor's check pays no model loading; without it, the first check does."""
    import joblib
    from fastapi.testclient import TestClient

    from ctip.offers import service
    from ctip.web.app import create_app

    ready = settings.model_copy(update={"offers_preload": preload})
    folder = service.model_dir(ready)
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(offer_model, folder / f"model-{offer_model.fingerprint}.joblib")  # as installed
    service._MODELS.pop(folder, None)  # nothing served from memory: it must come from disk
    service._CHECKERS.pop((folder, ready.hotline_numbers), None)
    app = create_app(ready)
    app.state.engine.dispose()
    app.state.sessions = app.state.write_sessions = sessions
    with TestClient(app) as client:
        loaded_at_start = service._MODELS.get(folder)
        answer = client.post("/api/v1/offers/check", json={"text": LEGIT})
        loaded_after_first = service._MODELS.get(folder)
    assert answer.status_code == 200
    assert loaded_after_first is not None
    assert loaded_after_first.fingerprint == offer_model.fingerprint
    if preload:
        assert loaded_at_start is loaded_after_first  # read during start-up, before any request
    else:
        assert loaded_at_start is None  # the first check had to load it


def test_api_hit_on_a_suspects_number_is_audited(client, db, make_actor) -> None:
    from ctip.audit.models import AuditEntry
    from tests.offers.test_service import SCAM as WITH_PHONE
    from tests.offers.test_service import _suspect_with_phone

    _suspect_with_phone(db, make_actor("admin"))
    db.commit()
    response = client.post("/api/v1/offers/check", json={"text": WITH_PHONE, "lang": "en"})
    assert response.status_code == 200 and response.json()["reported_identifier"] is True
    hits = db.scalars(select(AuditEntry).where(AuditEntry.action == "offer.identifier_hit"))
    (entry,) = hits.all()
    assert entry.actor_name == "public" and "012 345 678" not in (entry.changes or "")
