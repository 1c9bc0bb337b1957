"""What the case API and pages take and give: typed shapes, separate from the tables.

Codes (province, exploitation types, countries ...) are checked by the service, so pages, API,
imports and CLI share one set of rules and messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ctip.api_types import IsoDate, UtcDateTime
from ctip.errors import FieldError, ValidationFailed, from_pydantic

M = TypeVar("M", bound=BaseModel)


class CaseIn(BaseModel):
    """A new case (``POST /api/v1/cases`` and the new-case form)."""

    title: str = Field(max_length=200)
    province: str
    opened_on: IsoDate
    exploitation_types: list[str] = Field(default_factory=list)
    forced_labour_subtype: str | None = None
    industry: str | None = None
    origin_countries: list[str] = Field(default_factory=list)
    transit_countries: list[str] = Field(default_factory=list)
    exploitation_countries: list[str] = Field(default_factory=list)
    summary: str | None = None
    reporting_org_id: int | None = None


class CaseUpdate(BaseModel):
    """A change to a case: only the fields sent change; ``version`` is the one last read."""

    version: int
    title: str | None = Field(None, max_length=200)
    province: str | None = None
    opened_on: IsoDate | None = None
    exploitation_types: list[str] | None = None
    forced_labour_subtype: str | None = None
    industry: str | None = None
    origin_countries: list[str] | None = None
    transit_countries: list[str] | None = None
    exploitation_countries: list[str] | None = None
    summary: str | None = None
    reporting_org_id: int | None = None


class CaseFilters(BaseModel):
    """What the case list can be narrowed by."""

    reference: str | None = None
    q: str | None = None
    province: str | None = None
    status: str | None = None
    exploitation_type: str | None = None
    opened_from: IsoDate | None = None
    opened_to: IsoDate | None = None


class CaseOut(BaseModel):
    """A case as its readers see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    version: int
    title: str
    summary: str | None
    province: str
    opened_on: IsoDate
    exploitation_types: list[str]
    forced_labour_subtype: str | None
    industry: str | None
    origin_countries: list[str]
    transit_countries: list[str]
    exploitation_countries: list[str]
    status: str
    status_changed_on: IsoDate | None
    reporting_org_id: int | None
    reporting_org_name: str | None = None
    created_at: UtcDateTime | None = None


class CaseRow(BaseModel):
    """One line of the case list."""

    id: int
    reference: str
    title: str
    province: str
    opened_on: IsoDate
    status: str
    exploitation_types: list[str]
    marks: list[str] = Field(
        default_factory=list,
        description="marks other parts put on the case: `nonpunishment` when a person the "
        "reader may see on it carries an open or applied non-punishment flag",
    )


class CaseList(BaseModel):
    """One page of cases. ``total`` is ``None`` on a keyset page (``after``) unless asked
    for; ``next`` is the cursor of the page after this one (``None`` on the last)."""

    items: list[CaseRow]
    total: int | None
    page: int
    page_size: int
    next: str | None = None


class ParticipantDetails(BaseModel):
    """HTCDS role details: ``vic_`` for victims, ``per_`` for suspects and brokers."""

    trafficking_status: str | None = None
    status_decided_by: str | None = None
    status_decided_on: IsoDate | None = None
    methods_of_control: list[str] = Field(default_factory=list)
    recruitment_method: str | None = None
    recruitment_apps: list[str] = Field(default_factory=list)
    role_in_process: str | None = None
    custody_status: str | None = None
    arrested_on: IsoDate | None = None
    notes: str | None = None


class ParticipantIn(ParticipantDetails):
    """A person attached to a case in a role (``POST /api/v1/cases/{id}/persons``).

    Either ``person_id`` of an existing person, or ``person`` (the fields of a new person,
    as ``POST /api/v1/persons`` takes them) with an optional ``phone``: one transaction.
    """

    role: str
    person_id: int | None = None
    person: dict[str, Any] | None = None
    phone: str | None = None


class PersonRef(BaseModel):
    """An existing person, by id (the add-a-person form)."""

    person_id: int


class ParticipantUpdate(ParticipantDetails):
    """New role details for a person on a case; every detail is replaced."""

    version: int


class ParticipantOut(ParticipantDetails):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    person_id: int
    role: str
    version: int
    person_name: str = ""
    both_sides: bool = False


class PlaceIn(BaseModel):
    """Where an event happened: any of the administrative levels, a crossing or a name."""

    country: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    village: str | None = None
    border_crossing: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None


class EventIn(PlaceIn):
    """A timeline event (recruitment, transit, arrest, verdict ...)."""

    event_type: str
    occurred_on: IsoDate
    description: str | None = None
    person_id: int | None = None


class EventOut(BaseModel):
    id: int
    event_type: str
    occurred_on: IsoDate
    description: str | None
    place: str | None
    person_id: int | None
    from_status: str | None
    to_status: str | None
    actor_id: int | None
    actor_name: str | None


class TransitionIn(BaseModel):
    """Move a case to ``status`` on a date (default today), with an optional note."""

    status: str
    on: IsoDate | None = None
    note: str | None = None
    version: int | None = None


class ShareIn(BaseModel):
    organisation_id: int


class ShareOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    organisation_id: int
    shared_at: UtcDateTime


class IdentifierView(BaseModel):
    """An identifier as shown on the case page."""

    id: int
    id_type: str
    raw: str
    normalised: str | None
    valid: bool
    problem: str | None
    person_id: int | None


class ReferralView(BaseModel):
    """A referral as shown on the case page."""

    id: int
    to_org: str
    reason: str
    referred_on: IsoDate
    status: str
    person_id: int | None


class CaseDetail(CaseOut):
    """A case with what the caller may see of its people, timeline, identifiers, referrals."""

    participants: list[ParticipantOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)
    identifiers: list[IdentifierView] = Field(default_factory=list)
    referrals: list[ReferralView] = Field(default_factory=list)
    allowed_transitions: list[str] = Field(default_factory=list)
    can_write: bool = False


def parse(
    model: type[M],
    data: dict[str, Any],
    checks: Callable[[dict[str, Any]], list[FieldError]] | None = None,
) -> M:
    """``model`` from form or JSON ``data``; pydantic errors become per-field ValidationFailed.

    With ``checks`` (the service's own rules on plain values), the fields pydantic accepted are
    checked too, so every field's problem is reported at once (an empty title, an unknown
    province and a bad date together)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        failed = from_pydantic(exc.errors())
        if checks is None:
            raise failed
        bad = {e.field for e in failed.errors}
        plain = {k: v for k, v in data.items() if k not in bad and not _typed(model, k)}
        raise ValidationFailed(failed.errors + [e for e in checks(plain) if e.field not in bad])


def _typed(model: type[BaseModel], name: str) -> bool:
    """Whether pydantic turns the field into something other than text or a list of text
    (dates, numbers): those are checked by the service only once parsed."""
    field = model.model_fields.get(name)
    return field is None or field.annotation not in (str, str | None, list[str], list[str] | None)
