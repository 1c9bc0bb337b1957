"""Exports open in the tools analysts use: GraphML and GEXF read back with igraph and
networkx; the i2 ANX checked against its chart structure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import igraph as ig
import networkx as nx
import pytest

from ctip.network import exports
from ctip.network.graph import build
from tests.network.test_graph import _rows


@pytest.fixture
def net():
    network = build(_rows())
    for node in network.nodes.values():
        node.label = node.label or f"Label of {node.key} ស្រីពៅ"
    return network


def test_graphml_opens_in_igraph_and_networkx(net, tmp_path):
    path = tmp_path / "n.graphml"
    path.write_bytes(exports.to_graphml(net))
    graph = ig.Graph.Read_GraphML(str(path))
    assert graph.vcount() == len(net.nodes) and graph.ecount() == len(net.links)
    recruited = [e for e in graph.es if e["type"] == "recruited"]
    assert {e["source_reference"] for e in recruited} == {
        "KH-1-2021-000001 event 900",
        "KH-18-2024-000001",
    }
    assert {e["grading"] for e in recruited} == {"B1", "C6"}
    multi = nx.read_graphml(path, force_multigraph=True)
    assert multi.nodes["person:10"]["role"] == "broker"
    assert multi.nodes["person:11"]["label"].endswith("ស្រីពៅ")
    dates = {d["date"] for _, _, d in multi.edges(data=True) if d["type"] == "crossed_at"}
    assert dates == {"2021-01-20"}


def test_gexf_opens_in_networkx(net, tmp_path):
    path = tmp_path / "n.gexf"
    path.write_bytes(exports.to_gexf(net, today=date(2026, 1, 1)))
    graph = nx.read_gexf(path, version="1.3")
    assert graph.number_of_nodes() == len(net.nodes)
    assert graph.number_of_edges() == len(net.links)
    attrs = graph.nodes["case:1"]
    assert attrs["kind"] == "case" and attrs["province"] == "KH-1" and attrs["record_id"] == 1
    types = {d["type"] for _, _, d in graph.edges(data=True)}
    assert {"recruited", "uses_identifier", "held_at"} <= types


def test_anx_has_the_chart_structure(net):
    data = exports.to_anx(net)
    assert exports.anx_problems(data) == []
    root = ET.fromstring(data)
    links = [i for i in root.iter("ChartItem") if i.find("Link") is not None]
    assert len(links) == len(net.links)
    sample = next(
        i
        for i in links
        if i.get("Label") == "recruited" and "event" in i.get("SourceReference", "")
    )
    assert sample.get("DateTime") == "2021-01-05T00:00:00"
    grades = [s.get("Text") for s in root.findall("GradeOne/StringCollection/String")]
    assert grades[int(sample.get("GradeOneIndex"))].startswith("B ")
    entities = {e.get("EntityId") for e in root.iter("Entity")}
    assert entities == set(net.nodes)


def _broken(change) -> bytes:
    root = ET.fromstring(exports.to_anx(build(_rows())))
    change(root)
    return ET.tostring(root)


def _first_link(root):
    return next(i for i in root.iter("ChartItem") if i.find("Link") is not None)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.remove(r.find("GradeOne")), "missing GradeOne"),
        (lambda r: _first_link(r).find("Link").set("End1Id", "nobody"), "names no entity"),
        (lambda r: _first_link(r).set("GradeTwoIndex", "9"), "out of range"),
        (lambda r: _first_link(r).find("Link/LinkStyle").set("Type", "x"), "undeclared type"),
        (lambda r: _first_link(r).set("DateTime", "yesterday"), "bad DateTime"),
        (
            lambda r: next(r.iter("Entity")).set("EntityId", "case:2"),
            "missing or repeated",
        ),
    ],
)
def test_anx_check_finds_broken_charts(change, problem):
    assert any(problem in p for p in exports.anx_problems(_broken(change)))


def test_anx_check_refuses_what_is_not_a_chart():
    assert exports.anx_problems(b"<graphml/>") == ["root is graphml, not Chart"]
    assert exports.anx_problems(b"not xml")[0].startswith("not XML")
