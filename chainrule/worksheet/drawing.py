r"""The network of a worksheet drawn with Graphviz: neurons as circles in layers, each weight by its edge or in a table.

Layer 0 holds the inputs x_k; neuron j of layer l is a circle named a^l_j
with its bias b^l_j written inside; the edge from neuron k of layer l-1 to
neuron j of layer l carries w^l_jk (row j = receiving, column k = sending),
written near its source end where no other edge crosses it; the weights of
a pair of layers too dense for that are listed in a table beside the drawing,
keyed by w^l_jk (:func:`weight_table`).
Each layer is a cluster titled with its activation. :func:`network_svg`
returns the SVG text to put inline in a page (no XML prolog, no doctype).
"""

from __future__ import annotations

import re

import graphviz

from chainrule.worksheet.markup import number_text
from chainrule.worksheet.problem import Problem

FONT = "Helvetica"
SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUB = "₀₁₂₃₄₅₆₇₈₉"
"""Unicode superscript and subscript digits (layers and neurons are single digits: at most 6)."""


def _name(l: int, j: int) -> str:
    return f"n{l}_{j}"


def _neuron_label(l: int, j: int, problem: Problem) -> str:
    """An HTML-like label: a^l_j (x_j in layer 0) and, for neurons, the bias."""
    if l == 0:
        return f"<<I>x</I>{SUB[j + 1]}>"
    bias = number_text(float(problem.b[l - 1][j]), problem.decimals)
    return f'<<I>a</I>{SUP[l]}{SUB[j + 1]}<BR/><FONT POINT-SIZE="9">b = {bias}</FONT>>'


LABELLED = 4
"""Layers of at most this many neurons may carry their weights on the edges."""
LABEL_HEIGHT = 0.2
"""Height of a weight's label (inches, 10 pt with its margin)."""
LABEL_CHARACTER = 0.085
"""Width of one character of a label (inches, 10 pt Helvetica, generous)."""


def _row(problem: Problem) -> float:
    """Vertical distance between two neurons of a layer (inches): room for the labels."""
    return max(1.0, 0.24 * (min(max(problem.sizes), LABELLED) + 1))


def _t(n_after: int) -> float:
    """Where a weight's label sits along its edge: 1/(n_l + 1) of the way from its source.

    The label of w^l_jk is then at height y_k − t (y_k − y_j); in units of the row it is
    (1 − t) k + t j, and with t = 1/(n_l + 1) these are n_l k + j times t: every label of a
    pair of layers at a different height, t apart, and every label in one column, so that
    each edge crosses that column exactly at its own label."""
    return 1.0 / (n_after + 1)


def _columns(problem: Problem) -> list[float]:
    """The x of each layer (inches): the labels' column clear of the source circles, where
    the labels can be on the edges at all (at most :data:`LABELLED` neurons either side)."""
    xs = [0.0]
    for n_before, n in zip(problem.sizes, problem.sizes[1:]):
        gap = 1.3 + 0.45 * n_before
        if max(n_before, n) <= LABELLED:
            gap = max(gap, (0.375 + LABEL_CHARACTER * 3 + 0.1) / _t(n))
        xs.append(xs[-1] + gap)
    return xs


def _y(j: int, n: int, row: float) -> float:
    return (n - 1) / 2 * row - j * row  # neuron 1 at the top


def _crosses(
    box: tuple[float, float, float, float], a: tuple[float, float], b: tuple[float, float]
) -> bool:
    """True when the segment a-b passes through the box (x0, y0, x1, y1) (sampled finely)."""
    x0, y0, x1, y1 = box
    for s in range(201):
        t = s / 200
        x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        if x0 < x < x1 and y0 < y < y1:
            return True
    return False


