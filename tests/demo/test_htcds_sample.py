"""The filled HTCDS sample previews to its documented counts, and its three errors name the row
and the column; fixing one cell and importing, then importing again, creates nothing twice."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from ctip.demo import htcds_sample
from ctip.demo.cli import app as demo_app
from ctip.imports import files, service
from ctip.imports.fields import published_header_rows

TODAY = date(2026, 1, 15)


def _preview(db, actor, settings, data, corrections=None):
    return service.preview(
        db,
        actor=actor,
        settings=settings,
        data=data,
        filename="htcds-sample.xlsx",
        source="htcds",
        corrections=corrections,
        today=TODAY,
    )


def test_sample_is_the_official_layout_and_seeded():
    data = htcds_sample.sample_xlsx(7)
    sheets = files.read(data, "s.xlsx", max_upload_mb=10, max_uncompressed_mb=50)
    rows = sheets.sheets[htcds_sample.SHEET]
    names, labels = published_header_rows()
    assert list(rows[0]) == names and list(rows[1]) == labels
    assert "vic_TraffickinStatusDecisionMakingOrg" in rows[0]  # the template's own spelling
    assert htcds_sample.sample_rows(7) == htcds_sample.sample_rows(7)
    assert htcds_sample.sample_rows(7)[0] != htcds_sample.sample_rows(8)[0]


def test_sample_previews_to_the_documented_counts(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    _, planted = htcds_sample.sample_rows()
    result = _preview(db, officer, settings, htcds_sample.sample_xlsx())
    summary = result.summary()
    assert summary["rows"] == htcds_sample.SAMPLE_ROWS == 45
    assert summary["cases"] == htcds_sample.SAMPLE_CASES == 42
    assert summary["persons"] == 42
    assert summary["error_rows"] == htcds_sample.SAMPLE_ERRORS == 3
    found = sorted((e.row, e.field) for e in result.errors)
    assert found == sorted((p.row, p.column) for p in planted)
    assert [p.column for p in planted] == ["Birthdate", "Trafficking Status", "First Name"]
    assert {p.kind for p in planted} == {"date", "vocabulary", "missing"}
    messages = {e.field: e.template for e in result.errors}
    assert messages["Birthdate"].startswith("not a date")
    assert messages["Trafficking Status"].startswith("unknown value")


def test_fix_one_cell_import_and_import_again_nothing_new(db, make_actor, settings):
    officer = make_actor(province="KH-1")
    data = htcds_sample.sample_xlsx()
    _, planted = htcds_sample.sample_rows()
    bad_date = next(p for p in planted if p.kind == "date")
    fixes = {bad_date.row: {"Birthdate": "28/02/1999"}}
    fixed = _preview(db, officer, settings, data, corrections=fixes)
    assert fixed.summary()["error_rows"] == 2
    assert fixed.summary()["persons"] == 43
    outcome = service.run(db, actor=officer, preview=fixed, skip_invalid=True)
    assert (outcome.created_cases, outcome.created, outcome.skipped) == (42, 43, 2)
    assert 17 in outcome.case_ids  # the story opens the case of row 17
    again = service.run(
        db,
        actor=officer,
        preview=_preview(db, officer, settings, data, corrections=fixes),
        skip_invalid=True,
    )
    assert again.nothing_new and again.unchanged == 43


def test_demo_htcds_sample_command_writes_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    out = tmp_path / "sample.xlsx"
    result = CliRunner().invoke(demo_app, ["htcds-sample", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    assert "45 rows" in result.output and "3 rows with errors" in result.output
    rows, _ = htcds_sample.sample_rows(3)
    sheets = files.read(out.read_bytes(), "s.xlsx", max_upload_mb=10, max_uncompressed_mb=50)
    assert sheets.sheets[htcds_sample.SHEET][2][3] == rows[0]["prs_FirstName"]
