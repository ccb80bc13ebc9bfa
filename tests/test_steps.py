"""Step-through backward: one frame per node, in backward's order, saved as SVGs and one HTML page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import graphviz
import pytest

from autograd import Value, topological_order
from autograd.steps import backward_steps, save_steps, steps_html
from chainrule.lecture import lecture_graph
from tests.dot_reader import parse_dot, svg_texts
from tests.worked_examples import tanh_neuron


def current_nodes(graph: graphviz.Digraph) -> list[str]:
    return [n for n, attrs in parse_dot(graph.source).nodes.items() if attrs.get("class") == "current"]


def test_one_frame_per_node_in_the_order_backward_visits_them():
    g = lecture_graph()
    order = topological_order(g["L"])
    frames = list(backward_steps(g["L"]))
    assert len(frames) == len(order) == 7
    visiting = [f"n{len(order) - 1 - k}" for k in range(len(order))]  # reversed topological order
    assert [current_nodes(frame) for frame in frames] == [[n] for n in visiting]


def test_gradients_appear_one_node_at_a_time_and_are_final_when_they_do():
    g = lecture_graph()
    frames = [parse_dot(frame.source) for frame in backward_steps(g["L"])]
    hand = {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0, "b": -4.0}
    for k, dot in enumerate(frames, start=1):
        records = {n: dot.label(n) for n in dot.nodes if not n.endswith("_op")}
        pending = [n for n, label in records.items() if label.endswith("grad ? }")]
        assert len(pending) == 7 - k
        for n, label in records.items():
            if n not in pending:
                name = label.split(" | ")[0][2:]
                assert label.endswith(f"grad {hand[name]:.4f} }}")


def test_frames_carry_a_caption_naming_the_node_and_its_gradient():
    g = lecture_graph()
    frames = list(backward_steps(g["L"]))
    first = svg_texts(frames[0].pipe(format="svg"))
    assert "step 1 of 7: start at the output L: dL/dL = 1.0000" in first
    captions = [t for f in frames[1:] for t in svg_texts(f.pipe(format="svg")) if t.startswith("step ")]
    # operands in argument order: a, b, e=a*b, c, d=e+c, f, L=d*f; backward walks it reversed
    assert captions == [
        "step 2 of 7: dL/d(f) = 4.0000 is final",
        "step 3 of 7: dL/d(d) = -2.0000 is final",
        "step 4 of 7: dL/d(c) = -2.0000 is final",
        "step 5 of 7: dL/d(e) = -2.0000 is final",
        "step 6 of 7: dL/d(b) = -4.0000 is final",
        "step 7 of 7: dL/d(a) = 6.0000 is final",
    ]


def test_steps_show_one_pass_whatever_was_accumulated_before():
    g = lecture_graph()
    g["L"].backward()  # a second pass: every gradient doubled
    assert g["a"].grad == 12.0
    last = list(backward_steps(g["L"]))[-1]
    assert "{ a | data 2.0000 | grad 6.0000 }" in [attrs["label"] for attrs in parse_dot(last.source).nodes.values()]
    assert g["a"].grad == 6.0


def test_edge_labels_are_on_by_default_in_the_steps():
    g = tanh_neuron()
    frame = next(iter(backward_steps(g["o"])))
    assert any("label" in attrs for _, _, attrs in parse_dot(frame.source).edges)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def test_save_steps_writes_numbered_svgs_and_a_self_contained_page(tmp_path):
    g = tanh_neuron()
    saved = save_steps(g["o"], tmp_path / "steps")
    names = [p.name for p in saved.svgs]
    assert names == [f"step_{k:03d}.svg" for k in range(1, 11)]
    for path in saved.svgs:
        ET.parse(path)  # well-formed XML
    assert sorted(p.name for p in (tmp_path / "steps").iterdir()) == sorted([*names, "steps.html"])
    page = saved.html.read_text()
    assert "http://" not in page and "https://" not in page and "//" not in page
    parser = _Page()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, attrs in tags if "src" in attrs or "href" in attrs]
    assert "@import" not in page and "url(" not in page
    figures = [attrs for t, attrs in tags if t == "figure"]
    assert len(figures) == 10
    assert [("hidden" in attrs) for attrs in figures] == [False] + [True] * 9
    assert page.count("<svg") == 10
    assert [t for t, attrs in tags if attrs.get("id") in ("prev", "next", "slider")] == ["button", "input", "button"]
    slider = next(attrs for t, attrs in tags if attrs.get("id") == "slider")
    assert (slider["min"], slider["max"], slider["type"]) == ("0", "9", "range")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # element ids stay unique across inlined frames


def test_steps_html_needs_frames():
    with pytest.raises(ValueError, match="no frames"):
        steps_html([], "empty")


def test_single_value_graph_has_one_frame():
    x = Value(3.0, label="x")
    frames = list(backward_steps(x))
    assert len(frames) == 1
    assert "{ x | data 3.0000 | grad 1.0000 }" in frames[0].source
