r"""The forward pass and the cost, step by step: z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j, a^l_j = f_l(z^l_j), then C."""

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
from nn.activations import ACTIVATIONS


def forward_steps(n: Notation, l: int) -> list[Step]:
    p, s = n.p, n.s
    steps = []
    name = p.activations[l - 1]
    for i in range(p.m):
        for j in range(p.sizes[l]):
            z = n.sym("z", l, j, i)
            ks = range(p.sizes[l - 1])
            symbolic = [(n.weight(l, j, k), n.sym("a", l - 1, k, i)) for k in ks] + [
                (Sym("b", str(l), str(j + 1)),)
            ]
            numeric = [
                (*factor(float(p.W[l - 1][j, k]), n.d), Op("·"), *n.activation_value(l - 1, k, i))
                for k in ks
            ] + [factor(float(p.b[l - 1][j]), n.d)]
            zv = float(s.Z[l - 1][j, i])
            steps.append(
                Step(
                    "Z",
                    (l - 1, j, i),
                    "forward",
                    (z,),
                    tuple(chunked("=", symbolic)),
                    tuple(chunked("=", numeric)),
                    zv,
                )
            )
            f = activation_symbol(name)
            identity = ACTIVATIONS[name].is_identity  # a = z: nothing to apply
            a_rows = () if identity else (("=", (Call(f, (Num(zv, n.D, SIG),)),)),)
            sym_row = ("=", (z,)) if identity else ("=", (Call(f, (z,)),))
            steps.append(
                Step(
                    "A",
                    (l - 1, j, i),
                    "activation",
                    (n.sym("a", l, j, i),),
                    (sym_row,),
                    a_rows,
                    float(s.A[l - 1][j, i]),
                )
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
