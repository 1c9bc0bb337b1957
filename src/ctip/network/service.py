"""The network within the reader's scope: neighbourhoods, the list of networks, paths, exports.

Every function builds the network from what the actor may see (``extract.registry_rows``),
so a record outside their scope is not a node at all and asking for it answers 404. Reads
that show names are audited (``network.read``, ``network.list``); exports too
(``network.export``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise

from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_role
from ctip.errors import FieldError, NotFound, ValidationFailed
from ctip.network import analysis, cache, exports
from ctip.network.extract import fill_labels, registry_rows
from ctip.network.graph import LINK_TYPES, Link, Network, Node, build
from ctip.network.schemas import (
    BrokerOut,
    LinkOut,
    NeighbourhoodOut,
    NetworkListOut,
    NetworkSummary,
    NodeOut,
    PathOut,
    TurnedOut,
)

NETWORK_READERS = ("admin", "secretariat", "provincial_officer", "investigator", "ngo_caseworker")
START_KINDS = ("person", "case", "identifier", "organisation", "location")
MAX_HOPS = 3
ORDERS = ("size", "growth")
SPANS = ("provinces", "border")


def require_reader(actor: Actor) -> None:
    """Viewers see aggregate figures only."""
    require_role(actor, *NETWORK_READERS)


def scoped_network(session: Session, *, actor: Actor) -> Network:
    """The whole network ``actor`` may see (no labels decrypted; shared between requests of
    the same scope while the registry is unchanged, so never change it: see ``labelled``)."""
    require_reader(actor)
    return cache.network_for(session, actor, lambda: build(registry_rows(session, actor=actor)))


def labelled(session: Session, net: Network, keys: list[str] | None = None) -> Network:
    """A copy of (part of) ``net`` with the names and values of its nodes decrypted."""
    chosen = net.nodes if keys is None else {k: net.nodes[k] for k in keys}
    wanted = set(chosen)
    links = [lk for lk in net.links if lk.source in wanted and lk.target in wanted]
    copy = Network({k: replace(n) for k, n in chosen.items()}, links if keys is None else [])
    fill_labels(session, copy)
    return copy


def check_view(
    kind: str, hops: int, types: list[str] | None, since: date | None, until: date | None
) -> analysis.Filters:
    """The filters of a view, or a ``ValidationFailed`` naming each bad field."""
    errors = []
    if kind not in START_KINDS:
        errors.append(FieldError("kind", "unknown kind %(value)s", {"value": kind}))
    if not 1 <= hops <= MAX_HOPS:
        errors.append(FieldError("hops", "hops must be between 1 and %(max)s", {"max": MAX_HOPS}))
    unknown = sorted(set(types or []) - set(LINK_TYPES))
    if unknown:
        errors.append(
            FieldError("types", "unknown link type %(value)s", {"value": ", ".join(unknown)})
        )
    if since and until and since > until:
        errors.append(FieldError("until", "the end date is before the start date", {}))
    if errors:
        raise ValidationFailed(errors)
    return analysis.Filters(frozenset(types) if types else None, since, until)


def node_out(node: Node, pos: tuple[float, float] | None = None) -> NodeOut:
    x, y = pos or (0.5, 0.5)
    return NodeOut(
        key=node.key,
        kind=node.kind,
        record_id=node.record_id,
        label=node.label,
        role=node.role,
        roles=sorted(node.roles),
        province=node.province,
        sub=node.sub,
        href=node.href,
        x=round(x, 4),
        y=round(y, 4),
    )


def link_out(link: Link) -> LinkOut:
    return LinkOut(
        source=link.source,
        target=link.target,
        type=link.type,
        on=link.on,
        source_reference=link.source_reference,
        case_id=link.case_id,
        event_id=link.event_id,
        probability=link.probability,
        grading=link.grading,
    )


def _start(net: Network, kind: str, record_id: int) -> str:
    key = net.find(kind, record_id)
    if key is None:
        raise NotFound("%(kind)s %(id)s not found", kind=kind, id=record_id)
    return key


def _persons_shown(net: Network) -> list[int]:
    return sorted(m for n in net.nodes.values() if n.kind == "person" for m in n.members)


def around(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    record_id: int,
    hops: int = 2,
    types: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> tuple[Network, bool]:
    """The labelled neighbourhood of one record (1–3 hops) and whether it was cut short."""
    filters = check_view(kind, hops, types, since, until)
    net = analysis.filtered(scoped_network(session, actor=actor), filters)
    view, truncated = analysis.neighbourhood(net, _start(net, kind, record_id), hops)
    fill_labels(session, view)
    return view, truncated


def neighbourhood(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    record_id: int,
    hops: int = 2,
    types: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> NeighbourhoodOut:
    """The network page's data: nodes placed in [0, 1]², links, filters; audited."""
    view, truncated = around(
        session,
        actor=actor,
        kind=kind,
        record_id=record_id,
        hops=hops,
        types=types,
        since=since,
        until=until,
    )
    positions = analysis.layout(view)
    start = _start(view, kind, record_id)
    record(
        session,
        actor=actor,
        action="network.read",
        entity_type=kind,
        entity_id=record_id,
        after={"persons": _persons_shown(view)},
        detail=f"{hops} hops, {len(view.nodes)} nodes",
    )
    return NeighbourhoodOut(
        start=start,
        hops=hops,
        types=sorted(types or LINK_TYPES),
        since=since,
        until=until,
        truncated=truncated,
        nodes=[node_out(n, positions.get(n.key)) for n in view.nodes.values()],
        links=[link_out(lk) for lk in view.links],
    )


