"""The Import page: upload, preview with errors by row and column, fix a cell, import, open
the case of a row, import again and see nothing new; the HTCDS export button."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.conftest import csrf_of, login
from tests.imports.builders import person, template_xlsx


def _upload(client, data, name="cases.xlsx", **fields):
    page = client.get("/import")
    assert page.status_code == 200
    form = {"csrf_token": csrf_of(page.text), "source": "htcds", **fields}
    return client.post("/import", data=form, files={"file": (name, data)})


def _summary(html):
    match = re.search(r'data-cases="(\d+)" data-persons="(\d+)" data-error-rows="(\d+)"', html)
    assert match is not None
    return tuple(int(g) for g in match.groups())


def test_upload_preview_fix_import_and_reimport(client, make_user):
    make_user("provincial_officer", province="KH-1", username="officer-web")
    login(client, "officer-web")
    assert 'id="nav-import"' in client.get("/").text
    rows = [person(i) for i in range(4)] + [person(9, Birthdate="yesterday")]
    data = template_xlsx(rows)
    page = _upload(client, data)
    assert page.status_code == 200, page.text
    assert _summary(page.text) == (2, 4, 1)
    assert 'data-row="7" data-column="Birthdate"' in page.text
    token = re.search(r'action="/import/([^/]+)/check"', page.text).group(1)
    refused = client.post(f"/import/{token}/run", data={"csrf_token": csrf_of(page.text)})
    assert refused.status_code == 422
    fixed = client.post(
        f"/import/{token}/check",
        data={"csrf_token": csrf_of(page.text), "fix:7:Birthdate": "1/2/2001"},
    )
    assert _summary(fixed.text) == (3, 5, 0)
    done = client.post(f"/import/{token}/run", data={"csrf_token": csrf_of(fixed.text)})
    assert done.status_code == 200, done.text
    assert 'data-created="5"' in done.text
    case_link = re.search(r'<tr data-row="5"><td>5</td><td><a href="(/cases/\d+)"', done.text)
    assert case_link is not None
    case_page = client.get(case_link.group(1))
    assert case_page.status_code == 200
    assert "Given2" in case_page.text

    again = _upload(client, data)
    assert 'data-state="unchanged"' in again.text
    token = re.search(r'action="/import/([^/]+)/run"', again.text).group(1)
    second = client.post(
        f"/import/{token}/run", data={"csrf_token": csrf_of(again.text), "skip_invalid": "1"}
    )
    assert 'data-created="0"' in second.text


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(client, make_user):
    make_user("provincial_officer", province="KH-1", username="officer-bad")
    login(client, "officer-bad")
    page = _upload(client, b"this is not a workbook", name="cases.xlsx")
    assert page.status_code == 422
    assert "is not a spreadsheet" in page.text


def test_export_button_gives_the_htcds_sheets(client, make_user):
    make_user("provincial_officer", province="KH-1", username="officer-exp")
    login(client, "officer-exp")
    page = _upload(client, template_xlsx([person(1, **{"First Name": "@HYPERLINK(1)"})]))
    token = re.search(r'action="/import/([^/]+)/run"', page.text).group(1)
    client.post(f"/import/{token}/run", data={"csrf_token": csrf_of(page.text)})
    response = client.get("/import/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Case Sheet",
        "cases",
        "persons",
        "victims",
        "perpetrators",
        "events",
    ]
    sheet = book["Case Sheet"]
    names = [c.value for c in sheet[1]]
    assert names[1:4] == ["cas_CaseOwner", "prs_Salutation", "prs_FirstName"]
    first = sheet.cell(3, names.index("prs_FirstName") + 1)
    assert first.value == "'@HYPERLINK(1)" and first.data_type == "s"


def test_an_ngo_case_worker_has_no_import(client, make_user, make_org):
    org = make_org("Shelter NGO", "NGO")
    make_user("ngo_caseworker", org=org, username="ngo-imp")
    login(client, "ngo-imp")
    assert 'id="nav-import"' not in client.get("/").text
    page = client.get("/import")
    response = client.post(
        "/import",
        data={"csrf_token": csrf_of(page.text), "source": "htcds"},
        files={"file": ("a.xlsx", template_xlsx([person(1)]))},
    )
    assert response.status_code == 422 or response.status_code == 403
    assert "your role cannot change cases" in response.text


def test_a_spreadsheet_is_mapped_once_on_the_page_and_the_mapping_reused(client, make_user):
    from tests.imports.builders import csv_bytes

    make_user("provincial_officer", province="KH-1", username="officer-map")
    login(client, "officer-map")
    data = csv_bytes(["Nom", "Sexe"], [["Sok", "F"], ["Dara", "M"]])
    page = _upload(client, data, name="list.csv", source="csv")
    assert page.status_code == 422 and 'id="mapping-form"' in page.text
    token = re.search(r'action="/import/([^/]+)/check"', page.text).group(1)
    mapped = client.post(
        f"/import/{token}/check",
        data={
            "csrf_token": csrf_of(page.text),
            "map:Nom": "prs_FirstName",
            "map:Sexe": "prs_Gender",
            "mapping_name": "shelter list",
        },
    )
    assert mapped.status_code == 200, mapped.text
    assert _summary(mapped.text) == (2, 2, 0)
    reused = _upload(client, data, name="list.csv", source="csv", mapping="shelter list")
    assert reused.status_code == 200
    assert _summary(reused.text) == (2, 2, 0)


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(app, client, make_user):
    app.state.settings.import_max_upload_mb = 1
    make_user("provincial_officer", province="KH-1", username="officer-big")
    login(client, "officer-big")
    page = _upload(client, b"x" * (3 * 1024 * 1024), name="big.csv")
    assert page.status_code == 422
    assert "larger than the upload limit of 1 MB" in page.text


def test_errors_on_the_page_in_the_users_language(client, make_user):
    make_user("provincial_officer", province="KH-1", username="officer-km", language="km")
    login(client, "officer-km")
    client.cookies.set("ctip_lang", "km")
    page = _upload(client, template_xlsx([person(1, Birthdate="soon")]))
    assert page.status_code == 200
    assert "មិនមែនជាកាលបរិច្ឆេទ៖ soon" in page.text
    assert "ជួរដេកមានកំហុស" in page.text


def test_another_users_upload_is_not_found(client, make_user):
    make_user("provincial_officer", province="KH-1", username="officer-own")
    make_user("provincial_officer", province="KH-2", username="officer-other")
    login(client, "officer-own")
    page = _upload(client, template_xlsx([person(1)]))
    token = re.search(r'action="/import/([^/]+)/run"', page.text).group(1)
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    login(client, "officer-other")
    other = client.get("/import")
    response = client.post(f"/import/{token}/run", data={"csrf_token": csrf_of(other.text)})
    assert response.status_code == 404
    assert "Given1" not in response.text


def test_no_file_at_hand_the_page_serves_a_sample_that_previews(client, make_user):
    make_user("provincial_officer", province="KH-1", username="officer-sample")
    login(client, "officer-sample")
    assert 'href="/import/sample.xlsx"' in client.get("/import").text
    sample = client.get("/import/sample.xlsx")
    assert sample.status_code == 200
    assert "attachment" in sample.headers["content-disposition"]
    page = _upload(client, sample.content, name="ctip-htcds-sample.xlsx")
    assert _summary(page.text) == (42, 42, 3)
    assert 'data-row="5" data-column="Birthdate"' in page.text
    assert 'data-row="7" data-column="Trafficking Status"' in page.text
    assert 'data-row="9" data-column="First Name"' in page.text
