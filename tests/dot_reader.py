"""A reader of the DOT text ``draw_dot`` writes, and of the SVG that ``dot`` makes of it.

Shared by the tests of drawings: render, steps, the command ``chainrule draw``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = "{http://www.w3.org/2000/svg}"


_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')
_NODE = re.compile(r"^\s*([A-Za-z_]\w*) \[(.*)\]$")
_EDGE = re.compile(r"^\s*([A-Za-z_]\w*) -> ([A-Za-z_]\w*)(?: \[(.*)\])?$")
_OPEN = re.compile(r"^\s*subgraph (\w+) \{$")


def attributes(text: str) -> dict[str, str]:
    """``label="x" shape=record`` -> ``{"label": "x", "shape": "record"}`` (quotes removed)."""
    found = {}
    for key, value in _ATTR.findall(text):
        found[key] = value[1:-1] if value.startswith('"') else value
    return found


@dataclass
class Dot:
    """Nodes (id -> attributes), enclosing cluster labels (outermost first), edges in order."""

    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    clusters: dict[str, list[str]] = field(default_factory=dict)
    cluster_labels: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def label(self, node_id: str) -> str:
        return self.nodes[node_id].get("label", "")

    def edges_between(self, tail: str, head: str) -> list[dict[str, str]]:
        return [attrs for t, h, attrs in self.edges if (t, h) == (tail, head)]


def parse_dot(source: str) -> Dot:
    """Read the DOT text of a graph drawn by ``draw_dot`` (one statement per line)."""
    dot = Dot()
    stack: list[list[str]] = []  # per open subgraph: [name, label]
    for line in source.splitlines():
        opened = _OPEN.match(line)
        if opened:
            stack.append([opened.group(1), ""])
            continue
        if line.strip() == "}":
            if stack:
                stack.pop()
            continue
        bare = "[" not in line and "->" not in line
        if stack and bare and "label=" in line and not stack[-1][1]:
            stack[-1][1] = attributes(line.strip())["label"]
            dot.cluster_labels.append(stack[-1][1])
            continue
        edge = _EDGE.match(line)
        if edge:
            dot.edges.append((edge.group(1), edge.group(2), attributes(edge.group(3) or "")))
            continue
        node = _NODE.match(line)
        if node and node.group(1) not in ("graph", "node", "edge"):
            dot.nodes[node.group(1)] = attributes(node.group(2))
            dot.clusters[node.group(1)] = [label for _, label in stack]
    return dot


def svg_texts(svg: bytes | str) -> list[str]:
    """Every text element of an SVG, parsed as XML (so the SVG must be well formed)."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(SVG + "text")]


# ---------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------
