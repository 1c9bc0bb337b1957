"""Screening pages (English and Khmer) and the JSON API, on the app's in-process client."""

from __future__ import annotations

import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from tests.conftest import api_headers, csrf_of, login

ROSTER = """Name,Sex,Age,Nationality,Passport,Phone
Lan Tran,F,16,VN,B1234567,0912345678
Sokha Chea,F,25,KH,N0123456,012 345 678
Bad Row,F,200,KH,,
Wei Zhang,M,30,CN,E9988776,
"""
PRESUMED = {
    "act": ["recruitment"],
    "means": ["deception"],
    "purpose": ["ForcedLabour"],
    "assessed": ["act", "means", "purpose"],
    "age_at_act": 24,
}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


# --- POST /api/v1/screening/evaluate ----------------------------------------------------------


def test_evaluate_needs_a_token(client):
    assert client.post("/api/v1/screening/evaluate", json=PRESUMED).status_code == 401


@pytest.mark.parametrize(
    ("body", "result", "missing"),
    [
        (PRESUMED, "presumed_victim", []),
        (
            {
                "act": ["recruitment"],
                "purpose": ["ForcedLabour"],
                "assessed": ["act", "purpose"],
                "age_at_act": 16,
            },
            "presumed_victim",
            [],
        ),
        (
            {
                "act": ["recruitment"],
                "purpose": ["ForcedLabour"],
                "assessed": ["act", "purpose"],
                "date_of_birth": "2006-05-10",
                "date_of_act": "2024-05-10",
            },
            "possible_victim",
            ["means"],
        ),
        (
            {"indicators": ["debt_bondage", "isolation"]},
            "possible_victim",
            ["act", "means", "purpose", "age_at_act"],
        ),
        ({"assessed": ["act", "means", "purpose"], "age_at_act": 30}, "not_indicated", []),
        ({}, "insufficient_information", ["act", "means", "purpose", "age_at_act"]),
    ],
)
def test_evaluate(client, make_user, body, result, missing):
    headers = api_headers(client, make_user().username)
    response = client.post("/api/v1/screening/evaluate", json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["result"], answer["missing"]) == (result, missing)
    assert isinstance(answer["reasons"], list)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"act": ["kidnapping"]}, "act"),
        ({"indicators": ["hunger"]}, "indicators"),
        ({"age_at_act": -3}, "age_at_act"),
        ({"age_at_act": 150}, "age_at_act"),
        ({"date_of_birth": "2030-01-01", "date_of_act": "2024-01-01"}, "date_of_birth"),
    ],
)
def test_evaluate_refuses_unknown_codes_and_impossible_ages(client, make_user, body, field):
    headers = api_headers(client, make_user().username)
    response = client.post("/api/v1/screening/evaluate", json=body, headers=headers)
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", field]]


# --- mass screening through the pages ---------------------------------------------------------


def _intervention(client, case) -> str:
    page = client.get(f"/screening/interventions/new?case_id={case.id}")
    form = {
        "csrf_token": csrf_of(page.text),
        "case": case.reference,
        "occurred_on": "2024-03-02",
        "place": "Compound, Sihanoukville",
        "agencies": "AHTJP, Immigration",
    }
    response = client.post("/screening/interventions/new", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _import(client, url, text=ROSTER):
    page = client.get(url)
    return client.post(
        f"{url}/roster",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("roster.csv", text.encode(), "text/csv")},
    )


