r"""Drawing a computation graph with Graphviz, so the chain rule can be seen.

:func:`draw_dot` turns the graph behind a ``Value`` into a ``graphviz.Digraph``
(shown inline by Jupyter; ``.render()`` / ``.pipe()`` or :func:`write_graph`
write SVG, PNG or PDF). Every value is a record ``{ label | data | grad }`` and
every operation is its own small node between a result and its operands, as in
the micrograd lecture. With ``edge_labels=True`` the edge from an operand ``u``
into the operation that made ``v`` carries the local derivative ``∂v/∂u``, so
the chain rule can be read off the picture:

    dL/du = Σ over paths u → ... → L of the product of the edge labels on the path.

Graphs of ``nn`` models are recognised from their parameters' dotted names
(``layers.0.neurons.2.w.1``, ``layers.0.neurons.2.b``): each neuron and each
layer is drawn in a cluster, and ``collapse=True`` draws one box per neuron
showing its pre-activation ``z``, its activation ``a`` and their gradients.

This is the only module of ``autograd`` that imports ``graphviz``. It reads the
graph through the public protocol of ``Value`` only (``data``, ``grad``,
``label``, ``op``, ``parents``, ``is_leaf``, ``partials()``) and walks it with
:func:`~autograd.graph.topological_order`, never recursively. Node ids are
positions in that order (``n0``, ``n1``, ...), stable from run to run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import graphviz

from autograd.files import write_atomic
from autograd.graph import topological_order
from autograd.value import Value

DEFAULT_MAX_NODES = 2000
"""Above this many drawn nodes :func:`draw_dot` refuses (``dot`` gets very slow)."""

RANKDIRS = ("LR", "TB")
"""Accepted layout directions: left to right, top to bottom."""

FILE_FORMATS = ("svg", "png", "pdf", "dot")
"""File extensions :func:`write_graph` knows (``dot`` is the DOT source itself)."""

ACTIVATION_OPS = ("tanh", "sigmoid", "ReLU", "swish", "softplus", "LeakyReLU")
"""Operation symbols taken as a neuron's activation ``a = f(z)`` (``LeakyReLU(α)`` too)."""

ROLE_COLORS = {
    "input": "#d8f0d2",
    "parameter": "#d6e6f7",
    "constant": "#ececec",
    "intermediate": "#ffffff",
    "output": "#ffdfae",
}
"""Fill colour of each role when ``color_by_role=True``."""

_LEGEND = "fill: input green, parameter blue, constant grey, intermediate white, output orange"

_HIGHLIGHT = "#d62728"
_HIGHLIGHT_FILL = "#fff3b0"
_FONT = "Helvetica"


class Neuron(NamedTuple):
    """The two values of one neuron in a graph: ``z = w·x + b`` and ``a = f(z)``.

    Attributes:
        name: Dotted module name, e.g. ``"layers.0.neurons.2"``.
        z: The pre-activation (weighted input) ``z``.
        a: The activation ``a = f(z)``; ``z`` itself for a linear neuron.
    """

    name: str
    z: Value
    a: Value


# ---------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------

_RECORD_SPECIAL = re.compile(r"([{}|<>])")


def _escape_text(text: str) -> str:
    r"""``text`` for a quoted DOT label, shown as written.

    ``\`` is doubled (Graphviz reads ``\N``, ``\n``, ... as escapes), ``"`` is
    escaped, ``&`` becomes ``&amp;`` (Graphviz decodes entities such as
    ``&lt;`` in labels) and a newline becomes the line break ``\n``.
    """
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("&", "&amp;")
        .replace("\n", "\\n")
    )


def _escape_record(text: str) -> str:
    r"""``text`` for one field of a record label: also ``{ } | < >`` escaped."""
    return _RECORD_SPECIAL.sub(r"\\\1", _escape_text(text))


def _plain(text: str) -> str:
    """A non-record label: escaped, never taken for an HTML-like label."""
    return graphviz.nohtml(_escape_text(text))


