"""Errors read as pages in the reader's language, and every field's problem is reported at
once, on pages and in the API alike."""

from __future__ import annotations

from bs4 import BeautifulSoup

from ctip.errors import FieldError, ValidationFailed
from tests.conftest import api_headers, csrf_of, login


def khmer(text: str) -> bool:
    return any("\u1780" <= ch <= "\u17ff" for ch in text)


def test_a_case_id_that_is_not_a_number_answers_a_page(client, make_user):
    user = make_user("provincial_officer", province="KH-1")
    login(client, user.username)
    response = client.get("/cases/abc")
    assert response.status_code in (404, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert BeautifulSoup(response.text, "html.parser").select_one("[role=alert]") is not None


def test_khmer_error_messages_name_no_english_fields():
    error = ValidationFailed(
        [FieldError("status", "required"), FieldError("some_internal_key", "required")]
    )
    text = error.translated("km")
    assert "status" not in text and "some_internal_key" not in text and khmer(text)
    assert error.translated("en").startswith("Status: required")


def test_the_api_reports_every_fields_problem_at_once(client, make_user):
    user = make_user("provincial_officer", province="KH-1")
    headers = api_headers(client, user.username)
    body = {"title": "", "province": "KH-99", "opened_on": "31/02/2024"}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 422
    fields = {item["loc"][-1] for item in response.json()["detail"]}
    assert fields == {"title", "province", "opened_on"}


def test_the_form_reports_every_fields_problem_at_once(client, make_user):
    user = make_user("provincial_officer", province="KH-1")
    login(client, user.username)
    token = csrf_of(client.get("/cases/new").text)
    response = client.post(
        "/cases/new",
        data={"csrf_token": token, "title": "", "province": "KH-99", "opened_on": "nope"},
    )
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    fields = {p["data-field"] for p in page.select("p[data-field]")}
    assert {"title", "province", "opened_on"} <= fields
