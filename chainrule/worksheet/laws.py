r"""The law behind every number of a worksheet, applied to a student's own earlier numbers, in either convention.

A *slot* is one quantity of one layer: ``("Z", l)``, ``("delta", l)``,
``("C", 0)``; ``("A", 0)`` is X. An *environment* maps each slot to its
numbers: the student's where given, the answer key's elsewhere.
:func:`recompute` applies the slot's law to the environment:

    forward   Z^l = W^l A^{l-1} + b^l,  A^l = f_l(Z^l)
    cost      C of A^L and Y
    BP1       δ^L = ∇_A C ⊙ f_L'(Z^L) (or the pair's δ^L)
    BP2       δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f_l'(Z^l)
    BP3, BP4  ∂C/∂b^l = s Σ_i δ^l_{:,i},  ∂C/∂W^l = s δ^l (A^{l-1})^T
    step      W^l - η ∂C/∂W^l,  b^l - η ∂C/∂b^l (b^l when the biases are fixed)

in one of the two conventions of :mod:`nn.analytic.conventions`: averaged
(δ = ∂C/∂Z with the 1/m inside, s = 1) or per example (δ = ∂ℓ/∂Z of each
example's own loss, m times as large, and s = 1/m). BP2 is linear in δ, so it
is the same law in both.

:func:`tolerance` is the rounding a number may carry: its own (h) plus the
first-order effect of the rounding of the numbers it is computed from, times
:data:`SAFETY`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from chainrule.worksheet.problem import Problem
from chainrule.worksheet.solution import QUANTITIES, Solution
from nn.activations import ACTIVATIONS
from nn.analytic import ForwardPass, cost_value, output_error
from nn.analytic.conventions import expected_in
from nn.softmax import array_activation

SAFETY = 1.5
"""Factor on the propagated rounding."""

Slot = tuple[str, int]
Env = dict[Slot, np.ndarray]


def delta_scale(convention: str, m: int) -> float:
    """What the convention multiplies the averaged δ by (m per example, 1 averaged), as
    :func:`nn.analytic.conventions.expected_in` defines it."""
    return float(expected_in(convention, {"dZ": np.ones(())}, m)["dZ"])


def key_numbers(solution: Solution, convention: str, m: int) -> dict[str, list[np.ndarray]]:
    """The answer key's numbers per quantity (C as a one-element list), δ in ``convention``."""
    numbers = {
        name: [np.array(solution.C)] if name == "C" else list(getattr(solution, name))
        for name in QUANTITIES
    }
    numbers["delta"] = [d * delta_scale(convention, m) for d in numbers["delta"]]
    return numbers


def environment(
    problem: Problem, key: Mapping[str, list[np.ndarray]], student: Mapping[str, list[np.ndarray]]
) -> Env:
    """Every computed number: the student's where given (not NaN), else the key's."""
    env: Env = {("A", 0): problem.X}
    for name in QUANTITIES:
        for n, value in enumerate(key[name]):
            layer = 0 if name == "C" else n + 1
            mine = student.get(name)
            env[(name, layer)] = (
                value if mine is None else np.where(np.isnan(mine[n]), value, mine[n])
            )
    return env


def recompute(problem: Problem, slot: Slot, env: Env, convention: str = "averaged") -> np.ndarray:
    """The value of ``slot`` by its law, from the numbers in ``env`` (see the module docstring)."""
    name, l = slot
    p, L = problem, problem.L
    if name == "Z":
        return p.W[l - 1] @ env[("A", l - 1)] + p.b[l - 1].reshape(-1, 1)
    if name == "A":
        return array_activation(p.activations[l - 1]).f_array(env[("Z", l)], np)  # softmax too
    if name == "C":
        return np.array(cost_value(p.cost, env[("A", L)], p.Y))
    if name == "delta" and l == L:
        fp = ForwardPass(
            [env[("Z", k)] for k in range(1, L + 1)], [env[("A", k)] for k in range(L + 1)]
        )
        return output_error(p.network(), fp, p.Y, p.cost) * delta_scale(convention, p.m)
    if name == "delta":
        f_prime = ACTIVATIONS[p.activations[l - 1]].df_array(env[("Z", l)], np)
        return (p.W[l].T @ env[("delta", l + 1)]) * f_prime
    s = 1.0 / delta_scale(convention, p.m)
    if name == "db":
        return s * env[("delta", l)].sum(axis=1)
    if name == "dW":
        return s * env[("delta", l)] @ env[("A", l - 1)].T
    if name == "W_next":
        return p.W[l - 1] - p.lr * env[("dW", l)]
    return p.b[l - 1].copy() if p.fixed_biases else p.b[l - 1] - p.lr * env[("db", l)]


def inputs(problem: Problem, slot: Slot) -> list[Slot]:
    """The computed numbers ``slot`` is computed from (the given ones are exact)."""
    name, l = slot
    L = problem.L
    table: dict[str, Callable[[], list[Slot]]] = {
        "Z": lambda: [("A", l - 1)] if l > 1 else [],
        "A": lambda: [("Z", l)],
        "C": lambda: [("A", L)],
        "delta": lambda: [("A", L), ("Z", L)] if l == L else [("delta", l + 1), ("Z", l)],
        "db": lambda: [("delta", l)],
        "dW": lambda: [("delta", l)] + ([("A", l - 1)] if l > 1 else []),
        "W_next": lambda: [("dW", l)],
        "b_next": lambda: [] if problem.fixed_biases else [("db", l)],
    }
    return table[name]()


def tolerance(
    problem: Problem, slot: Slot, env: Env, value: np.ndarray, h: float, convention: str
) -> np.ndarray:
    """h + Σ_k |change of the value when input k moves by h|, times :data:`SAFETY`."""
    spread = np.zeros_like(value)
    for source in inputs(problem, slot):
        original = env[source]
        for position in np.ndindex(original.shape):
            moved = original.copy()
            moved[position] += h
            env[source] = moved
            spread = spread + np.abs(recompute(problem, slot, env, convention) - value)
        env[source] = original
    return SAFETY * (h + spread) + 1e-12
