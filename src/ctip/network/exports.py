"""The network as files analysts' tools open: GraphML (yEd, Cytoscape), GEXF (Gephi) and
i2 Analyst's Notebook's ANX XML. Pure: a labelled :class:`Network` in, bytes out.

Every link carries its type, date, source reference (case reference and timeline event) and
its admiralty grading (see ``ctip.network.grading``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from ctip.network.grading import INFORMATION_GRADES, SOURCE_GRADES
from ctip.network.graph import LINK_TYPES, NODE_KINDS, Link, Network, Node

FORMATS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "anx": ("application/xml", "anx"),
}
NODE_FIELDS = ("kind", "label", "role", "roles", "province", "sub", "record_id", "first_seen")
LINK_FIELDS = ("type", "date", "source_reference", "grading", "probability", "case_id")
_TYPES = {"record_id": "int", "probability": "double", "case_id": "int"}


def node_values(node: Node) -> dict[str, str | int | float | None]:
    return {
        "kind": node.kind,
        "label": node.label,
        "role": node.role,
        "roles": " ".join(sorted(node.roles)) or None,
        "province": node.province,
        "sub": node.sub,
        "record_id": node.record_id,
        "first_seen": node.first_seen.isoformat() if node.first_seen else None,
    }


def link_values(link: Link) -> dict[str, str | int | float | None]:
    return {
        "type": link.type,
        "date": link.on.isoformat() if link.on else None,
        "source_reference": link.source_reference,
        "grading": link.grading,
        "probability": link.probability,
        "case_id": link.case_id,
    }


def _bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def to_graphml(net: Network) -> bytes:
    """GraphML with typed node and edge attributes (directed: source acts on target)."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    for scope, names in (("node", NODE_FIELDS), ("edge", LINK_FIELDS)):
        for name in names:
            ET.SubElement(
                root,
                "key",
                {
                    "id": f"{scope[0]}_{name}",
                    "for": scope,
                    "attr.name": name,
                    "attr.type": _TYPES.get(name, "string"),
                },
            )
    graph = ET.SubElement(root, "graph", id="ctip", edgedefault="directed")
    for node in net.nodes.values():
        element = ET.SubElement(graph, "node", id=node.key)
        _data(element, "n", node_values(node))
    for i, link in enumerate(net.links):
        element = ET.SubElement(graph, "edge", id=f"e{i}", source=link.source, target=link.target)
        _data(element, "e", link_values(link))
    return _bytes(root)


def _data(element: ET.Element, prefix: str, values: dict[str, str | int | float | None]) -> None:
    for name, value in values.items():
        if value is not None:
            ET.SubElement(element, "data", key=f"{prefix}_{name}").text = str(value)


def to_gexf(net: Network, today: date | None = None) -> bytes:
    """GEXF 1.3 with node and edge attributes; the link type is also the edge label."""
    root = ET.Element("gexf", xmlns="http://gexf.net/1.3", version="1.3")
    meta = ET.SubElement(root, "meta", lastmodifieddate=(today or date.today()).isoformat())
    ET.SubElement(meta, "creator").text = "CTIP"
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="static")
    for scope, names in (("node", NODE_FIELDS), ("edge", LINK_FIELDS)):
        attributes = ET.SubElement(graph, "attributes", {"class": scope})
        for i, name in enumerate(names):
            kind = {"int": "integer", "double": "double"}.get(_TYPES.get(name, ""), "string")
            ET.SubElement(attributes, "attribute", id=f"{scope[0]}{i}", title=name, type=kind)
    nodes = ET.SubElement(graph, "nodes")
    for node in net.nodes.values():
        element = ET.SubElement(nodes, "node", id=node.key, label=node.label or node.key)
        _attvalues(element, "n", NODE_FIELDS, node_values(node))
    edges = ET.SubElement(graph, "edges")
    for i, link in enumerate(net.links):
        element = ET.SubElement(
            edges, "edge", id=str(i), source=link.source, target=link.target, label=link.type
        )
        _attvalues(element, "e", LINK_FIELDS, link_values(link))
    return _bytes(root)


