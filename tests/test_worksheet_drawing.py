"""The network drawing: each weight's label on its own edge near its source, crossed by no other edge; or in the table."""

from __future__ import annotations

import json

import pytest

from chainrule.worksheet import random_problem
from chainrule.worksheet.drawing import network_graph, weight_table


def _layout(problem):
    """Graphviz's own layout (``-Tjson``): centres (points) and sizes (points) of every node by name, and the edges."""
    data = json.loads(network_graph(problem).pipe(format="json", encoding="utf-8"))
    nodes = {}
    for node in data["objects"]:
        x, y = map(float, node["pos"].split(","))
        nodes[node["name"]] = (x, y, 72 * float(node["width"]), 72 * float(node["height"]))
    names = [node["name"] for node in data["objects"]]
    edges = [(names[e["tail"]], names[e["head"]]) for e in data.get("edges", [])]
    return nodes, edges


def _crosses(box, a, b, steps=400):
    x0, y0, x1, y1 = box
    return any(
        x0 < a[0] + t / steps * (b[0] - a[0]) < x1 and y0 < a[1] + t / steps * (b[1] - a[1]) < y1
        for t in range(steps + 1)
    )


@pytest.mark.parametrize(
    ("sizes", "labelled"), [([2, 2, 2], [True, True]), ([3, 4, 2], [False, True]), ([6, 6, 6], [False, False])]
)
def test_each_weight_is_labelled_where_it_cannot_be_confused_or_listed_in_the_table(sizes, labelled):
    problem = random_problem(sizes, seed=0)
    nodes, edges = _layout(problem)
    table = dict(weight_table(problem))
    for l in range(1, problem.L + 1):
        for j in range(sizes[l]):
            for k in range(sizes[l - 1]):
                name, key = f"w{l}_{j}_{k}", f"w^{l}_{j + 1}{k + 1}"
                assert (name in nodes) == labelled[l - 1] and (key in table) != labelled[l - 1]
                if not labelled[l - 1]:
                    continue
                x, y, w, h = nodes[name]
                source, target = nodes[f"n{l - 1}_{k}"][:2], nodes[f"n{l}_{j}"][:2]
                # on its own edge: collinear with its ends, nearer the source
                cross = (target[0] - source[0]) * (y - source[1]) - (target[1] - source[1]) * (x - source[0])
                length = ((target[0] - source[0]) ** 2 + (target[1] - source[1]) ** 2) ** 0.5
                assert abs(cross) / length < 1.0
                assert (x - source[0]) ** 2 + (y - source[1]) ** 2 < (x - target[0]) ** 2 + (y - target[1]) ** 2
                box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                for tail, head in edges:
                    if (tail, head) != (f"n{l - 1}_{k}", f"n{l}_{j}"):
                        assert not _crosses(box, nodes[tail][:2], nodes[head][:2]), (key, tail, head)
                for other, (ox, oy, ow, oh) in nodes.items():
                    if other != name and not other.startswith("title"):
                        apart = abs(ox - x) >= (ow + w) / 2 or abs(oy - y) >= (oh + h) / 2
                        assert apart, (key, other)
    assert all(value == f"{problem.W[int(k[2]) - 1][int(k[-2]) - 1, int(k[-1]) - 1]:.2f}".replace("-", "−") for k, value in table.items())
