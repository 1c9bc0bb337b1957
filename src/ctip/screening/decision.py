"""The screening decision: a pure, explainable function of the answers (no database, no web).

A person is screened on the three Palermo elements — an *act*, a *means* and a *purpose* of
exploitation — and on the ILO's eleven forced-labour indicators. Each element is
*established* (at least one option listed), *absent* (assessed, nothing listed) or *unknown*
(not assessed). A child (under 18 on the date of the act) needs no means. The outcome is a
screening result, not a trafficking status: an authorised user confirms the status later.

Rules, applied in order:

1. ``presumed_victim``: act and purpose established, and means established or a child;
2. ``possible_victim``: two or more ILO indicators, or two of the three elements established
   while the remaining required element is unknown;
3. ``not_indicated``: a required element absent and at most one ILO indicator;
4. ``insufficient_information`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

from ctip.errors import FieldError, ValidationFailed
from ctip.i18n import translate
from ctip.reference import EXPLOITATION_TYPES

ACTS = ("recruitment", "transport", "transfer", "harbouring", "receipt")
MEANS = (
    "threat",
    "use_of_force",
    "coercion",
    "abduction",
    "fraud",
    "deception",
    "abuse_of_power",
    "abuse_of_vulnerability",
    "payments",
)
PURPOSES = EXPLOITATION_TYPES
ILO_INDICATORS = (
    "abuse_of_vulnerability",
    "deception",
    "restriction_of_movement",
    "isolation",
    "physical_and_sexual_violence",
    "intimidation_and_threats",
    "retention_of_documents",
    "withholding_of_wages",
    "debt_bondage",
    "abusive_conditions",
    "excessive_overtime",
)
ELEMENTS: dict[str, tuple[str, ...]] = {"act": ACTS, "means": MEANS, "purpose": PURPOSES}
RESULTS = ("presumed_victim", "possible_victim", "not_indicated", "insufficient_information")
CHILD_AGE = 18
MAX_AGE = 120

ESTABLISHED, ABSENT, UNKNOWN = "established", "absent", "unknown"
_ALLOWED = {name: frozenset(options) for name, options in ELEMENTS.items()}
_ALLOWED["indicators"] = frozenset(ILO_INDICATORS)
_ALLOWED["assessed"] = frozenset(ELEMENTS)


@dataclass(frozen=True)
class Answers:
    """What the screener established: options per element, assessed elements, indicators, age.

    Age on the date of the act comes from ``date_of_birth`` and ``date_of_act`` when both are
    known, else from ``age_at_act``.
    """

    act: tuple[str, ...] = ()
    means: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    assessed: frozenset[str] = frozenset()
    indicators: tuple[str, ...] = ()
    age_at_act: int | None = None
    date_of_birth: date | None = None
    date_of_act: date | None = None


class Reason(NamedTuple):
    """One step of the explanation: an English template (the message id) and its values."""

    template: str
    params: Mapping[str, Any] = MappingProxyType({})

    @property
    def message(self) -> str:
        return self.template % dict(self.params) if self.params else self.template

    def translated(self, language: str | None = None) -> str:
        text = translate(self.template, language)
        return text % dict(self.params) if self.params else text


class Decision(NamedTuple):
    """The outcome with why (``reasons``) and what would make it firmer (``missing``)."""

    result: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    elements: Mapping[str, str]
    age: int | None
    child: bool


def age_on(born: date, on: date) -> int:
    """Whole years between ``born`` and ``on``; the birthday itself counts as a year more."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _unknown_codes(name: str, values: Iterable[str]) -> FieldError | None:
    allowed = _ALLOWED[name]
    if allowed.issuperset(values):
        return None
    bad = [v for v in values if v not in allowed]
    return FieldError(
        name,
        "unknown code %(value)s; one of %(allowed)s",
        {"value": ", ".join(bad), "allowed": ", ".join(sorted(_ALLOWED[name]))},
    )


def _age_errors(answers: Answers) -> list[FieldError]:
    errors: list[FieldError] = []
    age = answers.age_at_act
    if age is not None and not 0 <= age <= MAX_AGE:
        errors.append(
            FieldError("age_at_act", "an age must be between 0 and %(n)s", {"n": MAX_AGE})
        )
    born, act = answers.date_of_birth, answers.date_of_act
    if born is not None and act is not None:
        if born > act:
            errors.append(
                FieldError("date_of_birth", "the date of birth is after the date of the act")
            )
        elif age_on(born, act) > MAX_AGE:
            errors.append(
                FieldError(
                    "date_of_birth", "the age at the act would be over %(n)s", {"n": MAX_AGE}
                )
            )
    return errors


