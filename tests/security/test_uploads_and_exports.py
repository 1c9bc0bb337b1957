"""Roster uploads are bounded (bytes, rows, unpacked XLSX size, CSV field size) and parsed
off the event loop; exported referral lists never carry a live formula."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ctip.errors import ValidationFailed
from ctip.screening import exports, roster
from ctip.screening.models import RosterEntry
from ctip.spreadsheets import csv_safe, restore, xlsx_append
from tests.conftest import api_headers

HEADER = "Name,Sex,Age,Nationality,Passport\n"


def _csv(rows: int) -> bytes:
    return (HEADER + "".join(f"Person {n},F,20,KH,N{n:07d}\n" for n in range(rows))).encode()


def _import(db, officer, intervention, data: bytes, name: str, limits):  # type: ignore[no-untyped-def]
    return roster.import_file(
        db,
        actor=officer,
        intervention_id=intervention.id,
        data=data,
        filename=name,
        limits=limits,
        today=date(2024, 3, 3),
    )


def _count(db) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(RosterEntry))


@pytest.mark.parametrize(
    "limits, data, name, message",
    [
        (roster.RosterLimits(max_bytes=1000), _csv(100), "r.csv", "larger than"),
        (roster.RosterLimits(max_rows=3), _csv(5), "r.csv", "at most 3 rows"),
    ],
)
def test_oversized_rosters_are_refused_whole(
    db, officer, intervention, limits, data, name, message
):
    with pytest.raises(ValidationFailed) as refused:
        _import(db, officer, intervention, data, name, limits)
    assert refused.value.errors[0].field == "file"
    assert message in refused.value.errors[0].message
    assert _count(db) == 0  # nothing of the file was kept


def _zip_bomb(inflated: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * inflated)
    return buffer.getvalue()


def test_an_xlsx_that_inflates_past_the_limit_is_refused_unopened(db, officer, intervention):
    bomb = _zip_bomb(8 * 1_048_576)
    assert len(bomb) < 100_000
    limits = roster.RosterLimits(max_unpacked_bytes=4 * 1_048_576)
    with pytest.raises(ValidationFailed) as refused:
        _import(db, officer, intervention, bomb, "bomb.xlsx", limits)
    assert "unpacks to more than 4 MB" in refused.value.errors[0].message


def test_a_csv_field_over_the_csv_modules_limit_is_a_clear_error(db, officer, intervention):
    data = (HEADER + "Sokha,F,20,KH,N1\n" + '"' + "x" * 200_000 + '",F,20,KH,N2\n').encode()
    with pytest.raises(ValidationFailed) as refused:
        _import(db, officer, intervention, data, "r.csv", roster.RosterLimits())
    error = refused.value.errors[0]
    assert error.field == "file" and error.row == 3 and "cannot be read" in error.message


def test_api_answers_422_naming_the_row(client, officer, intervention):
    data = (HEADER + '"' + "x" * 200_000 + '",F,20,KH,N2\n').encode()
    answer = client.post(
        f"/api/v1/screening/interventions/{intervention.id}/roster",
        files={"file": ("r.csv", data, "text/csv")},
        headers=api_headers(client, officer.username),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["row"] == 2
    assert "x" * 100 not in answer.text  # the field is not echoed back


def test_an_upload_past_the_upload_limit_is_413(client, officer, intervention, app):
    limit = app.state.settings.max_upload_bytes
    answer = client.post(
        f"/api/v1/screening/interventions/{intervention.id}/roster",
        files={"file": ("r.csv", b"a" * (limit + 10), "text/csv")},
        headers=api_headers(client, officer.username),
    )
    assert answer.status_code == 413


def test_a_large_import_does_not_block_other_requests(client, officer, intervention):
    headers = api_headers(client, officer.username)
    data = _csv(4000)
    done: dict[str, float] = {}

    def upload() -> None:
        client.post(
            f"/api/v1/screening/interventions/{intervention.id}/roster",
            files={"file": ("r.csv", data, "text/csv")},
            headers=headers,
        )
        done["import"] = time.perf_counter()

    worker = threading.Thread(target=upload)
    worker.start()
    time.sleep(0.3)
    assert client.get("/healthz").status_code == 200
    done["health"] = time.perf_counter()
    worker.join()
    assert done["health"] < done["import"]


# --- exports ------------------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "ok\x07bell"]


def _lists() -> exports.ReferralLists:
    rows = [
        exports.ListRow(
            n, name, "F", 20, "KH", "=cmd|' /C calc'!A0", "+85512", "presumed_victim", []
        )
        for n, name in enumerate(PAYLOADS, start=2)
    ]
    return exports.ReferralLists(
        1, "KH-18-2024-000001", "=place", date(2024, 3, 2), by_nationality={"KH": rows}
    )


def test_exported_referral_lists_hold_no_formula():
    book = load_workbook(io.BytesIO(exports.to_xlsx(_lists())))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert texts and all(c.data_type == "s" for c in texts)
    assert not any(c.value.startswith(("=", "+", "-", "@", "\t")) for c in texts)
    names = {restore(c.value) for c in texts}
    assert set(PAYLOADS[:-1]) <= names and "ok\N{REPLACEMENT CHARACTER}bell" in names


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+855", "'+855"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\r=1", "'\r=1"),
        ("Sokha", "Sokha"),
        (42, 42),
        (None, None),
    ],
)
def test_csv_safe_and_restore(value, safe):
    assert csv_safe(value) == safe
    assert restore(csv_safe(value)) == value


def test_xlsx_append_types_text_as_text():
    from openpyxl import Workbook

    sheet = Workbook().active
    xlsx_append(sheet, ["=1+1", 3, None])
    assert sheet["A1"].value == "'=1+1" and sheet["A1"].data_type == "s"
    assert sheet["B1"].value == 3 and sheet["C1"].value is None


def test_the_import_page_names_the_limit_in_the_readers_language(
    client, officer, intervention, settings
):
    from tests.conftest import csrf_of, login

    settings.roster_max_rows = 2
    login(client, officer.username)
    client.get("/lang/km?next=/")
    url = f"/screening/interventions/{intervention.id}"
    answer = client.post(
        f"{url}/roster",
        data={"csrf_token": csrf_of(client.get(url).text)},
        files={"file": ("r.csv", _csv(5), "text/csv")},
    )
    assert answer.status_code == 422
    assert "បញ្ជីឈ្មោះមួយមានយ៉ាងច្រើន 2 ជួរ" in answer.text