def label_positions(problem: Problem, l: int) -> dict[tuple[int, int], tuple[float, float]] | None:
    """The (x, y) of the label of each w^l_jk (key (j, k), 0-based) on its edge, or None when
    some other edge of the layer would cross a label (then the weights go in a table)."""
    xs, row = _columns(problem), _row(problem)
    W = problem.W[l - 1]
    n, n_before = W.shape
    if max(n, n_before) > LABELLED:
        return None
    t = _t(n)
    ends = {
        (j, k): ((xs[l - 1], _y(k, n_before, row)), (xs[l], _y(j, n, row)))
        for j in range(n)
        for k in range(n_before)
    }
    places = {
        (j, k): (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        for (j, k), (a, b) in ends.items()
    }
    for (j, k), (x, y) in places.items():
        half = LABEL_CHARACTER * len(number_text(float(W[j, k]), problem.decimals)) / 2
        box = (x - half, y - LABEL_HEIGHT / 2, x + half, y + LABEL_HEIGHT / 2)
        if any(_crosses(box, *ends[other]) for other in ends if other != (j, k)):
            return None
    return places


def weight_table(problem: Problem) -> list[tuple[str, str]]:
    """(``w^l_jk``, its number) for every weight of the layers whose labels are not on the drawing."""
    return [
        (f"w^{l}_{j + 1}{k + 1}", number_text(float(problem.W[l - 1][j, k]), problem.decimals))
        for l in range(1, problem.L + 1)
        if label_positions(problem, l) is None
        for j in range(problem.sizes[l])
        for k in range(problem.sizes[l - 1])
    ]


def network_graph(problem: Problem) -> graphviz.Graph:
    r"""The Graphviz graph of ``problem``'s network (see the module docstring).

    Positions are pinned (``neato -n``-style ``pos``) so that layers are columns
    and neuron 1 is at the top; edges are straight lines. The weight of the edge
    from neuron k to neuron j is written on the edge near its source end
    (:func:`label_positions`), where no other edge crosses it; a pair of layers
    too dense for that has unlabelled edges and its weights in :func:`weight_table`.
    """
    g = graphviz.Digraph("network", engine="neato")
    g.attr(splines="false", outputorder="edgesfirst", bgcolor="transparent", fontname=FONT)
    g.attr("node", shape="circle", fontname=FONT, fontsize="12", width="0.75", fixedsize="true")
    g.attr("edge", arrowsize="0.6", color="#666666")
    row = _row(problem)
    xs, top = _columns(problem), (max(problem.sizes) - 1) / 2 * row + 0.75
    for l, n in enumerate(problem.sizes):
        title = "inputs" if l == 0 else f"layer {l}: {problem.activations[l - 1]}"
        g.node(
            f"title{l}",
            title,
            shape="plaintext",
            fixedsize="false",
            fontsize="11",
            pos=f"{xs[l]},{top}!",
        )
        for j in range(n):
            fill = "#eef3fb" if l == 0 else "#fff7e6"
            g.node(
                _name(l, j),
                _neuron_label(l, j, problem),
                style="filled",
                fillcolor=fill,
                pos=f"{xs[l]},{_y(j, n, row)}!",
            )
    for l in range(1, problem.L + 1):
        W = problem.W[l - 1]
        places = label_positions(problem, l)
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                g.edge(_name(l - 1, k), _name(l, j))
                if places is None:
                    continue
                x, y = places[(j, k)]
                g.node(
                    f"w{l}_{j}_{k}",
                    number_text(float(W[j, k]), problem.decimals),
                    shape="box",
                    style="filled",
                    fillcolor="white",
                    color="white",
                    fixedsize="false",
                    width="0",
                    height="0",
                    margin="0.02,0.01",
                    fontsize="10",
                    pos=f"{x},{y}!",
                    tooltip=f"w^{l}_{j + 1}{k + 1}",
                )
    return g


def network_svg(problem: Problem) -> str:
    """The drawing as inline SVG text (Graphviz's ``dot``); the XML prolog, doctype and comments removed."""
    svg = network_graph(problem).pipe(format="svg", encoding="utf-8")
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.S)
    return svg.strip()
