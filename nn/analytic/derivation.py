r"""Checking a derivation done by hand: your gradient formulas against the engine, entry by entry.

A learner who derives the gradients of a cost on paper writes them as a
function of the batch (:class:`Derivation`: W^l, b^l, Z^l, A^l, Y, m) that
returns some of

* ``"dA{L}"``: ∇_A C = ∂C/∂A^L, shape (n_L, m);
* ``"dZ{l}"``: δ^l = ∂C/∂Z^l, shape (n_l, m), as BP1 (l = L) and BP2 give it;
* ``"dW{l}"``: ∂C/∂W^l = δ^l (A^{l-1})^T, shape (n_l, n_{l-1}) (BP4);
* ``"db{l}"``: ∂C/∂b^l = row sums of δ^l, shape (n_l, 1) (BP3).

:func:`check_derivation` computes the same quantities with the scalar engine
(which knows only the chain rule, node by node) and points at the first entry
that disagrees: which quantity, which row j and column (example) i, the
engine's number and the formula's, and, when the two differ by a simple
factor (m, 1/m, 2, 1/2, -1), what that factor usually means. The usual slips
(a lost sign, an ε inside a logarithm, A - Y taken as ∂C/∂A instead of ∂C/∂Z,
1/m instead of 1/(2m)) each show there.

Two conventions are in use for dA and dZ over a batch (see
:mod:`nn.analytic.conventions`): the averaged one, dZ = ∂C/∂Z with the 1/m
inside (dZ^L = (A^L - Y)/m, dW = dZ Aᵀ, db = Σ dZ), and the per-example one,
dZ = ∂ℓ/∂Z of each example's own loss (dZ^L = A^L - Y, dW = (1/m) dZ Aᵀ,
db = (1/m) Σ dZ). ``convention="auto"`` (the default) accepts a derivation
correct in either and says which it found; ``"averaged"`` or
``"per_example"`` insists on one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from nn.analytic.batch import check_batch
from nn.analytic.conventions import (
    DESCRIPTIONS,
    check_convention,
    convention_dependent,
    expected_in,
    explain_factor,
)
from nn.analytic.engine import engine_gradients
from nn.analytic.equations import check_cost, forward, network_for
from nn.layers import MLP

Array = np.ndarray


@dataclass
class Derivation:
    r"""What a hand-written gradient formula receives (column convention, 0-based lists).

    Attributes:
        W: ``W[l-1]`` = W^l, shape (n_l, n_{l-1}).
        b: ``b[l-1]`` = b^l, shape (n_l, 1).
        Z: ``Z[l-1]`` = Z^l, shape (n_l, m).
        A: ``A[l]`` = A^l, shape (n_l, m); ``A[0]`` = X.
        Y: Targets, shape (n_L, m).
        m: Batch size.
        activations: Activation name per layer.
    """

    W: list[Array]
    b: list[Array]
    Z: list[Array]
    A: list[Array]
    Y: Array
    m: int
    activations: list[str]


@dataclass
class DerivationCheck:
    """The verdict on a hand-written formula: where it first disagrees with the engine, by how much.

    Attributes:
        ok: True when every returned entry agrees within the tolerance.
        key: The first quantity that disagrees (e.g. ``"dA2"``), or None.
        index: Its first disagreeing entry (row j, column i), or None.
        expected: The engine's number there.
        got: The formula's number there.
        checked: The keys checked, in order (never empty).
        convention: The convention the numbers are in: ``"averaged"`` or
            ``"per_example"``; ``"either"`` when the formula agrees and returned
            nothing that tells them apart (only dW and db, or m = 1).
        note: What a simple factor between the formula and the engine at
            ``key`` usually means (``""`` when there is none).
    """

    ok: bool
    key: str | None
    index: tuple[int, ...] | None
    expected: float | None
    got: float | None
    checked: list[str]
    convention: str = "averaged"
    note: str = ""

    def __str__(self) -> str:
        if self.ok:
            return (
                f"the formula agrees with the engine on {', '.join(self.checked)} "
                f"({DESCRIPTIONS[self.convention]})"
            )
        text = (
            f"the formula disagrees with the engine first at {self.key}{list(self.index or ())}: "
            f"engine {self.expected!r}, formula {self.got!r} "
            f"(difference {abs((self.got or 0.0) - (self.expected or 0.0)):.3g}; "
            f"engine numbers in the {self.convention.replace('_', '-')} convention)"
        )
        return text + (f"\n{self.note}" if self.note else "")


def _engine_quantities(model: MLP, X: Array, Y: Array, cost: str, output: str | None) -> dict[str, Array]:
    """The engine's dA{L} (unless its graph has no a^L: softmax with cross-entropy), and
    dZ{l}, dW{l}, db{l} for l = 1..L, by the names a formula returns."""
    eng = engine_gradients(model, X, Y, cost, output)
    L = len(eng.dW)
    expected: dict[str, Array] = {} if eng.dA_L is None else {f"dA{L}": eng.dA_L}
    for l in range(1, L + 1):
        expected[f"dZ{l}"] = eng.delta[l - 1]
        expected[f"dW{l}"] = eng.dW[l - 1]
        expected[f"db{l}"] = eng.db[l - 1]
    return expected


def _checked_returns(returned: object, expected: Mapping[str, Array]) -> list[tuple[str, Array]]:
    """The formula's ``(name, array)`` pairs, each name known and each shape right; at least one."""
    if not isinstance(returned, Mapping):
        raise TypeError(f"the formula must return a mapping of names to arrays, got {type(returned).__name__}")
    if not returned:
        raise ValueError(
            "the formula returned no gradients, so nothing can be checked; return at least one of: "
            + ", ".join(expected)
        )
    pairs = []
    for key, value in returned.items():
        if key not in expected:
            L = sum(1 for name in expected if name.startswith("dW"))
            why = (
                f" (dA{L} is not checked with a softmax output paired with cross-entropy: the engine's graph "
                f"takes the logits z^{L} and has no a^{L} node; return dZ{L} = (A^{L} - Y)/m)"
                if key == f"dA{L}"
                else ""
            )
            raise ValueError(f"the formula returned {key!r}; expected names among: {', '.join(expected)}{why}")
        try:
            got = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(f"the formula's {key} is not an array of numbers: {error}") from None
        if got.shape != expected[key].shape:
            raise ValueError(f"the formula's {key} has shape {got.shape}, expected {expected[key].shape}")
        pairs.append((key, got))
    return pairs


