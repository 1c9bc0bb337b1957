"""What the network pages and API hand out."""

from __future__ import annotations

from pydantic import BaseModel

from ctip.api_types import IsoDate, UtcDateTime


class NodeOut(BaseModel):
    key: str
    kind: str
    record_id: int
    label: str
    role: str | None = None
    roles: list[str] = []
    province: str | None = None
    sub: str | None = None
    href: str
    x: float = 0.5
    y: float = 0.5
    depth: int | None = None


class LinkOut(BaseModel):
    source: str
    target: str
    type: str
    on: IsoDate | None = None
    source_reference: str
    case_id: int | None = None
    event_id: int | None = None
    probability: float | None = None
    grading: str


class NeighbourhoodOut(BaseModel):
    start: str
    hops: int
    types: list[str]
    since: IsoDate | None = None
    until: IsoDate | None = None
    truncated: bool = False
    nodes: list[NodeOut]
    links: list[LinkOut]


class NetworkSummary(BaseModel):
    centre: str
    centre_label: str
    centre_href: str
    persons: int
    offenders: int
    cases: int
    recent_cases: int
    provinces: list[str]
    crossings: list[str]
    countries: list[str]
    spans_provinces: bool
    crosses_border: bool
    first_seen: IsoDate | None = None


class BrokerOut(BaseModel):
    key: str
    label: str
    href: str
    degree: int
    betweenness: float
    communities: int


class TurnedOut(BaseModel):
    key: str
    label: str
    href: str
    victim_on: IsoDate
    victim_case: str
    offender_on: IsoDate
    offender_case: str
    offender_role: str


class NetworkListOut(BaseModel):
    order: str
    province: str | None = None
    crossing: str | None = None
    spans: str | None = None
    networks: list[NetworkSummary]
    brokers: list[BrokerOut]
    turned: list[TurnedOut]


class PathOut(BaseModel):
    nodes: list[NodeOut]
    links: list[LinkOut]


class AlertOut(BaseModel):
    id: int
    created_at: UtcDateTime
    read: bool
    reason: str
    severity: str
    person_id: int
    person_label: str
    case_id: int | None = None
    case_reference: str | None = None
    hidden: bool
    other_person_id: int | None = None
    other_person_label: str | None = None
    other_case_id: int | None = None
    other_case_reference: str | None = None
    other_role: str | None = None
    identifier_type: str | None = None
    probability: float | None = None


class AlertPage(BaseModel):
    unread: int
    items: list[AlertOut]