def test_mass_screening_journey(client, officer, case):
    login(client, officer.username)
    url = _intervention(client, case)
    imported = soup(_import(client, url))
    assert imported.select_one("#import-errors tr[data-row='4'][data-field='age']")
    assert imported.select_one("[data-stat='total']").text == "3"
    assert _import(client, url).status_code == 200  # idempotent re-import
    page = soup(client.get(url))
    assert page.select_one("[data-stat='total']").text == "3"
    start = page.select_one("#start-screening")["href"]
    form_page = client.get(start)
    form = soup(form_page)
    assert form.select_one("#q-act-recruitment") and form.select_one("#save-next")
    answers = {
        "csrf_token": csrf_of(form_page.text),
        "act": "recruitment",
        "purpose": "ForcedLabour",
        "assessed": ["act", "means", "purpose"],
        "services_needed": ["shelter", "repatriation"],
        "note_means": "told a lie",
        "source_means": "interview",
        "age_at_act": "16",
    }
    saved = client.post(start, data=answers, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/screening/entries/")
    assert saved.headers["location"].split("?")[0] != start
    progress = soup(client.get(url))
    assert progress.select_one("[data-stat='screened']").text == "1"
    row = progress.select_one("#by-nationality tr[data-nationality='VN']")
    assert row.select_one("[data-result='presumed_victim']").text == "1"
    lists = client.get(f"{url}/referrals.xlsx")
    book = load_workbook(io.BytesIO(lists.content))
    assert any("VN" in name for name in book.sheetnames)
    pdf = client.get(f"{url}/referrals.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_the_intervention_form_takes_the_case_reference(client, officer, case):
    login(client, officer.username)
    case_page = soup(client.get(f"/cases/{case.id}"))
    link = case_page.select_one("#record-intervention")["href"]
    form_page = client.get(link)
    assert form_page.status_code == 200
    form = soup(form_page)
    assert form.select_one("#f-case")["value"] == case.reference
    assert form.select_one("#f-case")["list"] == "case-references"
    assert case.reference in [o["value"] for o in form.select("#case-references option")]
    token = csrf_of(form_page.text)
    refused = client.post(
        "/screening/interventions/new",
        data={"csrf_token": token, "case": "KH-99-2024-000001", "occurred_on": "", "place": ""},
    )
    assert refused.status_code == 422
    fields = {p["data-field"] for p in soup(refused).select("p.field-error")}
    assert fields == {"case", "occurred_on", "place"}
    saved = client.post(
        "/screening/interventions/new",
        data={
            "csrf_token": token,
            "case": case.reference.lower(),
            "occurred_on": "2024-03-02",
            "place": "Compound",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    again = soup(client.get(f"/cases/{case.id}"))
    assert again.select_one("#interventions + ul a")["href"] == saved.headers["location"]


def test_screening_form_errors_are_shown_and_nothing_saved(client, officer, case):
    login(client, officer.username)
    url = _intervention(client, case)
    _import(client, url)
    start = soup(client.get(url)).select_one("#start-screening")["href"]
    page = client.get(start)
    bad = client.post(
        start,
        data={"csrf_token": csrf_of(page.text), "age_at_act": "abc", "date_of_act": "2999-01-01"},
    )
    assert bad.status_code == 422
    fields = {p["data-field"] for p in soup(bad).select(".field-error")}
    assert "age_at_act" in fields
    assert soup(client.get(url)).select_one("[data-stat='screened']").text == "0"


def test_pages_in_khmer(client, officer, case):
    login(client, officer.username)
    url = _intervention(client, case)
    _import(client, url)
    client.get("/lang/km?next=/")
    page = soup(client.get(url))
    assert page.html["lang"] == "km"
    assert "ដែលនៅសល់" in page.select_one("#progress").text
    start = page.select_one("#start-screening")["href"]
    form = soup(client.get(start))
    assert form.select_one("#q-draft") is not None
    assert "ជ្រើសរើស" in form.select_one("label[for='q-act-recruitment']").text
    assert "រក្សាទុក" in form.select_one("#save-next").text
    assert (
        soup(client.get("/screening")).select_one("#new-intervention").text.strip()
        != "Record an intervention"
    )


def test_screening_page_for_a_person_status_and_flag_queue(
    client, db, officer, case, person_on, make_user, make_org
):
    person = person_on(case)
    person_on(case, role="suspect", person=person)
    login(client, officer.username)
    url = f"/screening/cases/{case.id}/persons/{person.id}"
    page = client.get(url)
    data = {"csrf_token": csrf_of(page.text), **PRESUMED, "age_at_act": "24"}
    assert client.post(url, data=data, follow_redirects=False).status_code == 303
    shown = soup(client.get(url))
    assert shown.select_one("#screenings [data-result='presumed_victim']")
    screening_id = shown.select_one("#screenings tr[data-screening]")["data-screening"]
    assert shown.select_one("#flag-nonpunishment") is not None
    status = client.post(
        f"{url}/status",
        data={
            "csrf_token": csrf_of(page.text),
            "status": "ActualVictimOfTrafficking",
            "decided_by": "Police",
        },
        follow_redirects=False,
    )
    assert status.status_code == 303
    shelter = make_org("Safe Shelter", org_type="NGO", is_agency=False)
    refused = client.post(
        f"/screening/screenings/{screening_id}/referrals",
        data={"csrf_token": csrf_of(page.text), "to_org_id": str(shelter.id), "service": "shelter"},
    )
    assert refused.status_code == 422
    assert soup(refused).select_one(".field-error[data-field='consent']") is not None
    referred = client.post(
        f"/screening/screenings/{screening_id}/referrals",
        data={
            "csrf_token": csrf_of(page.text),
            "to_org_id": str(shelter.id),
            "service": "shelter",
            "consent_given": "1",
            "consent_on": date.today().isoformat(),
        },
        follow_redirects=False,
    )
    assert referred.status_code == 303
    listed = soup(client.get(url)).select_one("#person-referrals [data-status='pending']")
    assert listed is not None
    secretariat = make_user("secretariat")
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    login(client, secretariat.username)
    queue = client.get("/screening/flags")
    row = soup(queue).select_one(f"#flags tr[data-person='{person.id}']")
    assert row is not None
    flag_id = row["data-flag"]
    refused = client.post(
        f"/screening/flags/{flag_id}/decision",
        data={"csrf_token": csrf_of(queue.text), "decision": "applied", "reason": ""},
    )
    assert refused.status_code == 422
    done = client.post(
        f"/screening/flags/{flag_id}/decision",
        data={"csrf_token": csrf_of(queue.text), "decision": "applied", "reason": "forced to scam"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    headers = api_headers(client, secretariat.username)
    assert client.get("/api/v1/screening/flags/counts", headers=headers).json()["applied"] == 1


def test_api_screening_status_and_roster(client, officer, case, person_on):
    person = person_on(case)
    headers = api_headers(client, officer.username)
    created = client.post(
        "/api/v1/screening/screenings",
        headers=headers,
        json={"case_id": case.id, "person_id": person.id, **PRESUMED},
    )
    assert created.status_code == 201, created.text
    assert created.json()["decision"]["result"] == "presumed_victim"
    listed = client.get(f"/api/v1/screening/screenings?case_id={case.id}", headers=headers)
    assert [s["id"] for s in listed.json()] == [created.json()["id"]]
    status = client.post(
        "/api/v1/screening/status",
        headers=headers,
        json={
            "case_id": case.id,
            "person_id": person.id,
            "status": "PossibleVictimOfTrafficking",
            "decided_by": "NGO",
            "decided_on": date.today().isoformat(),
        },
    )
    assert status.json()["trafficking_status"] == "PossibleVictimOfTrafficking"
    intervention = client.post(
        "/api/v1/screening/interventions",
        headers=headers,
        json={"case_id": case.id, "occurred_on": "2024-03-02", "place": "Bavet"},
    ).json()
    report = client.post(
        f"/api/v1/screening/interventions/{intervention['id']}/roster",
        headers=headers,
        files={"file": ("r.csv", ROSTER.encode(), "text/csv")},
    ).json()
    assert report["created"] == 3
    assert report["errors"] == [
        {"row": 4, "field": "age", "msg": "an age must be between 0 and 120"}
    ]
    entries = client.get(
        f"/api/v1/screening/interventions/{intervention['id']}/entries", headers=headers
    ).json()
    screened = client.post(
        f"/api/v1/screening/entries/{entries['items'][0]['id']}/screening",
        headers=headers,
        json=PRESUMED,
    )
    assert screened.status_code == 201
    detail = client.get(
        f"/api/v1/screening/interventions/{intervention['id']}", headers=headers
    ).json()
    assert detail["progress"]["screened"] == 1 and detail["progress"]["remaining"] == 2


def test_khmer_pdf_embeds_the_khmer_font(client, officer, case, person_on):
    from pathlib import Path

    from ctip.web.fonts import CANDIDATES

    if not any(Path(c).exists() for c in CANDIDATES):
        pytest.skip("no Khmer font installed")
    login(client, officer.username)
    url = _intervention(client, case)
    client.get("/lang/km?next=/")
    pdf = client.get(f"{url}/referrals.pdf")
    assert pdf.status_code == 200 and b"Khmer" in pdf.content


def test_unknown_questionnaire_version_is_404(client, make_user):
    headers = api_headers(client, make_user().username)
    response = client.get("/api/v1/screening/questionnaire?version=9", headers=headers)
    assert response.status_code == 404
    assert "questionnaire version 9" in response.json()["detail"]
