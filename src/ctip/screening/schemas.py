"""What the screening API and forms take and give (shapes only; rules live in the service)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ctip.api_types import IsoDate
from ctip.screening.decision import Answers, Decision, answers_from


def _listify(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


class AnswersIn(BaseModel):
    """The answers the decision needs: options per element, assessed elements, indicators,
    and the age on the date of the act (or both dates)."""

    model_config = ConfigDict(extra="ignore")

    act: list[str] = Field(default_factory=list)
    means: list[str] = Field(default_factory=list)
    purpose: list[str] = Field(default_factory=list)
    assessed: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)
    age_at_act: int | None = None
    date_of_birth: IsoDate | None = None
    date_of_act: IsoDate | None = None

    @field_validator("act", "means", "purpose", "assessed", "indicators", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _listify(value)

    def answers(self) -> Answers:
        return answers_from(self.model_dump())


class AnswerNote(BaseModel):
    """A note on one answer and where it came from."""

    question: str = Field(
        description="`<section>:<option>` (e.g. `means:deception`) or a section code"
    )
    note: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, description="interview, document or observation")


class ScreeningIn(AnswersIn):
    """A screening to record: the answers plus notes, needed services and the date."""

    screened_on: IsoDate | None = None
    notes: list[AnswerNote] = Field(default_factory=list)
    services_needed: list[str] = Field(default_factory=list)

    @field_validator("services_needed", mode="before")
    @classmethod
    def _services(cls, value: Any) -> Any:
        return _listify(value)


class ScreeningCreate(ScreeningIn):
    case_id: int
    person_id: int


class DecisionOut(BaseModel):
    """The decision: result, reasons (English), what is missing, and the element states."""

    result: str
    reasons: list[str]
    missing: list[str]
    elements: dict[str, str]
    age_at_act: int | None
    child: bool

    @classmethod
    def of(cls, decision: Decision) -> DecisionOut:
        return cls(
            result=decision.result,
            reasons=[r.message for r in decision.reasons],
            missing=list(decision.missing),
            elements=dict(decision.elements),
            age_at_act=decision.age,
            child=decision.child,
        )


class ScreeningOut(BaseModel):
    id: int
    case_id: int
    person_id: int
    roster_entry_id: int | None
    questionnaire_version: str
    screened_on: IsoDate
    act: list[str]
    means: list[str]
    purpose: list[str]
    assessed: list[str]
    indicators: list[str]
    age_at_act: int | None
    date_of_birth: IsoDate | None
    date_of_act: IsoDate | None
    services_needed: list[str]
    notes: list[AnswerNote]
    decision: DecisionOut


class StatusIn(BaseModel):
    """Confirmation of the HTCDS trafficking status of a person on a case."""

    case_id: int
    person_id: int
    status: str = Field(
        description="PossibleVictimOfTrafficking, ActualVictimOfTrafficking or "
        "NotAVictimOfTrafficking"
    )
    decided_by: str = Field(
        description="Police, NGO, CourtOrProsecution, NonPoliceGovernmentalOrganization or Other"
    )
    decided_on: IsoDate | None = None


class InterventionIn(BaseModel):
    case_id: int
    occurred_on: IsoDate
    place: str = Field(min_length=1, max_length=200)
    province: str | None = None
    agencies: list[str] = Field(default_factory=list)
    notes: str | None = Field(None, max_length=5000)

    @field_validator("agencies", mode="before")
    @classmethod
    def _agencies(cls, value: Any) -> Any:
        return _listify(value)

    @field_validator("province", "notes", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class FlagDecisionIn(BaseModel):
    decision: str = Field(description="applied or not_applied")
    reason: str = Field(min_length=1, max_length=2000)


class ReferralFromScreeningIn(BaseModel):
    """A referral of a screened person; consent, or an override with its reason."""

    to_org_id: int
    service: str
    reason: str = "AdditionalServicesRequired"
    referred_on: IsoDate | None = None
    consent_given: bool = False
    consent_on: IsoDate | None = None
    consent_override_reason: str | None = None
