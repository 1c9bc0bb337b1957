"""The journeys that matter most, in a real headless Chromium."""

from __future__ import annotations

from tests.browser.conftest import log_in


def test_log_in_and_switch_to_khmer(page, live_server):
    log_in(page)
    assert page.locator("h1").inner_text() == "Dashboard"
    page.click("a.lang[data-lang=km]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ផ្ទាំងគ្រប់គ្រង"
    assert page.locator("html").get_attribute("lang") == "km"
    page.screenshot(path=str(live_server.settings.data_dir / "dashboard-km.png"))


def test_wrong_password_shows_message(page):
    log_in_page = page.goto("/login")
    assert log_in_page is not None and log_in_page.status == 200
    page.fill("#username", "officer")
    page.fill("#password", "wrong-password")
    page.click("button[type=submit]")
    assert "Wrong username or password" in page.locator("[role=alert]").inner_text()
