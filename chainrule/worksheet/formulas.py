r"""The formula sheet (``--ask formulas``): the same network, asking for δ^L, one δ^l and one ∂C/∂w^l_jk as formulas.

Notation of the notes: layers l = 1..L (L the last layer's index), w^l_jk
from neuron k of layer l-1 to neuron j of layer l, z^l = W^l a^{l-1} + b^l,
a^l = f_l(z^l) (σ in the general derivation), δ^l = ∂C/∂z^l, C the cost.
With m > 1 examples every per-example symbol carries the example i as a
second index and the gradient of a weight sums over i.

The student's version asks for each formula with a blank; the solution gives
each as its chain of factors, ∂C/∂z^L_j = ∂C/∂a^L_j · ∂a^L_j/∂z^L_j and so on,
then each factor worked out from the cost's and the activations' records, and
closes with the derivation: the chain rule written out, then BP1 to BP4.
The δ^l asked for is that of layer L-1 (with L = 1 there is none), the
weight w^l_12 of the same layer (w^1_11 when layer l-1 has one neuron): the
chain of the weight then runs through δ^l, whose formula is the one asked for.
"""

from __future__ import annotations

from chainrule.worksheet.backward_steps import cost_gradient
from chainrule.worksheet.markup import Blank, Call, Equation, Frac, Op, Row, Sym, Text, joined
from chainrule.worksheet.notation import Section
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.typeset import SYMBOLS
from nn.activations import ACTIVATIONS
from nn.costs import lookup_cost


def _d(of: Sym, by: Sym) -> Frac:
    """∂(of)/∂(by)."""
    return Frac((Op("∂"), of), (Op("∂"), by))


