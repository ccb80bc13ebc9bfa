r"""The checks of notebook 05 (the four equations): each reference comes from the engine.

The exercise network of 5.1 and 5.2 is ``ex_model`` (3-4-4-2, sigmoid,
quadratic cost) with the batch ``Xe``, ``Ye``: W^2 is square, so W in place
of W^T and σ' of the neighbouring layer give answers of the right shape, and
the check names them.

* 5.1 ``dZ3``, ``dZ2``, ``dZ1``: BP1, then BP2 twice, against the engine's
  gradients of the recorded z (``engine_gradients(...).delta``);
* 5.2 ``dz2_dw2``, ``dW2``, ``db2``: BP4 and BP3 derived, the local derivative
  ∂z^2_j/∂w^2_jk of every example (the engine's gradient of z^2_1 with respect
  to w^2_1k, example by example), then the batch's ∂C/∂W^2 and ∂C/∂b^2;
* 5.3 ``derivation(d)``: a whole derivation in the per-example convention,
  called on the notebook's batch and on one drawn afresh, against the engine
  (dZ = m δ, dW and db as the engine gives them).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from chainrule.course.diagnose import ExerciseFailed, close, require
from chainrule.course.exercises import Namespace, exercise
from chainrule.course.nb03 import calls
from nn.analytic import Derivation, Network, engine_gradients, forward, random_batch

Array = np.ndarray


def slips_named(maker, prefixes: tuple[str, ...]) -> dict:
    """For :func:`exercise`: each prefix -> the answers of ``maker``'s slip whose description starts with it."""
    def answers(ns: Namespace, prefix: str) -> dict[str, Array]:
        return next(value for key, value in maker(ns).items() if key.startswith(prefix))
    return {prefix: (lambda ns, _p=prefix: answers(ns, _p)) for prefix in prefixes}


def _sigma(t: Array) -> Array:
    return 1 / (1 + np.exp(-t))


def _sigma_prime(t: Array) -> Array:
    return _sigma(t) * (1 - _sigma(t))


# ---- 5.1: BP1, then BP2 twice -------------------------------------------------------------

def _exercise_network(ns: Namespace) -> tuple[list[Array], list[Array], list[Array], Array, int, list[Array]]:
    """Ws, Z, A, Y, m of ``ex_model`` on ``Xe``, and the engine's δ^1, δ^2, δ^3."""
    model, X, Y = ns["ex_model"], np.asarray(ns["Xe"], dtype=float), np.asarray(ns["Ye"], dtype=float)
    net = Network.from_mlp(model)
    fp = forward(net, X)
    delta = engine_gradients(model, X, Y, "quadratic").delta
    return net.Ws, fp.Z, fp.A, Y, X.shape[1], delta


def _bp2_slips(ns: Namespace) -> dict[str, dict[str, Array]]:
    """Each slip's answers dZ3, dZ2, dZ1 (a slip in one layer carried into the layers below)."""
    Ws, Z, A, Y, m, delta = _exercise_network(ns)
    d3, d2, d1 = delta[2], delta[1], delta[0]
    return {
        "the 1/m of the averaged cost is missing": {"dZ3": m * d3, "dZ2": m * d2, "dZ1": m * d1},
        "(a^L - y)/m without the factor σ'(z^L) of BP1": {"dZ3": (A[3] - Y) / m},
        "σ(z) where σ'(z) is due": {"dZ2": (Ws[2].T @ d3) * _sigma(Z[1])},
        "σ' of the wrong layer (σ'(z^{l-1}) or σ'(z^{l+1}) where σ'(z^l) is due)": {
            "dZ2": (Ws[2].T @ d3) * _sigma_prime(Z[0]), "dZ1": (Ws[1].T @ d2) * _sigma_prime(Z[1])},
        "W^{l+1} where its transpose is due (δ^l_j sums w^{l+1}_kj over the receiving k)": {
            "dZ1": (Ws[1] @ d2) * _sigma_prime(Z[0])},
        "one term of the sum over k: only the path through neuron 1 of the layer above": {
            "dZ1": Ws[1][:1, :].T * d2[:1, :] * _sigma_prime(Z[0])},
    }


