r"""Groups of nodes for a drawing: clusters, and boxes that stand for a subgraph.

A :class:`NodeGroup` names a part of a computation graph. Its members are the
nodes on some path from one of its ``sources`` to its ``output`` (both ends
included): for a neuron, ``sources`` are its weights and bias and ``output``
is its activation ``a``, so the members are the weights, the products
``w_k x_k``, the partial sums, ``z`` and ``a``, and not the inputs ``x_k``
(no path from a weight reaches them). A group without ``output`` only holds
other groups (``parent=`` its name), like a layer of a network holding its units.

The renderer draws each group as a cluster, nested as the parents say; with
``collapse=True`` a group with a ``summary`` is drawn as one box showing the
summary rows (a value and its gradient each), for a neuron ``z`` and
``a = f(z)``. The renderer knows nothing of where groups come from: a library
builds them from its own structure (``nn.graph_view.neuron_groups``).

:func:`resolve_groups` finds every group's members in one pass over the
graph's topological order and one pass back, with one bit per group, so its
cost is (nodes + edges) × groups / 64 word operations, never recursive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from autograd.value import Value


@dataclass(frozen=True)
class SummaryRow:
    """One row of a collapsed box: a caption and the value it shows.

    Attributes:
        caption: The text before the number, e.g. ``"z"`` or ``"a = tanh(z)"``.
        value: The value whose data (and grad) the row shows.
        grad_caption: The text before its gradient: ``"grad"``, or the
            gradient's own name (``"δ¹₂ = grad"`` for a neuron's ``z``).
    """

    caption: str
    value: Value
    grad_caption: str = "grad"


@dataclass(frozen=True, eq=False)
class NodeGroup:
    r"""A named part of a computation graph, drawn as a cluster or one box.

    Attributes:
        name: Unique name of the group (dotted names read well: ``"layer.0"``).
        output: The node the group computes; None for a group that only
            contains other groups.
        sources: Where the group starts: its members are the nodes on a
            path from one of these to ``output``, and ``output`` itself.
        parent: The name of the enclosing group, or None.
        title: What the cluster or box shows; by default ``name`` without
            its parent's name and the dot after it.
        summary: Rows shown when the group is collapsed into one box; a group
            without summary stays a cluster when the drawing collapses.
    """

    name: str
    output: Value | None = None
    sources: frozenset[Value] = field(default_factory=frozenset)
    parent: str | None = None
    title: str | None = None
    summary: tuple[SummaryRow, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"NodeGroup name must be a non-empty str, got {self.name!r}")
        if self.output is not None and not isinstance(self.output, Value):
            raise TypeError(f"NodeGroup {self.name!r}: output must be a Value or None, got {self.output!r}")
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "summary", tuple(self.summary))
        if not all(isinstance(s, Value) for s in self.sources):
            raise TypeError(f"NodeGroup {self.name!r}: sources must be Values")
        if not all(isinstance(r, SummaryRow) for r in self.summary):
            raise TypeError(f"NodeGroup {self.name!r}: summary must be SummaryRow items")
        if self.parent is not None and not isinstance(self.parent, str):
            raise TypeError(f"NodeGroup {self.name!r}: parent must be a group name or None")

    def shown_title(self) -> str:
        """The title drawn: ``title``, or ``name`` relative to the parent's name."""
        if self.title is not None:
            return self.title
        if self.parent and self.name.startswith(self.parent + "."):
            return self.name[len(self.parent) + 1 :]
        return self.name


@dataclass(frozen=True)
class ResolvedGroups:
    """Groups checked against one graph.

    Attributes:
        groups: The groups, in the order given.
        parent: Group index -> index of its parent group (absent at top level).
        home: Node -> index of the group it belongs to (absent: no group).
    """

    groups: tuple[NodeGroup, ...]
    parent: dict[int, int]
    home: dict[Value, int]

    def chain(self, k: int) -> list[int]:
        """Indices from the outermost group down to group ``k``."""
        path = [k]
        while path[-1] in self.parent:
            path.append(self.parent[path[-1]])
        return path[::-1]


def _nesting(groups: Sequence[NodeGroup]) -> dict[int, int]:
    """Child index -> parent index, after checking names, parents and cycles."""
    where: dict[str, int] = {}
    for k, group in enumerate(groups):
        if not isinstance(group, NodeGroup):
            raise TypeError(f"groups: each item must be a NodeGroup, got {type(group).__name__}")
        if group.name in where:
            raise ValueError(f"groups: the name {group.name!r} is used by two groups")
        where[group.name] = k
    parent: dict[int, int] = {}
    for k, group in enumerate(groups):
        if group.parent is None:
            continue
        if group.parent not in where:
            raise ValueError(f"group {group.name!r}: parent {group.parent!r} is not one of the groups")
        parent[k] = where[group.parent]
    for k in range(len(groups)):
        seen = {k}
        j = k
        while j in parent:
            j = parent[j]
            if j in seen:
                raise ValueError(f"group {groups[k].name!r}: its parents form a cycle")
            seen.add(j)
    return parent


def resolve_groups(groups: Iterable[NodeGroup], order: Sequence[Value]) -> ResolvedGroups:
    """Find the members of each group in a graph given in topological order.

    Groups whose ``output`` is not in the graph have no members (they are
    skipped: a model's stored values may come from another call).

    Args:
        groups: The groups.
        order: Every node of the graph, operands before results.

    Returns:
        The groups, their nesting and each member's group.

    Raises:
        TypeError: An item is not a NodeGroup.
        ValueError: Two groups share a name or a node, a parent is unknown, or
            parents form a cycle.
    """
    groups = tuple(groups)
    parent = _nesting(groups)
    present = set(order)
    start: dict[Value, int] = {}
    end: dict[Value, int] = {}
    for k, group in enumerate(groups):
        if group.output is None or group.output not in present:
            continue
        for node in (*group.sources, group.output):
            start[node] = start.get(node, 0) | (1 << k)
        end[group.output] = end.get(group.output, 0) | (1 << k)
    if not end:
        return ResolvedGroups(groups, parent, {})
    reached: dict[Value, int] = {}
    for node in order:  # bit k: some source of group k is at or below the node
        bits = start.get(node, 0)
        for p in node.parents:
            bits |= reached.get(p, 0)
        if bits:
            reached[node] = bits
    above: dict[Value, int] = {}
    for node in reversed(order):  # bit k: the node is at or below the output of group k
        bits = above.get(node, 0) | end.get(node, 0)
        if not bits:
            continue
        above[node] = bits
        for p in node.parents:
            above[p] = above.get(p, 0) | bits
    home: dict[Value, int] = {}
    for node, bits in reached.items():
        both = bits & above.get(node, 0)
        if not both:
            continue
        k = both.bit_length() - 1
        if both != 1 << k:
            other = (both & -both).bit_length() - 1
            raise ValueError(
                f"groups {groups[other].name!r} and {groups[k].name!r} share the node "
                f"{node.label or node!r}; a node may belong to one group only"
            )
        home[node] = k
    return ResolvedGroups(groups, parent, home)


__all__ = ["NodeGroup", "ResolvedGroups", "SummaryRow", "resolve_groups"]
