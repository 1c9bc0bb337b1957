"""The network as plain data: nodes and typed, dated, sourced links built from registry rows.

Pure: no session, no SQL. ``ctip.network.extract`` reads the rows (scoped); this module turns
them into a :class:`Network`; ``ctip.network.analysis`` runs igraph over it.

One node per resolved person (the entity of the current linkage run, shown under the
smallest person id the reader may see), per identifier value (identifiers with the same blind
index are one node), per case, organisation and place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ctip.network.grading import grade_match, grade_record
from ctip.reference import BORDER_CROSSINGS

CROSSING_NAMES = {code: name for code, name, *_ in BORDER_CROSSINGS}

NODE_KINDS = ("person", "case", "identifier", "organisation", "location")
LINK_TYPES = (
    "victim_in",
    "suspect_in",
    "broker_in",
    "party_in",
    "recruited",
    "transported",
    "uses_identifier",
    "works_for",
    "held_at",
    "crossed_at",
    "reported_by",
    "same_person_as",
)
ROLE_LINKS = {"victim": "victim_in", "suspect": "suspect_in", "broker": "broker_in"}
OFFENDERS = frozenset({"suspect", "broker"})
RECRUITERS = frozenset({"RecruiterOrIntermediary", "BrokerTravelAgent"})
TRANSPORTERS = frozenset({"Transporter", "Smuggler", "TravellingPartner"})
# Nodes many cases share (agencies, crossings, compounds): shown, never walked through.
HUB_KINDS = frozenset({"organisation", "location"})
# The order in which a person's roles style the node (the most telling first).
ROLE_ORDER = ("broker", "suspect", "victim", "witness", "reporter", "guardian")


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    reference: str
    province: str
    opened_on: date
    status: str
    reporting_org_id: int | None = None
    reporting_org_type: str | None = None
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleRow:
    case_id: int
    person_id: int
    role: str
    role_in_process: str | None = None


@dataclass(frozen=True, slots=True)
class IdentifierRow:
    id: int
    id_type: str
    digest: str
    person_id: int | None = None
    case_id: int | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    case_id: int
    event_type: str
    occurred_on: date
    location_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class OrgRow:
    id: int
    name: str
    org_type: str
    province: str | None = None
    country: str = "KH"
    name_km: str | None = None


@dataclass(frozen=True, slots=True)
class LocationRow:
    id: int
    country: str = "KH"
    province: str | None = None
    border_crossing: str | None = None
    place_name: str | None = None
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class PairRow:
    """A probable match between two person records (``confirmed`` by an analyst or not)."""

    person_id_l: int
    person_id_r: int
    probability: float
    confirmed: bool = False


@dataclass
class RegistryRows:
    """Everything the network is built from, already limited to the reader's scope."""

    cases: list[CaseRow] = field(default_factory=list)
    roles: list[RoleRow] = field(default_factory=list)
    identifiers: list[IdentifierRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    orgs: list[OrgRow] = field(default_factory=list)
    locations: list[LocationRow] = field(default_factory=list)
    clusters: dict[int, int] = field(default_factory=dict)
    pairs: list[PairRow] = field(default_factory=list)


@dataclass
class Node:
    key: str
    kind: str
    record_id: int
    members: list[int] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    province: str | None = None
    country: str | None = None
    sub: str | None = None  # identifier type, organisation type, crossing code, case status
    label: str = ""
    first_seen: date | None = None
    countries: tuple[str, ...] = ()  # a case's countries of origin, transit, exploitation

    @property
    def role(self) -> str | None:
        """The role that styles a person node (broker before suspect before victim)."""
        return next((r for r in ROLE_ORDER if r in self.roles), None)

    @property
    def href(self) -> str:
        """Where a click on the node leads: the person or case record, else its network."""
        if self.kind == "person":
            return f"/persons/{self.record_id}"
        if self.kind == "case":
            return f"/cases/{self.record_id}"
        return f"/network/{self.kind}/{self.record_id}"


@dataclass(frozen=True, slots=True)
class Link:
    source: str
    target: str
    type: str
    on: date | None = None
    case_ref: str | None = None
    case_id: int | None = None
    event_id: int | None = None
    probability: float | None = None
    grading: str = "F6"

    @property
    def source_reference(self) -> str:
        """The case reference, and the timeline event when one dates the link."""
        if self.type == "same_person_as":
            return "linkage"
        ref = self.case_ref or ""
        return f"{ref} event {self.event_id}" if self.event_id else ref


@dataclass
class Network:
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)

    def adjacency(self) -> dict[str, list[int]]:
        """Node key → indices of its links."""
        out: dict[str, list[int]] = defaultdict(list)
        for i, link in enumerate(self.links):
            out[link.source].append(i)
            out[link.target].append(i)
        return out

    def find(self, kind: str, record_id: int) -> str | None:
        """The key of the node holding record ``record_id`` of ``kind`` (a person record of a
        resolved entity, any identifier of a value), if it is in the network."""
        key = f"{kind}:{record_id}"
        if key in self.nodes:
            return key
        if kind in ("person", "identifier"):
            for node in self.nodes.values():
                if node.kind == kind and record_id in node.members:
                    return node.key
        return None


