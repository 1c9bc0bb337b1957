"""Analyses of a :class:`~ctip.network.graph.Network` with igraph (and leidenalg).

Pure: plain data in, plain data out. Organisations and places are hubs many cases share (a
border crossing, the reporting agency); they are shown but never walked through, so networks
are held together by people, identifiers and cases alone.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import igraph as ig
import leidenalg

from ctip.network.graph import HUB_KINDS, OFFENDERS, Link, Network

GROWTH_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class Filters:
    """Which links a view keeps: by type and by date (undated links are always kept)."""

    types: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None

    def keeps(self, link: Link) -> bool:
        if self.types is not None and link.type not in self.types:
            return False
        if link.on is None:
            return True
        if self.since is not None and link.on < self.since:
            return False
        return not (self.until is not None and link.on > self.until)


def filtered(net: Network, filters: Filters) -> Network:
    """The network with only the links ``filters`` keeps (all nodes stay)."""
    return Network(net.nodes, [link for link in net.links if filters.keeps(link)])


def neighbourhood(net: Network, start: str, hops: int, limit: int = 400) -> tuple[Network, bool]:
    """Nodes within ``hops`` links of ``start`` (hubs are reached but not passed through),
    with the links among them; ``True`` as second value when ``limit`` nodes cut it short."""
    adjacency = net.adjacency()
    depth = {start: 0}
    queue = deque([start])
    truncated = False
    while queue:
        key = queue.popleft()
        if depth[key] >= hops or (key != start and net.nodes[key].kind in HUB_KINDS):
            continue
        for index in adjacency.get(key, []):
            link = net.links[index]
            other = link.target if link.source == key else link.source
            if other in depth:
                continue
            if len(depth) >= limit:
                truncated = True
                break
            depth[other] = depth[key] + 1
            queue.append(other)
    links = [lk for lk in net.links if lk.source in depth and lk.target in depth]
    return Network({k: replace(net.nodes[k]) for k in depth}, links), truncated


def to_igraph(net: Network, hubs: bool = False) -> tuple[ig.Graph, list[str]]:
    """An undirected igraph of the network (without organisations and places unless
    ``hubs``), and the node key of each vertex."""
    keys = [k for k, n in net.nodes.items() if hubs or n.kind not in HUB_KINDS]
    index = {k: i for i, k in enumerate(keys)}
    edges = {
        (min(index[lk.source], index[lk.target]), max(index[lk.source], index[lk.target]))
        for lk in net.links
        if lk.source in index and lk.target in index and lk.source != lk.target
    }
    graph = ig.Graph(n=len(keys), edges=sorted(edges))
    return graph, keys


@contextmanager
def _seeded(seed: int) -> Iterator[random.Random]:
    """igraph draws from Python's RNG: give it a seeded one, then restore the global."""
    rng = random.Random(seed)
    ig.set_random_number_generator(rng)
    try:
        yield rng
    finally:
        ig.set_random_number_generator(random)


def leiden(
    graph: ig.Graph, resolution: float = 1.0, seed: int = 7, engine: str = "igraph"
) -> list[int]:
    """Community of each vertex by the Leiden algorithm, optimising modularity with a
    resolution parameter (higher values give more, smaller communities), two passes (the
    leidenalg default). ``igraph`` runs igraph's C implementation; ``leidenalg`` the
    leidenalg package, ten times slower on a million edges."""
    if engine == "leidenalg":
        partition = leidenalg.find_partition(
            graph,
            leidenalg.RBConfigurationVertexPartition,
            resolution_parameter=resolution,
            seed=seed,
            n_iterations=2,
        )
        return list(partition.membership)
    with _seeded(seed):
        found = graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=2
        )
    return list(found.membership)


@dataclass
class Component:
    """One connected network, as the list page shows it."""

    keys: list[str]
    persons: int = 0
    cases: int = 0
    offenders: int = 0
    provinces: list[str] = field(default_factory=list)
    crossings: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    recent_cases: int = 0
    centre: str = ""  # the best-connected offender (or person), where the page opens
    first_seen: date | None = None

    @property
    def spans_provinces(self) -> bool:
        return len(self.provinces) > 1

    @property
    def crosses_border(self) -> bool:
        return bool(self.crossings) or any(c != "KH" for c in self.countries)


def components(net: Network, minimum_persons: int = 2) -> list[Component]:
    """Connected networks with at least ``minimum_persons`` persons, largest first; each
    with its provinces, border crossings, countries and its cases in the last year (up to the
    newest case in view, so an archive still ranks by growth)."""
    graph, keys = to_igraph(net)
    dates = [n.first_seen for n in net.nodes.values() if n.kind == "case" and n.first_seen]
    since = max(dates) - GROWTH_WINDOW if dates else None
    crossings = _crossings(net)
    degree = graph.degree()
    out = []
    for members in graph.connected_components():
        comp = _component(net, [keys[i] for i in members], since, crossings)
        if comp.persons < minimum_persons:
            continue
        people = [i for i in members if net.nodes[keys[i]].kind == "person"]
        people.sort(key=lambda i: (net.nodes[keys[i]].role not in OFFENDERS, -degree[i], keys[i]))
        comp.centre = keys[people[0]]
        out.append(comp)
    out.sort(key=lambda c: (-c.persons, -c.cases, c.centre))
    return out


