"""Case work in a real headless Chromium: a refused status move that keeps what was chosen, an
intervention picked by its case reference, a screening whose result shows on the case page, a
support plan with a service and a follow-up, and the main pages at phone width (390 px).

Each journey records its own case, so they run in any order."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, new_case, record_intervention

PHONE = {"width": 390, "height": 800}
ROSTER = "Given name,Family name,Sex,Age,Nationality,Passport\nNary,Sok,F,17,KH,N7654321\n"


@pytest.fixture
def officer(page):
    log_in(page)
    page.goto("/lang/en?next=/")
    return page


def test_a_refused_status_change_keeps_what_was_chosen(officer):
    page = officer
    new_case(page, "Karaoke bar, Phnom Penh", "2024-05-01")
    chosen = page.locator("#transition select[name=status]")
    assert chosen.input_value() == "under_investigation"  # the natural next step
    assert page.locator("#transition input[name=on]").input_value() != ""
    page.fill("#transition input[name=on]", "2999-01-01")
    page.fill("#transition input[name=note]", "opened by the hotline")
    page.click("#transition-form button[type=submit]")
    page.wait_for_selector("#transition [data-field=on]")
    assert page.locator("#status").get_attribute("data-status") == "reported"
    assert page.locator("#transition input[name=note]").input_value() == "opened by the hotline"
    page.select_option("#transition select[name=status]", "closed")
    page.fill("#transition input[name=on]", "2024-05-02")
    page.click("#transition-form button[type=submit]")
    page.wait_for_selector("#confirm-transition")
    assert page.locator("#status").get_attribute("data-status") == "reported"
    page.click("#confirm-yes")
    page.wait_for_selector("#status[data-status=closed]")


def test_an_intervention_by_reference_and_a_screening_on_the_case_page(officer, tmp_path):
    page = officer
    new_case(page, "Scam compound, Phnom Penh", "2024-06-01")
    case_url, reference = page.url, page.locator("#reference").inner_text()
    page.click("#record-intervention")  # the case page's link fills in the reference
    assert page.locator("#f-case").input_value() == reference
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    page.goto(case_url)
    record_intervention(page, "Building C", "2024-06-02", roster)
    page.click("#start-screening")
    page.check("#assessed-act")
    page.check("#assessed-means")
    page.check("#assessed-purpose")
    page.click("#save-stay")
    page.wait_for_selector("#intervention-title")
    page.goto(case_url)
    row = page.locator("tr[data-role=screened]")
    assert row.count() == 1
    assert row.locator(".screening-result").get_attribute("data-result") == "not_indicated"


def test_a_support_plan_with_a_service_and_a_follow_up(officer):
    page = officer
    new_case(page, "Domestic work abroad", "2024-07-01")
    page.click("a[href$='/persons/new']")
    page.select_option("#f-role", "victim")
    page.fill("#f-given_name", "Dalin")
    page.fill("#f-family_name", "Keo")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/cases/*")
    page.click("a.support-plan")
    page.wait_for_selector("#plan-title")
    page.select_option("#f-service_type", "Health")
    page.click("#add-service")
    page.wait_for_selector("#plan-services tr[data-service=Health]")
    row = page.locator("#plan-services tr[data-service=Health]")
    row.locator("input[name=followed_on]").fill("2024-07-03")
    row.locator("input[name=note]").fill("first clinic visit")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#plan-services .followups li")
    assert "first clinic visit" in page.locator("#plan-services").inner_text()


def _scroll_width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_main_pages_fit_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page)
        page.goto("/lang/en?next=/")
        new_case(page, "A case with a rather long title to see it wrap on a phone", "2024-08-01")
        case_url = page.url.replace(live_server.url, "")
        for url in (
            "/",
            "/cases",
            case_url,
            "/referrals",
            "/persons",
            "/screening",
            "/support/tasks",
        ):
            page.goto(url)
            assert _scroll_width(page) <= PHONE["width"], url
        assert page.locator("a.skip").get_attribute("href") == "#main"
        for lang, text, family in (
            ("th", "เงินเดือนสูง", "CTIP Thai"),
            ("zh", "高薪低门槛", "CTIP CJK"),
        ):
            page.goto(f"/check?lang={lang}")
            assert _scroll_width(page) <= PHONE["width"], lang
            loaded = page.evaluate(
                "([f, t]) => document.fonts.load(`16px '${f}'`, t).then(fs => fs.length)",
                [family, text],
            )
            assert loaded >= 1, family
    finally:
        context.close()
