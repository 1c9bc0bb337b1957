"""The network drawn as SVG on the server (no JavaScript needed to see it; ``network.js``
adds pan, zoom and highlighting). Nodes are links to their records; shapes by kind, colours
by role; every element is escaped by ElementTree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ctip.i18n import label
from ctip.network.schemas import NeighbourhoodOut

WIDTH, HEIGHT, MARGIN = 1000, 700, 40
RADIUS = {"person": 11, "case": 9, "identifier": 7, "organisation": 10, "location": 9}
# Colours readable on white and told apart without colour too (shape and legend).
FILL = {
    "broker": "#b3261e",
    "suspect": "#e46c0a",
    "victim": "#1f6fb2",
    "person": "#5b6770",
    "case": "#2e7d32",
    "identifier": "#6a4c93",
    "organisation": "#795548",
    "location": "#00838f",
}


def _xy(x: float, y: float) -> tuple[float, float]:
    return (
        round(MARGIN + x * (WIDTH - 2 * MARGIN), 1),
        round(MARGIN + y * (HEIGHT - 2 * MARGIN), 1),
    )


def _shape(parent: ET.Element, kind: str, cx: float, cy: float, fill: str) -> None:
    r = RADIUS.get(kind, 8)
    if kind == "case":
        ET.SubElement(
            parent,
            "rect",
            x=str(cx - r),
            y=str(cy - r),
            width=str(2 * r),
            height=str(2 * r),
            fill=fill,
        )
    elif kind == "identifier":
        points = f"{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}"
        ET.SubElement(parent, "polygon", points=points, fill=fill)
    elif kind in ("organisation", "location"):
        points = f"{cx},{cy - r} {cx + r},{cy + r} {cx - r},{cy + r}"
        ET.SubElement(parent, "polygon", points=points, fill=fill)
    else:
        ET.SubElement(parent, "circle", cx=str(cx), cy=str(cy), r=str(r), fill=fill)


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def drawing(data: NeighbourhoodOut, labels: bool = True, interactive: bool = True) -> str:
    """The SVG markup of a neighbourhood (``labels`` off for the PDF, which draws its own)."""
    svg = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        role="img",
        id="network-svg" if interactive else "network-picture",
    )
    svg.set("aria-label", label("network"))
    where = {n.key: _xy(n.x, n.y) for n in data.nodes}
    edges = ET.SubElement(svg, "g", {"class": "links"})
    for link in data.links:
        (x1, y1), (x2, y2) = where[link.source], where[link.target]
        line = ET.SubElement(
            edges,
            "line",
            {
                "x1": str(x1),
                "y1": str(y1),
                "x2": str(x2),
                "y2": str(y2),
                "class": f"link t-{link.type}",
                "stroke": "#8a8f94",
                "stroke-width": "2" if link.type in ("recruited", "same_person_as") else "1",
                "data-source": link.source,
                "data-target": link.target,
            },
        )
        if link.type == "same_person_as":
            line.set("stroke-dasharray", "6 4")
        when = f" · {link.on.isoformat()}" if link.on else ""
        prob = f" · p={link.probability}" if link.probability is not None else ""
        if interactive:
            ET.SubElement(
                line, "title"
            ).text = f"{label(link.type)}{when}{prob} · {link.source_reference} · {link.grading}"
    nodes = ET.SubElement(svg, "g", {"class": "nodes"})
    for node in data.nodes:
        cx, cy = where[node.key]
        fill = FILL.get(node.role or "", FILL.get(node.kind, "#5b6770"))
        if node.kind == "person" and not node.role:
            fill = FILL["person"]
        css = f"node k-{node.kind}" + (f" r-{node.role}" if node.role else "")
        css += " start" if node.key == data.start else ""
        attrs = {"class": css, "data-key": node.key}
        if interactive:
            attrs["href"] = node.href
        anchor = ET.SubElement(nodes, "a" if interactive else "g", attrs)
        _shape(anchor, node.kind, cx, cy, fill)
        if node.key == data.start:
            ET.SubElement(
                anchor,
                "circle",
                {
                    "cx": str(cx),
                    "cy": str(cy),
                    "r": str(RADIUS.get(node.kind, 8) + 5),
                    "fill": "none",
                    "stroke": "#111",
                    "stroke-width": "2",
                },
            )
        role = f" · {label(node.role)}" if node.role else ""
        if interactive:
            ET.SubElement(anchor, "title").text = f"{label(node.kind)}{role} · {node.label}"
        if labels:
            ET.SubElement(
                anchor,
                "text",
                {"x": str(cx + 13), "y": str(cy + 4), "font-size": "13", "fill": "#222"},
            ).text = _short(node.label)
    return ET.tostring(svg, encoding="unicode")
