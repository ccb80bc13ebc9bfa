r"""The forward pass and the cost, step by step: z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j, a^l_j = f_l(z^l_j), then C.

A softmax output layer is a function of the layer's z: a^L_j = exp(z^L_j) / Σ_k exp(z^L_k),
each a^L_j written with every z^L_k of its example (after all of them are computed).
"""

from __future__ import annotations

from chainrule.worksheet.derivatives import activation_symbol
from chainrule.worksheet.markup import SIGNIFICANT as SIG
from chainrule.worksheet.markup import (
    Call,
    Num,
    Op,
    Row,
    Sym,
    chunked,
    factor,
)
from chainrule.worksheet.notation import Notation, Step
from chainrule.worksheet.typeset import SYMBOLS
from nn.softmax import array_activation


def forward_steps(n: Notation, l: int) -> list[Step]:
    p = n.p
    if not array_activation(p.activations[l - 1]).elementwise:
        return _layerwise_steps(n, l)
    return [step for i in range(p.m) for j in range(p.sizes[l]) for step in _neuron_steps(n, l, j, i)]


def _z_step(n: Notation, l: int, j: int, i: int) -> Step:
    """z^l_{j,i} = Σ_k w^l_jk a^{l-1}_{k,i} + b^l_j."""
    p, s = n.p, n.s
    ks = range(p.sizes[l - 1])
    symbolic = [(n.weight(l, j, k), n.sym("a", l - 1, k, i)) for k in ks] + [(Sym("b", str(l), str(j + 1)),)]
    numeric = [
        (*factor(float(p.W[l - 1][j, k]), n.d), Op("·"), *n.activation_value(l - 1, k, i)) for k in ks
    ] + [factor(float(p.b[l - 1][j]), n.d)]
    return Step(
        "Z",
        (l - 1, j, i),
        "forward",
        (n.sym("z", l, j, i),),
        tuple(chunked("=", symbolic)),
        tuple(chunked("=", numeric)),
        float(s.Z[l - 1][j, i]),
    )


def _neuron_steps(n: Notation, l: int, j: int, i: int) -> list[Step]:
    """z^l_{j,i}, then a^l_{j,i} = f(z^l_{j,i})."""
    name = n.p.activations[l - 1]
    z_step = _z_step(n, l, j, i)
    z, zv = n.sym("z", l, j, i), z_step.value
    f = activation_symbol(name)
    identity = array_activation(name).is_identity  # a = z: nothing to apply
    a_rows = () if identity else (("=", (Call(f, (Num(zv, n.D, SIG),)),)),)
    sym_row = ("=", (z,)) if identity else ("=", (Call(f, (z,)),))
    a_step = Step(
        "A", (l - 1, j, i), "activation", (n.sym("a", l, j, i),), (sym_row,), a_rows, float(n.s.A[l - 1][j, i])
    )
    return [z_step, a_step]


def _layerwise_steps(n: Notation, l: int) -> list[Step]:
    """Per example: every z^l_{j,i}, then each a^l_{j,i} of the whole layer's z (softmax)."""
    p, s = n.p, n.s
    record = array_activation(p.activations[l - 1])
    neurons = range(p.sizes[l])
    steps = []
    for i in range(p.m):
        steps += [_z_step(n, l, j, i) for j in neurons]
        zs = [(n.sym("z", l, k, i),) for k in neurons]
        values = [(Num(float(s.Z[l - 1][k, i]), n.D, SIG),) for k in neurons]
        for j in neurons:
            symbolic = (("=", record.typeset_f(SYMBOLS, zs[j], zs)),)
            numeric = (("=", record.typeset_f(SYMBOLS, values[j], values)),)
            steps.append(
                Step("A", (l - 1, j, i), "activation", (n.sym("a", l, j, i),), symbolic, numeric, float(s.A[l - 1][j, i]))
            )
    return steps


def cost_terms(n: Notation, numbers: bool) -> list[Row]:
    """One term per output and example, as the cost's record writes it: (a − y)², y ln a + ..."""
    p, s, L = n.p, n.s, n.p.L
    terms = []
    for i in range(p.m):
        for j in range(p.sizes[-1]):
            a: Row = (Num(float(s.A[-1][j, i]), n.D, SIG),) if numbers else (n.sym("a", L, j, i),)
            y: Row = factor(float(p.Y[j, i]), n.y_decimals) if numbers else (n.sym("y", 0, j, i),)
            terms.append(n.arrays.typeset_term(SYMBOLS, a, y))
    return terms


def cost_step(n: Notation) -> Step:
    p = n.p
    coefficient = n.arrays.typeset_coefficient(SYMBOLS, p.m, p.sizes[-1])

    def rows(numbers: bool) -> tuple[tuple[str, Row], ...]:
        body = chunked("=", cost_terms(n, numbers), per_row=n.arrays.terms_per_row)
        first = ("=", (*coefficient, Op("["), *body[0][1]))
        out = [first, *body[1:]]
        out[-1] = (out[-1][0], (*out[-1][1], Op("]")))
        return tuple(out)

    return Step("C", (), "cost", (Sym("C"),), rows(False), rows(True), float(n.s.C))
