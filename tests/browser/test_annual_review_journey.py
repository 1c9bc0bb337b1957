"""The annual review as a new user meets it, in a real headless Chromium: open "Annual
review" from the menu, pick 2024, read figures and charts, click through to the cases behind
them, fetch the Khmer PDF, set three goals and see them on the dashboard."""

from __future__ import annotations

from datetime import date

from tests.browser.conftest import new_case
from tests.conftest import TEST_PASSWORD


def _log_in_in_english(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    if page.locator("button[data-lang=en]").count():
        page.click("button[data-lang=en]")
    page.fill("#username", "admin")
    page.fill("#password", TEST_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/")


def test_annual_review_journey(page):
    _log_in_in_english(page)
    new_case(page, "Brick kiln debt bondage, Phnom Penh", "2024-04-02")

    page.click("#nav-annual-review")
    page.fill("input[name=year]", "2024")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#headlines")
    assert "2024" in page.locator("#report-title").inner_text()
    first = page.locator("#headlines tbody tr").first.locator("td")
    assert int(first.nth(1).inner_text()) >= 1
    assert page.locator("svg[data-chart='cases.by_province']").count() == 1

    page.click("#drill-total")
    page.wait_for_url("**/cases?*")
    assert page.locator("text=Brick kiln debt bondage").count() >= 1

    page.go_back()
    pdf = page.request.get(page.locator("[data-format=pdf-km]").get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    year = str(date.today().year)
    for metric, comparison, target in (
        ("suspects.convicted", ">=", "150"),
        ("durations.intervention_to_charge", "<=", "90"),
        ("cases.stalled", "<=", "20"),
    ):
        page.goto("/stats/goals")
        page.select_option("select[name=metric]", metric)
        page.select_option("select[name=comparison]", comparison)
        page.fill("input[name=target]", target)
        page.fill("input[name=year]", year)
        page.click("#goal-form button[type=submit]")
        page.wait_for_url("**/stats/goals")

    page.goto("/")
    panel = page.locator("#goals-panel")
    panel.locator("tr[data-goal]").nth(2).wait_for()
    assert panel.locator("tr[data-goal]").count() == 3
