"""draw_dot: the DOT source (nodes, edges, labels, clusters), real rendering by dot, limits.

Numbers are checked against hand derivations (the micrograd lecture's examples),
``math`` and central finite differences, never against the engine alone.
"""

from __future__ import annotations

import math
import random
import struct
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, topological_order
from autograd.groups import resolve_groups
from autograd.render import (
    DEFAULT_MAX_NODES,
    DrawOptions,
    NodeGroup,
    SummaryRow,
    draw_dot,
    path_to_output,
    write_graph,
)
from chainrule.lecture import lecture_graph
from tests.dot_reader import SVG, Dot, parse_dot, svg_texts
from tests.worked_examples import tanh_neuron

# ---------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------


@dataclass
class HandNeuron:
    """What hand_mlp built for one neuron: its parameters, every node it made, z and a."""

    parameters: list[Value]
    made: list[Value]
    z: Value
    a: Value


def hand_mlp(sizes: list[int], x: list[float], seed: int = 0):
    """An MLP built from Values by hand, named as nn names it; tanh hidden, linear output.

    Returns (outputs, neurons): neurons maps each dotted name to a HandNeuron.
    """
    rng = random.Random(seed)
    acts = [Value(v, label=f"x{i}") for i, v in enumerate(x)]
    neurons: dict[str, HandNeuron] = {}
    for layer in range(1, len(sizes)):
        out = []
        for j in range(sizes[layer]):
            name = f"layers.{layer - 1}.neurons.{j}"
            w = [Value(rng.uniform(-1, 1), label=f"{name}.w.{k}") for k in range(sizes[layer - 1])]
            b = Value(rng.uniform(-1, 1), label=f"{name}.b")
            made = []
            z = b
            for wk, ak in zip(w, acts):
                product = wk * ak
                z = z + product
                made += [product, z]
            a = z if layer == len(sizes) - 1 else z.tanh()
            if a is not z:
                made.append(a)
            neurons[name] = HandNeuron([*w, b], made, z, a)
            out.append(a)
        acts = out
    return acts, neurons


def hand_groups(neurons: dict[str, HandNeuron]) -> list[NodeGroup]:
    """A container group per layer and a group with a z / a summary per neuron."""
    groups: list[NodeGroup] = []
    for name, n in neurons.items():
        layer = name.rsplit(".neurons.", 1)[0]
        if not any(g.name == layer for g in groups):
            groups.append(NodeGroup(layer))
        rows = (
            (SummaryRow("z = a (linear)", n.z),)
            if n.a is n.z
            else (SummaryRow("z", n.z), SummaryRow(f"a = {n.a.op}(z)", n.a))
        )
        groups.append(NodeGroup(name, output=n.a, sources=frozenset(n.parameters), parent=layer, summary=rows))
    return groups


def box_ids(groups: list[NodeGroup]) -> dict[str, str]:
    """Group name -> the id of its box: ``group<k>``, k its position in the list given."""
    return {g.name: f"group{k}" for k, g in enumerate(groups)}


def ids(root: Value) -> dict[Value, str]:
    """The node ids draw_dot uses: positions in topological order."""
    return {node: f"n{i}" for i, node in enumerate(topological_order(root))}


# ---------------------------------------------------------------------------
# The lecture graph
# ---------------------------------------------------------------------------


def test_lecture_graph_has_one_record_per_value_and_one_node_per_operation():
    g = lecture_graph()
    graph = draw_dot(g["L"])
    assert isinstance(graph, graphviz.Digraph)
    assert graph.format == "svg"
    dot = parse_dot(graph.source)
    records = [n for n, attrs in dot.nodes.items() if attrs.get("shape") == "record"]
    ops = sorted(attrs["label"] for n, attrs in dot.nodes.items() if n.endswith("_op"))
    assert len(records) == 7
    assert ops == ["*", "*", "+"]
    # one edge per operand (6) and one from each operation to its result (3)
    assert len(dot.edges) == 9


def test_lecture_records_show_label_data_and_grad_as_in_the_lecture():
    g = lecture_graph()
    node_id = ids(g["L"])
    dot = parse_dot(draw_dot(g["L"]).source)
    expected = {
        "a": "{ a | data 2.0000 | grad 6.0000 }",
        "b": "{ b | data -3.0000 | grad -4.0000 }",
        "c": "{ c | data 10.0000 | grad -2.0000 }",
        "f": "{ f | data -2.0000 | grad 4.0000 }",
        "e": "{ e | data -6.0000 | grad -2.0000 }",
        "d": "{ d | data 4.0000 | grad -2.0000 }",
        "L": "{ L | data -8.0000 | grad 1.0000 }",
    }
    for name, record in expected.items():
        assert dot.label(node_id[g[name]]) == record