@exercise("5.1", answers=("dZ3", "dZ2", "dZ1"), slips=slips_named(_bp2_slips, (
        "the 1/m of the averaged cost is missing", "(a^L - y)/m without the factor σ'(z^L) of BP1",
        "σ(z) where σ'(z) is due", "σ' of the wrong layer",
        "W^{l+1} where its transpose is due", "one term of the sum over k"))
)
def _check_bp2(ns: Namespace) -> None:
    *_, m, delta = _exercise_network(ns)
    slips = _bp2_slips(ns)
    equations = {"dZ3": "BP1, δ^3 = (A^3 - Y)/m ⊙ σ'(Z^3)",
                 "dZ2": "BP2, δ^2 = ((W^3)^T δ^3) ⊙ σ'(Z^2)",
                 "dZ1": "BP2, δ^1 = ((W^2)^T δ^2) ⊙ σ'(Z^1)"}
    for name, reference in (("dZ3", delta[2]), ("dZ2", delta[1]), ("dZ1", delta[0])):
        require(name, ns[name], reference, equation=equations[name], m=m,
                slips={p: s[name] for p, s in slips.items() if name in s})


# ---- 5.2: BP3 and BP4 derived --------------------------------------------------------------

def _local_weight_derivatives(ns: Namespace) -> Array:
    """∂z^2_1/∂w^2_1k for each k (rows) and each example (columns), by backward() from z^2_1."""
    model, X = ns["ex_model"], np.asarray(ns["Xe"], dtype=float)
    columns = []
    for i in range(X.shape[1]):
        model(list(X[:, i]))
        neuron = model.layers[1].neurons[0]
        model.zero_grad()
        neuron.z.backward()
        columns.append([w.grad for w in neuron.w])
    model.zero_grad()
    return np.array(columns).T


def _bp4_slips(ns: Namespace) -> dict[str, dict[str, Array]]:
    Ws, _, A, _, m, delta = _exercise_network(ns)
    d2 = delta[1]
    return {
        "a^l where a^{l-1} is due (z^l_j reads the activations of the layer below)": {
            "dz2_dw2": A[2], "dW2": d2 @ A[2].T},
        "∂z/∂a^{l-1}_k = w^l_jk where ∂z/∂w^l_jk = a^{l-1}_k is due": {
            "dz2_dw2": np.repeat(Ws[1][:1, :].T, m, axis=1)},
        "transposed: A^{l-1} (δ^l)^T where δ^l (A^{l-1})^T is due (row j receives, column k sends)": {
            "dW2": A[1] @ d2.T},
        "one example's outer product, where the sum over the examples is due": {
            "dW2": d2[:, :1] @ A[1][:, :1].T, "db2": d2[:, :1]},
        "m times too small: the 1/m is applied twice": {"dW2": d2 @ A[1].T / m, "db2": d2.sum(axis=1, keepdims=True) / m},
    }


@exercise("5.2", answers=("dz2_dw2", "dW2", "db2"), slips=slips_named(_bp4_slips, (
        "a^l where a^{l-1} is due", "∂z/∂a^{l-1}_k = w^l_jk where ∂z/∂w^l_jk = a^{l-1}_k is due",
        "transposed: A^{l-1} (δ^l)^T", "one example's outer product", "m times too small: the 1/m is applied twice"))
)
def _check_bp4(ns: Namespace) -> None:
    *_, m, delta = _exercise_network(ns)
    if "dZ2" not in ns or not close(ns["dZ2"], delta[1]):
        raise ExerciseFailed("exercise 5.2 starts from dZ2 of exercise 5.1: make 5.1 right first")
    eng = engine_gradients(ns["ex_model"], np.asarray(ns["Xe"], dtype=float), np.asarray(ns["Ye"], dtype=float),
                           "quadratic")
    slips = _bp4_slips(ns)
    for name, reference, equation in (
        ("dz2_dw2", _local_weight_derivatives(ns), "∂z^2_j/∂w^2_jk of z^2_j = Σ_k w^2_jk a^1_k + b^2_j"),
        ("dW2", eng.dW[1], "BP4 over the batch, ∂C/∂W^2 = Σ_i δ^2_i (a^1_i)^T"),
        ("db2", eng.db[1], "BP3 over the batch, ∂C/∂b^2 = Σ_i δ^2_i"),
    ):
        require(name, ns[name], reference, equation=equation, m=m,
                slips={p: s[name] for p, s in slips.items() if name in s})


# ---- 5.3: a whole derivation, per example ---------------------------------------------------

KEYS = ("dZ2", "dW2", "db2", "dZ1", "dW1", "db1")