def _record(fields: Sequence[str]) -> str:
    """A record label ``{ f0 | f1 | ... }`` from already escaped fields."""
    return graphviz.nohtml("{ " + " | ".join(fields) + " }")


# ---------------------------------------------------------------------------
# Neurons in graphs of nn models
# ---------------------------------------------------------------------------


def parameter_owner(label: str) -> str | None:
    """The module that owns a parameter with this dotted name, or None.

    ``"layers.0.neurons.2.w.1"`` and ``"layers.0.neurons.2.b"`` belong to
    ``"layers.0.neurons.2"``: the last component is dropped, and if it is an
    index, the name before it too. Labels without a dot (``"a"``, ``"x1"``)
    are not parameter names.

    Args:
        label: A node's label.

    Returns:
        The owner's dotted name, or None when ``label`` is not a dotted name.
    """
    parts = label.split(".")
    if len(parts) < 2 or not all(parts):
        return None
    drop = 2 if parts[-1].isdigit() else 1
    owner = parts[:-drop]
    return ".".join(owner) if owner else None


def _is_activation(node: Value) -> bool:
    return len(node.parents) == 1 and node.op.startswith(ACTIVATION_OPS)


def _is_zero_constant(node: Value) -> bool:
    """The lifted ``0`` that Python's ``sum()`` starts from."""
    return node.is_leaf and not node.label and node.data == 0.0


def find_neurons(root: Value) -> list[Neuron]:
    r"""The neurons of ``root``'s graph, recognised from parameter names.

    A neuron's parameters carry dotted names (``P.w.0``, ``P.w.1``, ...,
    ``P.b``). Its weighted input ``z = Σ_k w_k x_k + b`` is made of the
    operations that consume one of its parameters, and of the ``+`` nodes that
    add those up (the constant 0 that ``sum()`` starts from is allowed); ``z``
    is the last of them. Its activation ``a = f(z)`` is the single activation
    (tanh, sigmoid, ReLU, Leaky ReLU, swish, softplus) applied to ``z``; a
    neuron without one is linear and ``a = z``. Nodes labelled ``P.z`` and
    ``P.a`` (as ``nn`` labels them) are taken as ``z`` and ``a`` of ``P``.

    Args:
        root: The output of the graph.

    Returns:
        One :class:`Neuron` per owner name found, in the order their ``z``
        is computed.
    """
    order = topological_order(root)
    member: dict[Value, str] = {}
    last: dict[str, Value] = {}
    for node in order:
        if node.is_leaf:
            continue
        owners = {
            owner
            for p in node.parents
            if p.is_leaf and (owner := parameter_owner(p.label)) is not None
        }
        if len(owners) == 1:
            name = owners.pop()
        elif not owners and node.op == "+":
            names = {member.get(p, "") for p in node.parents if not _is_zero_constant(p)}
            if len(names) != 1 or "" in names:
                continue
            name = names.pop()
        else:
            continue
        member[node] = name
        last[name] = node
    named = {node.label: node for node in order if not node.is_leaf and node.label}
    for name in last:
        if name + ".z" in named:
            last[name] = named[name + ".z"]
    z_nodes = {z: name for name, z in last.items()}
    activations: dict[Value, list[Value]] = {z: [] for z in z_nodes}
    for node in order:
        if _is_activation(node) and node.parents[0] in activations:
            activations[node.parents[0]].append(node)
    neurons = []
    for z, name in z_nodes.items():
        consumers = activations[z]
        a = named.get(name + ".a") or (consumers[0] if len(consumers) == 1 else z)
        neurons.append(Neuron(name, z, a))
    position = {node: i for i, node in enumerate(order)}
    neurons.sort(key=lambda n: position[n.z])
    return neurons


_NONE, _MANY = -1, -2