def test_each_operation_sits_between_its_operands_and_its_result():
    g = lecture_graph()
    node_id = ids(g["L"])
    dot = parse_dot(draw_dot(g["L"]).source)
    e, a, b = node_id[g["e"]], node_id[g["a"]], node_id[g["b"]]
    assert dot.label(e + "_op") == "*"
    assert [(t, h) for t, h, _ in dot.edges if h == e + "_op"] == [(a, e + "_op"), (b, e + "_op")]
    assert len(dot.edges_between(e + "_op", e)) == 1
    assert all(not n.endswith("_op") or n[:-3] in dot.nodes for n in dot.nodes)


def test_hidden_gradients_and_number_format():
    g = lecture_graph()
    node_id = ids(g["L"])
    plain = parse_dot(draw_dot(g["L"], show_grad=False).source)
    assert plain.label(node_id[g["a"]]) == "{ a | data 2.0000 }"
    assert "grad" not in draw_dot(g["L"], show_grad=False).source
    sci = parse_dot(draw_dot(g["L"], number_format=".2e").source)
    assert sci.label(node_id[g["b"]]) == "{ b | data -3.00e+00 | grad -4.00e+00 }"


def test_unlabelled_values_have_no_empty_label_field():
    x = Value(3.0)
    y = x * 2
    dot = parse_dot(draw_dot(y).source)
    assert dot.label("n0") == "{ data 3.0000 | grad 0.0000 }"
    assert dot.label("n1") == "{ data 2.0000 | grad 0.0000 }"  # the constant 2


@pytest.mark.parametrize("bad", ["RL", "lr", "", "BT", None])
def test_rankdir_other_than_lr_or_tb_is_a_value_error(bad):
    g = lecture_graph()
    with pytest.raises(ValueError, match="rankdir must be 'LR' or 'TB'"):
        draw_dot(g["L"], rankdir=bad)


def test_rankdir_tb_is_written_to_the_graph():
    g = lecture_graph()
    assert "rankdir=TB" in draw_dot(g["L"], rankdir="TB").source
    assert "rankdir=LR" in draw_dot(g["L"]).source


@pytest.mark.parametrize("bad", ["%d", "x", ".4q"])
def test_bad_number_format_is_a_value_error_naming_it(bad):
    with pytest.raises(ValueError, match="number_format"):
        draw_dot(Value(1.0), number_format=bad)


def test_root_must_be_a_value():
    with pytest.raises(TypeError, match="root must be a Value"):
        draw_dot(3.0)


# ---------------------------------------------------------------------------
# Repeated operands and edge labels (local derivatives)
# ---------------------------------------------------------------------------


def test_a_plus_a_and_x_times_x_draw_two_edges():
    a = Value(3.0, label="a")
    s = a + a
    dot = parse_dot(draw_dot(s).source)
    assert len(dot.edges_between("n0", "n1_op")) == 2
    x = Value(3.0, label="x")
    sq = x * x
    sq.backward()
    dot = parse_dot(draw_dot(sq, edge_labels=True).source)
    both = dot.edges_between("n0", "n1_op")
    # d(x*x)/d(first operand) = second operand = 3, and the same for the second;
    # x.grad = 3 + 3 = 6 = 2x, the derivative of x^2
    assert [float(e["label"]) for e in both] == [3.0, 3.0]
    assert x.grad == 6.0


def test_tanh_neuron_edge_labels_are_the_hand_derived_local_derivatives():
    g = tanh_neuron()
    node_id = ids(g["o"])
    dot = parse_dot(draw_dot(g["o"], edge_labels=True, number_format=".6f").source)

    def label(parent: str, result: str) -> list[float]:
        edges = dot.edges_between(node_id[g[parent]], node_id[g[result]] + "_op")
        return [float(e["label"]) for e in edges]

    assert label("n", "o") == pytest.approx([1 - math.tanh(g["n"].data) ** 2], abs=1e-6)
    assert label("n", "o") == pytest.approx([0.5], abs=1e-6)  # 1 - (1/√2)^2
    assert label("x1", "x1w1") == [-3.0]  # ∂(x1 w1)/∂x1 = w1
    assert label("w1", "x1w1") == [2.0]  # ∂(x1 w1)/∂w1 = x1
    assert label("x2", "x2w2") == [1.0]
    assert label("w2", "x2w2") == [0.0]
    assert label("b", "n") == [1.0]
    assert label("s", "n") == [1.0]


