r"""Checking a student's answers against the answers file, number by number, in the order they are computed.

A filled file has the keys of the answers file (any subset; ``null`` for a
number left out). Each number the student gives is compared with the value
recomputed FROM THE STUDENT'S OWN EARLIER NUMBERS (the answer key's where the
student gave none), by the law that produces it: the forward pass, the
activation, the cost, BP1, BP2, BP3, BP4, the step of gradient descent. So a
student who rounds and carries the rounded numbers on is not blamed for the
rounding, and a mistake is found where it was made: a δ that is wrong only
because z was wrong is consistent with that z, and the report names z.

Tolerance: a number shown with D decimals is rounded by at most h = ½·10^-D.
Each number may differ from its recomputed value by h (its own rounding) plus
the first-order effect of the rounding of the numbers it is computed from,
Σ_k |∂(value)/∂(input_k)| h, estimated by moving each input by h; with a
safety factor of 1.5. Given numbers (W, b, X, Y) must equal the key's to
within the rounding of their own decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from chainrule.worksheet.answers import GIVEN, SETTINGS, answers_dict, check_format
from chainrule.worksheet.markup import equation_text, number_text, row_text
from chainrule.worksheet.notation import LAWS
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.solution import QUANTITIES, Solution
from chainrule.worksheet.steps import worked_steps
from nn.activations import ACTIVATIONS
from nn.analytic import ForwardPass, cost_value, output_error

SAFETY = 1.5
"""Factor on the propagated rounding."""

Slot = tuple[str, int]  # (quantity, layer l), ("C", 0), ("A", 0) = X
Env = dict[Slot, np.ndarray]


@dataclass
class Mistake:
    """The first wrong number: where, what the student wrote, what was expected, and the law."""

    where: str
    symbol: str
    given: float
    expected: float
    key_value: float
    law: str
    equation: str
    decimals: int

    def __str__(self) -> str:
        shown = lambda x: number_text(x, self.decimals + 2, 3)
        text = f"{self.where}: {self.symbol} = {shown(self.given)} is wrong; expected {shown(self.expected)}"
        if abs(self.expected - self.key_value) > 10.0 ** -(self.decimals + 2):
            text += f" from your earlier numbers (the answer key has {shown(self.key_value)})"
        return text + f". It comes from {LAWS.get(self.law, 'the given numbers')}: {self.equation}"


@dataclass
class CheckReport:
    """What :func:`check_answers` found: how many numbers were checked and the first mistake, if any."""

    checked: int
    mistake: Mistake | None
    more: int = 0

    @property
    def ok(self) -> bool:
        """True when every given number is right."""
        return self.mistake is None

    def __str__(self) -> str:
        if self.mistake is None:
            return f"all {self.checked} numbers given are right"
        more = (
            f" ({self.more} more number{'s differ' if self.more != 1 else ' differs'} after it)"
            if self.more
            else ""
        )
        return f"first wrong number: {self.mistake}{more}"


def _student_arrays(
    filled: Mapping[str, Any], key: Mapping[str, Any]
) -> dict[str, list[np.ndarray]]:
    """The filled numbers as float arrays shaped like the key's (NaN where null), per layer."""
    out: dict[str, list[np.ndarray]] = {}
    for name in (*GIVEN, *QUANTITIES):
        if name not in filled:
            continue
        value, expected = filled[name], key[name]
        layered = name in ("W", "b", *QUANTITIES) and name != "C"
        parts = value if layered else [value]
        shapes = [np.shape(v) for v in (expected if layered else [expected])]
        if not isinstance(parts, list) or len(parts) != len(shapes):
            raise ValueError(
                f"{name} must have {len(shapes)} entries (one per layer), as the answers file"
            )
        arrays = []
        for n, (part, shape) in enumerate(zip(parts, shapes)):
            try:
                array = np.array(part, dtype=float)  # null -> nan
            except (TypeError, ValueError):
                raise ValueError(
                    f"{name}[{n}] must be numbers (or null), got {part!r:.60}"
                ) from None
            if array.shape != shape:
                raise ValueError(
                    f"{name}{'[' + str(n) + ']' if layered else ''} must have shape {shape}, got {array.shape}"
                )
            arrays.append(array)
        out[name] = arrays
    return out