def validate(answers: Answers) -> None:
    """Refuse unknown codes (naming the field) and impossible ages."""
    checks = (
        ("act", answers.act),
        ("means", answers.means),
        ("purpose", answers.purpose),
        ("indicators", answers.indicators),
        ("assessed", answers.assessed),
    )
    errors = [e for name, values in checks if (e := _unknown_codes(name, values)) is not None]
    if answers.age_at_act is not None or answers.date_of_birth is not None:
        errors += _age_errors(answers)
    if errors:
        raise ValidationFailed(errors)


def age_at_act(answers: Answers) -> int | None:
    """Age on the date of the act: from the two dates when both are known, else as given."""
    if answers.date_of_birth is not None and answers.date_of_act is not None:
        return age_on(answers.date_of_birth, answers.date_of_act)
    return answers.age_at_act


def element_states(answers: Answers) -> dict[str, str]:
    """Each element: ``established`` when an option is listed, ``absent`` when assessed
    without one, else ``unknown``."""
    assessed = answers.assessed
    return {
        element: ESTABLISHED if options else ABSENT if element in assessed else UNKNOWN
        for element, options in (
            ("act", answers.act),
            ("means", answers.means),
            ("purpose", answers.purpose),
        )
    }


_ESTABLISHED_TEMPLATES = {
    "act": "act established: %(options)s",
    "means": "means established: %(options)s",
    "purpose": "purpose established: %(options)s",
}
_ABSENT_TEMPLATES = {
    "act": "act assessed and absent",
    "means": "means assessed and absent",
    "purpose": "purpose assessed and absent",
}


def _element_reasons(status: Mapping[str, str], answers: Answers) -> list[Reason]:
    reasons = []
    for element, state in status.items():
        if state == ESTABLISHED:
            reasons.append(
                Reason(
                    _ESTABLISHED_TEMPLATES[element],
                    {"options": ", ".join(getattr(answers, element))},
                )
            )
        elif state == ABSENT:
            reasons.append(Reason(_ABSENT_TEMPLATES[element]))
    return reasons


def _age_reason(age: int | None, child: bool) -> Reason | None:
    if age is None:
        return None
    if child:
        return Reason("a child (age %(age)s on the date of the act): no means needed", {"age": age})
    return Reason("an adult (age %(age)s on the date of the act): means needed", {"age": age})


def _rule(
    status: Mapping[str, str], required: tuple[str, ...], child: bool, n_indicators: int
) -> str:
    """Rules 1–4 in order (see the module docstring)."""
    established = {e for e, s in status.items() if s == ESTABLISHED}
    if {"act", "purpose"} <= established and ("means" in established or child):
        return "presumed_victim"
    rest = [e for e in ELEMENTS if e not in established]
    two_and_unknown = len(established) == 2 and rest[0] in required and status[rest[0]] == UNKNOWN
    if n_indicators >= 2 or two_and_unknown:
        return "possible_victim"
    if any(status[e] == ABSENT for e in required) and n_indicators <= 1:
        return "not_indicated"
    return "insufficient_information"


def _missing(
    status: Mapping[str, str], required: tuple[str, ...], age: int | None, means_established: bool
) -> tuple[str, ...]:
    missing = [e for e in required if status[e] == UNKNOWN]
    if age is None and not means_established:
        missing.append("age_at_act")
    return tuple(missing)


def decide(answers: Answers) -> Decision:
    """The screening outcome of valid ``answers`` with its reasons and what is missing."""
    status = element_states(answers)
    age = age_at_act(answers)
    child = age is not None and age < CHILD_AGE
    required = ("act", "purpose") if child else ("act", "means", "purpose")
    indicators = tuple(dict.fromkeys(answers.indicators))
    result = _rule(status, required, child, len(indicators))
    reasons = _element_reasons(status, answers)
    age_reason = _age_reason(age, child)
    if age_reason is not None:
        reasons.append(age_reason)
    if indicators:
        reasons.append(
            Reason(
                "%(n)s ILO indicators: %(list)s",
                {"n": len(indicators), "list": ", ".join(indicators)},
            )
        )
    return Decision(
        result,
        tuple(reasons),
        _missing(status, required, age, status["means"] == ESTABLISHED),
        status,
        age,
        child,
    )


def evaluate(answers: Answers) -> Decision:
    """Validate, then decide: the one call views, services and the CLI use."""
    validate(answers)
    return decide(answers)


def answers_from(data: Mapping[str, Any]) -> Answers:
    """Build ``Answers`` from plain lists and values (API bodies, stored screenings)."""
    return Answers(
        act=tuple(data.get("act") or ()),
        means=tuple(data.get("means") or ()),
        purpose=tuple(data.get("purpose") or ()),
        assessed=frozenset(data.get("assessed") or ()),
        indicators=tuple(data.get("indicators") or ()),
        age_at_act=data.get("age_at_act"),
        date_of_birth=data.get("date_of_birth"),
        date_of_act=data.get("date_of_act"),
    )