class _Symbols:
    """The symbols of the formulas: the example index i only when m > 1."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.i = "" if problem.m == 1 else ",i"

    def s(self, base: str, l: int | str, j: str, example: bool = True) -> Sym:
        if base == "a" and l == 0:
            return Sym("x", "", j + (self.i if example else ""))
        return Sym(base, str(l), j + (self.i if example else ""))

    def f_prime(self, l: int, j: str) -> Call:
        return Call(ACTIVATIONS[self.p.activations[l - 1]].symbol + "′", (self.s("z", l, j),))


def _output_error(n: _Symbols) -> tuple[tuple[str, Row], ...]:
    """δ^L_j: its chain, then the cost's ∂C/∂a^L_j times f_L′ (or the pair's δ^L)."""
    p, L = n.p, n.p.L
    a, z, y = n.s("a", L, "j"), n.s("z", L, "j"), Sym("y", "", "j" + n.i)
    chain = ("=", (_d(Sym("C"), a), Op("·"), _d(a, z)))
    gradient = cost_gradient(p, (a,), (y,))
    if lookup_cost(p.cost).pairs_with(p.activations[-1]):
        return chain, ("=", gradient)
    record = ACTIVATIONS[p.activations[-1]]
    worked = record.typeset_df(SYMBOLS, (z,), (a,))
    return chain, ("=", (*gradient, Op("·"), n.f_prime(L, "j"))), ("=", (*gradient, Op("·"), Op("("), *worked, Op(")")))


def _hidden_error(n: _Symbols, l: int) -> tuple[tuple[str, Row], ...]:
    """δ^l_j = Σ_k ∂C/∂z^{l+1}_k ∂z^{l+1}_k/∂a^l_j ∂a^l_j/∂z^l_j = (Σ_k w^{l+1}_kj δ^{l+1}_k) f_l′(z^l_j)."""
    a, z = n.s("a", l, "j"), n.s("z", l, "j")
    ks = range(1, n.p.sizes[l + 1] + 1)
    chain = joined([(_d(Sym("C"), n.s("z", l + 1, str(k))), _d(n.s("z", l + 1, str(k)), a), _d(a, z)) for k in ks])
    terms = joined([(Sym("w", str(l + 1), f"{k}j"), n.s("δ", l + 1, str(k))) for k in ks])
    return ("=", chain), ("=", (Op("("), *terms, Op(")"), Op("·"), n.f_prime(l, "j")))


def _weight(n: _Symbols, l: int, j: int, k: int) -> tuple[Sym, tuple[tuple[str, Row], ...]]:
    """∂C/∂w^l_jk = Σ_i ∂C/∂z^l_j ∂z^l_j/∂w^l_jk = Σ_i δ^l_j a^{l-1}_k, δ^l_j then by BP1 or BP2."""
    w = Sym("w", str(l), f"{j}{k}")
    z, d, a = n.s("z", l, str(j)), n.s("δ", l, str(j)), n.s("a", l - 1, str(k))
    over: Row = (Op("Σ"), Sym("", "", "i")) if n.p.m > 1 else ()
    rows = [("=", (*over, _d(Sym("C"), z), Op("·"), _d(z, w))), ("=", (*over, d, a))]
    if l < n.p.L:
        ks = range(1, n.p.sizes[l + 1] + 1)
        terms = joined([(Sym("w", str(l + 1), f"{q}{j}"), n.s("δ", l + 1, str(q))) for q in ks])
        rows.append(("=", (*over, Op("("), *terms, Op(")"), Op("·"), n.f_prime(l, str(j)), Op("·"), a)))
    return w, tuple(rows)


def _derivation(problem: Problem) -> list[Section]:
    """The chain rule written out, then BP1 to BP4, in the notation of the notes (one example)."""
    C, L = Sym("C"), problem.L
    s = lambda base, l, j: Sym(base, l, j)
    sp = lambda l, j: Call("σ′", (s("z", l, j),))
    notation = (
        f"Layers l = 1..L with L = {L}; w^l_jk goes from neuron k of layer l−1 to neuron j of layer l; "
        "z^l = W^l a^(l−1) + b^l, that is z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j; a^l = σ(z^l) (σ stands for "
        "each layer's activation); δ^l = ∂C/∂z^l; C is the cost."
    )
    chain = Section(
        "Derivation: the chain rule",
        notation + " C depends on w^l_jk only through z^l_j, and on z^l_j only through a^l_j, which feeds "
        "every z^(l+1)_k of the next layer:",
        (
            Equation((_d(C, s("w", "l", "jk")),), (("=", (_d(C, s("z", "l", "j")), Op("·"), _d(s("z", "l", "j"), s("w", "l", "jk")))),)),
            Equation(
                (s("δ", "l", "j"),),
                (("=", (_d(C, s("z", "l", "j")),)),
                 ("=", (Op("Σ"), Sym("", "", "k"), _d(C, s("z", "l+1", "k")), Op("·"), _d(s("z", "l+1", "k"), s("a", "l", "j")), Op("·"), _d(s("a", "l", "j"), s("z", "l", "j"))))),
            ),
        ),
        (),
    )
    equations = Section(
        "Derivation: BP1 to BP4",
        "Each factor read off z and a: ∂a^l_j/∂z^l_j = σ′(z^l_j), ∂z^(l+1)_k/∂a^l_j = w^(l+1)_kj, "
        "∂z^l_j/∂b^l_j = 1, ∂z^l_j/∂w^l_jk = a^(l−1)_k. With m examples C averages over them, and each "
        "gradient of a weight or bias sums over the examples i.",
        (
            Equation((s("δ", "L", "j"),), (("=", (_d(C, s("a", "L", "j")), Op("·"), sp("L", "j"))), ("", (Text("(BP1)"),)))),
            Equation((s("δ", "l", "j"),), (("=", (Op("("), Op("Σ"), Sym("", "", "k"), s("w", "l+1", "kj"), s("δ", "l+1", "k"), Op(")"), Op("·"), sp("l", "j"))), ("", (Text("(BP2)"),)))),
            Equation((_d(C, s("b", "l", "j")),), (("=", (s("δ", "l", "j"),)), ("", (Text("(BP3)"),)))),
            Equation((_d(C, s("w", "l", "jk")),), (("=", (s("a", "l−1", "k"), s("δ", "l", "j"))), ("", (Text("(BP4)"),)))),
        ),
        (),
    )
    return [chain, equations]


def weight_asked(problem: Problem) -> tuple[int, int, int]:
    """(l, j, k) of the weight asked for: layer L-1 (1 when L = 1), j = 1, k = 2 (1 with one input)."""
    l = max(problem.L - 1, 1)
    return l, 1, min(2, problem.sizes[l - 1])


def formula_sections(problem: Problem, solved: bool = True) -> list[Section]:
    """The questions of the formula sheet, answered (``solved``) or each with a blank, and, solved, the derivation."""
    n, L = _Symbols(problem), problem.L
    questions: list[tuple[str, str, Row, tuple[tuple[str, Row], ...]]] = [
        (
            f"Question 1: δ^{L}, the error of the output layer",
            f"Write δ^{L}_j = ∂C/∂z^{L}_j for neuron j of the output layer as a product of factors, then work each out.",
            (n.s("δ", L, "j"),),
            _output_error(n),
        )
    ]
    if L > 1:
        questions.append(
            (
                f"Question 2: δ^{L - 1}, the error of layer {L - 1}",
                f"Write δ^{L - 1}_j = ∂C/∂z^{L - 1}_j through the errors δ^{L}_k of the layer after it.",
                (n.s("δ", L - 1, "j"),),
                _hidden_error(n, L - 1),
            )
        )
    l, j, k = weight_asked(problem)
    w, rows = _weight(n, l, j, k)
    questions.append(
        (
            f"Question {len(questions) + 1}: ∂C/∂w^{l}_{j}{k}",
            f"Write the gradient of the weight w^{l}_{j}{k} (from neuron {k} of layer {l - 1} to neuron {j} of "
            f"layer {l}) as its chain of factors"
            + (", summed over the examples i." if problem.m > 1 else "."),
            (Frac((Op("∂"), Sym("C")), (Op("∂"), w)),),
            rows,
        )
    )
    sections = [
        Section(title, text, (Equation(lhs, rows if solved else (("=", (Blank(),)),)),), ())
        for title, text, lhs, rows in questions
    ]
    return sections + (_derivation(problem) if solved else [])
