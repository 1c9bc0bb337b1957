"""The case lifecycle as a table: every allowed move, and refused ones with their reasons."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.cases.lifecycle import (
    STATUSES,
    TRANSITIONS,
    TransitionRefused,
    allowed_next,
    check_transition,
)
from ctip.cases.timeline import describe_place
from ctip.errors import InvalidTransition, ValidationFailed
from ctip.orgs.models import Location

TODAY = date(2025, 6, 30)
ON = date(2025, 6, 1)

ALLOWED = [
    ("reported", "under_investigation"),
    ("reported", "referred"),
    ("reported", "closed"),
    ("under_investigation", "charged"),
    ("under_investigation", "referred"),
    ("under_investigation", "closed"),
    ("referred", "under_investigation"),
    ("referred", "closed"),
    ("charged", "at_trial"),
    ("charged", "dismissed"),
    ("at_trial", "convicted"),
    ("at_trial", "acquitted"),
    ("at_trial", "dismissed"),
    ("convicted", "closed"),
    ("acquitted", "closed"),
    ("dismissed", "closed"),
    ("closed", "under_investigation"),
]

REFUSED = [
    (
        "under_investigation",
        "convicted",
        "a verdict needs a charge first: the case is under investigation",
    ),
    ("reported", "acquitted", "a verdict needs a charge first: the case is reported"),
    ("reported", "dismissed", "a verdict needs a charge first: the case is reported"),
    ("referred", "convicted", "a verdict needs a charge first: the case is referred"),
    ("charged", "convicted", "a verdict of convicted needs a trial first: the case is charged"),
    ("reported", "at_trial", "a trial needs a charge first: the case is reported"),
    (
        "under_investigation",
        "at_trial",
        "a trial needs a charge first: the case is under investigation",
    ),
    ("reported", "charged", "a charge needs an investigation first: the case is reported"),
    ("referred", "charged", "a charge needs an investigation first: the case is referred"),
    ("charged", "charged", "the case is already charged"),
    ("reported", "reported", "the case is already reported"),
    (
        "closed",
        "charged",
        "the case is closed; reopen it for investigation before it can become charged",
    ),
    (
        "convicted",
        "acquitted",
        "the case has a verdict (convicted); it can only be closed now, not acquitted",
    ),
    ("at_trial", "under_investigation", "a case cannot move from at trial to under investigation"),
    ("charged", "referred", "a case cannot move from charged to referred"),
    ("under_investigation", "reported", "a case cannot move from under investigation to reported"),
]


def test_table_covers_every_allowed_edge():
    assert sorted(ALLOWED) == sorted((a, b) for a, targets in TRANSITIONS.items() for b in targets)


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed(current, target):
    check_transition(current, target, ON, date(2025, 5, 1), today=TODAY)
    assert target in allowed_next(current)


@pytest.mark.parametrize(("current", "target", "message"), REFUSED)
def test_refused(current, target, message):
    with pytest.raises(InvalidTransition) as caught:
        check_transition(current, target, ON, None, today=TODAY)
    assert caught.value.message == message
    assert caught.value.field == "status"
    assert target not in allowed_next(current)


def test_refusal_reads_in_khmer():
    with pytest.raises(TransitionRefused) as caught:
        check_transition("under_investigation", "convicted", ON, None, today=TODAY)
    khmer = caught.value.translated("km")
    assert "under" not in khmer.lower() and "verdict" not in khmer
    assert khmer.startswith("សាលក្រម") and "កំពុងស៊ើបអង្កេត" in khmer


@pytest.mark.parametrize(
    ("on", "last", "message"),
    [
        (date(2025, 7, 1), None, "the date 2025-07-01 is in the future"),
        (
            date(2025, 4, 30),
            date(2025, 5, 1),
            "the date 2025-04-30 is before the last status change on 2025-05-01",
        ),
    ],
)
def test_refused_dates(on, last, message):
    with pytest.raises(ValidationFailed) as caught:
        check_transition("reported", "under_investigation", on, last, today=TODAY)
    assert [(e.field, e.message) for e in caught.value.errors] == [("on", message)]


@pytest.mark.parametrize("on", [date(2025, 5, 1), TODAY])
def test_same_day_as_last_change_and_today_are_fine(on):
    check_transition("reported", "under_investigation", on, date(2025, 5, 1), today=TODAY)


def test_unknown_status_is_a_field_error():
    with pytest.raises(ValidationFailed) as caught:
        check_transition("reported", "solved", ON, None, today=TODAY)
    assert caught.value.errors[0].field == "status"


def test_every_status_has_an_entry():
    assert set(TRANSITIONS) == set(STATUSES)


@pytest.mark.parametrize(
    "location, language, expected",
    [
        (Location(border_crossing="osmach", province="KH-22"), "en", "Oddar Meanchey, O'Smach"),
        (Location(place_name="Bangkok", country="TH"), "en", "Bangkok, Thailand"),
        (Location(place_name="Bangkok", country="TH"), "km", "Bangkok, ថៃ"),
        (None, "en", None),
    ],
)
def test_places_read_in_the_users_language(location, language, expected):
    assert describe_place(location, language) == expected
