r"""The two conventions for the error δ of a batch, and how a factor between two gradients is explained.

The cost of a batch of m examples is the mean of the per-example losses,
C = (1/m) Σ_i ℓ_i (for the quadratic cost ℓ_i = ½ ||y_i - a_i||², for the
mean squared error ℓ_i = (1/n_L) Σ_j (y_ij - ŷ_ij)², for binary cross-entropy
ℓ_i = -[y_i log ŷ_i + (1 - y_i) log(1 - ŷ_i)]). Texts write backpropagation
over a batch in one of two conventions, which differ by that 1/m:

* averaged (the engine's, :mod:`nn.analytic.equations`): δ^l = dZ^l = ∂C/∂Z^l,
  the 1/m already inside, so for sigmoid + BCE

      dZ^L = (A^L - Y)/m,   dW^l = dZ^l (A^{l-1})^T,   db^l = Σ_i dZ^l_{:,i};

* per example (many course notes' pseudocode): dZ^l = ∂ℓ/∂Z^l, column i the
  derivative of example i's own loss ℓ_i, which is m times the averaged one;
  the 1/m is applied when the columns are summed into the parameters' gradients:

      dZ^L = A^L - Y,   dW^l = (1/m) dZ^l (A^{l-1})^T,   db^l = (1/m) Σ_i dZ^l_{:,i}.

Both give the same ∂C/∂W^l and ∂C/∂b^l; dA^L and every dZ^l differ by the
factor m (they coincide when m = 1). :func:`expected_in` turns the engine's
averaged quantities into either convention; :func:`explain_factor` names the
factor between a formula's array and the engine's when there is a simple one
(m, 1/m, 2, 1/2, -1), with the usual cause of each.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

Array = np.ndarray

CONVENTIONS = ("averaged", "per_example", "auto")
"""What ``check_derivation(convention=...)`` accepts: one of the two, or ``"auto"`` to find which."""

DESCRIPTIONS = {
    "averaged": "averaged-cost convention: dZ = ∂C/∂Z with the 1/m inside, dW = dZ Aᵀ, db = Σ dZ",
    "per_example": "per-example convention: dZ = ∂ℓ/∂Z of each example's loss, dW = (1/m) dZ Aᵀ, db = (1/m) Σ dZ",
    "either": "dW and db only, or m = 1: the same in both conventions",
}
"""One line per convention found, for reports."""


def check_convention(convention: object) -> str:
    """``convention`` if it is one of :data:`CONVENTIONS`, else a ValueError listing them."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected one of: {', '.join(CONVENTIONS)}")
    return str(convention)


def convention_dependent(key: str) -> bool:
    """True for the quantities the two conventions disagree on: dA{L} and dZ{l} (not dW, db)."""
    return key.startswith(("dA", "dZ"))


def expected_in(convention: str, averaged: Mapping[str, Array], m: int) -> dict[str, Array]:
    """The engine's quantities (averaged convention) as ``convention`` writes them: dA, dZ times m for per_example."""
    if convention == "averaged":
        return dict(averaged)
    return {key: value * m if convention_dependent(key) else value for key, value in averaged.items()}


def _matches(got: Array, want: Array, rtol: float, atol: float) -> bool:
    return bool(np.all(np.abs(got - want) <= atol + rtol * np.abs(want)))


def explain_factor(
    key: str, got: Array, want: Array, m: int, convention: str, *, dz_agreed: bool, rtol: float, atol: float
) -> str:
    """Why ``got`` (the formula's ``key``) differs from ``want``, when it is a simple multiple of it; else ``""``.

    Args:
        key: The quantity (``"dW3"``).
        got: The formula's array; ``want``: the engine's in ``convention``.
        m: The batch size.
        convention: ``"averaged"`` or ``"per_example"``, the one ``want`` is written in.
        dz_agreed: Whether some dA or dZ of the formula agreed before ``key``.
        rtol, atol: The tolerance of the check.
    """
    if not np.any(np.abs(want) > atol):
        return ""
    for factor, reason in _reasons(key, m, convention, dz_agreed):
        if _matches(got, factor * want, rtol, atol):
            return reason
    return ""


def _m_reasons(key: str, m: int, convention: str, dz_agreed: bool) -> tuple[str, str]:
    """What a factor m, and a factor 1/m, in ``key`` mean in ``convention``."""
    of = key[1:]  # "Z3" of "dZ3"
    if convention_dependent(key) and convention == "averaged":
        return (
            f"{key} is m = {m} times the engine's ∂C/∂{of}: it is the per-example ∂ℓ/∂{of} (the per-example "
            "convention, with the 1/m applied in dW and db); check it with convention='per_example' or 'auto'",
            f"{key} is 1/m = 1/{m} of the engine's ∂C/∂{of}: the 1/m is applied twice",
        )
    if convention_dependent(key):
        return (
            f"{key} is m = {m} times the per-example ∂ℓ/∂{of}: an extra factor m",
            f"{key} is 1/m = 1/{m} of the per-example ∂ℓ/∂{of}: it is the averaged ∂C/∂{of} (1/m inside dZ); "
            "check it with convention='averaged' or 'auto'",
        )
    if convention == "per_example" and dz_agreed:
        too_big = (
            f"dZ agrees with the engine only up to the factor m = {m} (the per-example convention, dZ = ∂ℓ/∂Z), "
            f"but {key} does not: it is m times ∂C/∂{of}, the 1/m is missing from {key} "
            "(per example: dW = (1/m) dZ Aᵀ, db = (1/m) Σ dZ)"
        )
    else:
        too_big = f"{key} is m = {m} times the engine's ∂C/∂{of}: the 1/m of the averaged cost is missing"
    return too_big, f"{key} is 1/m = 1/{m} of the engine's ∂C/∂{of}: the 1/m is applied twice"


def _reasons(key: str, m: int, convention: str, dz_agreed: bool) -> list[tuple[float, str]]:
    """The factors to try, each with what it means for ``key`` in ``convention``."""
    reasons: list[tuple[float, str]] = []
    if m > 1:
        too_big, too_small = _m_reasons(key, m, convention, dz_agreed)
        reasons += [(float(m), too_big), (1.0 / m, too_small)]
    reasons.append((2.0, f"{key} is twice the engine's: a cost with 1/m differentiated where the cost has 1/(2m)"))
    reasons.append((0.5, f"{key} is half the engine's: a cost with 1/(2m) differentiated where the cost has 1/m"))
    reasons.append((-1.0, f"{key} has the opposite sign of the engine's: a sign was lost"))
    return reasons