def _sum_over_paths(dot: Dot, root_id: str) -> dict[str, float]:
    """Σ over paths from each node to the root of the product of edge labels, from the DOT only."""
    into: dict[str, list[tuple[str, float]]] = {}
    for tail, head, attrs in dot.edges:
        if head.endswith("_op"):
            into.setdefault(head[:-3], []).append((tail, float(attrs["label"])))
    order = sorted((n for n in dot.nodes if not n.endswith("_op")), key=lambda n: -int(n[1:]))
    total = {n: 0.0 for n in order}
    total[root_id] = 1.0
    for node in order:  # results before operands: ids are topological positions
        for parent, local in into.get(node, []):
            total[parent] += local * total[node]
    return total


def test_leaf_gradient_is_the_sum_over_paths_of_products_of_edge_labels():
    g = lecture_graph()
    node_id = ids(g["L"])
    dot = parse_dot(draw_dot(g["L"], edge_labels=True, number_format=".17g").source)
    totals = _sum_over_paths(dot, node_id[g["L"]])
    # the lecture's hand derivation: dL/da = f*b, dL/db = f*a, dL/dc = f, dL/df = a*b + c
    assert totals[node_id[g["a"]]] == 6.0
    assert totals[node_id[g["b"]]] == -4.0
    assert totals[node_id[g["c"]]] == -2.0
    assert totals[node_id[g["f"]]] == 4.0


def test_edge_labels_match_finite_differences_on_a_graph_with_shared_nodes():
    def f(x: float, y: float) -> float:
        u = x * y
        return math.tanh(u) * math.exp(x) + u / (y * y + 1.0) - (x - y) ** 2

    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    u = x * y
    out = u.tanh() * x.exp() + u / (y * y + 1.0) - (x - y) ** 2
    node_id = ids(out)
    dot = parse_dot(draw_dot(out, edge_labels=True, number_format=".17g").source)
    totals = _sum_over_paths(dot, node_id[out])
    h = 1e-6
    dfdx = (f(0.7 + h, -1.3) - f(0.7 - h, -1.3)) / (2 * h)
    dfdy = (f(0.7, -1.3 + h) - f(0.7, -1.3 - h)) / (2 * h)
    assert totals[node_id[x]] == pytest.approx(dfdx, rel=1e-6)
    assert totals[node_id[y]] == pytest.approx(dfdy, rel=1e-6)


def test_subtraction_shows_the_engine_composition_and_division_its_own_node():
    x, y = Value(6.0, label="x"), Value(3.0, label="y")
    q = (x - y) / y
    ops = sorted(attrs["label"] for n, attrs in parse_dot(draw_dot(q).source).nodes.items()
                 if n.endswith("_op"))
    # x - y = x + y*(-1);  division is an operation of its own
    assert ops == ["*", "+", "/"]


# ---------------------------------------------------------------------------
# Highlighting and roles
# ---------------------------------------------------------------------------


def test_highlight_marks_only_the_given_nodes():
    g = lecture_graph()
    node_id = ids(g["L"])
    dot = parse_dot(draw_dot(g["L"], highlight=[g["e"]]).source)
    marked = {n for n, attrs in dot.nodes.items() if attrs.get("penwidth") == "2.5"}
    assert marked == {node_id[g["e"]], node_id[g["e"]] + "_op"}


def test_path_from_a_marks_the_route_of_its_gradient_to_the_output():
    g = lecture_graph()
    node_id = ids(g["L"])
    assert path_to_output(g["L"], g["a"]) == {g["a"], g["e"], g["d"], g["L"]}
    dot = parse_dot(draw_dot(g["L"], path_from=g["a"]).source)
    marked = {n for n, attrs in dot.nodes.items() if "penwidth" in attrs and "_op" not in n}
    assert marked == {node_id[g[k]] for k in "aedL"}
    red_edges = {(t, h) for t, h, attrs in dot.edges if attrs.get("color") == "#d62728"}
    a, e, d, L = (node_id[g[k]] for k in "aedL")
    assert (a, e + "_op") in red_edges and (node_id[g["b"]], e + "_op") not in red_edges
    assert {(e, d + "_op"), (d, L + "_op"), (L + "_op", L)} <= red_edges