def _recompute(problem: Problem, slot: Slot, env: Env) -> np.ndarray:
    """The value of ``slot`` by its law, from the numbers in ``env``."""
    name, l = slot
    p, L = problem, problem.L
    if name == "Z":
        return p.W[l - 1] @ env[("A", l - 1)] + p.b[l - 1].reshape(-1, 1)
    if name == "A":
        return ACTIVATIONS[p.activations[l - 1]].f_array(env[("Z", l)], np)
    if name == "C":
        return np.array(cost_value(p.cost, env[("A", L)], p.Y))
    if name == "delta" and l == L:
        fp = ForwardPass(
            [env[("Z", k)] for k in range(1, L + 1)], [env[("A", k)] for k in range(L + 1)]
        )
        return output_error(p.network(), fp, p.Y, p.cost)
    if name == "delta":
        f_prime = ACTIVATIONS[p.activations[l - 1]].df_array(env[("Z", l)], np)
        return (p.W[l].T @ env[("delta", l + 1)]) * f_prime
    if name == "db":
        return env[("delta", l)].sum(axis=1)
    if name == "dW":
        return env[("delta", l)] @ env[("A", l - 1)].T
    if name == "W_next":
        return p.W[l - 1] - p.lr * env[("dW", l)]
    return p.b[l - 1].copy() if p.fixed_biases else p.b[l - 1] - p.lr * env[("db", l)]


def _inputs(problem: Problem, slot: Slot) -> list[Slot]:
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


def _tolerance(problem: Problem, slot: Slot, env: Env, value: np.ndarray, h: float) -> np.ndarray:
    """h + Σ_k |change of the value when input k moves by h|, times :data:`SAFETY` (see the module docstring)."""
    spread = np.zeros_like(value)
    for source in _inputs(problem, slot):
        original = env[source]
        for position in np.ndindex(original.shape):
            moved = original.copy()
            moved[position] += h
            env[source] = moved
            spread = spread + np.abs(_recompute(problem, slot, env) - value)
        env[source] = original
    return SAFETY * (h + spread) + 1e-12


def _check_settings(filled: Mapping[str, Any], key: Mapping[str, Any]) -> None:
    """A ValueError when the filled file names another problem (sizes, activation, cost, lr)."""
    for setting in SETTINGS:
        if setting not in filled:
            continue
        mine, theirs = filled[setting], key[setting]
        if setting == "activation" and isinstance(mine, str):
            mine = [mine] * len(theirs)
        same = (
            np.isclose(mine, theirs)
            if setting == "lr" and isinstance(mine, (int, float))
            else mine == theirs
        )
        if not same:
            raise ValueError(
                f"the filled file is for another problem: its {setting} is {mine!r}, the answers file's {theirs!r}"
            )


def _environment(problem: Problem, solution: Solution, student: dict[str, list[np.ndarray]]) -> Env:
    """Every computed number: the student's where given, else the key's."""
    env: Env = {("A", 0): problem.X, ("C", 0): np.array(solution.C)}
    for name in QUANTITIES:
        layers = [np.array(solution.C)] if name == "C" else getattr(solution, name)
        for l, value in enumerate(layers, start=0 if name == "C" else 1):
            mine = student.get(name, [None] * len(layers))[max(l - 1, 0)]
            env[(name, l)] = value if mine is None else np.where(np.isnan(mine), value, mine)
    return env


