"""What slow links and small screens need from every page: compressed answers, fallback fonts
for Khmer, Thai and Chinese, a skip link and the user's organisation in the header."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from ctip.web.fonts import find_font
from tests.conftest import login


def test_pages_are_compressed(client, make_user):
    user = make_user("provincial_officer", province="KH-1")
    login(client, user.username)
    page = client.get("/cases/new", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip"
    assert int(page.headers["content-length"]) < len(page.content) / 3


@pytest.mark.parametrize(
    ("script", "url"), [("khmer", "khmer.ttf"), ("thai", "thai.ttf"), ("cjk", "cjk.otf")]
)
def test_fallback_fonts_are_served(client, script, url):
    if find_font(script) is None:
        pytest.skip(f"no {script} font installed (scripts/test-env.sh installs Debian's)")
    response = client.get(f"/static/fonts/{url}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("font/")
    assert len(response.content) > 10_000


@pytest.mark.parametrize(
    ("script", "url", "encoding"), [("khmer", "khmer.ttf", "gzip"), ("cjk", "cjk.otf", None)]
)
def test_fonts_are_compressed_unless_already_compact(client, script, url, encoding):
    """The Khmer TrueType font shrinks by 60 %; the 19 MB CJK OpenType font by 20 % for
    seconds of server CPU on every request, so it is sent as it is."""
    if find_font(script) is None:
        pytest.skip(f"no {script} font installed (scripts/test-env.sh installs Debian's)")
    response = client.get(f"/static/fonts/{url}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == encoding


def test_the_header_names_the_organisation_and_offers_a_skip_link(client, make_user, make_org):
    police = make_org("Kampot Anti-Trafficking Police", province="KH-7")
    user = make_user("provincial_officer", province="KH-7", org=police)
    login(client, user.username)
    page = client.get("/")
    assert page.status_code == 200
    html = BeautifulSoup(page.text, "html.parser")
    assert html.select_one("#user-org").get_text() == "Kampot Anti-Trafficking Police"
    assert html.select_one("a.skip")["href"] == "#main" and html.select_one("main#main")
    assert html.find("script", src=False) is None or not html.find("script", src=False).string
