"""The import journey in a real headless Chromium: log in as a provincial officer, open
Import, upload a filled HTCDS template, see the preview with its error, fix the cell, import,
open the case of a row, and import the same file again to see "nothing new"."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, live_server, log_in, page  # noqa: F401
from tests.imports.builders import person, template_xlsx

pytestmark = pytest.mark.browser


def test_import_a_template_fix_a_cell_and_reimport(page, live_server, tmp_path):  # noqa: F811
    rows = [person(i) for i in range(4)] + [person(8, Birthdate="31/02/2001")]
    path = tmp_path / "cases.xlsx"
    path.write_bytes(template_xlsx(rows))
    log_in(page)
    page.goto("/lang/en?next=/")
    page.click("#nav-import")
    page.set_input_files("#f-file", str(path))
    page.click("#preview-button")
    summary = page.locator("#import-summary")
    assert "2 cases, 4 persons, 1 rows with errors" in summary.inner_text()
    error = page.locator("#import-errors tr[data-row='7']")
    assert "Birthdate" in error.inner_text()
    error.locator("input").fill("28/02/2001")
    page.click("#check-again")
    assert "3 cases, 5 persons, 0 rows with errors" in page.locator("#import-summary").inner_text()
    page.click("#import-button")
    assert page.locator("#import-outcome").get_attribute("data-created") == "5"
    page.click("#imported-rows tr[data-row='7'] a")
    page.wait_for_url("**/cases/*")
    assert "Given8" in page.locator("main").inner_text()

    page.click("#nav-import")
    page.set_input_files("#f-file", str(path))
    page.click("#preview-button")
    assert page.locator("tr[data-row='3']").get_attribute("data-state") == "unchanged"
    page.check("#skip-invalid")  # the file still holds the cell corrected on the page
    page.click("#import-button")
    assert page.locator("#import-outcome").get_attribute("data-nothing-new") == "true"


def test_the_new_users_journey_with_the_downloaded_sample(page, live_server, tmp_path):  # noqa: F811
    log_in(page)
    page.goto("/lang/en?next=/")
    page.click("#nav-import")
    with page.expect_download() as download:
        page.click("#sample-xlsx")
    path = tmp_path / "sample.xlsx"
    download.value.save_as(path)
    page.set_input_files("#f-file", str(path))
    page.click("#preview-button")
    summary = page.locator("#import-summary")
    assert "42 cases, 42 persons, 3 rows with errors" in summary.inner_text()
    for row, column in ((5, "Birthdate"), (7, "Trafficking Status"), (9, "First Name")):
        assert column in page.locator(f"#import-errors tr[data-row='{row}']").inner_text()
    page.locator("#import-errors tr[data-row='5'] input").fill("28/02/1999")
    page.click("#check-again")
    assert "42 cases, 43 persons, 2 rows with errors" in summary.inner_text()
    page.check("#skip-invalid")
    page.click("#import-button")
    assert page.locator("#import-outcome").get_attribute("data-created") == "43"
    page.click("#imported-rows tr[data-row='17'] a")
    page.wait_for_url("**/cases/*")

    page.click("#nav-import")
    page.set_input_files("#f-file", str(path))
    page.click("#preview-button")
    page.locator("#import-errors tr[data-row='5'] input").fill("28/02/1999")
    page.click("#check-again")
    page.check("#skip-invalid")
    page.click("#import-button")
    assert page.locator("#import-outcome").get_attribute("data-nothing-new") == "true"