def _order(
    problem: Problem, solution: Solution
) -> list[tuple[str, tuple[int, ...], str, str, str]]:
    """(key, index, symbol, law, equation) of every number, in the order the sheet computes them."""
    order = [
        (step.key, step.index, row_text(step.lhs), step.law, equation_text(step.symbol_equation()))
        for step in (s for section in worked_steps(problem, solution) for s in section.steps)
        if step.key
    ]
    seen = {(key, index) for key, index, *_ in order}
    for l, b in enumerate(solution.b_next):  # b_next has no step when the biases are fixed
        for j in range(b.shape[0]):
            if ("b_next", (l, j)) not in seen:
                order.append(
                    (
                        "b_next",
                        (l, j),
                        f"b^{l + 1}_{j + 1}",
                        "descent",
                        "b stays as given (biases fixed)",
                    )
                )
    return order


def _given_mistake(
    problem: Problem, student: dict[str, list[np.ndarray]]
) -> tuple[Mistake | None, int]:
    """The first given number (X, Y, W, b) that differs from the problem's, and how many were checked."""
    tolerance = 0.5 * 10.0**-problem.decimals + 1e-12
    truth = {"X": [problem.X], "Y": [problem.Y], "W": problem.W, "b": problem.b}
    checked = 0
    for name in GIVEN:
        for n, (mine, right) in enumerate(zip(student.get(name, []), truth[name])):
            for position in np.ndindex(mine.shape):
                if np.isnan(mine[position]):
                    continue
                checked += 1
                if abs(mine[position] - right[position]) > tolerance:
                    where = (
                        name
                        + (f"[{n}]" if name in ("W", "b") else "")
                        + "".join(f"[{i}]" for i in position)
                    )
                    m = Mistake(
                        where,
                        where,
                        float(mine[position]),
                        float(right[position]),
                        float(right[position]),
                        "given",
                        "copy it from the problem",
                        problem.decimals - 2,
                    )
                    return m, checked
    return None, checked


def check_answers(
    filled: Mapping[str, Any], problem: Problem, solution: Solution, decimals: int | None = None
) -> CheckReport:
    """Check a student's numbers against the worksheet's (see the module docstring).

    Args:
        filled: The student's file, parsed: keys of the answers schema, any subset.
        problem, solution: The worksheet's, e.g. from :func:`chainrule.worksheet.answers.load_answers`.
        decimals: The decimals of the sheet's given numbers (computed ones have two more);
            by default the problem's.

    Returns:
        The number of numbers checked and the first wrong one (None when all are right).

    Raises:
        ValueError: A file that is not this schema, belongs to another problem, or has a wrong shape.
    """
    key = answers_dict(problem, solution)
    check_format(filled, "the filled file")
    _check_settings(filled, key)
    student = _student_arrays(filled, key)
    mistake, checked = _given_mistake(problem, student)
    if mistake is not None:
        return CheckReport(checked, mistake)
    d = problem.decimals if decimals is None else decimals
    h = 0.5 * 10.0 ** -(d + 2)
    env = _environment(problem, solution, student)
    expected: dict[Slot, tuple[np.ndarray, np.ndarray]] = {}
    wrong: list[Mistake] = []
    for name, index, symbol, law, equation in _order(problem, solution):
        layer, position = (0, ()) if name == "C" else (index[0] + 1, index[1:])
        if name not in student or np.isnan(student[name][max(layer - 1, 0)][position]):
            continue
        mine, slot = student[name][max(layer - 1, 0)], (name, layer)
        if slot not in expected:
            value = _recompute(problem, slot, env)
            expected[slot] = (value, _tolerance(problem, slot, env, value, h))
        value, tolerance = expected[slot]
        checked += 1
        if abs(mine[position] - value[position]) > tolerance[position]:
            where = name + "".join(f"[{i}]" for i in index)
            key_value = float(
                np.asarray(
                    getattr(solution, name) if name == "C" else getattr(solution, name)[layer - 1]
                )[position]
            )
            wrong.append(
                Mistake(
                    where,
                    symbol,
                    float(mine[position]),
                    float(value[position]),
                    key_value,
                    law,
                    equation,
                    d,
                )
            )
    return CheckReport(checked, wrong[0] if wrong else None, max(len(wrong) - 1, 0))