def _verdict(
    pairs: list[tuple[str, Array]], expected: Mapping[str, Array], m: int, convention: str, rtol: float, atol: float
) -> DerivationCheck:
    """The formula's arrays checked in order against ``expected`` (the engine's, in ``convention``)."""
    checked = []
    for key, got in pairs:
        want = expected[key]
        checked.append(key)
        bad = np.argwhere(~(np.abs(got - want) <= atol + rtol * np.abs(want)))
        if len(bad):
            index = tuple(int(i) for i in bad[0])
            dz_agreed = any(convention_dependent(k) for k in checked[:-1])
            note = explain_factor(key, got, want, m, convention, dz_agreed=dz_agreed, rtol=rtol, atol=atol)
            return DerivationCheck(
                False, key, index, float(want[index]), float(got[index]), checked, convention, note
            )
    return DerivationCheck(True, None, None, None, None, checked, convention)


def _auto(pairs: list[tuple[str, Array]], averaged: Mapping[str, Array], m: int, rtol: float, atol: float) -> DerivationCheck:
    """Both conventions tried: the one that agrees (``"either"`` if both do), else the one that got further."""
    first = _verdict(pairs, averaged, m, "averaged", rtol, atol)
    second = _verdict(pairs, expected_in("per_example", averaged, m), m, "per_example", rtol, atol)
    if first.ok and second.ok:
        first.convention = "either" if m == 1 or not any(convention_dependent(k) for k, _ in pairs) else "averaged"
        return first
    if second.ok or (not first.ok and len(second.checked) > len(first.checked)):
        return second
    return first


def check_derivation(
    formula: Callable[[Derivation], Mapping[str, object]],
    model: MLP,
    X: object,
    Y: object,
    cost: str,
    *,
    convention: str = "auto",
    rtol: float = 1e-9,
    atol: float = 1e-12,
    output_activation: str | None = None,
) -> DerivationCheck:
    r"""Check gradients computed by a hand-written formula against the engine.

    ``formula(d)`` receives a :class:`Derivation` (the batch's W, b, Z, A, Y)
    and returns a mapping from names to arrays, at least one of, for layers l = 1..L:

    * ``"dA{L}"``: ∂C/∂A^L, shape (n_L, m) (only the last layer; not for
      softmax with cross-entropy, whose graph takes the logits: there dZ{L}
      = (A^L − Y)/m is the first quantity);
    * ``"dZ{l}"``: δ^l = ∂C/∂Z^l, shape (n_l, m);
    * ``"dW{l}"``: ∂C/∂W^l, shape (n_l, n_{l-1});
    * ``"db{l}"``: ∂C/∂b^l, shape (n_l, 1).

    dA and dZ as the ``convention`` writes them: ``"averaged"``, the
    derivatives of the batch cost C (1/m inside), or ``"per_example"``, of
    each example's own loss L (m times as large; the 1/m then goes into dW
    and db). ``"auto"`` accepts either and reports which one it found.

    Each is compared entry by entry (row-major, keys in the order returned)
    with the engine's gradient of the true ``cost``; the first entry with
    |got - expected| > atol + rtol |expected| is reported (a NaN always is),
    with what a simple factor between the two arrays means, if there is one.
    In ``"auto"``, a formula right in neither convention is reported in the
    one in which more of its quantities agreed (the averaged one on a tie).

    For ``cost="cross_entropy"`` the output layer is a softmax over the model's
    linear output (its logits; ``d.A[L]`` holds the softmax, ``d.Y`` one-hot
    columns); ``output_activation="softmax"`` puts one under another cost.

    Raises:
        TypeError: ``model`` is not an ``nn.MLP``, or the formula returns no mapping.
        ValueError: A bad batch, cost or convention; the formula returns
            nothing, an unknown name, or an array of the wrong shape.
    """
    check_cost(cost)
    check_convention(convention)
    X, Y = check_batch(model, X, Y, "check_derivation", cost)
    net = network_for(model, cost, output_activation)
    fp = forward(net, X)
    m = X.shape[1]
    derivation = Derivation(net.Ws, net.bs, fp.Z, fp.A, Y, m, net.activations)
    averaged = _engine_quantities(model, X, Y, cost, output_activation)
    pairs = _checked_returns(formula(derivation), averaged)
    if convention == "auto":
        return _auto(pairs, averaged, m, rtol, atol)
    return _verdict(pairs, expected_in(convention, averaged, m), m, convention, rtol, atol)
