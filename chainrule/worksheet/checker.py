r"""Checking a student's answers, number by number, in the order they are computed; in two voices.

A filled file has the keys of the answers file (any subset; ``null`` for a
number left out). Each number the student gives is compared with the value
recomputed FROM THE STUDENT'S OWN EARLIER NUMBERS (the answer key's where the
student gave none), by the law that produces it (:mod:`chainrule.worksheet.laws`).
So a student who rounds and carries the rounded numbers on is not blamed for
the rounding, and a mistake is found where it was made: a δ that is wrong only
because z was wrong is consistent with that z, and the report names z.

Conventions (:mod:`nn.analytic.conventions`): δ may be written averaged (the
sheet's: δ = ∂C/∂z with the 1/m inside, ∂C/∂W = δ Aᵀ) or per example
(δ = ∂ℓ/∂z of each example's loss, ∂C/∂W = (1/m) δ Aᵀ); both give the same
∂C/∂W and ∂C/∂b. ``convention="auto"`` (the default) checks both and reports
the one the file is right in (or, when right in neither, the one in which it
got further; the averaged on a tie), and says which it found.

Voices: the report names the first wrong number by its symbol (indices from
1, as on the sheet), the equation it comes from and what kind of slip it looks
like (:mod:`chainrule.worksheet.slips`), and never the right number: that is
the student's voice, the default. ``show_expected=True`` (the teacher's) adds
what the student wrote and what was expected.

Tolerance: a number shown with D decimals is rounded by at most h = ½·10^-D;
each number may differ from its recomputed value by h plus the first-order
effect of the rounding of the numbers it is computed from, times 1.5
(:func:`chainrule.worksheet.laws.tolerance`). Given numbers (W, b, X, Y) must
equal the key's to within the rounding of their own decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from chainrule.worksheet.answers import GIVEN, SETTINGS, answers_dict, check_format
from chainrule.worksheet.laws import Env, Slot, environment, key_numbers, recompute, tolerance
from chainrule.worksheet.markup import equation_text, number_text, row_text
from chainrule.worksheet.notation import LAWS
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.slips import diagnose
from chainrule.worksheet.solution import QUANTITIES, Solution
from chainrule.worksheet.steps import worked_steps
from nn.analytic.conventions import DESCRIPTIONS, check_convention

CONVENTION_WORDS = {
    "either": "no δ given, or m = 1: the two conventions agree on every number given",
}
"""The checker's words for a convention where :data:`nn.analytic.conventions.DESCRIPTIONS` speaks of formulas."""


def place(key: str, index: tuple[int, ...]) -> str:
    """Where a number is in the file, counted from 1 as on the sheet: ``Z: layer 1, row 2, column 1``."""
    if key == "C":
        return "C"
    labels = ("row", "column") if key in ("X", "Y") else ("layer", "row", "column")
    return f"{key}: " + ", ".join(f"{label} {i + 1}" for label, i in zip(labels, index))


@dataclass
class Mistake:
    """The first wrong number: where, what the student wrote, what was expected, the law and the slip.

    ``index`` counts from 0 (the file's lists); messages count from 1."""

    key: str
    index: tuple[int, ...]
    symbol: str
    given: float
    expected: float
    key_value: float
    law: str
    equation: str
    decimals: int
    slip: str = ""

    @property
    def where(self) -> str:
        """The position in the file, counted from 1 (:func:`place`)."""
        return place(self.key, self.index)

    def text(self, show_expected: bool = False) -> str:
        """The student's voice (no number of the key), or with ``show_expected`` the teacher's."""
        shown = lambda x: number_text(x, self.decimals + 2, 3)
        text = f"{self.symbol} ({self.where}) is wrong"
        if show_expected:
            text += f": you wrote {shown(self.given)}, expected {shown(self.expected)}"
            if abs(self.expected - self.key_value) > 10.0 ** -(self.decimals + 2):
                text += f" from your earlier numbers (the answer key has {shown(self.key_value)})"
        text += f". It comes from {LAWS.get(self.law, 'the given numbers')}: {self.equation}."
        return text + (f" It looks like {self.slip}." if self.slip else "")

    def __str__(self) -> str:
        return self.text()


