"""What the referrals API takes and gives."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ctip.api_types import IsoDate


class ReferralIn(BaseModel):
    """A referral of a case (and optionally one of its people) to another organisation."""

    to_org_id: int
    reason: str = Field(
        description="HTCDS reason: AdditionalServicesRequired, MigrationOrChangeOfLocation or Other"
    )
    service: str = Field("other", description="The service asked for (shelter, medical …)")
    referred_on: IsoDate
    person_id: int | None = None
    consent_given: bool = False
    consent_on: IsoDate | None = None
    consent_override_reason: str | None = Field(None, max_length=2000)
    from_org_id: int | None = None


class ReferralResponseIn(BaseModel):
    """The receiving organisation's answer; ``version`` is the one the answerer read."""

    accept: bool
    on: IsoDate
    note: str | None = Field(None, max_length=2000)
    version: int


class ReferralOut(BaseModel):
    """A referral as the API shows it (the override reason only to those who may see it)."""

    id: int
    version: int
    case_id: int
    case_reference: str
    person_id: int | None
    from_org_id: int | None
    from_org: str | None
    to_org_id: int
    to_org: str
    reason: str
    service: str
    referred_on: IsoDate
    consent_given: bool
    consent_on: IsoDate | None
    consent_overridden: bool
    consent_override_reason: str | None
    status: str
    responded_on: IsoDate | None
    response_note: str | None
    overdue: bool


class ReferralList(BaseModel):
    items: list[ReferralOut]
    total: int
    page: int = 1
    page_size: int = 50
