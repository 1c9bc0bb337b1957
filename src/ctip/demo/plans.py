"""Plain data the generator produces and the loader writes: no database inside."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ctip.demo.people import IdentPlan, PersonRecord


@dataclass(slots=True)
class Participation:
    """A person in a role on a case, with the role's HTCDS details.

    ``reuse_key`` is set for brokers: an agency that already has a record of this broker
    attaches that record again instead of writing a new one.
    """

    record: PersonRecord
    role: str
    trafficking_status: str | None = None
    status_decided_by: str | None = None
    status_decided_on: date | None = None
    methods_of_control: list[str] = field(default_factory=list)
    recruitment_method: str | None = None
    recruitment_apps: list[str] = field(default_factory=list)
    role_in_process: str | None = None
    custody_status: str | None = None
    arrested_on: date | None = None
    reuse_key: str | None = None


@dataclass(slots=True)
class EventPlan:
    """A dated step on the timeline; ``person`` indexes the case's participations."""

    event_type: str
    occurred_on: date
    location: str | None = None
    description: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    person: int | None = None


@dataclass(slots=True)
class ReferralPlan:
    """A victim referred to an NGO, with consent or a recorded override."""

    person: int
    to_org: str
    from_org: str
    reason: str
    service: str
    referred_on: date
    consent_given: bool
    consent_override_reason: str | None
    status: str
    responded_on: date | None


@dataclass(slots=True)
class CasePlan:
    """One demo case, everything needed to write it."""

    index: int
    province: str
    opened_on: date
    profile: str
    title: str
    summary: str
    exploitation_types: list[str]
    forced_labour_subtype: str | None
    industry: str | None
    origin_countries: list[str]
    transit_countries: list[str]
    exploitation_countries: list[str]
    reporting_org: str
    statuses: list[tuple[str, date]]
    participations: list[Participation] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    referrals: list[ReferralPlan] = field(default_factory=list)
    identifiers: list[IdentPlan] = field(default_factory=list)
    shared_with: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.statuses[-1][0]