def _crossings(net: Network) -> dict[str, set[str]]:
    """Node key → the border crossings its links reach."""
    out: dict[str, set[str]] = defaultdict(set)
    for link in net.links:
        if link.type == "crossed_at":
            place = net.nodes[link.target]
            out[link.source].add(place.sub or place.label)
    return out


def _component(
    net: Network, keys: list[str], since: date | None, crossings: dict[str, set[str]]
) -> Component:
    comp = Component(sorted(keys))
    provinces: set[str] = set()
    places: set[str] = set()
    countries: set[str] = set()
    for key in keys:
        node = net.nodes[key]
        places |= crossings.get(key, set())
        if node.kind == "person":
            comp.persons += 1
            comp.offenders += node.role in OFFENDERS
        elif node.kind == "case":
            comp.cases += 1
            provinces.add(node.province or "")
            countries.update(node.countries)
            if since is not None and node.first_seen and node.first_seen > since:
                comp.recent_cases += 1
            if node.first_seen and (comp.first_seen is None or node.first_seen < comp.first_seen):
                comp.first_seen = node.first_seen
    comp.provinces = sorted(p for p in provinces if p)
    comp.crossings = sorted(places)
    comp.countries = sorted(countries)
    return comp


@dataclass(frozen=True)
class Broker:
    """A person ranked by how much of the network runs through them."""

    key: str
    degree: int
    betweenness: float
    communities: int  # how many communities their direct links reach


def brokers(
    net: Network, resolution: float = 1.0, top: int = 20, cutoff: int = 8
) -> tuple[list[Broker], dict[str, int]]:
    """Offenders and others who bridge communities, by betweenness (paths up to ``cutoff``
    links long); and the community of every node."""
    graph, keys = to_igraph(net)
    if graph.vcount() == 0:
        return [], {}
    membership = leiden(graph, resolution)
    between = graph.betweenness(cutoff=cutoff)
    degree = graph.degree()
    found = []
    for i, key in enumerate(keys):
        if net.nodes[key].kind != "person":
            continue
        reach = {membership[j] for j in graph.neighbors(i)} | {membership[i]}
        two_hop = {membership[k] for j in graph.neighbors(i) for k in graph.neighbors(j)}
        found.append(Broker(key, degree[i], round(between[i], 1), len(reach | two_hop)))
    found.sort(key=lambda b: (-b.betweenness, -b.communities, b.key))
    return found[:top], {key: membership[i] for i, key in enumerate(keys)}


def shortest_path(net: Network, start: str, end: str) -> list[str]:
    """The node keys on a shortest path from ``start`` to ``end`` through people, identifiers
    and cases (``[]`` when they are not connected)."""
    graph, keys = to_igraph(net)
    index = {k: i for i, k in enumerate(keys)}
    if start not in index or end not in index:
        return []
    path = graph.get_shortest_path(index[start], index[end])
    return [keys[i] for i in path]


@dataclass(frozen=True)
class Turned:
    """A person who was a victim in one case and later a suspect or broker in another."""

    key: str
    victim_on: date
    victim_case: str
    offender_on: date
    offender_case: str
    offender_role: str


def victims_turned_offenders(net: Network) -> list[Turned]:
    """Victims who later appear as suspects or brokers (the non-punishment question, and
    the sign of a network recruiting through its own victims)."""
    victim: dict[str, Link] = {}
    offender: dict[str, Link] = {}
    for link in net.links:
        if link.on is None:
            continue
        if link.type == "victim_in":
            earlier = victim.get(link.source)
            if earlier is None or link.on < (earlier.on or link.on):
                victim[link.source] = link
        elif link.type in ("suspect_in", "broker_in"):
            later = offender.get(link.source)
            if later is None or link.on > (later.on or link.on):
                offender[link.source] = link
    out = []
    for key, was in victim.items():
        now = offender.get(key)
        if now is not None and was.on and now.on and now.on > was.on:
            role = "broker" if now.type == "broker_in" else "suspect"
            out.append(Turned(key, was.on, was.case_ref or "", now.on, now.case_ref or "", role))
    out.sort(key=lambda t: (t.offender_on, t.key), reverse=True)
    return out


def layout(net: Network, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]² for drawing (Fruchterman-Reingold, hubs included, seeded so the
    same neighbourhood is drawn the same way each time)."""
    graph, keys = to_igraph(net, hubs=True)
    if not keys:
        return {}
    if len(keys) == 1:
        return {keys[0]: (0.5, 0.5)}
    with _seeded(seed) as rng:
        start = [[rng.random(), rng.random()] for _ in keys]
        coords = graph.layout_fruchterman_reingold(seed=start, niter=300).coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        key: ((x - min(xs)) / span_x, (y - min(ys)) / span_y)
        for key, x, y in zip(keys, xs, ys, strict=True)
    }


def degree_of(net: Network, keys: Iterable[str]) -> dict[str, int]:
    """Number of links of each node among ``keys``."""
    counts: dict[str, int] = defaultdict(int)
    wanted = set(keys)
    for link in net.links:
        if link.source in wanted:
            counts[link.source] += 1
        if link.target in wanted:
            counts[link.target] += 1
    return dict(counts)
