r"""Backpropagation step by step: f′, BP1, BP2, BP3, BP4, and one step of gradient descent.

BP1  δ^L_j = ∂C/∂a^L_j · f_L′(z^L_j)        (a cost paired with its output, bce on a sigmoid: δ^L_j = (a^L_j - y_j)/m)
BP2  δ^l_j = (Σ_k w^{l+1}_kj δ^{l+1}_k) · f_l′(z^l_j)
BP3  ∂C/∂b^l_j = Σ_i δ^l_{j,i}
BP4  ∂C/∂w^l_jk = Σ_i a^{l-1}_{k,i} δ^l_{j,i}
step w ← w - η ∂C/∂w,  b ← b - η ∂C/∂b
"""

from __future__ import annotations

from collections.abc import Sequence

from chainrule.worksheet.derivatives import activation_symbol, derivative_rows
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
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.typeset import SYMBOLS
from nn.costs import lookup_cost


def derivative_step(n: Notation, l: int, j: int, i: int) -> Step:
    name = n.p.activations[l - 1]
    z, a = float(n.s.Z[l - 1][j, i]), float(n.s.A[l - 1][j, i])
    symbolic, numeric, value = derivative_rows(
        name, n.sym("z", l, j, i), n.sym("a", l, j, i), z, a, n.D
    )
    lhs = (Call(activation_symbol(name) + "′", (n.sym("z", l, j, i),)),)
    return Step("", (l - 1, j, i), "derivative", lhs, symbolic, numeric, value)


def cost_gradient(problem: Problem, a: Row, y: Row) -> Row:
    r"""∂C/∂a^L_j of one output as the cost's record writes it ((a - y)/m for the quadratic
    cost, 2(a - y)/(m n_L) for mse), or δ^L_j itself when the cost pairs with the output (bce)."""
    arrays = lookup_cost(problem.cost).on_arrays()
    return arrays.typeset_output_gradient(SYMBOLS, a, y, problem.m, problem.sizes[-1])


def output_error_steps(n: Notation) -> list[Step]:
    p, s, L = n.p, n.s, n.p.L
    steps = []
    f_prime = activation_symbol(p.activations[-1]) + "′"
    for i in range(p.m):
        for j in range(p.sizes[-1]):
            a, y = n.sym("a", L, j, i), n.sym("y", 0, j, i)
            av, yv = (Num(float(s.A[-1][j, i]), n.D, SIG),), factor(float(p.Y[j, i]), n.y_decimals)
            sym_row, num_row = cost_gradient(p, (a,), (y,)), cost_gradient(p, av, yv)
            if not n.paired:  # a cost paired with its output (bce, sigmoid): the row is δ^L itself
                d = derivative_step(n, L, j, i)
                steps.append(d)
                sym_row = (*sym_row, Op("·"), Call(f_prime, (n.sym("z", L, j, i),)))
                num_row = (*num_row, Op("·"), *factor(d.value, n.D, SIG))
            steps.append(
                Step(
                    "delta",
                    (L - 1, j, i),
                    "BP1",
                    (n.sym("δ", L, j, i),),
                    (("=", sym_row),),
                    (("=", num_row),),
                    float(s.delta[-1][j, i]),
                )
            )
    return steps


def hidden_error_steps(n: Notation, l: int) -> list[Step]:
    p, s = n.p, n.s
    steps = []
    f_prime = activation_symbol(p.activations[l - 1]) + "′"
    for i in range(p.m):
        for j in range(p.sizes[l]):
            d = derivative_step(n, l, j, i)
            steps.append(d)
            ks = range(p.sizes[l + 1])
            sym_terms: list[Row] = [(n.weight(l + 1, k, j), n.sym("δ", l + 1, k, i)) for k in ks]
            num_terms = [
                (
                    *factor(float(p.W[l][k, j]), n.d),
                    Op("·"),
                    *factor(float(s.delta[l][k, i]), n.D, SIG),
                )
                for k in ks
            ]

            def rows(terms: Sequence[Row], last: Row) -> tuple[tuple[str, Row], ...]:
                body = chunked("=", terms)
                out = [(body[0][0], (Op("("), *body[0][1])), *body[1:]]
                out[-1] = (out[-1][0], (*out[-1][1], Op(")"), Op("·"), *last))
                return tuple(out)

            steps.append(
                Step(
                    "delta",
                    (l - 1, j, i),
                    "BP2",
                    (n.sym("δ", l, j, i),),
                    rows(sym_terms, (Call(f_prime, (n.sym("z", l, j, i),)),)),
                    rows(num_terms, factor(d.value, n.D, SIG)),
                    float(s.delta[l - 1][j, i]),
                )
            )
    return steps


def gradient_steps(n: Notation, l: int) -> list[Step]:
    p, s = n.p, n.s
    examples = range(p.m)
    steps = []
    for j in range(p.sizes[l]):
        b = Sym("b", str(l), str(j + 1))
        sym_terms_b: list[Row] = [(n.sym("δ", l, j, i),) for i in examples]
        num_terms = [factor(float(s.delta[l - 1][j, i]), n.D, SIG) for i in examples]
        numeric = tuple(chunked("=", num_terms)) if p.m > 1 else ()
        steps.append(
            Step(
                "db",
                (l - 1, j),
                "BP3",
                (n.partial(b),),
                tuple(chunked("=", sym_terms_b)),
                numeric,
                float(s.db[l - 1][j]),
            )
        )
    for j in range(p.sizes[l]):
        for k in range(p.sizes[l - 1]):
            sym_terms_w: list[Row] = [
                (n.sym("a", l - 1, k, i), n.sym("δ", l, j, i)) for i in examples
            ]
            num_terms = [
                (
                    *n.activation_value(l - 1, k, i),
                    Op("·"),
                    *factor(float(s.delta[l - 1][j, i]), n.D, SIG),
                )
                for i in examples
            ]
            steps.append(
                Step(
                    "dW",
                    (l - 1, j, k),
                    "BP4",
                    (n.partial(n.weight(l, j, k)),),
                    tuple(chunked("=", sym_terms_w)),
                    tuple(chunked("=", num_terms)),
                    float(s.dW[l - 1][j, k]),
                )
            )
    return steps


def descent_step(
    n: Notation,
    key: str,
    index: tuple[int, ...],
    param: Sym,
    given: float,
    gradient: float,
    value: float,
) -> Step:
    eta = Num(n.p.lr, n.lr_decimals)
    symbolic = (("←", (param, Op("−"), Sym("η"), Op("·"), n.partial(param))),)
    numeric = (("=", (Num(given, n.d), Op("−"), eta, Op("·"), *factor(gradient, n.D, SIG))),)
    return Step(key, index, "descent", (param,), symbolic, numeric, value)


def descent_steps(n: Notation, l: int) -> list[Step]:
    p, s = n.p, n.s
    steps = []
    for j in range(p.sizes[l]):
        for k in range(p.sizes[l - 1]):
            w = n.weight(l, j, k)
            steps.append(
                descent_step(
                    n,
                    "W_next",
                    (l - 1, j, k),
                    w,
                    float(p.W[l - 1][j, k]),
                    float(s.dW[l - 1][j, k]),
                    float(s.W_next[l - 1][j, k]),
                )
            )
    if not p.fixed_biases:
        for j in range(p.sizes[l]):
            b = Sym("b", str(l), str(j + 1))
            steps.append(
                descent_step(
                    n,
                    "b_next",
                    (l - 1, j),
                    b,
                    float(p.b[l - 1][j]),
                    float(s.db[l - 1][j]),
                    float(s.b_next[l - 1][j]),
                )
            )
    return steps
