r"""Drawing a computation graph with Graphviz, so the chain rule can be seen.

:func:`draw_dot` turns the graph behind a ``Value`` into a ``graphviz.Digraph``
(shown inline by Jupyter; :func:`write_graph` writes SVG, PNG, PDF or the DOT
text). Every value is a record ``{ label | data | grad }`` and every operation
is its own small node between a result and its operands, as in the micrograd
lecture. With ``edge_labels=True`` the edge from an operand ``u`` into the
operation that made ``v`` carries the local derivative ``∂v/∂u``, so the chain
rule can be read off the picture:

    dL/du = Σ over paths u → ... → L of the product of the edge labels on the path.

Parts of a graph can be drawn as clusters, or collapsed into one box each, by
passing :class:`~autograd.groups.NodeGroup` objects (``groups=``); a library
builds them from its own structure (``nn.graph_view`` does for models). How to
draw is one :class:`~autograd.draw_options.DrawOptions` (``options=``), whose
fields are also accepted as keywords.

This module and the ones it uses (:mod:`autograd.scene`,
:mod:`autograd.dot_text`, :mod:`autograd.steps`) are the only ones of
``autograd`` that import ``graphviz``. They read the graph through the public
protocol of ``Value`` (``data``, ``grad``, ``label``, ``op``, ``parents``,
``is_leaf``, ``partials()``) and walk it with
:func:`~autograd.graph.topological_order`, never recursively.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import graphviz

from autograd.dot_text import ROLE_COLORS
from autograd.draw_options import (
    DEFAULT_MAX_NODES,
    DEFAULT_TIMEOUT,
    RANKDIRS,
    DrawOptions,
    resolve_options,
)
from autograd.files import write_atomic
from autograd.graph import topological_order
from autograd.groups import NodeGroup, SummaryRow
from autograd.scene import Scene
from autograd.value import Value

FILE_FORMATS = ("svg", "png", "pdf", "dot")
"""File extensions :func:`write_graph` knows (``dot`` is the DOT source itself)."""


_GIVEN_BY_OPTIONS: Any = object()
"""Default of ``draw_dot``'s two positional shorthands: take the value from ``options``."""


