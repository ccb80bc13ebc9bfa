r"""The pieces of a worked solution: :class:`Step` (one line), :class:`Section`, and :class:`Notation` (the symbols of a problem).

Symbols follow the curriculum: w^l_jk from neuron k of layer l-1 to neuron j
of layer l; z^l_j, a^l_j, δ^l_j of neuron j of layer l (a^0 = x); with m > 1
examples each per-example symbol carries the example i as a second index,
z^l_{j,i} (row j, column i of Z^l).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chainrule.worksheet.markup import SIGNIFICANT as SIG
from chainrule.worksheet.markup import (
    Blank,
    Equation,
    Frac,
    Num,
    Op,
    Row,
    Sym,
    factor,
)
from chainrule.worksheet.problem import Problem, given_decimals
from chainrule.worksheet.solution import Solution
from nn.costs import lookup_cost

LAWS = {
    "forward": "the forward pass, z^l = W^l a^(l-1) + b^l",
    "activation": "the activation, a^l = f(z^l)",
    "cost": "the cost",
    "derivative": "the derivative of the activation",
    "BP1": "BP1, δ^L = ∇_a C ⊙ f′(z^L)",
    "BP2": "BP2, δ^l = ((W^(l+1))^T δ^(l+1)) ⊙ f′(z^l)",
    "BP3": "BP3, ∂C/∂b^l_j = Σ_i δ^l_j,i",
    "BP4": "BP4, ∂C/∂w^l_jk = Σ_i a^(l-1)_k,i δ^l_j,i",
    "descent": "one step of gradient descent, w ← w - η ∂C/∂w, b ← b - η ∂C/∂b",
}
"""Each law of a step, named as the checker's messages name it."""


@dataclass(frozen=True)
class Step:
    """One line of the solution.

    Attributes:
        key: The quantity in the answers file (``"Z"``, ``"delta"``, ...), or
            ``""`` for an intermediate number (an f′).
        index: The position in that quantity: ``(l-1, j-1, i-1)`` for Z, A and
            delta, ``(l-1, j-1, k-1)`` for dW and W_next, ``(l-1, j-1)`` for db
            and b_next, ``()`` for C.
        law: A key of :data:`LAWS`.
        lhs: The symbol computed.
        symbolic: The right-hand side in symbols (rows of an equation).
        numeric: The right-hand side with the numbers substituted.
        value: The result at full precision.
    """

    key: str
    index: tuple[int, ...]
    law: str
    lhs: Row
    symbolic: tuple[tuple[str, Row], ...]
    numeric: tuple[tuple[str, Row], ...]
    value: float

    def equation(self, decimals: int, solved: bool = True) -> Equation:
        """The worked equation (``solved``) or the student's version, the result left blank."""
        if not solved:
            return Equation(self.lhs, (*self.symbolic, ("=", (Blank(),))))
        return Equation(
            self.lhs, (*self.symbolic, *self.numeric, ("=", (Num(self.value, decimals, SIG),)))
        )

    def symbol_equation(self) -> Equation:
        """The step in symbols only, for messages."""
        return Equation(self.lhs, self.symbolic)


@dataclass(frozen=True)
class Section:
    """A titled group of steps with a sentence (and formulas) saying what they compute."""

    title: str
    text: str
    formulas: tuple[Equation, ...]
    steps: tuple[Step, ...]


class Notation:
    """The symbols of one problem: the example index appears only when m > 1."""

    def __init__(self, problem: Problem, solution: Solution) -> None:
        self.p, self.s = problem, solution
        self.d, self.D = problem.decimals, problem.shown_decimals
        self.lr_decimals = given_decimals([np.array([problem.lr])])
        self.cost = lookup_cost(problem.cost)
        self.arrays = self.cost.on_arrays()
        self.y_decimals = 0 if self.arrays.label_values is not None else self.d  # labels: 0 and 1
        self.paired = self.cost.pairs_with(problem.activations[-1])  # BP1 is the pair's δ^L, no f′

    def sub(self, j: int, i: int) -> str:
        """Neuron j's subscript for example i (both 0-based here, 1-based on the sheet)."""
        return f"{j + 1}" if self.p.m == 1 else f"{j + 1},{i + 1}"

    def sym(self, base: str, l: int, j: int, i: int) -> Sym:
        """``base^l_{j,i}``; layer 0 of ``a`` is the input x."""
        if base == "a" and l == 0:
            return Sym("x", "", self.sub(j, i))
        return Sym(base, str(l) if l else "", self.sub(j, i))

    def activation_value(self, l: int, j: int, i: int) -> Row:
        """a^l_{j,i} as a factor, with the given decimals for the input x."""
        if l == 0:
            return factor(float(self.p.X[j, i]), self.d)
        return factor(float(self.s.A[l - 1][j, i]), self.D)

    def weight(self, l: int, j: int, k: int) -> Sym:
        return Sym("w", str(l), f"{j + 1}{k + 1}")

    def partial(self, of: Sym) -> Frac:
        """∂C/∂(of)."""
        return Frac((Op("∂"), Sym("C")), (Op("∂"), of))