def test_highlighting_a_node_outside_the_graph_is_a_value_error():
    g = lecture_graph()
    with pytest.raises(ValueError, match="not a node"):
        draw_dot(g["L"], highlight=[Value(1.0)])
    with pytest.raises(ValueError, match="path_from"):
        draw_dot(g["L"], path_from=Value(1.0))


def test_colour_by_role_distinguishes_input_parameter_constant_intermediate_output():
    g = tanh_neuron()
    k = Value(2.0)
    loss = g["o"] * k
    node_id = ids(loss)
    dot = parse_dot(draw_dot(loss, color_by_role=True, parameters=[g["w1"], g["w2"], g["b"]]).source)
    fill = {name: dot.nodes[node_id[v]]["fillcolor"] for name, v in g.items()}
    assert fill["x1"] == fill["x2"] == "#d8f0d2"  # inputs
    assert fill["w1"] == fill["w2"] == fill["b"] == "#d6e6f7"  # parameters
    assert fill["n"] == fill["o"] == "#ffffff"  # intermediate
    assert dot.nodes[node_id[k]]["fillcolor"] == "#ececec"  # constant
    assert dot.nodes[node_id[loss]]["fillcolor"] == "#ffdfae"  # output
    assert "parameter blue" in draw_dot(loss, color_by_role=True).source  # the legend


# ---------------------------------------------------------------------------
# Real rendering through dot
# ---------------------------------------------------------------------------


def test_svg_from_dot_is_xml_with_one_node_group_per_drawn_node():
    g = tanh_neuron()
    svg = draw_dot(g["o"], edge_labels=True).pipe(format="svg")
    root = ET.fromstring(svg)
    groups = [el for el in root.iter(SVG + "g") if el.get("class") == "node"]
    edges = [el for el in root.iter(SVG + "g") if el.get("class") == "edge"]
    assert len(groups) == 10 + 5  # 10 values, 5 operations
    assert len(edges) == 5 * 1 + 4 * 2 + 1  # op -> result, operand -> op
    texts = svg_texts(svg)
    assert "x1*w1 + x2*w2" in texts and "data 0.7071" in texts and "grad -1.5000" in texts


