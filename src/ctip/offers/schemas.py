"""What crosses the API boundary: the check request and answer, reported offers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ctip.offers.engine import LEGACY_RISK, CheckResult
from ctip.offers.models import OfferReport

MAX_TEXT_CHARS = 10_000  # a long job post is a few thousand characters
AnswerLanguage = Literal["km", "en", "th", "vi", "zh"]


class CheckIn(BaseModel):
    """A job offer or message to check; ``lang`` is the language of the answer."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT_CHARS)
    lang: AnswerLanguage | None = None


class FlagOut(BaseModel):
    code: str
    label: str
    evidence: list[str]
    explanation: str


class IdentifierOut(BaseModel):
    kind: str
    value: str
    text: str


class CheckOut(BaseModel):
    """The answer: risk, calibrated score, quoted red flags, identifiers, advice.

    ``risk`` is ``none_found`` when no warning sign was found: never "safe". Clients
    written for the first version read ``legacy_risk`` (``low`` for ``none_found``),
    which is deprecated and will be removed in a later major version.
    """

    risk: Literal["high", "medium", "none_found", "unknown"]
    legacy_risk: Literal["high", "medium", "low", "unknown"] = Field(
        deprecated=True,
        description="Deprecated: the risk in the first version's words (low = none_found).",
    )
    score: float
    language: str
    answer_language: str
    summary: str
    flags: list[FlagOut]
    identifiers: list[IdentifierOut]
    advice: list[str]
    checklist: list[str]
    hotlines: list[str]
    reported_identifier: bool

    @classmethod
    def of(cls, result: CheckResult) -> CheckOut:
        return cls(
            risk=result.risk,
            legacy_risk=LEGACY_RISK[result.risk],
            score=result.score,
            language=result.language,
            answer_language=result.answer_language,
            summary=result.summary,
            flags=[
                FlagOut(code=f.code, label=f.label, evidence=f.evidence, explanation=f.explanation)
                for f in result.flags
            ],
            identifiers=[
                IdentifierOut(kind=i.kind, value=i.value, text=i.text) for i in result.identifiers
            ],
            advice=result.advice,
            checklist=result.checklist,
            hotlines=list(result.hotlines),
            reported_identifier=result.reported,
        )


class ReportedOfferOut(BaseModel):
    """A reported offer or scan hit, for analysts."""

    id: int
    source: str
    risk: str
    score: float
    language: str
    flags: list[str]
    status: str
    text: str
    identifiers: list[IdentifierOut]

    @classmethod
    def of(cls, offer: OfferReport) -> ReportedOfferOut:
        return cls(
            id=offer.id,
            source=offer.source,
            risk=offer.risk,
            score=offer.score,
            language=offer.language,
            flags=list(offer.flags),
            status=offer.status,
            text=offer.text,
            identifiers=[
                IdentifierOut(kind=i.kind, value=i.value, text=i.value) for i in offer.identifiers
            ],
        )


class OfferGroupOut(BaseModel):
    """Offers sharing identifiers; ``in_registry`` lists values a case also holds."""

    offers: list[ReportedOfferOut]
    identifiers: list[IdentifierOut]
    in_registry: list[str]