def _neuron_members(order: list[Value], neurons: Sequence[Neuron]) -> dict[Value, int]:
    """Node -> index of the neuron it belongs to.

    A node belongs to neuron ``k`` when ``a_k`` is the only neuron output
    reached first on the way down from it to the root (so a weight, the
    products and sums of ``z`` and ``z`` itself belong to their neuron; an
    input feeding several neurons, and the loss after the last layer, belong
    to none). Labelled leaves that are not parameters (inputs) stay outside.
    """
    owner_of_output = {n.a: k for k, n in enumerate(neurons)}
    first: dict[Value, int] = {}
    for node in reversed(order):
        reach = owner_of_output.get(node, first.get(node, _NONE))
        for parent in node.parents:
            seen = first.get(parent, _NONE)
            if seen == _NONE:
                first[parent] = reach
            elif seen != reach and reach != _NONE:
                first[parent] = _MANY
    members: dict[Value, int] = {}
    for node in order:
        k = owner_of_output.get(node, first.get(node, _NONE))
        if k < 0:
            continue
        if node.is_leaf and node.label and parameter_owner(node.label) is None:
            continue
        members[node] = k
    return members


def _cluster_path(name: str) -> list[str]:
    """Nested cluster names for a neuron: ``layers.0``, then ``layers.0.neurons.2``."""
    parts = name.split(".")
    prefixes = [".".join(parts[: i + 1]) for i in range(len(parts) - 1) if parts[i].isdigit()]
    return [*prefixes, name]


# ---------------------------------------------------------------------------
# The drawing
# ---------------------------------------------------------------------------


def _check_number_format(number_format: str) -> None:
    if not isinstance(number_format, str):
        raise TypeError(
            f"number_format must be a format spec str such as '.4f', "
            f"got {type(number_format).__name__}"
        )
    try:
        format(1.5, number_format)
    except ValueError as error:
        raise ValueError(
            f"number_format {number_format!r} is not a float format spec "
            f"(expected e.g. '.4f', '.3g', '.2e'): {error}"
        ) from None


def _number(x: object, number_format: str) -> str:
    value = x.data if isinstance(x, Value) else x
    return format(float(value), number_format)  # type: ignore[arg-type]