@dataclass
class CheckReport:
    """What :func:`check_answers` found: how many numbers were checked, the first mistake, the convention.

    Attributes:
        checked: Numbers compared.
        mistake: The first wrong one, or None.
        more: How many more numbers are wrong after it.
        convention: ``"averaged"``, ``"per_example"``, or ``"either"`` (no δ given, or m = 1).
        carried: Numbers after the mistake that follow correctly from the student's wrong numbers.
        show_expected: Whether :meth:`__str__` speaks in the teacher's voice.
    """

    checked: int
    mistake: Mistake | None
    more: int = 0
    convention: str = "either"
    carried: int = 0
    show_expected: bool = False
    position: int = 0

    @property
    def ok(self) -> bool:
        """True when every given number is right."""
        return self.mistake is None

    def __str__(self) -> str:
        convention = f"Convention: {CONVENTION_WORDS.get(self.convention) or DESCRIPTIONS[self.convention]}."
        if self.mistake is None:
            return f"all {self.checked} numbers given are right. {convention}"
        notes = []
        if self.carried:
            notes.append(
                f"{self.carried} later number{'s carry' if self.carried != 1 else ' carries'} it on correctly"
            )
        if self.more:
            notes.append(f"{self.more} more number{'s differ' if self.more != 1 else ' differs'} after it")
        more = f" ({'; '.join(notes)})" if notes else ""
        return f"first wrong number: {self.mistake.text(self.show_expected)}{more}\n{convention}"


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
                    f"{name} of layer {n + 1} must be numbers (or null), got {part!r:.60}"
                ) from None
            if array.shape != shape:
                raise ValueError(
                    f"{name}{' of layer ' + str(n + 1) if layered else ''} must have shape {shape}, got {array.shape}"
                )
            arrays.append(array)
        out[name] = arrays
    return out


def _check_settings(filled: Mapping[str, Any], key: Mapping[str, Any]) -> None:
    """A ValueError when the filled file names another sheet (its id, or a setting)."""
    if filled.get("sheet") is not None and key.get("sheet") is not None and filled["sheet"] != key["sheet"]:
        raise ValueError(
            f"the filled file was made for another sheet (sheet {filled['sheet']}; this one is "
            f"sheet {key['sheet']}): start from this sheet's template"
        )
    for setting in SETTINGS:
        if setting not in filled or setting == "seed" or filled[setting] is None:
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
                f"the filled file is for another sheet: its {setting} is {repr(mine)[:60]}, this sheet's {theirs!r}"
            )


def _order(problem: Problem, solution: Solution) -> list[tuple[str, tuple[int, ...], str, str, str]]:
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
                    ("b_next", (l, j), f"b^{l + 1}_{j + 1}", "descent", "b stays as given (biases fixed)")
                )
    return order


def _given_symbol(name: str, index: tuple[int, ...], m: int) -> str:
    """w^l_jk, b^l_j, x_{k,i}, y_{j,i} of a given number at the 0-based ``index``."""
    one = [str(i + 1) for i in index]
    if name == "W":
        return f"w^{one[0]}_{one[1]}{one[2]}"
    if name == "b":
        return f"b^{one[0]}_{one[1]}"
    sub = one[0] if m == 1 else "{" + ",".join(one) + "}"
    return f"{name.lower()}_{sub}"


def _given_mistake(
    problem: Problem, student: dict[str, list[np.ndarray]]
) -> tuple[Mistake | None, int]:
    """The first given number (X, Y, W, b) that differs from the problem's, and how many were checked."""
    tolerance_ = 0.5 * 10.0**-problem.decimals + 1e-12
    truth = {"X": [problem.X], "Y": [problem.Y], "W": problem.W, "b": problem.b}
    checked = 0
    for name in GIVEN:
        for n, (mine, right) in enumerate(zip(student.get(name, []), truth[name])):
            for position in np.ndindex(mine.shape):
                if np.isnan(mine[position]):
                    continue
                checked += 1
                if abs(mine[position] - right[position]) > tolerance_:
                    index = (n, *position) if name in ("W", "b") else tuple(position)
                    symbol = _given_symbol(name, index, problem.m)
                    m = Mistake(
                        name, index, symbol, float(mine[position]), float(right[position]),
                        float(right[position]), "given", "copy it from the sheet",
                        problem.decimals - 2, "a given number copied wrongly",
                    )
                    return m, checked
    return None, checked


