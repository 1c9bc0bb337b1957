"""Stored and reflected XSS: script, attribute-breaking and javascript: payloads put into every
free-text field (case title and summary, names, aliases, notes, identifiers, organisation
names, intervention place, imported roster cells, user display names, search boxes) are
rendered inert on every page that shows them."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from ctip.auth.scope import SYSTEM
from ctip.cases import service as cases
from ctip.cases.models import CasePerson
from ctip.cases.schemas import CaseIn
from ctip.identifiers import service as identifiers
from ctip.orgs.schemas import OrgIn
from ctip.orgs.service import create_org
from ctip.persons import service as persons
from ctip.persons.schemas import PersonIn
from ctip.screening import interventions, roster
from ctip.screening.schemas import InterventionIn
from tests.conftest import login

SCRIPT = "<script>alert('x1')</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
JS_URL = "javascript:alert(3)"
PAYLOADS = (SCRIPT, BREAKOUT, JS_URL)


@pytest.fixture
def stored(db, make_user):  # type: ignore[no-untyped-def]
    """One record of each kind, every free-text field holding a payload."""
    admin = make_user("admin", username="xss-admin")
    create_org(db, actor=SYSTEM, data=OrgIn(name=BREAKOUT, org_type="NGO"))
    make_user("viewer", username="xss-viewer").display_name = BREAKOUT
    case = cases.create(
        db,
        actor=SYSTEM,
        data=CaseIn(
            title=SCRIPT + BREAKOUT,
            province="KH-12",
            opened_on=date(2024, 1, 31),
            exploitation_types=["ForcedLabour"],
            summary=JS_URL + SCRIPT,
        ),
    )
    person = persons.create(
        db,
        actor=SYSTEM,
        data=PersonIn(
            given_name=SCRIPT,
            family_name=BREAKOUT,
            aliases=[JS_URL, BREAKOUT],
            notes=SCRIPT,
            address=BREAKOUT,
        ),
    )
    db.add(CasePerson(case_id=case.id, person_id=person.id, role="victim"))
    db.flush()
    identifiers.add(db, actor=SYSTEM, id_type="social_handle", value=BREAKOUT, person_id=person.id)
    identifiers.add(db, actor=SYSTEM, id_type="social_handle", value=JS_URL, case_id=case.id)
    intervention = interventions.create(
        db,
        actor=SYSTEM,
        data=InterventionIn(case_id=case.id, occurred_on=date(2024, 2, 1), place=BREAKOUT),
    )
    cells = f'Name,Sex,Age,Passport\n"{SCRIPT}",F,20,\n"{BREAKOUT}",F,21,"{JS_URL}"\n'
    roster.import_file(
        db, actor=SYSTEM, intervention_id=intervention.id, data=cells.encode(), filename="r.csv"
    )
    return {"admin": admin, "case": case, "person": person, "intervention": intervention}


def _assert_inert(html: str, where: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    scripts = [s for s in page.find_all("script") if not s.get("src")]
    assert scripts == [], where
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (where, element)
            if name in ("href", "src", "action", "formaction"):
                text = " ".join(value) if isinstance(value, list) else str(value)
                assert not text.strip().lower().startswith("javascript:"), (where, element)
    assert "<script>alert" not in html and "<img src=x" not in html, where


def test_every_page_renders_the_payloads_inert(client, stored):
    login(client, stored["admin"].username)
    case, person, intervention = stored["case"], stored["person"], stored["intervention"]
    pages = [
        "/",
        "/cases",
        f"/cases/{case.id}",
        "/persons",
        f"/persons?q={SCRIPT}",
        f"/persons/{person.id}",
        f"/persons/{person.id}/edit",
        f"/identifiers/search?value={BREAKOUT}",
        "/organisations",
        "/users",
        "/screening",
        f"/screening/interventions/{intervention.id}",
        "/referrals",
        f"/cases?q={BREAKOUT}",
        f"/login?next={JS_URL}",
        f"/no-such-page?q={SCRIPT}",
    ]
    shown = 0
    for path in pages:
        answer = client.get(path)
        assert answer.status_code in (200, 404), (path, answer.status_code)
        _assert_inert(answer.text, path)
        shown += sum(
            payload.replace("<", "&lt;").replace(">", "&gt;") in answer.text
            or payload.replace('"', "&#34;").replace("<", "&lt;").replace(">", "&gt;")
            in answer.text
            for payload in PAYLOADS
        )
    assert shown > 5  # the payloads are on the pages, as text


def test_the_roster_entry_page_renders_imported_cells_inert(client, stored, db):
    from sqlalchemy import select

    from ctip.screening.models import RosterEntry

    login(client, stored["admin"].username)
    for entry_id in db.scalars(select(RosterEntry.id)):
        answer = client.get(f"/screening/entries/{entry_id}")
        assert answer.status_code == 200
        _assert_inert(answer.text, f"entry {entry_id}")


def test_a_login_next_pointing_off_site_or_at_javascript_goes_home(client):
    for target in (JS_URL, "//evil.example/x", "https://evil.example/"):
        page = BeautifulSoup(client.get("/login", params={"next": target}).text, "html.parser")
        assert page.select_one("form[action='/login'] input[name=next]")["value"] in ("/", "/x")