class _Scene:
    """A graph prepared once for drawing (order, ids, roles, neurons), drawn many times."""

    def __init__(
        self,
        root: Value,
        *,
        format: str,
        rankdir: str,
        show_grad: bool,
        number_format: str,
        edge_labels: bool,
        color_by_role: bool,
        parameters: Iterable[Value] | None,
        clusters: bool,
        collapse: bool,
        neurons: Iterable[Neuron] | None,
        max_nodes: int | None,
    ) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"draw_dot: root must be a Value, got {type(root).__name__}")
        if rankdir not in RANKDIRS:
            raise ValueError(f"rankdir must be 'LR' or 'TB', got {rankdir!r}")
        _check_number_format(number_format)
        if max_nodes is not None and (
            isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1
        ):
            raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
        self.root = root
        self.format = format
        self.rankdir = rankdir
        self.show_grad = show_grad
        self.number_format = number_format
        self.edge_labels = edge_labels
        self.color_by_role = color_by_role
        self.collapse = collapse
        self.order = topological_order(root)
        self.index = {node: i for i, node in enumerate(self.order)}
        if not collapse:
            self._guard(len(self.order) + sum(not v.is_leaf for v in self.order), max_nodes)
        self.parameters = set() if parameters is None else set(parameters)
        if not (clusters or collapse):
            found = []
        elif neurons is None:
            found = find_neurons(root)
        else:
            found = [self._checked_neuron(n) for n in neurons]
            found = [n for n in found if n.a in self.index and n.z in self.index]
        self.neurons = found
        self.members = _neuron_members(self.order, found) if found else {}
        if collapse:
            shown = sum(1 for v in self.order if v not in self.members)
            ops = sum(1 for v in self.order if v not in self.members and not v.is_leaf)
            self._guard(shown + ops + len(found), max_nodes)

    @staticmethod
    def _guard(count: int, max_nodes: int | None) -> None:
        if max_nodes is not None and count > max_nodes:
            raise ValueError(
                f"draw_dot: the graph has {count} nodes to draw, above max_nodes={max_nodes}; "
                "Graphviz would be very slow and the picture unreadable. Draw an nn model "
                "with collapse=True (one box per neuron), or pass a larger max_nodes= "
                "(max_nodes=None disables the limit)."
            )

    @staticmethod
    def _checked_neuron(item: object) -> Neuron:
        if (
            not isinstance(item, tuple)
            or len(item) != 3
            or not isinstance(item[0], str)
            or not isinstance(item[1], Value)
            or not isinstance(item[2], Value)
        ):
            raise TypeError(
                f"neurons: each item must be a (name: str, z: Value, a: Value) triple, got {item!r}"
            )
        return Neuron(*item)

    # -- roles, labels, ids ----------------------------------------------------

    def role(self, node: Value) -> str:
        """'output', 'intermediate', 'parameter', 'input' or 'constant'."""
        if node is self.root:
            return "output"
        if not node.is_leaf:
            return "intermediate"
        if node in self.parameters or parameter_owner(node.label) is not None:
            return "parameter"
        return "input" if node.label else "constant"

    def value_fields(
        self, node: Value, pending: Collection[Value], within: str | None = None
    ) -> list[str]:
        """Record fields: label (relative to the neuron ``within``), data, grad."""
        label = node.label
        if within and label.startswith(within + "."):
            label = label[len(within) + 1 :]
        fields = [_escape_record(label)] if label else []
        fields.append(_escape_record("data " + _number(node.data, self.number_format)))
        if self.show_grad:
            grad = "?" if node in pending else _number(node.grad, self.number_format)
            fields.append(_escape_record("grad " + grad))
        return fields

    def node_id(self, node: Value) -> str:
        return f"n{self.index[node]}"

    # -- drawing ------------------------------------------------------------------

    def draw(
        self,
        highlight: Collection[Value] = frozenset(),
        pending: Collection[Value] = frozenset(),
        current: Value | None = None,
        caption: str = "",
    ) -> graphviz.Digraph:
        """One picture: ``highlight`` marked, grads of ``pending`` shown as '?'."""
        graph = graphviz.Digraph(
            name="computation_graph",
            format=self.format,
            graph_attr={"rankdir": self.rankdir, "fontname": _FONT, "nodesep": "0.25"},
            node_attr={"fontname": _FONT, "fontsize": "11"},
            edge_attr={"fontname": _FONT, "fontsize": "9", "color": "#555555"},
        )
        legend = _LEGEND if self.color_by_role else ""
        text = "\n".join(t for t in (caption, legend) if t)
        if text:
            graph.attr(label=_plain(text), labelloc="t", labeljust="l", fontsize="13")
        if self.collapse:
            self._draw_collapsed(graph, highlight, pending, current)
        else:
            self._draw_full(graph, highlight, pending, current)
        return graph

    def _value_attrs(self, node: Value, marked: bool, current: bool) -> dict[str, str]:
        fill = ROLE_COLORS[self.role(node)] if self.color_by_role else "#ffffff"
        attrs = {"shape": "record", "style": "rounded,filled", "fillcolor": fill}
        if marked:
            attrs.update(color=_HIGHLIGHT, penwidth="2.5", fillcolor=_HIGHLIGHT_FILL)
        if current:
            attrs["class"] = "current"
        return attrs

    @staticmethod
    def _op_attrs(node: Value, marked: bool) -> dict[str, str]:
        attrs = {
            "shape": "circle" if len(node.op) <= 2 else "ellipse",
            "style": "filled",
            "fillcolor": "#f2f2f2",
            "color": "#777777",
            "margin": "0.02",
            "width": "0.3",
            "height": "0.3",
            "fixedsize": "false",
        }
        if marked:
            attrs.update(color=_HIGHLIGHT, penwidth="2.5")
        return attrs

    def _edge_attrs(self, slot: int, partials: tuple[float, ...], marked: bool) -> dict:
        attrs: dict[str, str] = {}
        if self.edge_labels:
            attrs["label"] = _plain(_number(partials[slot], self.number_format))
            attrs["fontcolor"] = "#1f5fa8"
        if marked:
            attrs.update(color=_HIGHLIGHT, penwidth="2")
        return attrs

    def _containers(self, graph: graphviz.Digraph) -> tuple[dict[int, graphviz.Digraph], list]:
        """Cluster subgraphs for the neurons, nested in clusters for their layers.

        In the collapsed view a neuron is a box of its own, so only the outer
        clusters (layers) are made and the box goes into its layer's cluster.

        Returns:
            neuron index -> the subgraph its nodes go in, and the (outer,
            inner) subgraph pairs to attach once filled, innermost first.
        """
        made: dict[str, tuple[graphviz.Digraph, int, str | None]] = {}
        home: dict[int, graphviz.Digraph] = {}
        for k, neuron in enumerate(self.neurons):
            path = _cluster_path(neuron.name)
            if self.collapse:
                path = path[:-1]
            outer: str | None = None
            for depth, name in enumerate(path):
                if name not in made:
                    shown = name[len(outer) + 1 :] if outer else name
                    innermost = depth == len(path) - 1 and not self.collapse
                    sub = graphviz.Digraph(name=f"cluster_{len(made)}")
                    sub.attr(
                        label=_plain(shown),
                        style="rounded,filled" if innermost else "rounded",
                        fillcolor="#f4f7fb",
                        color="#9db3d3" if innermost else "#3a5a8c",
                        fontname=_FONT,
                        fontsize="10",
                        labeljust="l",
                    )
                    made[name] = (sub, depth, outer)
                outer = name
            home[k] = made[outer][0] if outer else graph
        pairs = sorted(made.values(), key=lambda item: -item[1])
        return home, [(made[o][0] if o else graph, sub) for sub, _, o in pairs]

    @staticmethod
    def _attach(nesting: list) -> None:
        for outer, inner in nesting:
            outer.subgraph(inner)

    def _draw_full(
        self,
        graph: graphviz.Digraph,
        highlight: Collection[Value],
        pending: Collection[Value],
        current: Value | None,
    ) -> None:
        clusters, nesting = self._containers(graph)
        for node in self.order:
            k = self.members.get(node)
            where = clusters[k] if k is not None else graph
            nid = self.node_id(node)
            marked = node in highlight
            within = self.neurons[k].name if k is not None else None
            where.node(
                nid,
                label=_record(self.value_fields(node, pending, within)),
                **self._value_attrs(node, marked, node is current),
            )
            if node.is_leaf:
                continue
            where.node(nid + "_op", label=_plain(node.op), **self._op_attrs(node, marked))
            graph.edge(nid + "_op", nid, **({"color": _HIGHLIGHT, "penwidth": "2"} if marked else {}))
            partials = node.partials() if self.edge_labels else ()
            for slot, parent in enumerate(node.parents):
                both = marked and parent in highlight
                graph.edge(
                    self.node_id(parent),
                    nid + "_op",
                    **self._edge_attrs(slot, partials, both),
                )
        self._attach(nesting)

    def _draw_collapsed(
        self,
        graph: graphviz.Digraph,
        highlight: Collection[Value],
        pending: Collection[Value],
        current: Value | None,
    ) -> None:
        clusters, nesting = self._containers(graph)
        graph.attr("edge", arrowsize="0.5", color="#8c8c8c")
        # NOTE: a short crossing minimisation keeps the neurons of a layer in
        # index order (every ordering of a dense layer crosses as much).
        graph.attr(mclimit="0.01")
        marked_neurons = {self.members[v] for v in highlight if v in self.members}
        for k, neuron in enumerate(self.neurons):
            layer = _cluster_path(neuron.name)[-2:-1]
            shown = neuron.name[len(layer[0]) + 1 :] if layer else neuron.name
            if neuron.a is neuron.z:
                rows = [("z = a (linear)", neuron.z)]
            else:
                rows = [("z", neuron.z), (f"a = {neuron.a.op}(z)", neuron.a)]
            fields = [_escape_record(shown)]
            for symbol, value in rows:
                cells = [_escape_record(f"{symbol}  {_number(value.data, self.number_format)}")]
                if self.show_grad:
                    grad = "?" if value in pending else _number(value.grad, self.number_format)
                    cells.append(_escape_record(f"grad {grad}"))
                fields.append("{ " + " | ".join(cells) + " }")
            attrs = {
                "shape": "record",
                "style": "rounded,filled",
                "fillcolor": ROLE_COLORS["intermediate"],
            }
            if k in marked_neurons:
                attrs.update(color=_HIGHLIGHT, penwidth="2.5", fillcolor=_HIGHLIGHT_FILL)
            if current is not None and self.members.get(current) == k:
                attrs["class"] = "current"
            clusters[k].node(f"neuron{k}", label=_record(fields), **attrs)

        def entity(node: Value) -> str:
            k = self.members.get(node)
            return f"neuron{k}" if k is not None else self.node_id(node)

        for node in self.order:
            if node in self.members:
                continue
            nid = self.node_id(node)
            marked = node in highlight
            graph.node(
                nid,
                label=_record(self.value_fields(node, pending)),
                **self._value_attrs(node, marked, node is current),
            )
            if node.is_leaf:
                continue
            graph.node(nid + "_op", label=_plain(node.op), **self._op_attrs(node, marked))
            graph.edge(nid + "_op", nid)
        for node in self.order:
            if node.is_leaf:
                continue
            target = entity(node)
            partials = node.partials() if self.edge_labels else ()
            if target == self.node_id(node):
                target += "_op"
            for slot, parent in enumerate(node.parents):
                source = entity(parent)
                if source == entity(node):
                    continue
                both = (parent in highlight or self.members.get(parent) in marked_neurons) and (
                    node in highlight or self.members.get(node) in marked_neurons
                )
                graph.edge(source, target, **self._edge_attrs(slot, partials, both))
        self._attach(nesting)


