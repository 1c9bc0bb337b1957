"""Mass screening after an intervention, in a real headless Chromium: record the intervention,
import its roster (a bad row is reported by row and field), screen with save-and-next, see
progress, and fetch the referral list as PDF."""

from __future__ import annotations

from tests.browser.conftest import log_in, new_case, record_intervention

ROSTER = """Given name,Family name,Sex,Age,Nationality,Passport,Phone
Minh,Nguyen,M,23,VN,C7654321,+84 912 345 678
Ayu,Lestari,F,19,ID,B1234567,
Wei,Zhang,M,two,CN,E99887766,
"""


def test_mass_screening_journey(page, tmp_path):
    log_in(page)
    page.goto("/lang/en?next=/")
    new_case(page, "Scam compound raid, Sihanoukville", "2024-06-10")

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    record_intervention(page, "Compound 7, Preah Sihanouk", "2024-06-11", roster)
    bad = page.locator("#import-errors tr[data-row]")
    assert bad.count() == 1
    assert bad.first.get_attribute("data-field") == "age"
    assert page.locator("#progress [data-stat=total]").inner_text() == "2"

    page.click("#start-screening")
    for element, option in [
        ("act", "recruitment"),
        ("means", "deception"),
        ("purpose", "ForcedLabour"),
    ]:
        page.check(f"#q-{element}-{option}")
        page.check(f"#assessed-{element}")
    page.click("#save-next")
    page.wait_for_selector("#saved")
    assert "1 of 2 screened" in page.locator("#progress-line").inner_text()

    page.goto("/screening")
    page.locator("a", has_text="Compound 7").first.click()
    assert page.locator("#progress [data-stat=screened]").inner_text() == "1"
    pdf = page.request.get(page.locator("#export-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
