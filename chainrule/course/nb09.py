r"""The checks of notebook 09 (deep networks): δ layer by layer, and the gain of a ReLU layer.

9.1 ``deltas_by_hand(Ws, bs, x, y)``: the errors δ^1 … δ^L of a sigmoid network
    with the quadratic cost C = ½ ‖a^L - y‖² of one example, by BP1 then BP2
    backwards (a multi-step derivation written as code). The check calls it on
    networks it draws itself (fresh ones each time) and compares each δ^l,
    from the output back, with the equations

        δ^L = (a^L - y) ⊙ σ'(z^L),    δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l),

    so a slip is named at the layer where it starts.
9.2 ``gain(n, r)`` and ``r_for_gain_one(n)``: in a ReLU network with n neurons
    per layer and weights drawn from U(-r, r), E[(δ^l_j)²] ≈ g E[(δ^{l+1}_k)²]
    with g = n · r²/3 · ½ (n terms; Var U(-r, r) = r²/3; ReLU' is 1 on half the
    neurons), so g = n r²/6 and g = 1 at r = √(6/n), He's bound.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from chainrule.course.diagnose import ExerciseFailed, require
from chainrule.course.exercises import Namespace, exercise

Deltas = Callable[..., Any]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _deltas(Ws: list, bs: list, x: Any, y: Any, *, bp1_prime: bool = True, bp2_prime: bool = True,
            prime: Callable[[np.ndarray], np.ndarray] = _sigmoid_prime) -> list[np.ndarray]:
    """δ^1 … δ^L by the equations, with the switches that make the slips."""
    a = np.asarray(x, dtype=float).reshape(-1, 1)
    zs = []
    for W, b in zip(Ws, bs):
        zs.append(np.asarray(W, dtype=float) @ a + np.asarray(b, dtype=float).reshape(-1, 1))
        a = _sigmoid(zs[-1])
    delta = a - np.asarray(y, dtype=float).reshape(-1, 1)
    if bp1_prime:
        delta = delta * prime(zs[-1])
    deltas = [delta]
    for l in range(len(Ws) - 1, 0, -1):  # Ws[l] is W^{l+1}, zs[l-1] is z^l
        delta = np.asarray(Ws[l], dtype=float).T @ delta
        if bp2_prime:
            delta = delta * prime(zs[l - 1])
        deltas.append(delta)
    return deltas[::-1]


def _slipped(**switches: Any) -> Deltas:
    return lambda Ws, bs, x, y: _deltas(Ws, bs, x, y, **switches)


DELTA_SLIPS: dict[str, Deltas] = {
    "σ(z) where σ'(z) is due": _slipped(prime=_sigmoid),
    "BP2 without the factor σ'(z^l)": _slipped(bp2_prime=False),
    "BP1 without σ'(z^L) (that δ^L = a^L - y belongs to a sigmoid output with the cross-entropy)":
        _slipped(bp1_prime=False),
}


def _networks(ns: Namespace) -> list[tuple[list, list, np.ndarray, np.ndarray]]:
    """The notebook's own network and example, and networks drawn afresh (other sizes, other numbers)."""
    cases = []
    if all(k in ns for k in ("Ws", "bs", "x", "y")):
        cases.append((list(ns["Ws"]), list(ns["bs"]), np.asarray(ns["x"]), np.asarray(ns["y"])))
    rng = np.random.default_rng()
    for sizes in ([3, 4, 2, 2], [2, 5, 3, 4, 1], [4, 3, 3]):
        Ws = [rng.uniform(-1.5, 1.5, (n, k)) for k, n in itertools.pairwise(sizes)]
        bs = [rng.uniform(-0.5, 0.5, (n, 1)) for n in sizes[1:]]
        cases.append((Ws, bs, rng.uniform(-1, 1, (sizes[0], 1)), rng.uniform(0, 1, (sizes[-1], 1))))
    return cases