def path_to_output(root: Value, start: Value) -> set[Value]:
    """Every node on some path from ``start`` to ``root`` (both included).

    A node is on such a path when it is ``start``, or one of its operands is
    on a path and it is an ancestor of ``root`` (every node of the graph is).

    Args:
        root: The output.
        start: A node of ``root``'s graph.

    Returns:
        The set of nodes on the paths; empty when ``start`` is not in the graph.
    """
    on_path: set[Value] = set()
    for node in topological_order(root):
        if node is start or any(p in on_path for p in node.parents):
            on_path.add(node)
    return on_path


def draw_dot(
    root: Value,
    format: str = "svg",
    rankdir: str = "LR",
    *,
    show_grad: bool = True,
    number_format: str = ".4f",
    edge_labels: bool = False,
    highlight: Iterable[Value] = (),
    path_from: Value | None = None,
    color_by_role: bool = False,
    parameters: Iterable[Value] | None = None,
    clusters: bool = True,
    collapse: bool = False,
    neurons: Iterable[Neuron] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> graphviz.Digraph:
    r"""The computation graph of ``root`` as a ``graphviz.Digraph``.

    Each value is a record ``{ label | data 2.0000 | grad 6.0000 }`` (no label
    field when the label is empty); each operation is a node of its own with
    its symbol (``+``, ``*``, ``**-1``, ``tanh``), fed by one edge per operand,
    repeated operands included (``a + a`` has two edges). Subtraction and
    division show as the engine computes them: ``x - y = x + y * -1`` and
    ``x / y = x * y**-1``.

    Args:
        root: The output value.
        format: Output format used by ``.render()`` and ``.pipe()`` (``svg``,
            ``png``, ``pdf``, ...).
        rankdir: ``'LR'`` (left to right) or ``'TB'`` (top to bottom).
        show_grad: Show each value's ``grad`` field.
        number_format: Format spec for every number (``'.4f'``, ``'.3g'``).
        edge_labels: Label the edge from operand ``u`` into the operation that
            made ``v`` with the local derivative ``∂v/∂u`` (``v.partials()``).
            A leaf's gradient is the sum over paths to the output of the
            products of the labels along each path.
        highlight: Values to mark (red outline, yellow fill).
        path_from: Also mark every node on a path from this value to ``root``,
            and the edges between them: the route its gradient comes back by.
        color_by_role: Fill values by role: input (labelled leaf), parameter
            (dotted nn name or listed in ``parameters``), constant (unlabelled
            leaf), intermediate, output (``root``); a legend is added.
        parameters: Leaves to colour as parameters besides those with dotted
            nn names.
        clusters: Put the nodes of each neuron of an ``nn`` model in a
            cluster, nested in a cluster per layer (no effect on graphs without
            neurons).
        collapse: Draw one box per neuron (showing ``z``, ``a = f(z)`` and
            their gradients) instead of its weights, products and sums.
            Edges into a box carry ``∂z/∂a_prev = w`` when ``edge_labels``.
        neurons: The ``(name, z, a)`` of each neuron, when the model supplies
            them; by default they are found from parameter names
            (:func:`find_neurons`). Neurons not in this graph are skipped.
        max_nodes: Refuse (``ValueError``) to draw more nodes than this
            (values, operations and neuron boxes); ``None`` for no limit.

    Returns:
        The ``graphviz.Digraph``; ``.source`` is the DOT text.

    Raises:
        TypeError: ``root`` is not a Value, or a ``neurons`` item is malformed.
        ValueError: Unknown ``rankdir``, bad ``number_format``, a highlighted
            node not in the graph, or a graph larger than ``max_nodes``.
    """
    scene = _Scene(
        root,
        format=format,
        rankdir=rankdir,
        show_grad=show_grad,
        number_format=number_format,
        edge_labels=edge_labels,
        color_by_role=color_by_role,
        parameters=parameters,
        clusters=clusters,
        collapse=collapse,
        neurons=neurons,
        max_nodes=max_nodes,
    )
    marked = set(highlight)
    for node in marked:
        if node not in scene.index:
            raise ValueError(f"highlight: {node!r} is not a node of root's graph")
    if path_from is not None:
        if path_from not in scene.index:
            raise ValueError(f"path_from: {path_from!r} is not a node of root's graph")
        marked |= path_to_output(root, path_from)
    return scene.draw(highlight=marked)


def write_graph(graph: graphviz.Digraph, path: str | os.PathLike[str]) -> Path:
    """Render ``graph`` to ``path``, the format taken from the file extension.

    ``.svg``, ``.png`` and ``.pdf`` are rendered by Graphviz's ``dot``;
    ``.dot`` writes the DOT source. The file is written under a temporary name
    in the same directory and then renamed, so a reader never sees half a file.

    Args:
        graph: A graph from :func:`draw_dot`.
        path: Where to write it.

    Returns:
        The path written.

    Raises:
        ValueError: The extension is not one of :data:`FILE_FORMATS`.
        FileNotFoundError: The directory does not exist.
        graphviz.ExecutableNotFound: ``dot`` is not installed.
    """
    target = Path(path)
    extension = target.suffix.lower().lstrip(".")
    if extension not in FILE_FORMATS:
        raise ValueError(
            f"cannot tell the format from {str(target)!r}: the file name must end in "
            + ", ".join("." + f for f in FILE_FORMATS)
        )
    if not target.parent.is_dir():
        raise FileNotFoundError(f"directory {str(target.parent)!r} does not exist")
    data = graph.source.encode("utf-8") if extension == "dot" else graph.pipe(format=extension)
    write_atomic(target, data)
    return target


__all__ = [
    "ACTIVATION_OPS",
    "DEFAULT_MAX_NODES",
    "FILE_FORMATS",
    "RANKDIRS",
    "ROLE_COLORS",
    "Neuron",
    "draw_dot",
    "find_neurons",
    "parameter_owner",
    "path_to_output",
    "write_graph",
]

