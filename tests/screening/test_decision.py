"""The screening decision, rule by rule, with the age boundaries and validation."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.errors import ValidationFailed
from ctip.screening.decision import Answers, age_on, answers_from, decide, evaluate

ALL = frozenset({"act", "means", "purpose"})
ACT = ("recruitment",)
MEANS = ("deception",)
PURPOSE = ("ForcedLabour",)


def answers(**kw: object) -> Answers:
    return answers_from(kw)


CASES = [
    # rule 1: presumed victim
    (
        "adult, all three established",
        {"act": ACT, "means": MEANS, "purpose": PURPOSE, "assessed": ALL, "age_at_act": 30},
        "presumed_victim",
    ),
    (
        "child without means",
        {"act": ACT, "purpose": PURPOSE, "assessed": ALL, "age_at_act": 16},
        "presumed_victim",
    ),
    (
        "child, means never assessed",
        {"act": ACT, "purpose": PURPOSE, "assessed": {"act", "purpose"}, "age_at_act": 9},
        "presumed_victim",
    ),
    (
        "17 on the day before the 18th birthday",
        {
            "act": ACT,
            "purpose": PURPOSE,
            "assessed": ALL,
            "date_of_birth": date(2006, 5, 10),
            "date_of_act": date(2024, 5, 9),
        },
        "presumed_victim",
    ),
    (
        "established without being listed as assessed",
        {"act": ACT, "means": MEANS, "purpose": PURPOSE},
        "presumed_victim",
    ),
    # rule 2: possible victim
    (
        "18 on the birthday itself: adult, means absent, 2 indicators",
        {
            "act": ACT,
            "purpose": PURPOSE,
            "assessed": ALL,
            "date_of_birth": date(2006, 5, 10),
            "date_of_act": date(2024, 5, 10),
            "indicators": ("deception", "isolation"),
        },
        "possible_victim",
    ),
    (
        "indicators alone",
        {"indicators": ("debt_bondage", "retention_of_documents")},
        "possible_victim",
    ),
    (
        "adult, act and purpose, means unknown",
        {"act": ACT, "purpose": PURPOSE, "assessed": {"act", "purpose"}},
        "possible_victim",
    ),
    (
        "adult, act and means, purpose unknown",
        {"act": ACT, "means": MEANS, "assessed": {"act"}, "age_at_act": 25},
        "possible_victim",
    ),
    ("means and purpose, act unknown", {"means": MEANS, "purpose": PURPOSE}, "possible_victim"),
    (
        "child, act and means, purpose unknown",
        {"act": ACT, "means": MEANS, "age_at_act": 15},
        "possible_victim",
    ),
    ("age unknown: treated as needing means", {"act": ACT, "purpose": PURPOSE}, "possible_victim"),
    # rule 3: not indicated
    (
        "18 on the birthday itself: adult, means absent",
        {
            "act": ACT,
            "purpose": PURPOSE,
            "assessed": ALL,
            "date_of_birth": date(2006, 5, 10),
            "date_of_act": date(2024, 5, 10),
        },
        "not_indicated",
    ),
    (
        "adult with means absent, one indicator",
        {
            "act": ACT,
            "purpose": PURPOSE,
            "assessed": ALL,
            "age_at_act": 40,
            "indicators": ("isolation",),
        },
        "not_indicated",
    ),
    ("everything assessed, nothing found", {"assessed": ALL}, "not_indicated"),
    (
        "child, purpose absent",
        {"act": ACT, "means": MEANS, "assessed": ALL, "age_at_act": 12},
        "not_indicated",
    ),
    (
        "missing dates, age given 18: adult",
        {"act": ACT, "purpose": PURPOSE, "assessed": ALL, "age_at_act": 18},
        "not_indicated",
    ),
    # rule 4: insufficient information
    ("nothing at all", {}, "insufficient_information"),
    ("one indicator only", {"indicators": ("isolation",)}, "insufficient_information"),
    ("act only", {"act": ACT, "assessed": {"act"}}, "insufficient_information"),
    (
        "child, act only, means absent",
        {"act": ACT, "assessed": {"act", "means"}, "age_at_act": 10},
        "insufficient_information",
    ),
    (
        "date of birth without date of act, no age",
        {
            "act": ACT,
            "means": MEANS,
            "assessed": {"act", "means"},
            "date_of_birth": date(2008, 1, 1),
            "purpose": (),
        },
        "possible_victim",
    ),
]


@pytest.mark.parametrize(("title", "given", "expected"), CASES, ids=[c[0] for c in CASES])
def test_decision_table(title: str, given: dict[str, object], expected: str) -> None:
    assert evaluate(answers(**given)).result == expected


def test_birthday_counts_on_the_day() -> None:
    assert age_on(date(2006, 5, 10), date(2024, 5, 10)) == 18
    assert age_on(date(2006, 5, 10), date(2024, 5, 9)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_dates_win_over_a_given_age() -> None:
    decision = decide(
        answers(
            act=ACT,
            purpose=PURPOSE,
            assessed=ALL,
            age_at_act=30,
            date_of_birth=date(2010, 1, 1),
            date_of_act=date(2024, 1, 1),
        )
    )
    assert (decision.age, decision.child, decision.result) == (14, True, "presumed_victim")


def test_reasons_and_missing_explain_the_result() -> None:
    decision = decide(
        answers(
            act=("recruitment", "transport"),
            purpose=PURPOSE,
            assessed={"act", "purpose"},
            indicators=("isolation",),
        )
    )
    messages = [r.message for r in decision.reasons]
    assert "act established: recruitment, transport" in messages
    assert "purpose established: ForcedLabour" in messages
    assert "1 ILO indicators: isolation" in messages
    assert decision.missing == ("means", "age_at_act")
    assert decision.elements == {"act": "established", "means": "unknown", "purpose": "established"}


def test_child_reason_and_nothing_missing() -> None:
    decision = decide(answers(act=ACT, purpose=PURPOSE, assessed=ALL, age_at_act=16))
    assert decision.missing == ()
    assert any("a child (age 16 " in r.message for r in decision.reasons)


def test_reasons_translate_to_khmer() -> None:
    decision = decide(answers(act=ACT, purpose=PURPOSE, assessed=ALL, age_at_act=16))
    assert all(r.translated("km") != r.message for r in decision.reasons)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"act": ("kidnap",)}, "act"),
        ({"means": ("bribery",)}, "means"),
        ({"purpose": ("forced_labour",)}, "purpose"),
        ({"indicators": ("hunger",)}, "indicators"),
        ({"assessed": {"motive"}}, "assessed"),
        ({"age_at_act": -1}, "age_at_act"),
        ({"age_at_act": 130}, "age_at_act"),
        ({"date_of_birth": date(2020, 1, 2), "date_of_act": date(2020, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": date(1800, 1, 1), "date_of_act": date(2020, 1, 1)}, "date_of_birth"),
    ],
)
def test_invalid_answers_name_the_field(given: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        evaluate(answers(**given))
    assert [e.field for e in caught.value.errors] == [field]


def test_reasons_name_options_as_the_questionnaire_words_them() -> None:
    from ctip.screening.questionnaire import explain

    decision = decide(answers(act=("recruitment",), indicators=("debt_bondage", "isolation")))
    english = [explain(r, "en") for r in decision.reasons]
    assert english[0].startswith("act established: Recruited")
    assert "Debt bondage, Isolation" in english[-1]
    assert "ការជាប់បំណុល" in explain(decision.reasons[-1], "km")
