"""The pure core: links derived from plain rows, neighbourhoods, analyses, grading."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.network import analysis
from ctip.network.grading import grade_match, grade_record
from ctip.network.graph import (
    CaseRow,
    EventRow,
    IdentifierRow,
    LocationRow,
    OrgRow,
    PairRow,
    RegistryRows,
    RoleRow,
    build,
)

D1, D2, D3 = date(2021, 3, 1), date(2023, 6, 1), date(2024, 9, 1)


def _rows(**extra) -> RegistryRows:
    """Two cases: case 1 (2021, KH-1, police, convicted) — broker 10 recruits victim 11
    with transporter 12, across Poipet to compound 100; case 2 (2024, KH-18, NGO) —
    victim 11 is now a broker of victim 13; 10 and 14 share a phone."""
    rows = RegistryRows(
        cases=[
            CaseRow(1, "KH-1-2021-000001", "KH-1", D1, "convicted", 50, "LawEnforcement", ("TH",)),
            CaseRow(2, "KH-18-2024-000001", "KH-18", D3, "reported", 51, "NGO", ("KH",)),
        ],
        roles=[
            RoleRow(1, 10, "broker", "RecruiterOrIntermediary"),
            RoleRow(1, 11, "victim"),
            RoleRow(1, 12, "suspect", "Transporter"),
            RoleRow(2, 11, "broker"),
            RoleRow(2, 13, "victim"),
            RoleRow(2, 14, "witness"),
        ],
        identifiers=[
            IdentifierRow(500, "phone", "d-phone", person_id=10),
            IdentifierRow(501, "phone", "d-phone", person_id=14),
            IdentifierRow(502, "handle", "d-handle", case_id=2),
        ],
        events=[
            EventRow(900, 1, "recruitment", date(2021, 1, 5), None, None),
            EventRow(901, 1, "border_crossing", date(2021, 1, 20), 200, None),
            EventRow(902, 1, "exploitation", date(2021, 2, 1), 201, None),
        ],
        orgs=[
            OrgRow(50, "Provincial police", "LawEnforcement", "KH-1"),
            OrgRow(51, "Shelter", "NGO", "KH-12"),
            OrgRow(100, "Golden compound", "Employer", "KH-18"),
        ],
        locations=[
            LocationRow(200, "KH", "KH-1", "poipet"),
            LocationRow(201, "KH", "KH-18", None, "Compound", 100),
        ],
    )
    for key, value in extra.items():
        setattr(rows, key, value)
    return rows


def _links(net, type_):
    return sorted((lk.source, lk.target) for lk in net.links if lk.type == type_)


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ("broker_in", [("person:10", "case:1"), ("person:11", "case:2")]),
        ("victim_in", [("person:11", "case:1"), ("person:13", "case:2")]),
        ("suspect_in", [("person:12", "case:1")]),
        ("party_in", [("person:14", "case:2")]),
        ("recruited", [("person:10", "person:11"), ("person:11", "person:13")]),
        ("transported", [("person:12", "person:11")]),
        ("crossed_at", [("person:11", "location:200")]),
        ("works_for", [("person:10", "organisation:100"), ("person:12", "organisation:100")]),
        ("held_at", [("person:11", "organisation:100")]),
        ("reported_by", [("case:1", "organisation:50"), ("case:2", "organisation:51")]),
        (
            "uses_identifier",
            [
                ("case:2", "identifier:502"),
                ("person:10", "identifier:500"),
                ("person:14", "identifier:500"),
            ],
        ),
        ("same_person_as", []),
    ],
)
def test_links_derived_from_rows(type_, expected):
    assert _links(build(_rows()), type_) == expected


def test_links_carry_dates_sources_and_grades():
    net = build(_rows())
    recruited = next(lk for lk in net.links if lk.type == "recruited" and lk.case_id == 1)
    assert recruited.on == date(2021, 1, 5)
    assert recruited.source_reference == "KH-1-2021-000001 event 900"
    assert recruited.grading == "B1"  # police, convicted
    later = next(lk for lk in net.links if lk.type == "recruited" and lk.case_id == 2)
    assert later.grading == "C6" and later.on == D3  # NGO, only reported, no recruitment event


def test_equal_identifier_values_are_one_node():
    net = build(_rows())
    phones = [n for n in net.nodes.values() if n.kind == "identifier" and n.sub == "phone"]
    assert len(phones) == 1 and sorted(phones[0].members) == [500, 501]
    assert net.find("identifier", 501) == "identifier:500"


def test_resolved_persons_are_one_node_under_the_smallest_visible_id():
    # Linkage says 12 and 14 are one person (cluster 3, a record the reader cannot see).
    net = build(_rows(clusters={12: 3, 14: 3}))
    assert "person:14" not in net.nodes
    node = net.nodes["person:12"]
    assert sorted(node.members) == [12, 14] and node.roles == {"suspect", "witness"}
    assert net.find("person", 14) == "person:12"


def test_probable_matches_between_clusters_are_same_person_links():
    net = build(_rows(pairs=[PairRow(10, 13, 0.93), PairRow(12, 12, 0.99)]))
    (link,) = [lk for lk in net.links if lk.type == "same_person_as"]
    assert (link.source, link.target, link.probability, link.grading) == (
        "person:10",
        "person:13",
        0.93,
        "C3",
    )


def test_an_event_of_a_person_the_reader_cannot_see_is_left_out():
    rows = _rows(roles=[RoleRow(1, 11, "victim")], identifiers=[])  # an NGO reader
    rows.events = [EventRow(901, 1, "border_crossing", date(2021, 1, 20), 200, 10)]
    net = build(rows)
    assert _links(net, "crossed_at") == []
    assert "person:10" not in net.nodes


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        (1, {"person:13", "case:2", "person:11"}),
        (
            2,
            {
                "person:13",
                "case:2",
                "person:11",
                "person:14",
                "organisation:51",
                "identifier:502",
                "case:1",
                "person:10",
                "person:12",
                "location:200",
                "organisation:100",
            },
        ),
    ],
)
def test_neighbourhood_by_hops(hops, expected):
    net = build(_rows())
    view, truncated = analysis.neighbourhood(net, "person:13", hops)
    assert set(view.nodes) == expected and not truncated


def test_hubs_are_reached_but_not_walked_through():
    rows = _rows()
    rows.roles.append(RoleRow(2, 15, "victim"))
    rows.events.append(EventRow(903, 2, "border_crossing", date(2024, 1, 1), 200, 15))
    net = build(rows)
    view, _ = analysis.neighbourhood(net, "person:15", 3)
    assert "location:200" in view.nodes
    # Person 11 crossed at Poipet too, but only through the hub: reached via case 2 instead.
    only_hub = analysis.neighbourhood(
        analysis.filtered(net, analysis.Filters(frozenset({"crossed_at"}))), "person:15", 3
    )[0]
    assert set(only_hub.nodes) == {"person:15", "location:200"}


def test_neighbourhood_limit_cuts_short():
    view, truncated = analysis.neighbourhood(build(_rows()), "person:11", 3, limit=4)
    assert truncated and len(view.nodes) == 4


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (analysis.Filters(), 18),
        (analysis.Filters(frozenset({"recruited"})), 2),
        (analysis.Filters(since=date(2022, 1, 1)), 7),  # the links of case 2
        (analysis.Filters(until=date(2021, 1, 31)), 3),  # recruited, transported, crossed
    ],
)
def test_filters_by_type_and_date(filters, kept):
    net = build(_rows())
    assert len(analysis.filtered(net, filters).links) == kept


def test_victims_who_later_became_brokers():
    (turned,) = analysis.victims_turned_offenders(build(_rows()))
    assert (turned.key, turned.victim_case, turned.offender_case, turned.offender_role) == (
        "person:11",
        "KH-1-2021-000001",
        "KH-18-2024-000001",
        "broker",
    )


def test_components_know_provinces_crossings_and_growth():
    (comp,) = analysis.components(build(_rows()))
    assert comp.persons == 5 and comp.cases == 2 and comp.offenders == 3
    assert comp.provinces == ["KH-1", "KH-18"] and comp.crossings == ["poipet"]
    assert comp.spans_provinces and comp.crosses_border
    assert comp.recent_cases == 1  # only the 2024 case within a year of the newest
    assert comp.centre == "person:11"  # the offender with most links


def test_brokers_and_shortest_path():
    net = build(_rows())
    ranked, membership = analysis.brokers(net)
    assert ranked[0].key == "person:11"  # the victim turned broker bridges both cases
    assert set(membership) >= {"person:10", "case:1"}
    assert analysis.shortest_path(net, "person:10", "person:13") == [
        "person:10",
        "person:11",
        "person:13",
    ]
    assert analysis.shortest_path(net, "person:10", "person:999") == []


def test_leiden_resolution_changes_the_number_of_communities():
    import igraph as ig

    graph = ig.Graph.Ring(60) + ig.Graph.Ring(60)
    coarse = len(set(analysis.leiden(graph, resolution=0.05)))
    fine = len(set(analysis.leiden(graph, resolution=2.0)))
    assert coarse < fine


def test_layout_is_seeded_and_inside_the_unit_square():
    net = build(_rows())
    first, second = analysis.layout(net), analysis.layout(net)
    assert first == second
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())


@pytest.mark.parametrize(
    ("org_type", "status", "grade"),
    [
        ("LawEnforcement", "convicted", "B1"),
        ("ImmigrationService", "charged", "B2"),
        ("NGO", "under_investigation", "C3"),
        ("HealthServiceOrganisation", "acquitted", "C4"),
        (None, "reported", "F6"),
        ("Employer", "dismissed", "F4"),
    ],
)
def test_record_grading(org_type, status, grade):
    assert grade_record(org_type, status) == grade


@pytest.mark.parametrize(
    ("probability", "confirmed", "grade"),
    [(1.0, True, "B1"), (0.995, False, "C2"), (0.95, False, "C3"), (0.6, False, "C4")],
)
def test_match_grading(probability, confirmed, grade):
    assert grade_match(probability, confirmed) == grade
