"""The pure referral rules: consent gate, overdue, answer dates."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.referrals.service import answer_errors, consent_errors, is_overdue

TODAY = date(2024, 6, 15)
REFERRED = date(2024, 6, 10)


@pytest.mark.parametrize(
    ("is_victim", "given", "on", "override", "role", "fields"),
    [
        (True, True, date(2024, 6, 9), None, "provincial_officer", []),
        (True, True, REFERRED, None, "investigator", []),
        (True, False, None, None, "provincial_officer", ["consent"]),
        (True, False, None, "   ", "admin", ["consent"]),
        (True, False, None, "child in danger", "provincial_officer", []),
        (True, False, None, "child in danger", "investigator", []),
        (True, False, None, "child in danger", "admin", []),
        (True, False, None, "child in danger", "secretariat", ["consent"]),
        (True, False, None, "child in danger", "ngo_caseworker", ["consent"]),
        (True, True, None, None, "provincial_officer", ["consent_on"]),
        (True, True, date(2024, 6, 16), None, "provincial_officer", ["consent_on"]),
        (True, True, date(2024, 6, 11), None, "provincial_officer", ["consent_on"]),
        (False, False, None, None, "provincial_officer", []),
        (False, False, None, None, "secretariat", []),
    ],
)
def test_consent_gate(is_victim, given, on, override, role, fields):
    errors = consent_errors(
        is_victim=is_victim,
        consent_given=given,
        consent_on=on,
        override_reason=override,
        role=role,
        referred_on=REFERRED,
        today=TODAY,
    )
    assert [e.field for e in errors] == fields


@pytest.mark.parametrize(
    ("status", "referred_on", "overdue"),
    [
        ("pending", date(2024, 6, 8), False),  # 7 days: due today, not yet overdue
        ("pending", date(2024, 6, 7), True),  # 8 days
        ("pending", date(2024, 1, 1), True),
        ("accepted", date(2024, 1, 1), False),
        ("declined", date(2024, 1, 1), False),
        ("pending", TODAY, False),
    ],
)
def test_overdue_after_due_days(status, referred_on, overdue):
    assert is_overdue(status, referred_on, today=TODAY, due_days=7) is overdue


@pytest.mark.parametrize(
    ("on", "fields"),
    [
        (REFERRED, []),
        (TODAY, []),
        (date(2024, 6, 9), ["on"]),
        (date(2024, 6, 16), ["on"]),
    ],
)
def test_answer_date(on, fields):
    assert [e.field for e in answer_errors(on, referred_on=REFERRED, today=TODAY)] == fields