def test_png_and_pdf_from_dot(tmp_path):
    g = lecture_graph()
    png = write_graph(draw_dot(g["L"]), tmp_path / "lecture.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width > 400 and height > 50
    pdf = write_graph(draw_dot(g["L"]), tmp_path / "lecture.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    source = write_graph(draw_dot(g["L"]), tmp_path / "lecture.dot").read_text()
    assert source == draw_dot(g["L"]).source


def test_write_graph_refuses_unknown_extensions_and_leaves_no_temporary_files(tmp_path):
    g = lecture_graph()
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
        write_graph(draw_dot(g["L"]), tmp_path / "graph.gif")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_graph(draw_dot(g["L"]), tmp_path / "missing" / "graph.svg")
    write_graph(draw_dot(g["L"]), tmp_path / "graph.SVG")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.SVG"]
    reference = tmp_path / "reference"
    reference.write_text("x")
    assert (tmp_path / "graph.SVG").stat().st_mode & 0o777 == reference.stat().st_mode & 0o777


# ---------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------

HOSTILE = ['<b>x</b>', "{a|b}", 'q"uote', "back\\slash", "\\N", "end\\", "&lt;", "&amp;x",
           "<>", '"', '\\"', "a\\nb", "|", "}{", "x&y;", "<<html>>", "\\l\\r"]


def test_hostile_labels_render_exactly_as_written():
    values = [Value(float(i), label=text) for i, text in enumerate(HOSTILE)]
    total = values[0]
    for v in values[1:]:
        total = total + v
    total.label = "two\nlines"
    graph = draw_dot(total, edge_labels=True, color_by_role=True)
    texts = svg_texts(graph.pipe(format="svg"))
    for text in HOSTILE:
        assert text in texts
    assert "two" in texts and "lines" in texts


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.text(alphabet='<>{}|"\\&;#xN\'[]=-', min_size=1, max_size=10))
def test_any_label_from_special_characters_renders_exactly(text):
    x = Value(1.0, label=text)
    y = x.tanh()
    y.label = text
    texts = svg_texts(draw_dot(y, edge_labels=True).pipe(format="svg"))
    assert texts.count(text) >= 2


def test_hostile_group_names_still_make_valid_clusters():
    w = Value(0.5, label='lay"ers.0.neu{rons}.1.w.0')
    x = Value(2.0, label="x")
    z = w * x
    a = z.tanh()
    groups = [
        NodeGroup('lay"ers.0'),
        NodeGroup('lay"ers.0.neu{rons}.1', output=a, sources=frozenset([w]), parent='lay"ers.0'),
    ]
    svg = draw_dot(a, groups=groups).pipe(format="svg")
    texts = svg_texts(svg)
    assert 'lay"ers.0' in texts and "neu{rons}.1" in texts
    assert "w.0" in texts  # the weight's label, relative to its group


# ---------------------------------------------------------------------------
# Size guard and depth
# ---------------------------------------------------------------------------


def chain(depth: int) -> Value:
    x = Value(0.1, label="x")
    for _ in range(depth):
        x = x.tanh()
    return x


def test_size_guard_refuses_large_graphs_with_a_helpful_message():
    y = chain(1000)  # 1001 values and 1000 operations: 2001 nodes to draw
    with pytest.raises(ValueError) as error:
        draw_dot(y)
    message = str(error.value)
    assert "2001 nodes" in message and f"max_nodes={DEFAULT_MAX_NODES}" in message
    assert "collapse=True" in message and "max_nodes=" in message
    assert len(parse_dot(draw_dot(y, max_nodes=2001).source).nodes) == 2001
    with pytest.raises(ValueError, match="max_nodes=10"):
        draw_dot(chain(5), max_nodes=10)
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        draw_dot(chain(1), max_nodes=0)


@pytest.mark.slow
def test_graph_100000_deep_is_refused_or_drawn_without_recursion():
    y = chain(100_000)
    with pytest.raises(ValueError, match="200001 nodes"):
        draw_dot(y)
    source = draw_dot(y, max_nodes=None).source
    assert source.count("->") == 2 * 100_000
    assert source.count("shape=record") == 100_001


def test_drawing_uses_no_recursion():
    y = chain(3000)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)
    try:
        full = draw_dot(y, max_nodes=None, edge_labels=True).source
        collapsed = draw_dot(y, max_nodes=None, collapse=True).source
    finally:
        sys.setrecursionlimit(limit)
    assert full.count("shape=record") == collapsed.count("shape=record") == 3001


# ---------------------------------------------------------------------------
# Groups of nodes: clusters and collapsed boxes (nn models through nn.graph_view)
# ---------------------------------------------------------------------------


def test_group_members_are_the_nodes_on_paths_from_its_sources_to_its_output():
    (out,), neurons = hand_mlp([2, 3, 2, 1], [0.5, -1.0])
    loss = (out - 1.0) ** 2
    groups = hand_groups(neurons)
    resolved = resolve_groups(groups, topological_order(loss))
    for name, n in neurons.items():
        k = next(i for i, g in enumerate(groups) if g.name == name)
        members = {v for v, home in resolved.home.items() if home == k}
        # exactly what hand_mlp made for this neuron: w, b, products, sums, z, a (no inputs)
        assert members == set(n.parameters) | set(n.made)
    inputs = [v for v in topological_order(loss) if v.label in ("x0", "x1")]
    assert all(v not in resolved.home for v in inputs)
    assert loss not in resolved.home


def test_full_view_puts_each_group_in_a_cluster_inside_its_parent():
    (out,), neurons = hand_mlp([2, 3, 2, 1], [0.5, -1.0])
    loss = (out - 1.0) ** 2
    loss.backward()
    node_id = ids(loss)
    groups = hand_groups(neurons)
    dot = parse_dot(draw_dot(loss, groups=groups).source)
    assert sorted(dot.cluster_labels) == sorted(
        ["layers.0", "layers.1", "layers.2", "neurons.0", "neurons.1", "neurons.2", "neurons.0", "neurons.1", "neurons.0"]
    )
    for name, n in neurons.items():
        layer, neuron = name.rsplit(".neurons.", 1)
        for node in (n.z, n.a, *n.parameters, *n.made):
            assert dot.clusters[node_id[node]] == [layer, f"neurons.{neuron}"]
    w = next(v for v in node_id if v.label == "layers.1.neurons.1.w.0")
    assert dot.label(node_id[w]).startswith("{ w.0 | ")  # shown relative to its group
    assert parse_dot(draw_dot(loss, groups=groups, clusters=False).source).cluster_labels == []
    assert parse_dot(draw_dot(loss).source).cluster_labels == []  # no groups given: no clusters
    x0 = next(v for v in node_id if v.label == "x0")
    assert dot.clusters[node_id[x0]] == []  # an input feeding every neuron of layer 0
    assert dot.clusters[node_id[loss]] == []  # the loss is in no group


