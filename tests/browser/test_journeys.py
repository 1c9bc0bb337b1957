"""The journeys that matter most, in a real headless Chromium."""

from __future__ import annotations

from tests.browser.conftest import log_in, new_case


def test_log_in_and_switch_to_khmer(page, live_server):
    log_in(page)
    assert page.locator("h1").inner_text() == "Dashboard"
    page.click(".lang[data-lang=km]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ផ្ទាំងគ្រប់គ្រង"
    assert page.locator("html").get_attribute("lang") == "km"
    page.screenshot(path=str(live_server.settings.data_dir / "dashboard-km.png"))


def test_wrong_password_shows_message(page):
    log_in_page = page.goto("/login")
    assert log_in_page is not None and log_in_page.status == 200
    page.fill("#username", "officer")
    page.fill("#password", "wrong-password")
    page.click("main button[type=submit]")
    assert "Wrong username or password" in page.locator("[role=alert]").inner_text()


def test_record_a_case_with_a_victim_and_find_it_by_phone(page, live_server):
    """An officer records a case, adds a victim with a phone number, and finds the case
    again by the same number written another way."""
    log_in(page)
    page.goto("/lang/en?next=/")  # an earlier journey left this user in Khmer
    new_case(page, "Typing jobs in Sihanoukville", "2024-03-02")
    reference = page.locator("h1").inner_text()
    assert "KH-12-2024-" in reference

    page.click("a[href$='/persons/new']")
    page.select_option("#f-role", "victim")
    page.fill("#f-given_name", "Sokha")
    page.fill("#f-family_name", "Chea")
    page.select_option("#f-sex", "Feminine")
    page.fill("#f-date_of_birth", "2001-05-14")
    page.select_option("#f-nationalities", "KH")
    page.fill("#f-phone", "012 345 678")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/cases/*")
    assert "Sokha" in page.locator("body").inner_text()

    page.goto("/cases")
    page.fill("#f-q", "+855 12 345 678")
    page.click("form.filters button[type=submit]")
    assert page.locator("table a", has_text="KH-12-2024-").count() == 1

    page.goto("/identifiers/search?value=855-12-345-678")
    body = page.locator("main").inner_text()
    assert "Sokha" in body and "KH-12-2024-" in body
    page.click(".lang[data-lang=km]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "km"
    assert "Sokha" in page.locator("main").inner_text()
