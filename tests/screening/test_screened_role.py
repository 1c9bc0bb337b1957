"""A roster entry joins the case as a screened person until the result or the status decides;
the case, person and entry pages show the latest screening; non-punishment flags follow role
and screening changes in the same transaction, and officers see their own province's flags."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from ctip.cases import participants
from ctip.cases import service as cases
from ctip.cases.models import CasePerson
from ctip.cases.schemas import CaseIn
from ctip.screening import flags, interventions, roster, service
from ctip.screening.models import NonPunishmentFlag, RosterEntry
from ctip.screening.schemas import ScreeningIn, StatusIn
from tests.conftest import login
from tests.screening.test_service import NOTHING, PRESUMED, TODAY

NOT_INDICATED = NOTHING  # every element assessed, none found
INSUFFICIENT: dict[str, object] = {"age_at_act": 24}
ROSTER = b"Name,Sex,Age,Nationality,Passport\nSokha Chea,F,24,KH,N0123456\n"


def _entry(db, officer, intervention) -> RosterEntry:
    roster.import_file(
        db,
        actor=officer,
        intervention_id=intervention.id,
        data=ROSTER,
        filename="r.csv",
        today=TODAY,
    )
    return db.scalar(select(RosterEntry))


def _roles(db, case_id, person_id) -> list[str]:
    return sorted(
        db.scalars(
            select(CasePerson.role).where(
                CasePerson.case_id == case_id, CasePerson.person_id == person_id
            )
        )
    )


@pytest.mark.parametrize(
    ("answers", "result", "role"),
    [
        (PRESUMED, "presumed_victim", "victim"),
        (NOT_INDICATED, "not_indicated", "screened"),
        (INSUFFICIENT, "insufficient_information", "screened"),
    ],
)
def test_a_screened_entry_is_a_victim_only_when_the_result_says_so(
    db, officer, intervention, answers, result, role
):
    entry = _entry(db, officer, intervention)
    screening = interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**answers)
    )
    assert screening.result == result
    assert _roles(db, intervention.case_id, entry.person_id) == [role]


@pytest.mark.parametrize(
    ("answers", "status", "role"),
    [
        (NOT_INDICATED, "ActualVictimOfTrafficking", "victim"),
        (PRESUMED, "NotAVictimOfTrafficking", "screened"),
        (NOT_INDICATED, "NotAVictimOfTrafficking", "screened"),
    ],
)
def test_the_trafficking_status_settles_the_role(db, officer, intervention, answers, status, role):
    entry = _entry(db, officer, intervention)
    interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**answers)
    )
    service.confirm_status(
        db,
        actor=officer,
        today=TODAY,
        data=StatusIn(
            case_id=intervention.case_id,
            person_id=entry.person_id,
            status=status,
            decided_by="Police",
            decided_on=TODAY,
        ),
    )
    assert _roles(db, intervention.case_id, entry.person_id) == [role]
    row = db.scalar(select(CasePerson).where(CasePerson.person_id == entry.person_id))
    assert row.trafficking_status == status


def test_adding_a_presumed_victim_as_a_suspect_raises_the_flag_at_once(
    db, officer, intervention, case
):
    entry = _entry(db, officer, intervention)
    interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**PRESUMED)
    )
    other = cases.create(
        db, actor=officer, data=CaseIn(title="Fraud", province="KH-18", opened_on=TODAY)
    )
    assert db.scalar(select(NonPunishmentFlag)) is None
    participants.add_participant(
        db, actor=officer, case_id=other.id, person_id=entry.person_id, role="suspect"
    )
    flag = db.scalar(
        select(NonPunishmentFlag).where(NonPunishmentFlag.person_id == entry.person_id)
    )
    assert flag is not None and flag.status == "open"
    assert flag.suspect_case_ids == [str(other.id)]


def test_reading_the_queue_writes_nothing(db, officer, case, person_on, make_actor):
    person = person_on(case, role="suspect")  # written behind the services' back
    service.record(
        db, actor=officer, case_id=case.id, person_id=person.id, data=ScreeningIn(**PRESUMED)
    )
    db.query(NonPunishmentFlag).delete()
    db.flush()
    assert flags.queue(db, actor=make_actor("secretariat")) == []
    assert db.scalar(select(NonPunishmentFlag)) is None


def test_officers_see_their_own_provinces_flags(
    db, client, officer, intervention, case, make_actor, make_user
):
    entry = _entry(db, officer, intervention)
    interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**PRESUMED)
    )
    participants.add_participant(
        db, actor=officer, case_id=case.id, person_id=entry.person_id, role="suspect"
    )
    login(client, officer.username)
    page = client.get("/screening/flags")
    assert page.status_code == 200
    html = BeautifulSoup(page.text, "html.parser")
    row = html.select_one(f"#flags tr[data-person='{entry.person_id}']")
    assert row is not None and row.select_one("form") is None  # officers see, do not decide
    outsider = make_user("provincial_officer", province="KH-1")
    client.cookies.clear()
    login(client, outsider.username)
    page = client.get("/screening/flags")
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").select_one("#flags") is None


def test_case_person_and_entry_pages_show_the_latest_screening(
    db, client, officer, intervention, case
):
    entry = _entry(db, officer, intervention)
    interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**NOT_INDICATED)
    )
    login(client, officer.username)
    link = f"/screening/cases/{case.id}/persons/{entry.person_id}#history"
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    row = BeautifulSoup(page.text, "html.parser").select_one(
        f"tr[data-person-id='{entry.person_id}']"
    )
    assert row["data-role"] == "screened"
    shown = row.select_one(".screening-result")
    assert shown["data-result"] == "not_indicated" and shown.select_one("a")["href"] == link
    person = client.get(f"/persons/{entry.person_id}")
    assert person.status_code == 200
    cell = BeautifulSoup(person.text, "html.parser").select_one("#person-roles .screening-result")
    assert cell["data-result"] == "not_indicated" and cell["href"] == link
    screened = client.get(f"/screening/entries/{entry.id}")
    assert screened.status_code == 200
    html = BeautifulSoup(screened.text, "html.parser")
    assert html.select_one("#latest-screening")["data-result"] == "not_indicated"
    assert html.select_one("#screen-again #screening-form") is not None


def test_referring_a_screened_person_needs_their_consent(db, officer, intervention, make_org):
    from ctip.errors import ValidationFailed
    from ctip.referrals import service as referrals

    entry = _entry(db, officer, intervention)
    interventions.screen_entry(
        db, actor=officer, entry_id=entry.id, today=TODAY, data=ScreeningIn(**NOT_INDICATED)
    )
    shelter = make_org("Shelter", org_type="NGO", is_agency=False)
    with pytest.raises(ValidationFailed) as caught:
        referrals.create(
            db,
            actor=officer,
            case_id=intervention.case_id,
            person_id=entry.person_id,
            to_org_id=shelter.id,
            reason="AdditionalServicesRequired",
            service="shelter",
            referred_on=TODAY,
            today=TODAY,
        )
    assert "consent" in {e.field for e in caught.value.errors}
