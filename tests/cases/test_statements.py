"""SQL statements per request for the registry's busiest reads (issue 13): the case detail
(API and page), the person page and the case list, counted with SQLAlchemy's
``before_cursor_execute`` on SQLite and PostgreSQL. Each count includes the request's
audit write, and transaction control (BEGIN, SAVEPOINT, COMMIT) is left out."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from ctip.auth.scope import SYSTEM
from ctip.cases import participants as roles
from ctip.identifiers import service as identifiers
from ctip.referrals import service as referrals
from tests.conftest import api_headers, login

CONTROL = ("begin", "savepoint", "release", "commit", "rollback")


@pytest.fixture
def statements(app):
    # The actor comes from the actor cache (tests/speed/test_actor_cache.py counts its one
    # query); its longest life keeps a slow machine from expiring it between two requests.
    app.state.settings = app.state.settings.model_copy(update={"actor_cache_seconds": 10})
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        if not statement.lstrip().lower().startswith(CONTROL):
            seen.append(statement)

    engine = app.state.sessions.kw["bind"].engine
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def busy_case(db, make_case, make_person, make_org):
    """A KH-1 case with a victim, a suspect and a broker, their phones, a phone on the
    case, three referrals and a few timeline events."""
    case = make_case(province="KH-1")
    people = [
        (make_person(given_name="Sokha"), "victim"),
        (make_person(given_name="Dara"), "suspect"),
        (make_person(given_name="Vanna"), "broker"),
    ]
    for i, (person, role) in enumerate(people):
        roles.add_participant(db, actor=SYSTEM, case_id=case.id, person_id=person.id, role=role)
        identifiers.add(
            db, actor=SYSTEM, id_type="phone", value=f"01234567{i}", person_id=person.id
        )
    identifiers.add(db, actor=SYSTEM, id_type="phone", value="099888777", case_id=case.id)
    victim = people[0][0]
    for n in range(3):
        org = make_org(f"Shelter {n}", org_type="NGO", is_agency=False)
        referrals.create(
            db,
            actor=SYSTEM,
            case_id=case.id,
            to_org_id=org.id,
            reason="AdditionalServicesRequired",
            service="shelter",
            referred_on=date(2024, 2, 1 + n),
            person_id=victim.id,
            consent_given=True,
            consent_on=date(2024, 2, 1),
        )
    db.flush()
    return case, victim


def _count(client, statements, url, **kwargs):
    assert client.get(url, **kwargs).status_code == 200  # warm: actor cache, labels
    statements.clear()
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.text
    return list(statements)


@pytest.fixture
def officer(make_user):
    return make_user("provincial_officer", province="KH-1")


def test_api_case_detail_takes_at_most_8_statements(client, officer, busy_case, statements):
    case, _ = busy_case
    headers = api_headers(client, officer.username)
    seen = _count(client, statements, f"/api/v1/cases/{case.id}", headers=headers)
    print(len(seen), *seen, sep="\n---\n")
    assert len(seen) <= 8, seen


def test_case_page_takes_at_most_8_statements(client, officer, busy_case, statements):
    case, _ = busy_case
    login(client, officer.username)
    seen = _count(client, statements, f"/cases/{case.id}")
    print(len(seen), *seen, sep="\n---\n")
    assert len(seen) <= 8, seen


def test_person_page_takes_at_most_6_statements(client, officer, busy_case, statements):
    _, victim = busy_case
    login(client, officer.username)
    seen = _count(client, statements, f"/persons/{victim.id}")
    print(len(seen), *seen, sep="\n---\n")
    assert len(seen) <= 6, seen


def test_api_case_list_takes_at_most_3_statements(client, officer, busy_case, statements):
    headers = api_headers(client, officer.username)
    seen = _count(client, statements, "/api/v1/cases", headers=headers)
    print(len(seen), *seen, sep="\n---\n")
    assert len(seen) <= 3, seen


def test_api_keyset_page_takes_one_statement_and_no_count(
    client, officer, busy_case, make_case, statements
):
    for n in range(3):
        make_case(province="KH-1", title=f"more {n}")
    headers = api_headers(client, officer.username)
    first = client.get("/api/v1/cases", params={"page_size": 2}, headers=headers).json()
    url = f"/api/v1/cases?page_size=2&after={first['next']}"
    seen = _count(client, statements, url, headers=headers)
    assert len(seen) == 1 and "count(" not in seen[0].lower(), seen


def test_case_list_page_reads_rows_and_marks_in_one_statement(
    client, officer, busy_case, statements
):
    """The count and the page; the page's rows carry their non-punishment marks (no
    statement of its own for the flags)."""
    login(client, officer.username)
    seen = _count(client, statements, "/cases?province=KH-1")
    print(len(seen), *seen, sep="\n---\n")
    assert len(seen) <= 3, seen
    flags = [s for s in seen if "non_punishment_flags" in s]
    assert len(flags) == 1 and "mark_nonpunishment" in flags[0], seen


def test_a_second_case_list_mark_under_a_known_name_is_refused():
    from ctip.cases import hooks
    from ctip.screening import flags

    hooks.on_case_list_mark("nonpunishment")(flags.case_list_mark)  # the same: accepted
    with pytest.raises(ValueError, match="nonpunishment"):
        hooks.on_case_list_mark("nonpunishment")(lambda actor: flags.case_list_mark(actor))