def _check(
    problem: Problem, solution: Solution, student: dict[str, list[np.ndarray]], d: int, convention: str
) -> CheckReport:
    """The computed numbers of ``student`` checked in ``convention`` (after the given ones)."""
    h = 0.5 * 10.0 ** -(d + 2)
    key = key_numbers(solution, convention, problem.m)
    env: Env = environment(problem, key, student)
    expected: dict[Slot, tuple[np.ndarray, np.ndarray]] = {}
    wrong: list[Mistake] = []
    checked, carried, position_of_first = 0, 0, 0
    delta_agreed = False
    for name, index, symbol, law, equation in _order(problem, solution):
        layer, position = (0, ()) if name == "C" else (index[0] + 1, index[1:])
        n = max(layer - 1, 0)
        if name not in student or np.isnan(student[name][n][position]):
            continue
        mine, slot = student[name][n], (name, layer)
        if slot not in expected:
            value = recompute(problem, slot, env, convention)
            expected[slot] = (value, tolerance(problem, slot, env, value, h, convention))
        value, tol = expected[slot]
        checked += 1
        key_value = float(key[name][n][position])
        if abs(mine[position] - value[position]) <= tol[position]:
            delta_agreed = delta_agreed or (name == "delta" and not wrong)
            carried += bool(wrong) and abs(mine[position] - key_value) > tol[position]
            continue
        if not wrong:
            position_of_first = checked
            slip = diagnose(problem, slot, position, mine, value, tol, env, convention, student, delta_agreed)
        wrong.append(
            Mistake(name, index, symbol, float(mine[position]), float(value[position]), key_value,
                    law, equation, d, slip if not wrong else "")
        )
    return CheckReport(
        checked, wrong[0] if wrong else None, max(len(wrong) - 1, 0), convention, carried,
        position=position_of_first if wrong else checked + 1,
    )


def check_answers(
    filled: Mapping[str, Any],
    problem: Problem,
    solution: Solution,
    decimals: int | None = None,
    *,
    convention: str = "auto",
    show_expected: bool = False,
) -> CheckReport:
    """Check a student's numbers against the worksheet's (see the module docstring).

    Args:
        filled: The student's file, parsed: keys of the answers schema, any subset.
        problem, solution: The worksheet's, e.g. from :func:`chainrule.worksheet.answers.load_answers`.
        decimals: The decimals of the sheet's given numbers (computed ones have two more);
            by default the problem's.
        convention: ``"auto"``, ``"averaged"`` or ``"per_example"`` (:data:`nn.analytic.conventions.CONVENTIONS`).
        show_expected: The teacher's voice: the report shows the expected numbers.

    Returns:
        The numbers checked, the first wrong one (None when all are right) and the convention.

    Raises:
        ValueError: A file that is not this schema, belongs to another sheet, has a wrong
            shape, or gives no computed number at all (nothing to check).
    """
    check_convention(convention)
    key = answers_dict(problem, solution)
    check_format(filled, "the filled file")
    _check_settings(filled, key)
    student = _student_arrays(filled, key)
    if not any(np.any(~np.isnan(a)) for name in QUANTITIES for a in student.get(name, [])):
        raise ValueError(
            "nothing to check: the file gives none of the computed numbers "
            f"({', '.join(QUANTITIES)}); fill in the numbers you computed"
        )
    mistake, given_checked = _given_mistake(problem, student)
    if mistake is not None:
        return CheckReport(given_checked, mistake, show_expected=show_expected)
    d = problem.decimals if decimals is None else decimals
    gave_delta = any(np.any(~np.isnan(a)) for a in student.get("delta", []))
    if convention == "auto" and (problem.m == 1 or not gave_delta):
        report = _check(problem, solution, student, d, "averaged")
        report.convention = "either"  # the two conventions agree on every number given
    elif convention == "auto":
        first = _check(problem, solution, student, d, "averaged")
        second = _check(problem, solution, student, d, "per_example")
        report = second if second.position > first.position else first
    else:
        report = _check(problem, solution, student, d, convention)
    report.checked += given_checked
    report.show_expected = show_expected
    return report