def _attvalues(
    element: ET.Element,
    prefix: str,
    names: tuple[str, ...],
    values: dict[str, str | int | float | None],
) -> None:
    holder = ET.SubElement(element, "attvalues")
    for i, name in enumerate(names):
        if values[name] is not None:
            ET.SubElement(holder, "attvalue", {"for": f"{prefix}{i}", "value": str(values[name])})


# i2 Analyst's Notebook: entity types (icons) per node kind, and the attribute classes.
ANX_ENTITY_TYPES = {
    "person": "Person",
    "case": "Case",
    "identifier": "Communication Identifier",
    "organisation": "Organisation",
    "location": "Location",
}
ANX_ATTRIBUTES = ("Kind", "Role", "Roles", "Province", "Detail", "Record")


def to_anx(net: Network) -> bytes:
    """i2 Analyst's Notebook chart XML: entities with attributes, links with type, date,
    source reference and admiralty grades (GradeOne = source A–F, GradeTwo = information
    1–6), ``IdReferenceLinking`` so links name their ends by entity id."""
    root = ET.Element("Chart", IdReferenceLinking="true", Rigorous="true")
    _anx_grades(root)
    types = ET.SubElement(root, "EntityTypeCollection")
    for kind in NODE_KINDS:
        ET.SubElement(types, "EntityType", Name=ANX_ENTITY_TYPES[kind], IconFile=kind)
    link_types = ET.SubElement(root, "LinkTypeCollection")
    for type_ in LINK_TYPES:
        ET.SubElement(link_types, "LinkType", Name=type_)
    classes = ET.SubElement(root, "AttributeClassCollection")
    for name in ANX_ATTRIBUTES:
        ET.SubElement(classes, "AttributeClass", Name=name, Type="AttText", ShowValue="true")
    items = ET.SubElement(root, "ChartItemCollection")
    for node in net.nodes.values():
        _anx_entity(items, node)
    for link in net.links:
        _anx_link(items, link)
    return _bytes(root)


def _anx_grades(root: ET.Element) -> None:
    for name, grades in (("GradeOne", SOURCE_GRADES), ("GradeTwo", INFORMATION_GRADES)):
        strings = ET.SubElement(ET.SubElement(root, name), "StringCollection")
        for code, text in grades.items():
            ET.SubElement(strings, "String", Text=f"{code} - {text}")


def _anx_entity(items: ET.Element, node: Node) -> None:
    item = ET.SubElement(items, "ChartItem", Label=node.label or node.key, Description=node.kind)
    if node.first_seen:
        item.set("DateTime", f"{node.first_seen.isoformat()}T00:00:00")
        item.set("DateSet", "true")
    end = ET.SubElement(item, "End")
    entity = ET.SubElement(end, "Entity", EntityId=node.key, Identity=node.key)
    icon = ET.SubElement(entity, "Icon")
    ET.SubElement(icon, "IconStyle", Type=ANX_ENTITY_TYPES[node.kind])
    attributes = ET.SubElement(item, "AttributeCollection")
    values = {
        "Kind": node.kind,
        "Role": node.role,
        "Roles": " ".join(sorted(node.roles)) or None,
        "Province": node.province,
        "Detail": node.sub,
        "Record": str(node.record_id),
    }
    for name, value in values.items():
        if value:
            ET.SubElement(attributes, "Attribute", AttributeClass=name, Value=value)