def test_collapsed_view_draws_one_box_per_group_with_its_summary_and_grads():
    (out,), neurons = hand_mlp([2, 3, 2, 1], [0.5, -1.0])
    loss = (out - 1.0) ** 2
    loss.backward()
    groups = hand_groups(neurons)
    box = box_ids(groups)
    graph = draw_dot(loss, groups=groups, collapse=True, edge_labels=True, number_format=".6f")
    dot = parse_dot(graph.source)
    boxes = {n for n in dot.nodes if n.startswith("group")}
    assert boxes == {box[name] for name in neurons}
    n = neurons["layers.1.neurons.0"]
    label = dot.label(box["layers.1.neurons.0"])
    assert label.startswith("{ neurons.0 | ")
    assert f"z  {n.z.data:.6f}" in label and f"grad {n.z.grad:.6f}" in label
    assert f"a = tanh(z)  {math.tanh(n.z.data):.6f}" in label and f"grad {n.a.grad:.6f}" in label
    assert dot.clusters[box["layers.1.neurons.0"]] == ["layers.1"]
    between = [(t, h, attrs) for t, h, attrs in dot.edges if t in boxes and h in boxes]
    assert len(between) == 3 * 2 + 2 * 1
    # the edge from neuron 2 of layer 0 into neuron 0 of layer 1 carries ∂z/∂a_2 = w_02
    into = [attrs for t, h, attrs in between if (t, h) == (box["layers.0.neurons.2"], box["layers.1.neurons.0"])]
    w02 = neurons["layers.1.neurons.0"].parameters[2]
    assert [float(e["label"]) for e in into] == [pytest.approx(w02.data, abs=1e-6)]
    layer0 = {box[f"layers.0.neurons.{j}"] for j in range(3)}
    assert len([(t, h) for t, h, _ in dot.edges if h in layer0]) == 2 * 3  # x0, x1 into each
    svg = graph.pipe(format="svg")
    assert sum(1 for el in ET.fromstring(svg).iter(SVG + "g") if el.get("class") == "node") == len(dot.nodes)


def test_groups_given_by_hand_and_groups_outside_the_graph_are_skipped():
    x = Value(1.5, label="x")
    w, b = Value(-0.5), Value(0.25)
    z = w * x + b
    a = z.sigmoid()
    loss = a * 2.0
    unit = NodeGroup("hidden.unit", output=a, sources=frozenset([w, b]),
                     summary=(SummaryRow("z", z), SummaryRow("a = sigmoid(z)", a)))
    dot = parse_dot(draw_dot(loss, collapse=True, groups=[unit]).source)
    assert "group0" in dot.nodes and "hidden.unit" in dot.label("group0")
    assert f"a = sigmoid(z)  {1 / (1 + math.exp(0.5 * 1.5 - 0.25)):.4f}" in dot.label("group0")
    elsewhere = NodeGroup("elsewhere", output=Value(2.0), sources=frozenset([Value(1.0)]), summary=unit.summary)
    dot = parse_dot(draw_dot(loss, collapse=True, groups=[unit, elsewhere]).source)
    assert [n for n in dot.nodes if n.startswith("group")] == ["group0"]


@pytest.mark.parametrize("groups, error, message", [
    ([("hidden.unit", Value(1.0))], TypeError, "each item must be a NodeGroup"),
    ([NodeGroup("a"), NodeGroup("a")], ValueError, "the name 'a' is used by two groups"),
    ([NodeGroup("a", parent="b")], ValueError, "parent 'b' is not one of the groups"),
    ([NodeGroup("a", parent="b"), NodeGroup("b", parent="a")], ValueError, "cycle"),
])
def test_malformed_groups_are_refused_naming_the_problem(groups, error, message):
    with pytest.raises(error, match=message):
        draw_dot(Value(1.0) * 2.0, groups=groups)


