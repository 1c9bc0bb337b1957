"""Case pages through the in-process client, logged in through the real form."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from ctip.auth.scope import SYSTEM
from ctip.cases import participants
from ctip.cases.models import Case, CasePerson
from tests.conftest import csrf_of, login


def _soup(response):
    """The page parsed; a page that should have worked (a GET) must answer 200 first."""
    if response.request.method == "GET":
        assert response.status_code == 200, (response.status_code, response.text[:300])
    return BeautifulSoup(response.text, "html.parser")


def _field_errors(response):
    return {
        p["data-field"]: p.get_text(strip=True)
        for p in BeautifulSoup(response.text, "html.parser").select("[data-field]")
        if p.name == "p"
    }


@pytest.fixture
def officer(client, make_user):
    user = make_user("provincial_officer", province="KH-1")
    login(client, user.username)
    return user


def _post(client, url, data, page=None):
    token = csrf_of(client.get(page or url).text)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


NEW = {
    "title": "Girls recruited for a karaoke bar",
    "province": "KH-1",
    "opened_on": "2024-03-05",
    "exploitation_types": ["SexualExploitation"],
    "origin_countries": ["KH"],
    "summary": "Reported by a hotline caller",
}


def _new_case(client, **fields):
    response = _post(client, "/cases/new", {**NEW, **fields})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_new_case_form_and_case_page(client, officer):
    form = _soup(client.get("/cases/new"))
    assert len(form.select("#f-province option")) == 26
    assert form.select_one("#f-province option[selected]")["value"] == "KH-1"
    assert {i["value"] for i in form.select("input[name=exploitation_types]")} >= {
        "ForcedLabour",
        "SexualExploitation",
    }
    case_id = _new_case(client)
    page = _soup(client.get(f"/cases/{case_id}"))
    assert page.select_one("#reference").get_text() == "KH-1-2024-000001"
    assert page.select_one("#status")["data-status"] == "reported"
    options = [o["value"] for o in page.select("#transition select[name=status] option")]
    assert options == ["under_investigation", "referred", "closed"]
    chosen = page.select_one("#transition select[name=status] option[selected]")
    assert chosen["value"] == "under_investigation"  # the natural next step, not the first
    on = page.select_one("#transition input[name=on]")
    assert on.has_attr("required") and on["value"] == date.today().isoformat()
    assert page.select_one(".timeline li")["data-to-status"] == "reported"


def test_unknown_province_shows_the_form_again(client, officer, db):
    count = db.scalar(select(func.count(Case.id)))
    response = _post(client, "/cases/new", {**NEW, "province": "KH-99"})
    assert response.status_code == 422
    assert _field_errors(response) == {"province": "unknown province code KH-99"}
    assert _soup(response).select_one("#f-title")["value"] == NEW["title"]
    assert db.scalar(select(func.count(Case.id))) == count


def test_form_messages_in_khmer(client, officer):
    client.get("/lang/km")
    response = _post(client, "/cases/new", {**NEW, "opened_on": "not a date", "title": ""})
    assert response.status_code == 422
    errors = _field_errors(response)
    assert set(errors) == {"opened_on", "title"}
    assert all(any("\u1780" <= ch <= "\u17ff" for ch in text) for text in errors.values())


def test_officer_outside_province_sees_the_message(client, officer):
    response = _post(client, "/cases/new", {**NEW, "province": "KH-2"})
    assert response.status_code == 403
    assert _field_errors(response) == {"province": "you work in KH-1 and cannot act in KH-2"}


def test_another_provinces_case_is_not_found(client, officer, make_case):
    other = make_case(province="KH-2")
    assert client.get(f"/cases/{other.id}").status_code == 404
    assert client.get(f"/cases/{other.id}/edit").status_code == 404
    assert other.reference not in client.get("/cases").text


def test_verdict_before_charge_refused_on_the_page(client, officer, db):
    case_id = _new_case(client)
    url = f"/cases/{case_id}/transitions"
    page = f"/cases/{case_id}"
    assert (
        _post(client, url, {"status": "under_investigation", "on": "2024-03-06"}, page).status_code
        == 303
    )
    refused = _post(client, url, {"status": "convicted", "on": "2024-03-07"}, page)
    assert refused.status_code == 409
    assert (
        "a verdict needs a charge first: the case is under investigation"
        in _field_errors(refused).values()
    )
    assert db.get(Case, case_id).status == "under_investigation"
    assert _soup(refused).select_one("#transition input[name=on]")["value"] == "2024-03-07"


def test_a_refused_move_keeps_what_was_chosen(client, officer, db):
    case_id = _new_case(client)
    page = f"/cases/{case_id}"
    url = f"/cases/{case_id}/transitions"
    chosen = {"status": "referred", "on": "2999-01-01", "note": "to the border police"}
    refused = _post(client, url, chosen, page)
    assert refused.status_code == 422
    assert set(_field_errors(refused)) == {"on"}
    kept = _soup(refused)
    assert kept.select_one("#transition option[selected]")["value"] == "referred"
    assert kept.select_one("#transition input[name=on]")["value"] == "2999-01-01"
    assert kept.select_one("#transition input[name=note]")["value"] == "to the border police"


def test_a_blank_date_is_refused_not_taken_as_today(client, officer, db):
    case_id = _new_case(client)
    page = f"/cases/{case_id}"
    url = f"/cases/{case_id}/transitions"
    refused = _post(client, url, {"status": "under_investigation", "on": "", "note": "x"}, page)
    assert refused.status_code == 422
    assert set(_field_errors(refused)) == {"on"}
    assert _soup(refused).select_one("#transition input[name=note]")["value"] == "x"
    assert db.get(Case, case_id).status == "reported"


@pytest.mark.parametrize("target", ["closed"])
def test_a_closure_is_confirmed_before_it_is_recorded(client, officer, db, target):
    case_id = _new_case(client)
    page = f"/cases/{case_id}"
    url = f"/cases/{case_id}/transitions"
    asked = _post(client, url, {"status": target, "on": "2024-03-06", "note": "unfounded"}, page)
    assert asked.status_code == 200
    confirm = _soup(asked).select_one("#confirm-transition")
    sent = {i["name"]: i.get("value", "") for i in confirm.select("input")}
    assert (sent["status"], sent["on"], sent["confirmed"]) == (target, "2024-03-06", "yes")
    assert db.get(Case, case_id).status == "reported"
    sent.pop("csrf_token")
    assert _post(client, url, sent, page).status_code == 303
    assert db.get(Case, case_id).status == target


def test_follow_a_case_to_its_verdict(client, officer, db):
    case_id = _new_case(client)
    for status, on in [
        ("under_investigation", "2024-03-06"),
        ("charged", "2024-04-01"),
        ("at_trial", "2024-06-01"),
        ("convicted", "2024-08-01"),
    ]:
        response = _post(
            client,
            f"/cases/{case_id}/transitions",
            {"status": status, "on": on, "confirmed": "yes"},
            f"/cases/{case_id}",
        )
        assert response.status_code == 303, response.text
    page = _soup(client.get(f"/cases/{case_id}"))
    assert [li.get("data-to-status") for li in page.select(".timeline li")] == [
        "reported",
        "under_investigation",
        "charged",
        "at_trial",
        "convicted",
    ]
    assert [o["value"] for o in page.select("#transition option")] == ["closed"]


def test_record_a_victim_with_a_phone_and_find_it(client, officer):
    case_id = _new_case(client)
    form = _soup(client.get(f"/cases/{case_id}/persons/new"))
    assert form.select_one("#f-role option[selected]")["value"] == "victim"
    response = _post(
        client,
        f"/cases/{case_id}/persons/new",
        {
            "role": "victim",
            "given_name": "Sokha",
            "family_name": "Chea",
            "name_km": "ចា សុខា",
            "sex": "Feminine",
            "estimated_age": "17",
            "nationalities": ["KH"],
            "phone": "012 345 678",
            "trafficking_status": "PossibleVictimOfTrafficking",
            "methods_of_control": ["DebtBondage"],
            "recruitment_apps": ["Telegram"],
        },
    )
    assert response.status_code == 303, response.text
    page = _soup(client.get(f"/cases/{case_id}"))
    row = page.select_one("table.participants tr[data-role=victim]")
    assert row.select_one("a").get_text() == "Sokha Chea"
    assert row.select_one("a")["href"] == f"/persons/{row['data-person-id']}"
    assert "+85512345678" in page.select_one("table.identifiers").get_text()
    found = _soup(client.get("/cases", params={"q": "855-12-345-678"}))
    assert [tr["data-case-id"] for tr in found.select("tr[data-case-id]")] == [str(case_id)]


def test_person_form_errors_write_nothing(client, officer, db):
    case_id = _new_case(client)
    response = _post(
        client,
        f"/cases/{case_id}/persons/new",
        {
            "role": "victim",
            "given_name": "Sokha",
            "date_of_birth": "2099-01-01",
            "custody_status": "in_custody",
        },
    )
    assert response.status_code == 422
    assert set(_field_errors(response)) == {"date_of_birth", "custody_status"}
    assert db.scalar(select(func.count(CasePerson.id)).where(CasePerson.case_id == case_id)) == 0


def test_same_person_same_role_on_the_page(client, officer, make_person, db):
    case_id = _new_case(client)
    person = make_person()
    participants.add_participant(
        db, actor=SYSTEM, case_id=case_id, person_id=person.id, role="victim"
    )
    response = _post(
        client, f"/cases/{case_id}/persons/new", {"role": "victim", "person_id": str(person.id)}
    )
    assert response.status_code == 409
    assert _field_errors(response) == {"role": "this person is already on the case as victim"}


def test_add_event_on_the_page(client, officer):
    case_id = _new_case(client)
    page = f"/cases/{case_id}"
    bad = _post(
        client,
        f"/cases/{case_id}/events",
        {"event_type": "border_crossing", "occurred_on": "2099-01-01"},
        page,
    )
    assert bad.status_code == 422
    assert list(_field_errors(bad)) == ["occurred_on"]
    ok = _post(
        client,
        f"/cases/{case_id}/events",
        {
            "event_type": "border_crossing",
            "occurred_on": "2024-02-20",
            "border_crossing": "poipet",
            "description": "Crossed with a broker",
        },
        page,
    )
    assert ok.status_code == 303
    item = _soup(client.get(page)).select_one(".timeline li[data-event-type=border_crossing]")
    assert "Poipet" in item.get_text() and "Crossed with a broker" in item.get_text()


def test_edit_with_a_stale_version(client, officer, db):
    case_id = _new_case(client)
    edit = f"/cases/{case_id}/edit"
    form = _soup(client.get(edit))
    assert form.select_one("input[name=version]")["value"] == "1"
    data = {**NEW, "title": "Karaoke bar, Poipet", "version": "1"}
    assert _post(client, edit, data).status_code == 303
    stale = _post(client, edit, {**data, "title": "Someone else's title"})
    assert stale.status_code == 409
    assert "version" in _field_errors(stale)
    assert db.get(Case, case_id).title == "Karaoke bar, Poipet"


def test_list_page_filters_and_pages_of_fifty(client, officer, make_case):
    for day in range(51):
        make_case(
            province="KH-1",
            title=f"case {day:02d}",
            opened_on=date(2024, 1, 1).replace(day=1 + day % 28),
        )
    make_case(province="KH-1", title="marriage", exploitation_types=["ForcedMarriage"])
    first = _soup(client.get("/cases"))
    assert len(first.select("tr[data-case-id]")) == 50
    assert first.select_one("a[rel=next]") is not None
    second = _soup(client.get("/cases", params={"page": 2}))
    assert len(second.select("tr[data-case-id]")) == 2
    typed = _soup(client.get("/cases", params={"type": "ForcedMarriage"}))
    assert [a.get_text() for a in typed.select("tr[data-case-id] td:nth-of-type(2)")] == [
        "marriage"
    ]
    bad = client.get("/cases", params={"opened_from": "yesterday"})
    assert bad.status_code == 422 and "opened_from" in _field_errors(bad)


def test_ngo_caseworker_sees_only_the_victim_side(
    client, make_org, make_user, make_case, make_person, db
):
    from ctip.referrals.models import Referral

    ngo = make_org("Shelter", org_type="NGO", is_agency=False)
    worker = make_user("ngo_caseworker", org=ngo)
    case = make_case()
    for name, role in (("Sokha", "victim"), ("Dara", "suspect")):
        participants.add_participant(
            db, actor=SYSTEM, case_id=case.id, person_id=make_person(given_name=name).id, role=role
        )
    db.add(
        Referral(
            case_id=case.id,
            to_org_id=ngo.id,
            reason="Other",
            referred_on=date(2024, 2, 1),
            consent_given=True,
        )
    )
    db.flush()
    login(client, worker.username)
    page = _soup(client.get(f"/cases/{case.id}"))
    assert [tr["data-role"] for tr in page.select("table.participants tr[data-role]")] == ["victim"]
    assert page.select_one("#transition") is None and page.select_one("#add-event") is None


def test_a_recorded_person_is_attached_by_name_never_by_number(client, officer, make_person, db):
    case_id = _new_case(client)
    other_case = _new_case(client)
    sokha = make_person(given_name="Sokha", family_name="Chea")
    twins = [make_person(given_name="Dara", family_name="Kim") for _ in range(2)]
    for person in (sokha, *twins):  # on a case the officer sees, so in scope
        participants.add_participant(
            db, actor=SYSTEM, case_id=other_case, person_id=person.id, role="witness"
        )
    form = _soup(client.get(f"/cases/{case_id}/persons/new"))
    assert form.select_one("input[name=person_id]") is None  # no box for an internal number
    url = f"/cases/{case_id}/persons/new"
    assert _post(client, url, {"role": "victim", "person": "chea sok"}).status_code == 303
    roles = db.scalars(select(CasePerson.person_id).where(CasePerson.case_id == case_id)).all()
    assert roles == [sokha.id]
    several = _post(client, url, {"role": "witness", "person": "Kim Dara"})
    assert several.status_code == 422
    offered = {int(i["value"]) for i in _soup(several).select("#person-choices input")}
    assert offered == {p.id for p in twins}
    nobody = _post(client, url, {"role": "witness", "person": "Nobody Here"})
    assert _field_errors(nobody) == {"person": "no person of that name that you may see"}
    chosen = _post(client, url, {"role": "witness", "person_id": str(twins[1].id)})
    assert chosen.status_code == 303


def test_malformed_query_on_a_khmer_page_names_the_field_in_khmer(client, officer):
    """A query value the route cannot read answers a page in the reader's language, naming
    the field by its written name (not pydantic's English message)."""
    client.get("/lang/km")
    response = client.get("/cases/abc")
    assert response.status_code == 422, response.text[:300]
    alert = BeautifulSoup(response.text, "html.parser").select_one("[role=alert]").get_text()
    assert "Input should be" not in alert and "page:" not in alert
    assert any("\u1780" <= ch <= "\u17ff" for ch in alert)