def _batches(ns: Namespace) -> list[tuple[Derivation, dict[str, Array]]]:
    """(d, the per-example reference) for the notebook's batch and for one of m = 3 drawn afresh."""
    model = ns["small"]
    net = Network.from_mlp(model)
    fresh = random_batch(model, m=3, cost="bce", seed=int(np.random.default_rng().integers(1_000_000)))
    fresh[1][0, :2] = [1.0, 0.0]  # both labels
    found = []
    for X, Y in ((np.asarray(ns["Xs"], dtype=float), np.asarray(ns["Ys"], dtype=float)), fresh):
        fp, m = forward(net, X), X.shape[1]
        eng = engine_gradients(model, X, Y, "bce")
        d = Derivation([W.copy() for W in net.Ws], [b.copy() for b in net.bs], fp.Z, fp.A, Y.copy(), m,
                       list(net.activations))
        reference = {"dZ2": m * eng.delta[1], "dW2": eng.dW[1], "db2": eng.db[1],
                     "dZ1": m * eng.delta[0], "dW1": eng.dW[0], "db1": eng.db[0]}
        found.append((d, reference))
    return found


def _derivation_slips(d: Derivation) -> dict[str, dict[str, Array]]:
    """Each slip's six quantities in the per-example convention, for the batch ``d``."""
    def rest(dZ2: Array, f_prime: Array, scale: float = 1.0) -> dict[str, Array]:
        dZ1 = (d.W[1].T @ dZ2) * f_prime
        return {"dZ2": dZ2, "dW2": scale * dZ2 @ d.A[1].T / d.m, "db2": scale * dZ2.sum(axis=1, keepdims=True) / d.m,
                "dZ1": dZ1, "dW1": scale * dZ1 @ d.A[0].T / d.m, "db1": scale * dZ1.sum(axis=1, keepdims=True) / d.m}

    tanh_prime = 1 - np.tanh(d.Z[0]) ** 2
    sig = _sigma(d.Z[1])
    return {
        "the averaged convention's 1/m in dZ (the per-example dZ is ∂ℓ_i/∂z, without it)": (
            rest((d.A[2] - d.Y) / d.m, tanh_prime)),
        "σ'(z^L) kept in δ^L, where it cancels against the cross-entropy's a(1 - a)": (
            rest((d.A[2] - d.Y) * sig * (1 - sig), tanh_prime)),
        "σ' where the hidden layer's tanh' is due": rest(d.A[2] - d.Y, _sigma_prime(d.Z[0])),
        "m times too large: the 1/m of the averaged cost is missing": rest(d.A[2] - d.Y, tanh_prime, scale=d.m),
    }


def _with_slip(phrase: str):
    def derivation(d: Derivation) -> dict[str, Array]:
        return _derivation_slips(d)[phrase]
    return derivation


@exercise("5.3", answers=("derivation",), slips={
    phrase: (lambda ns, _p=phrase: {"derivation": _with_slip(_p)}) for phrase in (
        "the averaged convention's 1/m in dZ (the per-example dZ is ∂ℓ_i/∂z, without it)",
        "σ'(z^L) kept in δ^L, where it cancels against the cross-entropy's a(1 - a)",
        "σ' where the hidden layer's tanh' is due",
        "m times too large: the 1/m of the averaged cost is missing")
})
def _check_derivation(ns: Namespace) -> None:
    equations = {"dZ2": "BP1 per example, dZ^2 = ∂ℓ/∂Z^2", "dZ1": "BP2, dZ^1 = ((W^2)^T dZ^2) ⊙ tanh'(Z^1)",
                 "dW2": "BP4 per example, dW^2 = (1/m) dZ^2 (A^1)^T", "db2": "BP3 per example, (1/m) Σ_i dZ^2_i",
                 "dW1": "BP4 per example, dW^1 = (1/m) dZ^1 (A^0)^T", "db1": "BP3 per example, (1/m) Σ_i dZ^1_i"}
    for d, reference in _batches(ns):
        got = calls("derivation(d)", ns["derivation"], d)
        if not isinstance(got, Mapping):
            raise ExerciseFailed("derivation(d) returns a dict: {'dZ2': ..., 'dW2': ..., ...}")
        missing = [key for key in KEYS if key not in got]
        if missing:
            raise ExerciseFailed(f"derivation(d) must return all six quantities; {', '.join(missing)} is missing")
        slips = _derivation_slips(d)
        for key in KEYS:
            require(f"derivation(d)[{key!r}]", got[key], reference[key], equation=equations[key], m=d.m,
                    slips={p: s[key] for p, s in slips.items()})