@exercise("9.1", answers=("deltas_by_hand",), slips={
    phrase: (lambda ns, slip=slip: {"deltas_by_hand": slip}) for phrase, slip in DELTA_SLIPS.items()
})
def _check_deltas(ns: Namespace) -> None:
    student = ns["deltas_by_hand"]
    if not callable(student):
        raise ExerciseFailed("deltas_by_hand must be a function deltas_by_hand(Ws, bs, x, y)")
    for Ws, bs, x, y in _networks(ns):
        got = student([W.copy() for W in Ws], [b.copy() for b in bs], x.copy(), y.copy())
        expected = _deltas(Ws, bs, x, y)
        L = len(expected)
        if isinstance(got, np.ndarray) or not hasattr(got, "__len__") or len(got) != L:
            raise ExerciseFailed(
                f"deltas_by_hand must return a list of L = {L} arrays [δ^1, ..., δ^L] for a network of "
                f"{L} layers (one δ^l per layer, δ^1 first)"
            )
        for l in range(L, 0, -1):  # from the output back: a slip is named where it starts
            slips = {phrase: slip(Ws, bs, x, y)[l - 1] for phrase, slip in DELTA_SLIPS.items()}
            equation = "BP1, δ^L = (a^L - y) ⊙ σ'(z^L)" if l == L else \
                f"BP2, δ^{l} = ((W^{l + 1})^T δ^{l + 1}) ⊙ σ'(z^{l})"
            require(f"δ^{l} (item {l - 1} of the list)", got[l - 1], expected[l - 1],
                    equation=equation, slips=slips)


def _gain(n: float, r: float) -> float:
    return n * r * r / 6.0


GAIN_SLIPS: dict[str, Callable[[float, float], float]] = {
    "the ReLU's ½ is missing (ReLU' is 0 on half of the neurons)": lambda n, r: n * r * r / 3.0,
    "Var U(-r, r) taken as r²: it is r²/3": lambda n, r: n * r * r / 2.0,
    "Var U(-r, r) taken as r²/12: the interval is 2r wide, so (2r)²/12 = r²/3": lambda n, r: n * r * r / 24.0,
    "one term where δ^l_j sums n of them (the n is missing)": lambda n, r: r * r / 6.0,
}

R_SLIPS: dict[str, Callable[[float], float]] = {
    "the ReLU's ½ is missing (that √(3/n) is Xavier's bound for n_in = n_out = n)": lambda n: math.sqrt(3.0 / n),
    "r² = 6/n solved as r = 6/n (the square root is missing)": lambda n: 6.0 / n,
}

_CASES = ((16, 1.0), (8, 0.5), (100, math.sqrt(0.06)), (3, 2.0))


@exercise("9.2", answers=("gain", "r_for_gain_one"), slips={
    **{phrase: (lambda ns, f=f: {"gain": f}) for phrase, f in GAIN_SLIPS.items()},
    **{phrase: (lambda ns, f=f: {"r_for_gain_one": f}) for phrase, f in R_SLIPS.items()},
})
def _check_gain(ns: Namespace) -> None:
    gain, r_for_gain_one = ns["gain"], ns["r_for_gain_one"]
    for name, f in (("gain", gain), ("r_for_gain_one", r_for_gain_one)):
        if not callable(f):
            raise ExerciseFailed(f"{name} must be a function")
    rng = np.random.default_rng()
    cases = [*_CASES, (int(rng.integers(2, 500)), float(rng.uniform(0.05, 3.0)))]
    for n, r in cases:
        slips = {phrase: f(n, r) for phrase, f in GAIN_SLIPS.items()}
        require(f"gain(n={n}, r)", gain(n, r), _gain(n, r),
                equation="g = n · Var(w) · ½ with Var U(-r, r) = r²/3", slips=slips)
    for n, _ in cases:
        slips = {phrase: f(n) for phrase, f in R_SLIPS.items()}
        require(f"r_for_gain_one({n})", r_for_gain_one(n), math.sqrt(6.0 / n),
                equation="g = n r²/6 = 1", slips=slips)


__all__ = ["DELTA_SLIPS", "GAIN_SLIPS", "R_SLIPS"]
