"""The imports JSON API: preview per row, import (with skip_invalid), batch status; bearer
only, the page's roles and scope, and outsiders learn nothing."""

from __future__ import annotations

import pytest

from ctip.demo import htcds_sample
from tests.conftest import api_headers
from tests.imports.builders import person, template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _preview(client, headers, data, name="cases.xlsx", **form):
    return client.post(
        "/api/v1/imports/preview",
        headers=headers,
        data={"source": "htcds", **form},
        files={"file": (name, data, XLSX)},
    )


@pytest.fixture
def officer(client, make_user):
    make_user("provincial_officer", province="KH-1", username="api-officer")
    return api_headers(client, "api-officer")


def test_preview_import_status_and_reimport(client, officer):
    page = _preview(client, officer, htcds_sample.sample_xlsx())
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["summary"]["cases"] == 42 and body["summary"]["error_rows"] == 3
    bad = [(r["row"], e["column"]) for r in body["rows"] for e in r["errors"]]
    assert bad == [(5, "Birthdate"), (7, "Trafficking Status"), (9, "First Name")]
    assert {r["state"] for r in body["rows"]} == {"new", "error"}
    first = body["rows"][0]
    assert first["row"] == 3 and first["province"] == "KH-1" and first["person"]["given_name"]

    refused = client.post(f"/api/v1/imports/{body['token']}/run", headers=officer, json={})
    assert refused.status_code == 422
    assert {d["row"] for d in refused.json()["detail"]} == {5, 7, 9}

    fixes = {"corrections": {"5": {"Birthdate": "28/02/1999"}}, "skip_invalid": True}
    done = client.post(f"/api/v1/imports/{body['token']}/run", headers=officer, json=fixes)
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["counts"]["created"] == 43 and result["counts"]["skipped"] == 2
    assert "17" in result["case_ids"]
    case = client.get(f"/api/v1/cases/{result['case_ids']['17']}", headers=officer)
    assert case.status_code == 200

    status = client.get(f"/api/v1/imports/batches/{result['batch_id']}", headers=officer)
    assert status.status_code == 200
    assert status.json()["counts"]["created_cases"] == 42 and status.json()["mine"]

    again = _preview(client, officer, htcds_sample.sample_xlsx())
    token = again.json()["token"]
    second = client.post(
        f"/api/v1/imports/{token}/run",
        headers=officer,
        json={"skip_invalid": True, "corrections": {"5": {"Birthdate": "28/02/1999"}}},
    )
    assert second.json()["nothing_new"] is True


@pytest.mark.parametrize(
    "role, province, expected",
    [
        ("provincial_officer", "KH-2", 404),  # another province's officer
        ("ngo_caseworker", None, 403),
        ("viewer", None, 403),
    ],
)
def test_outsiders_learn_nothing(client, make_user, make_org, officer, role, province, expected):
    page = _preview(client, officer, template_xlsx([person(1)]))
    token = page.json()["token"]
    done = client.post(f"/api/v1/imports/{token}/run", headers=officer, json={})
    batch = done.json()["batch_id"]
    org = make_org("Outsider NGO", org_type="NGO") if role == "ngo_caseworker" else None
    make_user(role, province=province, org=org, username=f"outsider-{role}")
    other = api_headers(client, f"outsider-{role}")
    seen = client.get(f"/api/v1/imports/batches/{batch}", headers=other)
    missing = client.get("/api/v1/imports/batches/999999", headers=other)
    assert seen.status_code == missing.status_code == expected
    assert seen.json() == missing.json()
    token2 = _preview(client, officer, template_xlsx([person(2)])).json()["token"]
    stolen = client.post(f"/api/v1/imports/{token2}/run", headers=other, json={})
    assert stolen.status_code == expected
    assert "Given2" not in stolen.text
    if role == "provincial_officer":  # rows for another province are row errors
        theirs = _preview(client, other, template_xlsx([person(3)]), province="KH-1")
        assert theirs.status_code == 200
        assert theirs.json()["rows"][0]["errors"][0]["column"] == "Province"
    else:
        assert _preview(client, other, template_xlsx([person(3)])).status_code == 403


def test_bearer_required_and_limits(client, officer, app):
    anonymous = _preview(client, {}, template_xlsx([person(1)]))
    assert anonymous.status_code == 401
    junk = _preview(client, officer, b"not a workbook")
    assert junk.status_code == 422
    assert junk.json()["detail"][0]["loc"] == ["body", "file"]
    app.state.settings.import_max_upload_mb = 1
    big = b"x" * (3 * 1024 * 1024)
    assert _preview(client, officer, big, name="big.csv").status_code == 422


def test_openapi_declares_the_imports_api_and_its_errors(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, method in [
        ("/api/v1/imports/preview", "post"),
        ("/api/v1/imports/{token}/run", "post"),
        ("/api/v1/imports/batches/{batch_id}", "get"),
    ]:
        responses = spec["paths"][path][method]["responses"]
        assert {"401", "403", "404", "422"} <= set(responses)
