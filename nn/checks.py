"""Checks of user-given settings, shared by every module of ``nn``.

Each returns the checked value (as an ``int`` or a ``float``) or raises a
``ValueError`` that names the setting, what it got, and what it expected.
"""

from __future__ import annotations

import math
import numbers


def positive_int(n: object, what: str) -> int:
    """``n`` if it is an ``int`` >= 1 (``bool`` refused), else a ValueError naming ``what``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return n


def positive_number(value: object, what: str, *, allow_zero: bool = False) -> float:
    """``value`` as a float if it is finite and > 0 (>= 0 with ``allow_zero``); an int too
    large for a float (``10**400``) is not finite."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value):
        shown = repr(value) if len(repr(value)) <= 40 else f"a number of {len(repr(value)):,} digits"
        raise ValueError(f"{what} must be a finite number, got {shown}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{what} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return float(value)


def _finite(value: numbers.Real) -> bool:
    """``math.isfinite``, False for an int beyond the largest float instead of an OverflowError."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
