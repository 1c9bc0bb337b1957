"""What goes in and out of support plans (API bodies, page forms, the plan as shown)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ctip.api_types import IsoDate


class ServiceIn(BaseModel):
    """A service for the victim: HTCDS ``spl_Type``, provider, status and dates."""

    service_type: str
    provider_org_id: int | None = None
    status: str = "planned"
    start_on: IsoDate | None = None
    end_on: IsoDate | None = None


class ServiceUpdate(BaseModel):
    status: str
    end_on: IsoDate | None = None


class FollowUpIn(BaseModel):
    followed_on: IsoDate
    note: str | None = Field(None, max_length=5000)


class NoteIn(BaseModel):
    """A case note; ``shared_with`` names organisations that receive the victim or that the
    victim consented to (default: all of them)."""

    body: str = Field(max_length=10000)
    shared_with: list[int] | None = None


class TaskIn(BaseModel):
    title: str = Field(max_length=300)
    due_on: IsoDate


class StepIn(BaseModel):
    """A reintegration or repatriation step (family tracing, travel documents, arrival)."""

    step: str
    occurred_on: IsoDate
    description: str | None = Field(None, max_length=2000)


class FollowUpOut(BaseModel):
    id: int
    followed_on: IsoDate
    note: str | None


class ServiceOut(BaseModel):
    id: int
    service_type: str
    provider_org_id: int | None
    provider: str | None
    status: str
    start_on: IsoDate | None
    end_on: IsoDate | None
    followups: list[FollowUpOut]


class NoteOut(BaseModel):
    id: int
    written_on: IsoDate
    body: str
    author_org_id: int | None
    shared_with: list[int]


class TaskOut(BaseModel):
    id: int
    case_id: int
    case_reference: str
    person_id: int
    title: str
    due_on: IsoDate
    done_on: IsoDate | None
    overdue: bool


class StepOut(BaseModel):
    id: int
    step: str
    occurred_on: IsoDate
    description: str | None


class PlanOut(BaseModel):
    """A victim's support plan on a case, as the reader may see it."""

    case_id: int
    case_reference: str
    person_id: int
    person_name: str
    services: list[ServiceOut]
    notes: list[NoteOut]
    tasks: list[TaskOut]
    steps: list[StepOut]
    can_write: bool
    note_orgs: list[tuple[int, str]]
