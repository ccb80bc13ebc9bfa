r"""The network of a worksheet drawn with Graphviz: neurons as circles in layers, every edge labelled with its weight.

Layer 0 holds the inputs x_k; neuron j of layer l is a circle named a^l_j
with its bias b^l_j written inside; the edge from neuron k of layer l-1 to
neuron j of layer l carries w^l_jk (row j = receiving, column k = sending).
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


def _columns(problem: Problem) -> list[float]:
    """The x of each layer (inches): wider gaps after wider layers, so the weights' labels have room."""
    xs = [0.0]
    for n in problem.sizes[:-1]:
        xs.append(xs[-1] + 1.3 + 0.45 * n)
    return xs


def _y(j: int, n: int) -> float:
    return (n - 1) / 2 * ROW - j * ROW  # neuron 1 at the top


ROW = 1.0
"""Vertical distance between two neurons of a layer (inches)."""


def network_graph(problem: Problem) -> graphviz.Graph:
    r"""The Graphviz graph of ``problem``'s network (see the module docstring).

    Positions are pinned (``neato -n``-style ``pos``) so that layers are columns
    and neuron 1 is at the top; edges are straight lines, and the weight of the
    edge from neuron k is written ON the edge, at a fraction of its length that
    grows with k, so that the labels of one layer do not pile up in the middle.
    """
    g = graphviz.Digraph("network", engine="neato")
    g.attr(splines="false", outputorder="edgesfirst", bgcolor="transparent", fontname=FONT)
    g.attr("node", shape="circle", fontname=FONT, fontsize="12", width="0.75", fixedsize="true")
    g.attr("edge", arrowsize="0.6", color="#666666")
    xs, top = _columns(problem), (max(problem.sizes) - 1) / 2 * ROW + 0.75
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
                pos=f"{xs[l]},{_y(j, n)}!",
            )
    for l in range(1, problem.L + 1):
        W = problem.W[l - 1]
        n_before = W.shape[1]
        for j in range(W.shape[0]):
            for k in range(n_before):
                g.edge(_name(l - 1, k), _name(l, j))
                t = 0.25 + 0.5 * (k + 0.5) / n_before
                x = xs[l - 1] + t * (xs[l] - xs[l - 1])
                y = _y(k, n_before) + t * (_y(j, W.shape[0]) - _y(k, n_before))
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
