r"""IEEE 754 arithmetic on floats, as C and PyTorch do it, where Python raises instead.

Python's ``x / 0`` and ``0.0 ** -1`` raise ``ZeroDivisionError``, ``(-10.0) ** 399``
raises ``OverflowError`` and ``(-8.0) ** (1/3)`` is complex; IEEE 754 (C's
``pow``, PyTorch in float64) gives

    x / ±0 = ±inf (sign of x times sign of 0),  0/0 = NaN,
    (±0)^p = ±inf for p < 0 (the sign kept for an odd integer p),
    x^p = ±inf on overflow (negative only for x < 0 and an odd integer p),
    x^p = NaN for x < 0 and a non-integer p.

The local derivatives of :mod:`autograd.ops` use these, so an infinite
derivative is ``inf`` with PyTorch's sign. A forward pass still raises at a
domain error (see :mod:`autograd.ops`), except while the graph of a derivative
is built (``create_graph=True``): :func:`in_derivative_graph` switches the
domain errors of the forward rules to these IEEE results, as PyTorch gives.
Standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

IEEE_DOMAIN: ContextVar[bool] = ContextVar("chainrule_ieee_domain", default=False)
"""True while the graph of a derivative is built: domain errors give IEEE's inf or NaN."""


def ieee_div(x: float, y: float) -> float:
    """x / y with IEEE's answer at y = 0: ±inf (the sign of x times that of y), NaN for 0/0 and NaN/0."""
    if y:
        return x / y
    if x == 0 or math.isnan(x):
        return math.nan
    return math.copysign(math.inf, x) * math.copysign(1.0, y)


def is_odd_integer(p: float) -> bool:
    return p % 2 == 1


def float_pow(x: float, p: float) -> float:
    r"""x^p on floats as C's ``pow`` (PyTorch's): the sign of an overflow or of 0^{p<0} kept, NaN where complex."""
    try:
        result = float(x) ** p
    except ZeroDivisionError:  # (±0)^{p<0}
        return math.copysign(math.inf, x) if is_odd_integer(p) else math.inf
    except OverflowError:
        return -math.inf if x < 0 and is_odd_integer(p) else math.inf
    return result if isinstance(result, float) else math.nan


def in_derivative_graph(build: Callable[[], Any]) -> Any:
    """``build()`` with domain errors as IEEE's inf or NaN: it builds part of a derivative's graph."""
    token = IEEE_DOMAIN.set(True)
    try:
        return build()
    finally:
        IEEE_DOMAIN.reset(token)


def domain_error(error: Exception, ieee: float) -> float:
    """Raise ``error``, or return ``ieee`` while a derivative's graph is built (as PyTorch would)."""
    if IEEE_DOMAIN.get():
        return ieee
    raise error