class _Builder:
    def __init__(self, rows: RegistryRows) -> None:
        self.rows = rows
        self.net = Network()
        self.cases = {c.id: c for c in rows.cases}
        self.locations = {loc.id: loc for loc in rows.locations}
        self.orgs = {o.id: o for o in rows.orgs}
        self.person_keys = self._person_keys()
        self.grades: dict[int, str] = {}
        self.case_roles: dict[int, list[RoleRow]] = defaultdict(list)
        self.person_cases: dict[int, list[CaseRow]] = defaultdict(list)
        for role in rows.roles:
            if role.case_id in self.cases:
                self.case_roles[role.case_id].append(role)
                self.person_cases[role.person_id].append(self.cases[role.case_id])
        self.case_events: dict[int, list[EventRow]] = defaultdict(list)
        for event in sorted(rows.events, key=lambda e: (e.occurred_on, e.id)):
            self.case_events[event.case_id].append(event)

    def _person_keys(self) -> dict[int, str]:
        """Person record → node key: one per resolved entity, under its smallest visible id."""
        visible = {r.person_id for r in self.rows.roles if r.case_id in self.cases}
        visible |= {i.person_id for i in self.rows.identifiers if i.person_id is not None}
        reps: dict[int, int] = {}
        for pid in sorted(visible):
            reps.setdefault(self.rows.clusters.get(pid, pid), pid)
        return {pid: f"person:{reps[self.rows.clusters.get(pid, pid)]}" for pid in visible}

    def grade(self, case: CaseRow) -> str:
        grade = self.grades.get(case.id)
        if grade is None:
            grade = self.grades[case.id] = grade_record(case.reporting_org_type, case.status)
        return grade

    def person(self, pid: int) -> Node:
        key = self.person_keys[pid]
        node = self.net.nodes.get(key)
        if node is None:
            node = Node(key, "person", int(key.split(":")[1]))
            self.net.nodes[key] = node
        if pid not in node.members:
            node.members.append(pid)
        return node

    def case(self, case: CaseRow) -> Node:
        key = f"case:{case.id}"
        if key not in self.net.nodes:
            self.net.nodes[key] = Node(
                key,
                "case",
                case.id,
                province=case.province,
                sub=case.status,
                label=case.reference,
                first_seen=case.opened_on,
                countries=case.countries,
            )
        return self.net.nodes[key]

    def org(self, org_id: int) -> Node | None:
        org = self.orgs.get(org_id)
        if org is None:
            return None
        key = f"organisation:{org.id}"
        if key not in self.net.nodes:
            self.net.nodes[key] = Node(
                key,
                "organisation",
                org.id,
                province=org.province,
                country=org.country,
                sub=org.org_type,
                label=org.name,
            )
        return self.net.nodes[key]

    def location(self, loc: LocationRow) -> Node:
        key = f"location:{loc.id}"
        if key not in self.net.nodes:
            self.net.nodes[key] = Node(
                key,
                "location",
                loc.id,
                province=loc.province,
                country=loc.country,
                sub=loc.border_crossing,
                label=loc.place_name
                or CROSSING_NAMES.get(loc.border_crossing or "")
                or loc.province
                or loc.country,
            )
        return self.net.nodes[key]

    def link(
        self,
        source: Node,
        target: Node,
        type_: str,
        case: CaseRow,
        on: date | None = None,
        event_id: int | None = None,
    ) -> None:
        self.net.links.append(
            Link(
                source.key,
                target.key,
                type_,
                on or case.opened_on,
                case.reference,
                case.id,
                event_id,
                grading=self.grade(case),
            )
        )

    def seen(self, node: Node, on: date | None) -> None:
        if on is not None and (node.first_seen is None or on < node.first_seen):
            node.first_seen = on

    def build(self) -> Network:
        for case in self.rows.cases:
            self._case(case)
        self._identifiers()
        self._pairs()
        return self.net

    def _case(self, case: CaseRow) -> None:
        case_node = self.case(case)
        if case.reporting_org_id is not None:
            agency = self.org(case.reporting_org_id)
            if agency is not None:
                self.link(case_node, agency, "reported_by", case)
        roles = self.case_roles.get(case.id, [])
        for role in roles:
            person = self.person(role.person_id)
            person.roles.add(role.role)
            person.province = person.province or case.province
            self.seen(person, case.opened_on)
            self.link(person, case_node, ROLE_LINKS.get(role.role, "party_in"), case)
        self._relations(case, roles)

    def _relations(self, case: CaseRow, roles: list[RoleRow]) -> None:
        events = self.case_events.get(case.id, []) if roles else []
        victims = [r.person_id for r in roles if r.role == "victim"]
        by_type: dict[str, list[EventRow]] = defaultdict(list)
        for event in events:
            by_type[event.event_type].append(event)
        recruitment = next(iter(by_type.get("recruitment", [])), None)
        moving = next(iter(by_type.get("border_crossing", []) + by_type.get("transit", [])), None)
        for role in roles:
            if role.role not in OFFENDERS:
                continue
            kinds: list[tuple[str, EventRow | None]] = []
            if role.role == "broker" or role.role_in_process in RECRUITERS:
                kinds.append(("recruited", recruitment))
            if role.role_in_process in TRANSPORTERS:
                kinds.append(("transported", moving))
            for type_, step in kinds:
                for victim in victims:
                    self._event_link(case, role.person_id, victim, type_, step)
        self._places(case, roles, events, victims)

    def _event_link(
        self, case: CaseRow, source: int, target: int, type_: str, event: EventRow | None
    ) -> None:
        if self.person_keys[source] == self.person_keys[target]:
            return
        on = event.occurred_on if event else case.opened_on
        self.link(
            self.person(source),
            self.person(target),
            type_,
            case,
            on=on,
            event_id=event.id if event else None,
        )

    def _places(
        self, case: CaseRow, roles: list[RoleRow], events: list[EventRow], victims: list[int]
    ) -> None:
        offenders = [r.person_id for r in roles if r.role in OFFENDERS]
        present = {r.person_id for r in roles}
        for event in events:
            loc = self.locations.get(event.location_id) if event.location_id else None
            if loc is None:
                continue
            if event.person_id is not None and event.person_id not in present:
                continue  # a person the reader may not see (an NGO sees only victims)
            who = [event.person_id] if event.person_id is not None else victims
            if event.event_type == "border_crossing":
                place = self.location(loc)
                for pid in who:
                    self.link(
                        self.person(pid),
                        place,
                        "crossed_at",
                        case,
                        on=event.occurred_on,
                        event_id=event.id,
                    )
            elif loc.organisation_id is not None and event.event_type in (
                "recruitment",
                "exploitation",
            ):
                self._org_links(case, event, loc.organisation_id, offenders, victims)

    def _org_links(
        self, case: CaseRow, event: EventRow, org_id: int, offenders: list[int], victims: list[int]
    ) -> None:
        org = self.org(org_id)
        if org is None:
            return
        for pid in offenders:
            self.link(
                self.person(pid), org, "works_for", case, on=event.occurred_on, event_id=event.id
            )
        if event.event_type == "exploitation":
            for pid in victims:
                self.link(
                    self.person(pid), org, "held_at", case, on=event.occurred_on, event_id=event.id
                )

    def _identifiers(self) -> None:
        groups: dict[str, list[IdentifierRow]] = defaultdict(list)
        for ident in self.rows.identifiers:
            groups[ident.digest].append(ident)
        for rows in groups.values():
            first = min(rows, key=lambda r: r.id)
            node = Node(f"identifier:{first.id}", "identifier", first.id, sub=first.id_type)
            node.members = [r.id for r in rows]
            holders = self._holders(rows)
            if not holders:
                continue
            self.net.nodes[node.key] = node
            for holder, case in holders:
                self.link(holder, node, "uses_identifier", case, on=holder.first_seen)
                self.seen(node, holder.first_seen)

    def _holders(self, rows: Iterable[IdentifierRow]) -> list[tuple[Node, CaseRow]]:
        out: list[tuple[Node, CaseRow]] = []
        seen: set[str] = set()
        for ident in rows:
            if ident.person_id is not None and ident.person_id in self.person_keys:
                holder = self.person(ident.person_id)
                case = self._first_case(ident.person_id)
            elif ident.case_id is not None and ident.case_id in self.cases:
                case = self.cases[ident.case_id]
                holder = self.case(case)
            else:
                continue
            if case is not None and holder.key not in seen:
                seen.add(holder.key)
                out.append((holder, case))
        return out

    def _first_case(self, person_id: int) -> CaseRow | None:
        cases = self.person_cases.get(person_id, [])
        return min(cases, key=lambda c: c.opened_on) if cases else None

    def _pairs(self) -> None:
        for pair in self.rows.pairs:
            left = self.person_keys.get(pair.person_id_l)
            right = self.person_keys.get(pair.person_id_r)
            if left is None or right is None or left == right:
                continue
            self.net.links.append(
                Link(
                    left,
                    right,
                    "same_person_as",
                    probability=round(pair.probability, 4),
                    grading=grade_match(pair.probability, pair.confirmed),
                )
            )


def build(rows: RegistryRows) -> Network:
    """The network of ``rows`` (already scoped): nodes, and links with dates and sources."""
    return _Builder(rows).build()