def _anx_link(items: ET.Element, link: Link) -> None:
    source, information = link.grading[0], link.grading[1:]
    item = ET.SubElement(
        items,
        "ChartItem",
        Label=link.type,
        Description=f"{link.type} ({link.grading})",
        SourceReference=link.source_reference,
        SourceType="linkage model" if link.type == "same_person_as" else "case record",
        GradeOneIndex=str(list(SOURCE_GRADES).index(source)),
        GradeTwoIndex=str(list(INFORMATION_GRADES).index(information)),
    )
    if link.on:
        item.set("DateTime", f"{link.on.isoformat()}T00:00:00")
        item.set("DateSet", "true")
    element = ET.SubElement(item, "Link", End1Id=link.source, End2Id=link.target)
    ET.SubElement(element, "LinkStyle", Type=link.type, ArrowStyle="ArrowOnHead")
    if link.probability is not None:
        attributes = ET.SubElement(item, "AttributeCollection")
        ET.SubElement(
            attributes, "Attribute", AttributeClass="Detail", Value=f"p={link.probability}"
        )


def anx_problems(data: bytes) -> list[str]:
    """What is wrong with an ANX document's structure (``[]`` when it is sound): the chart's
    collections, every entity typed and identified once, every link's ends naming entities,
    its type declared, its date well formed, and grade indices within the grade lists."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"not XML: {exc}"]
    if root.tag != "Chart":
        return [f"root is {root.tag}, not Chart"]
    problems: list[str] = []
    for name in (
        "GradeOne",
        "GradeTwo",
        "EntityTypeCollection",
        "LinkTypeCollection",
        "AttributeClassCollection",
        "ChartItemCollection",
    ):
        if root.find(name) is None:
            problems.append(f"missing {name}")
    if problems:
        return problems
    grades = [len(root.findall(f"{g}/StringCollection/String")) for g in ("GradeOne", "GradeTwo")]
    entity_types = {e.get("Name") for e in root.iter("EntityType")}
    link_types = {e.get("Name") for e in root.iter("LinkType")}
    classes = {e.get("Name") for e in root.iter("AttributeClass")}
    entities: set[str] = set()
    items = root.findall("ChartItemCollection/ChartItem")
    for item in items:
        problems += _item_problems(item, entity_types, classes, grades, entities)
    for item in items:
        link = item.find("Link")
        if link is None:
            continue
        for end in ("End1Id", "End2Id"):
            if link.get(end) not in entities:
                problems.append(f"link {item.get('Label')} {end}={link.get(end)} names no entity")
        style = link.find("LinkStyle")
        if style is None or style.get("Type") not in link_types:
            problems.append(f"link {item.get('Label')} has an undeclared type")
        for grade, limit in zip(("GradeOneIndex", "GradeTwoIndex"), grades, strict=True):
            value = item.get(grade)
            if value is None or not value.isdigit() or int(value) >= limit:
                problems.append(f"link {item.get('Label')} {grade}={value} out of range")
    return problems


def _item_problems(
    item: ET.Element,
    entity_types: set[str | None],
    classes: set[str | None],
    grades: list[int],
    entities: set[str],
) -> list[str]:
    problems: list[str] = []
    label = item.get("Label")
    if not label:
        problems.append("chart item without a label")
    when = item.get("DateTime")
    if when is not None:
        try:
            date.fromisoformat(when[:10])
        except ValueError:
            problems.append(f"{label}: bad DateTime {when}")
    for attribute in item.findall("AttributeCollection/Attribute"):
        if attribute.get("AttributeClass") not in classes:
            problems.append(f"{label}: undeclared attribute {attribute.get('AttributeClass')}")
    entity = item.find("End/Entity")
    if entity is not None:
        key = entity.get("EntityId") or ""
        if not key or key in entities:
            problems.append(f"entity id {key!r} missing or repeated")
        entities.add(key)
        style = entity.find("Icon/IconStyle")
        if style is None or style.get("Type") not in entity_types:
            problems.append(f"entity {key} has an undeclared type")
    elif item.find("Link") is None:
        problems.append(f"{label}: neither entity nor link")
    return problems


def render(net: Network, fmt: str) -> bytes:
    """The network in ``fmt`` (``graphml``, ``gexf`` or ``anx``)."""
    writers = {"graphml": to_graphml, "gexf": to_gexf, "anx": to_anx}
    return writers[fmt](net)