def test_two_groups_sharing_a_node_are_refused():
    w = Value(0.5, label="w")
    z = w * 2.0
    a, c = z.tanh(), z.sigmoid()
    out = a + c
    groups = [NodeGroup("first", output=a, sources=frozenset([w])), NodeGroup("second", output=c, sources=frozenset([w]))]
    with pytest.raises(ValueError, match="'first' and 'second' share the node"):
        draw_dot(out, groups=groups)
    with pytest.raises(TypeError, match="output must be a Value"):
        NodeGroup("bad", output=3.0)


def test_size_guard_counts_boxes_in_the_collapsed_view():
    outputs, neurons = hand_mlp([2, 16, 16, 16, 16, 16, 16, 1], [0.5, -1.0])
    (out,) = outputs
    with pytest.raises(ValueError, match="collapse=True"):
        draw_dot(out, groups=hand_groups(neurons))
    dot = parse_dot(draw_dot(out, groups=hand_groups(neurons), collapse=True).source)
    assert len([n for n in dot.nodes if n.startswith("group")]) == 6 * 16 + 1


def test_nn_mlp_2_16_16_1_collapses_to_33_boxes_from_its_neurons():
    from nn.graph_view import draw_model, neuron_groups
    from nn.layers import MLP

    model = MLP(2, [16, 16, 1], seed=0)
    out = model([0.5, -1.0])
    loss = (out - 1.0) ** 2
    loss.backward()
    groups = neuron_groups(model)
    assert [g.name for g in groups if g.output is None] == ["layers.0", "layers.1", "layers.2"]
    for g in groups:
        if g.output is None:
            continue
        _, i, _, j = g.name.split(".")
        neuron = model.layers[int(i)].neurons[int(j)]
        assert g.parent == f"layers.{i}"
        assert g.output is neuron.a and g.summary[0].value is neuron.z
        assert g.sources == frozenset(neuron.parameters())
    graph = draw_model(model, loss, collapse=True)
    dot = parse_dot(graph.source)
    assert len([n for n in dot.nodes if n.startswith("group")]) == 33
    assert sorted(set(dot.cluster_labels)) == ["layer 1", "layer 2", "layer 3"]  # counted from 1
    texts = svg_texts(graph.pipe(format="svg"))
    a = model.layers[1].neurons[5].a
    assert f"grad {a.grad:.4f}" in texts
    relu = [t for t in texts if t.startswith("a") and "= ReLU(z)" in t]
    assert len(relu) == 32  # the hidden neurons; the output neuron is linear
    assert sum(t.startswith("z³₁ = a (linear)") for t in texts) == 1


def test_draw_model_colours_the_models_parameters_and_groups_a_lone_neuron():
    from nn.graph_view import draw_model
    from nn.layers import Neuron

    neuron = Neuron(2, "tanh", seed=1)
    out = neuron([0.5, -1.0])
    out.backward()
    dot = parse_dot(draw_model(neuron, out, color_by_role=True).source)
    node_id = ids(out)
    for p in neuron.parameters():
        assert dot.nodes[node_id[p]]["fillcolor"] == "#d6e6f7"
    assert dot.cluster_labels == ["neuron"]
    inputs = [v for v in node_id if v.label.startswith("x.")]
    assert len(inputs) == 2 and all(dot.clusters[node_id[v]] == [] for v in inputs)


# ---------------------------------------------------------------------------
# One definition of the options
# ---------------------------------------------------------------------------


def test_options_dataclass_and_keywords_draw_the_same():
    g = lecture_graph()
    options = DrawOptions(rankdir="TB", edge_labels=True, number_format=".2f")
    assert draw_dot(g["L"], options=options).source == draw_dot(
        g["L"], rankdir="TB", edge_labels=True, number_format=".2f"
    ).source
    # keywords win over options= and the positional shorthands still work
    assert "rankdir=LR" in draw_dot(g["L"], options=options, rankdir="LR").source
    assert draw_dot(g["L"], "png").format == "png"
    with pytest.raises(TypeError, match=r"unknown drawing option.*colour_by_role"):
        draw_dot(g["L"], colour_by_role=True)
    with pytest.raises(ValueError, match="max_edge_span must be a positive int"):
        DrawOptions(max_edge_span=0)
    for timeout in (-1, 0, math.nan, math.inf, 10**400, 1e7):
        with pytest.raises(ValueError, match="timeout must be a number of seconds"):
            DrawOptions(timeout=timeout)