def _summary(comp: analysis.Component, node: Node) -> NetworkSummary:
    return NetworkSummary(
        centre=comp.centre,
        centre_label=node.label,
        centre_href=f"/network/person/{node.record_id}",
        persons=comp.persons,
        offenders=comp.offenders,
        cases=comp.cases,
        recent_cases=comp.recent_cases,
        provinces=comp.provinces,
        crossings=comp.crossings,
        countries=comp.countries,
        spans_provinces=comp.spans_provinces,
        crosses_border=comp.crosses_border,
        first_seen=comp.first_seen,
    )


def networks(
    session: Session,
    *,
    actor: Actor,
    order: str = "size",
    province: str | None = None,
    crossing: str | None = None,
    spans: str | None = None,
    limit: int = 30,
    resolution: float = 1.0,
) -> NetworkListOut:
    """The largest (or fastest-growing) networks, with the brokers who bridge communities
    and the victims who later became suspects or brokers; audited."""
    if order not in ORDERS:
        raise ValidationFailed.single("order", "unknown order %(value)s", value=order)
    if spans and spans not in SPANS:
        raise ValidationFailed.single("spans", "unknown value %(value)s", value=spans)
    net = scoped_network(session, actor=actor)
    found = analysis.components(net)
    if province:
        found = [c for c in found if province in c.provinces]
    if crossing:
        found = [c for c in found if crossing in c.crossings]
    if spans == "provinces":
        found = [c for c in found if c.spans_provinces]
    elif spans == "border":
        found = [c for c in found if c.crosses_border]
    if order == "growth":
        found.sort(key=lambda c: (-c.recent_cases, -c.persons, c.centre))
    found = found[:limit]
    ranked, _ = analysis.brokers(net, resolution=resolution, top=15)
    turned = analysis.victims_turned_offenders(net)[:30]
    shown = {c.centre for c in found} | {b.key for b in ranked} | {t.key for t in turned}
    names = labelled(session, net, sorted(shown))
    record(
        session,
        actor=actor,
        action="network.list",
        detail=f"order={order} province={province or ''} crossing={crossing or ''} "
        f"spans={spans or ''}",
        after={"persons": _persons_shown(names)},
    )
    return NetworkListOut(
        order=order,
        province=province,
        crossing=crossing,
        spans=spans,
        networks=[_summary(c, names.nodes[c.centre]) for c in found],
        brokers=[_broker_out(b, names.nodes[b.key]) for b in ranked],
        turned=[_turned_out(t, names.nodes[t.key]) for t in turned],
    )


def _broker_out(broker: analysis.Broker, node: Node) -> BrokerOut:
    return BrokerOut(
        key=broker.key,
        label=node.label,
        href=node.href,
        degree=broker.degree,
        betweenness=broker.betweenness,
        communities=broker.communities,
    )


def _turned_out(turned: analysis.Turned, node: Node) -> TurnedOut:
    return TurnedOut(
        key=turned.key,
        label=node.label,
        href=node.href,
        victim_on=turned.victim_on,
        victim_case=turned.victim_case,
        offender_on=turned.offender_on,
        offender_case=turned.offender_case,
        offender_role=turned.offender_role,
    )


def path(session: Session, *, actor: Actor, person_a: int, person_b: int) -> PathOut:
    """A shortest chain of people, identifiers and cases between two persons; audited."""
    net = scoped_network(session, actor=actor)
    keys = analysis.shortest_path(
        net, _start(net, "person", person_a), _start(net, "person", person_b)
    )
    on_path = labelled(session, net, keys)
    steps = set(pairwise(keys))
    on_path.links = [
        lk for lk in net.links if (lk.source, lk.target) in steps or (lk.target, lk.source) in steps
    ]
    record(
        session,
        actor=actor,
        action="network.read",
        entity_type="person",
        entity_id=person_a,
        after={"persons": _persons_shown(on_path), "path_to": person_b},
        detail="shortest path",
    )
    return PathOut(
        nodes=[node_out(on_path.nodes[k]) for k in keys],
        links=[link_out(lk) for lk in on_path.links],
    )


def export(
    session: Session,
    *,
    actor: Actor,
    fmt: str,
    around_person: int | None = None,
    hops: int = 2,
    kind: str = "person",
) -> bytes:
    """The network (all of it in scope, or the neighbourhood of one record) as GraphML, GEXF
    or ANX; audited as ``network.export`` with the persons it contains."""
    if fmt not in exports.FORMATS:
        raise ValidationFailed.single("format", "unknown format %(value)s", value=fmt)
    if around_person is not None:
        view, _ = around(session, actor=actor, kind=kind, record_id=around_person, hops=hops)
    else:
        view = labelled(session, scoped_network(session, actor=actor))
    data = exports.render(view, fmt)
    record(
        session,
        actor=actor,
        action="network.export",
        entity_type=kind if around_person is not None else None,
        entity_id=around_person,
        detail=f"{fmt}, {len(view.nodes)} nodes, {len(view.links)} links",
        after={"persons": _persons_shown(view), "hops": hops if around_person else None},
    )
    return data
