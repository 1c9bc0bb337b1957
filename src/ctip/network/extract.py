"""Reading the registry for the network: SQL Core selects, each filtered by the reader's scope.

Nothing here decrypts except :func:`fill_labels`, and only for the nodes about to be shown.
Identifiers come as their blind indexes, so equal values meet without being decrypted.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.auth.holders import identifiers_shown
from ctip.auth.scope import Actor, visible_cases, visible_participants
from ctip.cases.models import Case, CaseEvent, CasePerson
from ctip.identifiers.models import Identifier
from ctip.network.graph import (
    CaseRow,
    EventRow,
    IdentifierRow,
    LocationRow,
    Network,
    OrgRow,
    PairRow,
    RegistryRows,
    RoleRow,
)
from ctip.orgs.models import Location, Organisation
from ctip.persons.models import Person
from ctip.persons.service import display_name

EVENT_TYPES = ("recruitment", "transit", "border_crossing", "exploitation")
MATCH_FLOOR = 0.5
CHUNK = 5000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _cases(session: Session, actor: Actor) -> list[CaseRow]:
    orgs = session.execute(select(Organisation.id, Organisation.org_type))
    org_types = {row.id: row.org_type for row in orgs}
    rows = session.execute(
        select(
            Case.id,
            Case.reference,
            Case.province,
            Case.opened_on,
            Case.status,
            Case.reporting_org_id,
            Case.origin_countries,
            Case.transit_countries,
            Case.exploitation_countries,
        ).where(visible_cases(actor))
    )
    return [
        CaseRow(
            r.id,
            r.reference,
            r.province,
            r.opened_on,
            r.status,
            r.reporting_org_id,
            org_types.get(r.reporting_org_id) if r.reporting_org_id else None,
            tuple(
                sorted(
                    {*r.origin_countries, *r.transit_countries, *r.exploitation_countries} - {""}
                )
            ),
        )
        for r in rows
    ]


def _roles(session: Session, actor: Actor) -> list[RoleRow]:
    rows = session.execute(
        select(
            CasePerson.case_id, CasePerson.person_id, CasePerson.role, CasePerson.role_in_process
        ).where(visible_participants(actor))
    )
    return [RoleRow(*r) for r in rows]


def _identifiers(
    session: Session, actor: Actor, person_ids: set[int], case_ids: set[int]
) -> list[IdentifierRow]:
    columns = (
        Identifier.id,
        Identifier.id_type,
        Identifier.digest,
        Identifier.person_id,
        Identifier.case_id,
    )
    out: dict[int, IdentifierRow] = {}
    for chunk in _chunks(sorted(person_ids)):
        query = select(*columns).where(
            Identifier.person_id.in_(chunk), identifiers_shown(actor, Identifier.person_id)
        )
        for r in session.execute(query):
            out[r.id] = IdentifierRow(*r)
    for chunk in _chunks(sorted(case_ids)):
        query = select(*columns).where(
            Identifier.case_id.in_(chunk), Identifier.person_id.is_(None)
        )
        for r in session.execute(query):
            out[r.id] = IdentifierRow(*r)
    return [out[k] for k in sorted(out)]


def _events(session: Session, case_ids: set[int]) -> list[EventRow]:
    out: list[EventRow] = []
    for chunk in _chunks(sorted(case_ids)):
        rows = session.execute(
            select(
                CaseEvent.id,
                CaseEvent.case_id,
                CaseEvent.event_type,
                CaseEvent.occurred_on,
                CaseEvent.location_id,
                CaseEvent.person_id,
            ).where(CaseEvent.case_id.in_(chunk), CaseEvent.event_type.in_(EVENT_TYPES))
        )
        out += [EventRow(*r) for r in rows]
    return out


def _places(session: Session) -> tuple[list[OrgRow], list[LocationRow]]:
    orgs = [
        OrgRow(*r)
        for r in session.execute(
            select(
                Organisation.id,
                Organisation.name,
                Organisation.org_type,
                Organisation.province,
                Organisation.country,
                Organisation.name_km,
            )
        )
    ]
    locations = [
        LocationRow(*r)
        for r in session.execute(
            select(
                Location.id,
                Location.country,
                Location.province,
                Location.border_crossing,
                Location.place_name,
                Location.organisation_id,
            )
        )
    ]
    return orgs, locations


def _linkage(session: Session, person_ids: set[int]) -> tuple[dict[int, int], list[PairRow]]:
    """Resolved entities and probable matches of the current linkage run, among the persons
    the reader may see (``({}, [])`` before the first run)."""
    try:
        from ctip.linkage.models import LinkDecision, LinkPair
        from ctip.linkage.service import current_run, resolved_person_ids
    except ModuleNotFoundError as exc:  # the linkage part is optional
        if exc.name and exc.name.startswith("ctip.linkage"):
            return {}, []
        raise
    clusters = {p: c for p, c in resolved_person_ids(session=session).items() if p in person_ids}
    run = current_run(session)
    pairs: dict[tuple[int, int], PairRow] = {}
    if run is not None:
        rows = session.execute(
            select(LinkPair.person_id_l, LinkPair.person_id_r, LinkPair.match_probability).where(
                LinkPair.run_id == run.id, LinkPair.match_probability >= MATCH_FLOOR
            )
        )
        for left, right, probability in rows:
            if left in person_ids and right in person_ids:
                pairs[(left, right)] = PairRow(left, right, probability)
    decided = session.execute(
        select(LinkDecision.person_id_l, LinkDecision.person_id_r, LinkDecision.decision)
    )
    for left, right, decision in decided:
        if decision == "rejected":
            pairs.pop((left, right), None)
        elif left in person_ids and right in person_ids:
            pairs[(left, right)] = PairRow(left, right, 1.0, confirmed=True)
    return clusters, list(pairs.values())


def registry_rows(session: Session, *, actor: Actor) -> RegistryRows:
    """Every row the network needs, limited to what ``actor`` may see (an NGO case worker
    gets only the victim side: the offenders' roles, identifiers and events are left out)."""
    cases = _cases(session, actor)
    case_ids = {c.id for c in cases}
    roles = [r for r in _roles(session, actor) if r.case_id in case_ids]
    person_ids = {r.person_id for r in roles}
    orgs, locations = _places(session)
    clusters, pairs = _linkage(session, person_ids)
    return RegistryRows(
        cases=cases,
        roles=roles,
        # Identifiers on a case itself are mostly the offenders' (the recruiter's number):
        # the victim side does not get them, as in ``identifiers.service``; of persons'
        # identifiers an NGO case worker gets only the referred victims' (the case page's
        # rule, ``identifiers_shown``).
        identifiers=_identifiers(
            session, actor, person_ids, case_ids if actor.sees_case_identifiers else set()
        ),
        events=_events(session, case_ids),
        orgs=orgs,
        locations=locations,
        clusters=clusters,
        pairs=pairs,
    )


def _mask(value: str | None) -> str:
    return value or "—"


def fill_labels(session: Session, net: Network) -> None:
    """Decrypt the names and identifier values of the nodes in ``net`` (and no others)."""
    people = [n.record_id for n in net.nodes.values() if n.kind == "person"]
    idents = [n.record_id for n in net.nodes.values() if n.kind == "identifier"]
    names: dict[int, str] = {}
    for chunk in _chunks(people):
        for r in session.execute(
            select(
                Person.id, Person.given_name, Person.family_name, Person.name_km, Person.aliases
            ).where(Person.id.in_(chunk))
        ):
            names[r.id] = display_name(
                Person(
                    given_name=r.given_name,
                    family_name=r.family_name,
                    name_km=r.name_km,
                    aliases=r.aliases,
                )
            )
    values: dict[int, str] = {}
    for chunk in _chunks(idents):
        for ident_id, normalised, raw in session.execute(
            select(Identifier.id, Identifier.normalised, Identifier.raw).where(
                Identifier.id.in_(chunk)
            )
        ):
            values[ident_id] = _mask(normalised or raw)
    for node in net.nodes.values():
        if node.kind == "person":
            node.label = names.get(node.record_id, "—")
        elif node.kind == "identifier":
            node.label = values.get(node.record_id, "—")


def visible_person_ids(session: Session, *, actor: Actor, person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` the actor sees in a role on a visible case."""
    ids = sorted(set(person_ids))
    out: set[int] = set()
    for chunk in _chunks(ids):
        out |= set(
            session.scalars(
                select(CasePerson.person_id).where(
                    CasePerson.person_id.in_(chunk), visible_participants(actor)
                )
            )
        )
    return out
