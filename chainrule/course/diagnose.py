r"""One answer against its reference: right, or the kind of slip it looks like.

:func:`require` compares an answer (a number, a sequence or an array) with the
value the notebook's mathematics gives and raises :class:`ExerciseFailed` with
the first diagnosis that fits, in this order:

1. not a number, or a shape the equation does not give (a transposed one named
   as such: the order of the indices);
2. not finite (nan or inf somewhere);
3. one of the exercise's own named slips (``slips``: description -> the value
   that slip gives, e.g. ``{"σ(z) where σ'(z) is due": ...}``);
4. a constant factor between answer and reference: -1 (a sign), m or 1/m (the
   1/m of the averaged cost), 2 or 1/2 (the 2 of a square against the 1/2 of
   the cost), each with its usual cause;
5. the same number in every entry where the reference varies (hard-coded);
6. otherwise, where the first wrong entry is.

No message holds a number of the answer or of the reference: a printed
expected value can be pasted, and a printed answer with a wrong sign is the
expected value.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np


class ExerciseFailed(AssertionError):
    """An exercise's answer is not right; the message says what kind of slip it looks like."""


RTOL = 1e-7
"""Relative tolerance of a right answer (answers are computed, not typed from a printout)."""

ATOL = 1e-10
"""Absolute tolerance, for entries that are 0."""


def _array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array, or ExerciseFailed naming what it is."""
    if isinstance(value, bool) or value is None:
        raise ExerciseFailed(f"{name} is {value!r}, not a number: assign it the result of your computation")
    data = getattr(value, "data", value)  # a Value: its number
    try:
        array = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseFailed(
            f"{name} is a {type(value).__name__}, not a number or an array of numbers"
        ) from None
    return array


def close(got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """True when ``got`` and ``expected`` have one shape and agree entry by entry."""
    a, b = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _factor(got: np.ndarray, expected: np.ndarray, m: int | None) -> str | None:
    """The usual cause of a constant factor between ``got`` and ``expected``, or None."""
    causes: list[tuple[float, str]] = [
        (-1.0, "has the wrong sign: check the order of a subtraction (a - y or y - a) and "
               "every minus sign along the chain rule"),
        (2.0, "is twice too large: the 2 from differentiating a square is kept where the cost's "
              "1/2 cancels it"),
        (0.5, "is half of what it should be: the 2 from differentiating a square is missing"),
    ]
    if m is not None and m > 1:
        causes += [
            (float(m), "is m times too large: the 1/m of the averaged cost is missing (that is "
                       "the per-example quantity)"),
            (1.0 / m, "is m times too small: the 1/m is applied twice (once in δ and once more)"),
            (-float(m), "has the wrong sign and is m times too large"),
            (-1.0 / m, "has the wrong sign and is m times too small"),
        ]
    for k, cause in causes:
        if close(got, k * expected):
            return cause
    return None


def _first_wrong(name: str, got: np.ndarray, expected: np.ndarray) -> str:
    """Where the first wrong entry of ``got`` is, as Python indexes it."""
    wrong = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    return f"{name}[{', '.join(map(str, index))}]" if index else name


def diagnose(
    name: str,
    got: Any,
    expected: Any,
    *,
    equation: str,
    m: int | None = None,
    slips: Mapping[str, Any] | None = None,
) -> str | None:
    """What is wrong with the answer ``got``, or None when it is right (see the module docstring).

    Args:
        name: The answer's name in the notebook (``"delta2"``).
        got: The answer.
        expected: The reference value.
        equation: The equation or rule the answer comes from, for the messages
            (``"BP2, δ^2 = ((W^3)^T δ^3) ⊙ σ'(z^2)"``).
        m: The batch size, when a factor m or 1/m is a possible slip.
        slips: The exercise's own slips: a description -> the value that slip gives.
    """
    want = np.asarray(expected, dtype=float)
    have = _array(name, got)
    if have.shape != want.shape:
        if have.ndim == 2 and have.shape == want.T.shape:
            if close(have.T, want):
                return (f"{name} is transposed: it has shape {have.shape}, {equation} gives shape "
                        f"{want.shape}; check the order of the indices")
            return (f"{name} has the transposed shape {have.shape} of what {equation} gives, "
                    f"{want.shape}: check the order of the indices and of the factors")
        if have.size == want.size and close(have.reshape(want.shape), want):
            return f"{name} has the right numbers in the wrong shape {have.shape}: {equation} gives shape {want.shape}"
        return f"{name} has shape {have.shape}; {equation} gives shape {want.shape}"
    if not np.all(np.isfinite(have)):
        return f"{name} holds nan or inf: a division by zero or an overflow on the way"
    if close(have, want):
        return None
    for description, value in (slips or {}).items():
        if np.shape(value) == want.shape and close(have, value):
            return f"{name} looks like this slip: {description}"
    if have.ndim == 2 and have.shape[0] == have.shape[1] > 1 and close(have, want.T):
        return f"{name} is transposed: check the order of the indices (row j receives, column k sends)"
    factor = _factor(have, want, m)
    if factor is not None:
        return f"{name} {factor} ({equation})"
    if want.size > 1 and np.ptp(have) == 0 and np.ptp(want) > 0:
        return (f"every entry of {name} is the same number, where {equation} gives different ones: "
                "compute it from the variables rather than typing a number")
    if want.size > 1:
        return f"{_first_wrong(name, have, want)} is the first entry that {equation} does not give"
    return f"{name} is not what {equation} gives"


def require(
    name: str,
    got: Any,
    expected: Any,
    *,
    equation: str,
    m: int | None = None,
    slips: Mapping[str, Any] | None = None,
) -> None:
    """Raise :class:`ExerciseFailed` with :func:`diagnose`'s message unless ``got`` is right."""
    message = diagnose(name, got, expected, equation=equation, m=m, slips=slips)
    if message is not None:
        raise ExerciseFailed(message)


def is_number(x: Any) -> bool:
    """True for a real number that is not a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)
