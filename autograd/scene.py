r"""A computation graph prepared once for drawing, then drawn as often as needed.

:class:`Scene` does the work that does not change from picture to picture
(the topological order, node ids, roles, groups, which edges are drawn and
from where) so that the step-through (:mod:`autograd.steps`) draws one frame
per node without redoing it. :func:`autograd.render.draw_dot` is one
``Scene(...).draw()``.

Every value is a record ``{ label | data | grad }``; every operation its own
small node between its result and its operands, one edge per operand
(``a + a`` has two). Node ids are positions in
:func:`~autograd.graph.topological_order` (``n0``, ``n1``, ...; an operation
``n5_op``; a collapsed group ``group3``, its index in the groups given).

Fan-out. When one value feeds operations far apart in the graph (the ``x`` of
``x + x + ... + x``: the k-th ``+`` is k levels after ``x``), each of its
edges crosses many ranks, and ``dot`` replaces an edge crossing r ranks by r
virtual nodes: about n² of them for n uses (2n² with edge labels, which double
the ranks), and its layout (network simplex) and spline routing grow faster
still (100 uses: 39,898 virtual nodes, > 300 s). So a value whose uses lie
more than ``max_edge_span`` levels after its nearest use is drawn once, and
each distant use is fed by a dashed reference copy of it placed beside that
use (``n0_ref57``: the value ``n0`` as used by ``n57``). Every edge then spans
a few ranks, and the layout is linear in the size of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import graphviz

from autograd import dot_text as dt
from autograd.draw_options import DrawOptions
from autograd.graph import topological_order
from autograd.groups import NodeGroup, ResolvedGroups, resolve_groups
from autograd.value import Value


@dataclass(frozen=True)
class Edge:
    """An edge drawn into an operation (or a box) from an operand (or a box).

    Attributes:
        tail: Id of the drawn node it leaves (a value, a reference or a box).
        head: Id of the operation node (or box) it enters.
        source: The operand.
        consumer: The value computed from it.
        slot: Position of the operand among the consumer's parents.
    """

    tail: str
    head: str
    source: Value
    consumer: Value
    slot: int


_NAME = re.compile(r"[^\W\d]\w*(\.\w+)*")
"""A label that is a name (``x``, ``x.0``, ``layers.0.neurons.1.w.2``), not a formula."""


def is_named_constant(label: str) -> bool:
    """True for the label of a named constant: a formula (``-y``, ``1/(2m)``), not a name.

    Losses label their constants with the formula they stand for; the drawing
    colours such a leaf as a constant, and a leaf labelled with a name as an input.
    """
    return bool(label) and _NAME.fullmatch(label) is None


def _levels(order: list[Value]) -> dict[Value, int]:
    """Level of each node: 0 for a leaf, else 1 + the highest level of its operands."""
    level: dict[Value, int] = {}
    for node in order:
        level[node] = 1 + max((level[p] for p in node.parents), default=-1)
    return level


class Scene:
    """A graph prepared for drawing: ``Scene(root, options, groups=...).draw()``.

    Args:
        root: The output value.
        options: How to draw (see :class:`~autograd.draw_options.DrawOptions`).
        groups: Groups of nodes drawn as clusters, or boxes with ``collapse``.
        parameters: Leaves coloured as parameters with ``color_by_role``.
        labels: Names to show instead of some values' own labels (a model's
            inputs ``x.0`` shown as ``x₁``); the values are not changed.

    Raises:
        TypeError: ``root`` is not a Value, or a group is malformed.
        ValueError: More nodes to draw than ``options.max_nodes``, or
            inconsistent groups (see :func:`~autograd.groups.resolve_groups`).
    """

    def __init__(
        self,
        root: Value,
        options: DrawOptions,
        *,
        groups: Iterable[NodeGroup] = (),
        parameters: Iterable[Value] | None = None,
        labels: Mapping[Value, str] | None = None,
    ) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"draw_dot: root must be a Value, got {type(root).__name__}")
        self.root = root
        self.options = options
        self.order = topological_order(root)
        self.index = {node: i for i, node in enumerate(self.order)}
        self.parameters = frozenset(parameters or ())
        self.labels = dict(labels or {})
        if not all(isinstance(text, str) for text in self.labels.values()):
            raise TypeError("draw_dot: labels must map Values to str")
        if not options.collapse:  # refuse a huge graph before any further work
            self._guard(len(self.order) + sum(not v.is_leaf for v in self.order))
        used = options.clusters or options.collapse
        self.groups: ResolvedGroups = resolve_groups(groups if used else (), self.order)
        self.box: dict[Value, int] = self._boxes() if options.collapse else {}
        self.edges = self._edges()
        self.references = sorted({e.tail for e in self.edges if "_ref" in e.tail})
        self.spine = self._spine()
        boxes = set(self.box.values())
        shown = [v for v in self.order if v not in self.box]
        self.count = 2 * len(shown) - sum(v.is_leaf for v in shown) + len(boxes) + len(self.references)
        self._guard(self.count)
        self.partials = {v: v.partials() for v in self.order} if options.edge_labels else {}

    def _guard(self, count: int) -> None:
        limit = self.options.max_nodes
        if limit is not None and count > limit:
            raise ValueError(
                f"draw_dot: the graph has {count} nodes to draw, above max_nodes={limit}; "
                "Graphviz would be very slow and the picture unreadable. Collapse groups of "
                "nodes into boxes (groups=..., collapse=True; for a model of nn: "
                "nn.graph_view.draw_model(model, loss, collapse=True)), or pass a larger "
                "max_nodes= (max_nodes=None disables the limit; chainrule draw --max-nodes N)."
            )

    def _boxes(self) -> dict[Value, int]:
        """Member -> the outermost group with a summary that contains it."""
        resolved = self.groups
        box: dict[Value, int] = {}
        for node, k in resolved.home.items():
            boxed = [j for j in resolved.chain(k) if resolved.groups[j].summary]
            if boxed:
                box[node] = boxed[0]
        return box

    # -- ids and edges ---------------------------------------------------------

    def node_id(self, node: Value) -> str:
        """The id of a value's record (``n7``), or of the box it is collapsed into."""
        k = self.box.get(node)
        return f"n{self.index[node]}" if k is None else f"group{k}"

    def _edges(self) -> list[Edge]:
        """Every edge into an operation or a box, long ones fed by references."""
        edges = []
        for v in self.order:
            head = self.node_id(v)
            head = head if v in self.box else head + "_op"
            for slot, parent in enumerate(v.parents):
                if parent in self.box and self.box.get(v) == self.box[parent]:
                    continue  # inside one box
                edges.append(Edge(self.node_id(parent), head, parent, v, slot))
        span = self.options.max_edge_span
        if span is None:
            return edges
        level = _levels(self.order)
        nearest: dict[Value, int] = {}
        for e in edges:
            nearest[e.source] = min(nearest.get(e.source, level[e.consumer]), level[e.consumer])
        return [
            Edge(f"{e.tail}_ref{self.index[e.consumer]}", e.head, e.source, e.consumer, e.slot)
            if e.source not in self.box and level[e.consumer] - nearest[e.source] > span
            else e
            for e in edges
        ]

    def _spine(self) -> frozenset[str]:
        """Ids kept in a straight line (Graphviz ``group``) where references feed operations.

        The operation a reference feeds, its result and its other operands:
        without this, ``dot`` centres each operation between its operand and
        the reference beside it, and a long chain drifts down like a staircase.
        """
        fed = {e.head for e in self.edges if "_ref" in e.tail}
        spine = set(fed) | {head[: -len("_op")] for head in fed if head.endswith("_op")}
        spine |= {e.tail for e in self.edges if e.head in fed and "_ref" not in e.tail}
        return frozenset(spine)

    # -- roles and labels --------------------------------------------------------

    def role(self, node: Value) -> str:
        """'output', 'intermediate', 'parameter', 'input' or 'constant'."""
        if node is self.root:
            return "output"
        if not node.is_leaf:
            return "intermediate"
        if node in self.parameters:
            return "parameter"
        return "input" if node.label and not is_named_constant(node.label) else "constant"

    def _grad(self, node: Value, pending: Collection[Value]) -> str:
        return "?" if node in pending else dt.number(node.grad, self.options.number_format)

    def value_fields(self, node: Value, pending: Collection[Value]) -> list[str]:
        """Record fields: label (relative to its group's name, or as ``labels`` shows it), data, grad."""
        label = node.label
        k = self.groups.home.get(node)
        if node in self.labels:
            label = self.labels[node]
        elif k is not None:
            prefix = self.groups.groups[k].name + "."
            label = label[len(prefix) :] if label.startswith(prefix) else label
        fields = [dt.escape_record(label)] if label else []
        fields.append(dt.escape_record("data " + dt.number(node.data, self.options.number_format)))
        if self.options.show_grad:
            fields.append(dt.escape_record("grad " + self._grad(node, pending)))
        return fields

    def box_fields(self, k: int, pending: Collection[Value]) -> list[str]:
        """Fields of a collapsed group: its title, then ``caption data | grad`` per row."""
        group = self.groups.groups[k]
        fields = [dt.escape_record(group.shown_title())]
        for row in group.summary:
            text = f"{row.caption}  {dt.number(row.value.data, self.options.number_format)}"
            cells = [dt.escape_record(text)]
            if self.options.show_grad:
                cells.append(dt.escape_record(f"{row.grad_caption} " + self._grad(row.value, pending)))
            fields.append("{ " + " | ".join(cells) + " }")
        return fields

    # -- drawing ------------------------------------------------------------------

    def draw(
        self,
        highlight: Collection[Value] = frozenset(),
        pending: Collection[Value] = frozenset(),
        current: Value | None = None,
        caption: str = "",
    ) -> graphviz.Digraph:
        """One picture: ``highlight`` marked, grads of ``pending`` shown as '?'.

        Args:
            highlight: Values to mark (red outline, yellow fill); a box is
                marked when one of its members is.
            pending: Values whose gradient is not final yet (shown ``grad ?``).
            current: The value given the SVG class ``current``.
            caption: Text at the top of the picture.
        """
        options = self.options
        graph = graphviz.Digraph(
            name="computation_graph",
            format=options.format,
            graph_attr={"rankdir": options.rankdir, "fontname": dt.FONT, "nodesep": "0.25"},
            node_attr={"fontname": dt.FONT, "fontsize": "11"},
            edge_attr={"fontname": dt.FONT, "fontsize": "9", "color": "#555555"},
        )
        text = "\n".join(t for t in (caption, dt.LEGEND if options.color_by_role else "") if t)
        if text:
            graph.attr(label=dt.plain(text), labelloc="t", labeljust="l", fontsize="13")
        if options.collapse:
            graph.attr("edge", arrowsize="0.5", color="#8c8c8c")
            # NOTE: a short crossing minimisation keeps the boxes of a group in
            # the order given (every ordering of a dense layer crosses as much).
            graph.attr(mclimit="0.01")
        marked = {self.node_id(v) for v in highlight}
        clusters = _Clusters(graph, self.groups, options.clusters)
        self._draw_nodes(clusters, marked, pending, current)
        self._draw_edges(graph, marked)
        clusters.attach()
        return graph

    def _fill(self, node: Value) -> str:
        return dt.ROLE_COLORS[self.role(node)] if self.options.color_by_role else "#ffffff"

    def _draw_nodes(
        self, clusters: _Clusters, marked: set[str], pending: Collection[Value], current: Value | None
    ) -> None:
        current_id = None if current is None else self.node_id(current)
        boxes_drawn: set[int] = set()
        for node in self.order:
            nid = self.node_id(node)
            k = self.box.get(node)
            if k is not None:
                if k not in boxes_drawn:
                    boxes_drawn.add(k)
                    fill = dt.ROLE_COLORS["intermediate"]
                    attrs = dt.value_attrs(fill, nid in marked, nid == current_id)
                    clusters.place(self.groups.parent.get(k)).node(
                        nid, label=dt.record(self.box_fields(k, pending)), **attrs
                    )
                continue
            where = clusters.place(self.groups.home.get(node))
            label = dt.record(self.value_fields(node, pending))
            attrs = dt.value_attrs(self._fill(node), nid in marked, nid == current_id)
            where.node(nid, label=label, **attrs, **self._group(nid))
            if not node.is_leaf:
                op = dt.op_attrs(node.op, nid in marked)
                where.node(nid + "_op", label=dt.plain(node.op), **op, **self._group(nid + "_op"))
                red = {"color": dt.HIGHLIGHT, "penwidth": "2"} if nid in marked else {}
                clusters.graph.edge(nid + "_op", nid, **red)
        for ref in self.references:
            self._draw_reference(clusters, ref, marked, pending)

    def _group(self, nid: str) -> dict[str, str]:
        return {"group": "spine"} if nid in self.spine else {}

    def _draw_reference(
        self, clusters: _Clusters, ref: str, marked: set[str], pending: Collection[Value]
    ) -> None:
        """A dashed copy of a value beside a distant use of it (see the module's text)."""
        source_id, _, consumer = ref.partition("_ref")
        node = self.order[int(source_id[1:])]
        user = self.order[int(consumer)]
        k = self.box.get(user)
        where = clusters.place(self.groups.home.get(user) if k is None else self.groups.parent.get(k))
        attrs = dt.value_attrs(self._fill(node), source_id in marked, False, reference=True)
        attrs["tooltip"] = dt.escape_text(f"the value {source_id}, drawn again beside its use")
        where.node(ref, label=dt.record(self.value_fields(node, pending)), **attrs)

    def _draw_edges(self, graph: graphviz.Digraph, marked: set[str]) -> None:
        for e in self.edges:
            attrs: dict[str, str] = {}
            if self.options.edge_labels:
                local = self.partials[e.consumer][e.slot]
                attrs["label"] = dt.plain(dt.number(local, self.options.number_format))
                attrs["fontcolor"] = "#1f5fa8"
            if self.node_id(e.source) in marked and self.node_id(e.consumer) in marked:
                attrs.update(color=dt.HIGHLIGHT, penwidth="2")
            graph.edge(e.tail, e.head, **attrs)


class _Clusters:
    """The cluster subgraphs of one picture, made when first needed, nested at the end."""

    def __init__(self, graph: graphviz.Digraph, groups: ResolvedGroups, enabled: bool) -> None:
        self.graph = graph
        self.groups = groups
        self.enabled = enabled
        self.made: dict[int, graphviz.Digraph] = {}

    def place(self, k: int | None) -> graphviz.Digraph:
        """The subgraph for nodes of group ``k`` (the graph itself for None)."""
        if k is None or not self.enabled:
            return self.graph
        for j in self.groups.chain(k):
            if j not in self.made:
                group = self.groups.groups[j]
                sub = graphviz.Digraph(name=f"cluster_{j}")
                sub.attr(**dt.cluster_attrs(group.shown_title(), group.output is not None))
                self.made[j] = sub
        return self.made[k]

    def attach(self) -> None:
        """Nest every cluster in its parent (innermost first), the outermost in the graph."""
        depth = {k: len(self.groups.chain(k)) for k in self.made}
        for k in sorted(self.made, key=lambda j: -depth[j]):
            parent = self.groups.parent.get(k)
            (self.made[parent] if parent is not None else self.graph).subgraph(self.made[k])


__all__ = ["Edge", "Scene"]