class DrawingTimeout(TimeoutError):
    """Graphviz's ``dot`` ran longer than the time allowed (``timeout=``)."""


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
    format: str = _GIVEN_BY_OPTIONS,
    rankdir: str = _GIVEN_BY_OPTIONS,
    *,
    options: DrawOptions | None = None,
    highlight: Iterable[Value] = (),
    path_from: Value | None = None,
    parameters: Iterable[Value] | None = None,
    groups: Iterable[NodeGroup] = (),
    labels: Mapping[Value, str] | None = None,
    **settings: Any,
) -> graphviz.Digraph:
    r"""The computation graph of ``root`` as a ``graphviz.Digraph``.

    Each value is a record ``{ label | data 2.0000 | grad 6.0000 }`` (no label
    field when the label is empty); each operation is a node of its own with
    its symbol (``+``, ``*``, ``/``, ``tanh``), fed by one edge per operand,
    repeated operands included (``a + a`` has two edges). A value used far
    apart (more than ``max_edge_span`` levels) is fed to its distant uses from
    dashed reference copies (see :mod:`autograd.scene`).

    Args:
        root: The output value.
        format: Shorthand for ``options.format`` (``svg``, ``png``, ``pdf``, ...).
        rankdir: Shorthand for ``options.rankdir`` (``'LR'`` or ``'TB'``).
        options: How to draw; the fields of
            :class:`~autograd.draw_options.DrawOptions` (``show_grad``,
            ``number_format``, ``edge_labels``, ``color_by_role``,
            ``clusters``, ``collapse``, ``max_nodes``, ``max_edge_span``,
            ``timeout``) may also be given as keywords, over ``options``.
        highlight: Values to mark (red outline, yellow fill).
        path_from: Also mark every node on a path from this value to ``root``,
            and the edges between them: the route its gradient comes back by.
        parameters: Leaves coloured as parameters with ``color_by_role``
            (other labelled leaves are inputs, unlabelled ones constants).
        groups: Parts of the graph drawn as clusters, or with ``collapse=True``
            one box each (groups with a summary); groups whose output is not
            in this graph are skipped.
        labels: Names shown instead of some values' labels (the values keep
            theirs): ``draw_model`` shows a model's inputs as ``x₁ … xₙ``.

    Returns:
        The ``graphviz.Digraph``; ``.source`` is the DOT text.

    Raises:
        TypeError: ``root`` is not a Value, an unknown keyword, or a malformed group.
        ValueError: A bad option, a highlighted node not in the graph, a graph
            larger than ``max_nodes``, or inconsistent groups.
    """
    if format is not _GIVEN_BY_OPTIONS:
        settings["format"] = format
    if rankdir is not _GIVEN_BY_OPTIONS:
        settings["rankdir"] = rankdir
    scene = Scene(
        root,
        resolve_options(options, DrawOptions(), settings),
        groups=groups,
        parameters=parameters,
        labels=labels,
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


def render_bytes(
    graph: graphviz.Digraph, format: str, timeout: float | None = DEFAULT_TIMEOUT
) -> bytes:
    """Lay ``graph`` out with Graphviz and return the picture in ``format``.

    Args:
        graph: A graph from :func:`draw_dot`.
        format: ``svg``, ``png``, ``pdf`` or any other format of ``dot -T``.
        timeout: Seconds ``dot`` may run; None for no limit.

    Raises:
        DrawingTimeout: ``dot`` ran longer than ``timeout`` (it is stopped).
        graphviz.ExecutableNotFound: ``dot`` is not installed.
        RuntimeError: ``dot`` failed (its message is included).
    """
    command = [graph.engine, f"-T{format}"]
    try:
        done = subprocess.run(
            command, input=graph.source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except FileNotFoundError:
        raise graphviz.ExecutableNotFound(command) from None
    except subprocess.TimeoutExpired:
        size = graph.source.count("\n")
        raise DrawingTimeout(
            f"Graphviz's {graph.engine} took longer than timeout={timeout:g} s to lay out a graph "
            f"of about {size} statements, and was stopped. Draw a smaller graph (or collapse "
            "groups of nodes), or allow more time: timeout= in Python (None: no limit), "
            "--timeout SECONDS for chainrule draw."
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz's {graph.engine} failed (exit {done.returncode}): {message}")
    return done.stdout


def check_output_path(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """The path of a picture to write and its format, checked before any work.

    Raises:
        ValueError: The extension is not one of :data:`FILE_FORMATS`.
        FileNotFoundError: The directory does not exist.
    """
    target = Path(path)
    extension = target.suffix.lower().lstrip(".")
    if extension not in FILE_FORMATS:
        raise ValueError(
            f"cannot tell the format from {str(path)!r}: the file name must end in "
            + ", ".join("." + f for f in FILE_FORMATS)
        )
    if not target.parent.is_dir():
        raise FileNotFoundError(f"directory {str(target.parent)!r} does not exist")
    return target, extension


def write_graph(
    graph: graphviz.Digraph,
    path: str | os.PathLike[str],
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Path:
    """Render ``graph`` to ``path``, the format taken from the file extension.

    ``.svg``, ``.png`` and ``.pdf`` are rendered by Graphviz's ``dot``;
    ``.dot`` writes the DOT source. The file is written by
    :func:`autograd.files.write_atomic`: a reader never sees half a file.

    Args:
        graph: A graph from :func:`draw_dot`.
        path: Where to write it.
        timeout: Seconds ``dot`` may run; None for no limit.

    Returns:
        The path written.

    Raises:
        ValueError: The extension is not one of :data:`FILE_FORMATS`.
        FileNotFoundError: The directory does not exist.
        DrawingTimeout: ``dot`` ran longer than ``timeout``.
        graphviz.ExecutableNotFound: ``dot`` is not installed.
    """
    target, extension = check_output_path(path)
    if extension == "dot":
        data = graph.source.encode("utf-8")
    else:
        data = render_bytes(graph, extension, timeout)
    return write_atomic(target, data)


__all__ = [
    "DEFAULT_MAX_NODES",
    "DEFAULT_TIMEOUT",
    "FILE_FORMATS",
    "RANKDIRS",
    "ROLE_COLORS",
    "DrawOptions",
    "DrawingTimeout",
    "NodeGroup",
    "Scene",
    "SummaryRow",
    "check_output_path",
    "draw_dot",
    "path_to_output",
    "render_bytes",
    "write_graph",
]
