r"""The four equations of backpropagation, vectorized, side by side with the scalar engine.

This is the one module of ``nn`` that uses NumPy. Notation and conventions are
those of CURRICULUM.md:

* Layers l = 1..L; layer 0 is the input. ``W^l`` has shape (n_l, n_{l-1}):
  row j = receiving neuron, column k = sending neuron, so ``W[j, k]`` is
  w^l_jk, the weight from neuron k of layer l-1 to neuron j of layer l.
  ``b^l`` has shape (n_l, 1).
* A batch has ONE EXAMPLE PER COLUMN: ``X`` is (n_0, m), ``Y`` is (n_L, m),
  ``Z^l = W^l A^{l-1} + b^l`` is (n_l, m), ``b^l`` broadcast across the
  columns. (Data sets and ``nn.fit`` store one example per row: transpose at
  the boundary, ``X = np.array(rows).T``.)
* Python lists are 0-based: ``Ws[0]`` is W^1, ``Z[0]`` is Z^1, but ``A[0]``
  is A^0 = X, so ``A[l]`` is A^l and ``Z[l - 1]`` is Z^l.

The equations (δ^l = dZ^l = ∂C/∂Z^l, the batch's 1/m inside it):

    BP1  δ^L = ∇_A C ⊙ f_L'(Z^L)       (for sigmoid + binary cross-entropy: (A^L - Y)/m)
    BP2  δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f_l'(Z^l)
    BP3  ∂C/∂b^l = row sums of δ^l     shape (n_l, 1)
    BP4  ∂C/∂W^l = δ^l (A^{l-1})^T     shape (n_l, n_{l-1})

Costs (C over a batch of m examples, n_L outputs each):

    quadratic  C = 1/(2m) Σ ||y - a^L||^2        ∇_A C = (A^L - Y)/m
    mse        C = 1/(m n_L) Σ (y - ŷ)^2         ∇_A C = 2 (A^L - Y)/(m n_L)   (PyTorch's MSELoss)
    bce        C = -1/m Σ [y log ŷ + (1-y) log(1-ŷ)], ŷ = σ(z^L)
               ∇_A C = (A^L - Y)/(A^L (1 - A^L))/m, and δ^L = (A^L - Y)/m

:func:`compare` runs the scalar engine (a ``Value`` graph of the same model
and ``backward()``) beside these equations and beside central finite
differences; :func:`check_derivation` checks a gradient formula written by
hand against the engine, pointing at the first entry that disagrees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from autograd import Value
from nn.layers import MLP
from nn.losses import binary_cross_entropy, mean_squared_error, quadratic_cost

Array = np.ndarray

# -- activations: f and f' on arrays ----------------------------------------------


def _sigmoid(z: Array) -> Array:
    # NOTE: numerical stability: only ever exponentiate non-positive numbers.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),  # f'(0) = 0
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "swish": (
        lambda z: z * _sigmoid(z),
        lambda z: _sigmoid(z) + z * _sigmoid(z) * (1.0 - _sigmoid(z)),
    ),
}
"""Activation name -> (f, f'), vectorized; the names of ``nn.activations``."""

COSTS = ("quadratic", "mse", "bce")
"""Costs the analytic equations implement (see the module docstring)."""


def cost_value(cost: str, A_L: Array, Y: Array) -> float:
    r"""C for the batch: quadratic 1/(2m) Σ||y - a||^2, mse 1/(m n_L) Σ (y - ŷ)^2, or bce."""
    m = A_L.shape[1]
    if cost == "quadratic":
        return float(np.sum((A_L - Y) ** 2) / (2 * m))
    if cost == "mse":
        return float(np.mean((A_L - Y) ** 2))
    if cost == "bce":
        return float(-np.sum(Y * np.log(A_L) + (1 - Y) * np.log(1 - A_L)) / m)
    raise ValueError(f"unknown cost {cost!r}; expected one of: {', '.join(COSTS)}")


def cost_gradient(cost: str, A_L: Array, Y: Array) -> Array:
    r"""∇_A C, the gradient of the batch cost with respect to the output activations A^L."""
    m = A_L.shape[1]
    if cost == "quadratic":
        return (A_L - Y) / m
    if cost == "mse":
        return 2.0 * (A_L - Y) / A_L.size
    if cost == "bce":
        return (A_L - Y) / (A_L * (1.0 - A_L)) / m
    raise ValueError(f"unknown cost {cost!r}; expected one of: {', '.join(COSTS)}")


# -- the network as matrices ----------------------------------------------------


@dataclass
class Network:
    r"""An MLP as matrices: ``Ws[l-1]`` = W^l (n_l, n_{l-1}), ``bs[l-1]`` = b^l (n_l, 1).

    Attributes:
        Ws: Weight matrices, w_jk from neuron k (layer l-1) to neuron j (layer l).
        bs: Bias columns (zeros for a model without biases).
        activations: The activation name of each layer l = 1..L.
        has_bias: Whether the model has biases (whose gradients are then reported).
    """

    Ws: list[Array]
    bs: list[Array]
    activations: list[str]
    has_bias: bool = True

    @classmethod
    def from_mlp(cls, model: MLP) -> Network:
        """The matrices of an ``nn.MLP``: ``W[j, k]`` = ``layers[l-1].neurons[j].w[k]``."""
        if not isinstance(model, MLP):
            raise TypeError(f"expected an nn.MLP, got {type(model).__name__}")
        names = [layer.activation for layer in model.layers]
        for l, name in enumerate(names, start=1):
            if name not in ACTIVATIONS:
                raise ValueError(
                    f"layer {l} has activation {name!r}, which the analytic equations do not "
                    f"know; expected one of: {', '.join(ACTIVATIONS)}"
                )
        Ws = [np.array([[w.data for w in row] for row in layer.W]) for layer in model.layers]
        bs = [
            np.array([[0.0 if b is None else b.data] for b in layer.b]) for layer in model.layers
        ]
        return cls(Ws, bs, names, has_bias=model.bias)


@dataclass
class ForwardPass:
    r"""Every Z^l and A^l of one batch: ``Z[l-1]`` = Z^l, ``A[l]`` = A^l, ``A[0]`` = X."""

    Z: list[Array]
    A: list[Array]


@dataclass
class LayerGradients:
    r"""BP results for one layer l: δ^l (n_l, m), ∂C/∂W^l (n_l, n_{l-1}), ∂C/∂b^l (n_l, 1)."""

    delta: Array
    dW: Array
    db: Array


def forward(net: Network, X: Array) -> ForwardPass:
    r"""Forward propagation: Z^l = W^l A^{l-1} + b^l, A^l = f_l(Z^l), A^0 = X (columns = examples)."""
    Z: list[Array] = []
    A: list[Array] = [X]
    for W, b, name in zip(net.Ws, net.bs, net.activations):
        Z.append(W @ A[-1] + b)  # b (n_l, 1) broadcast across the m columns
        A.append(ACTIVATIONS[name][0](Z[-1]))
    return ForwardPass(Z, A)


def backpropagate(net: Network, X: Array, Y: Array, cost: str) -> tuple[ForwardPass, list[LayerGradients]]:
    r"""The backpropagation algorithm: forward pass, BP1, BP2 backwards, BP3 and BP4.

    Returns:
        The forward pass and, per layer l = 1..L (list index l-1), δ^l, ∂C/∂W^l, ∂C/∂b^l.
    """
    fp = forward(net, X)
    L = len(net.Ws)
    derivative = [ACTIVATIONS[name][1] for name in net.activations]
    if cost == "bce":
        _require_sigmoid_output(net)
        delta = (fp.A[L] - Y) / X.shape[1]  # BP1, with σ' folded in: (A^L - Y)/m
    else:
        delta = cost_gradient(cost, fp.A[L], Y) * derivative[L - 1](fp.Z[L - 1])  # BP1
    grads: list[LayerGradients] = [None] * L  # type: ignore[list-item]
    for l in range(L, 0, -1):  # l is the curriculum's layer number
        dW = delta @ fp.A[l - 1].T  # BP4: δ^l (A^{l-1})^T
        db = delta.sum(axis=1, keepdims=True)  # BP3: row sums of δ^l
        grads[l - 1] = LayerGradients(delta, dW, db)
        if l > 1:
            delta = (net.Ws[l - 1].T @ delta) * derivative[l - 2](fp.Z[l - 2])  # BP2
    return fp, grads


def per_example_weight_gradients(fp: ForwardPass, grads: list[LayerGradients]) -> list[Array]:
    r"""Σ_i δ^l_i (a^{l-1}_i)^T: BP4 one example at a time, summed over the batch.

    Each example's δ^l_i is column i of the batch's δ^l (whose 1/m is already
    inside), and the outer product with that example's a^{l-1}_i is its share of
    ∂C/∂W^l; their sum equals the vectorized δ^l (A^{l-1})^T.

    Args:
        fp: The forward pass returned by :func:`backpropagate`.
        grads: The per-layer gradients returned with it.
    """
    sums = []
    for l, g in enumerate(grads, start=1):
        total = np.zeros_like(g.dW)
        for i in range(g.delta.shape[1]):
            total += np.outer(g.delta[:, i], fp.A[l - 1][:, i])
        sums.append(total)
    return sums


def _require_sigmoid_output(net: Network) -> None:
    if net.activations[-1] != "sigmoid":
        raise ValueError(
            f"cost 'bce' needs a sigmoid output layer (probabilities), got {net.activations[-1]!r}"
        )


# -- the scalar engine on the same batch -----------------------------------------


@dataclass
class EngineGradients:
    r"""What ``backward()`` through a ``Value`` graph gives, arranged as the analytic results.

    ``delta[l-1][j, i]`` is the gradient of neuron j's recorded pre-activation
    z in layer l for example i; ``dA_L`` is ∂C/∂A^L from the output nodes.
    """

    cost: float
    A_L: Array
    dA_L: Array
    delta: list[Array]
    dW: list[Array]
    db: list[Array]


def engine_gradients(model: MLP, X: Array, Y: Array, cost: str) -> EngineGradients:
    """Run the model on each column of ``X`` as Values, build the cost with ``nn.losses``, backward."""
    X, Y = _check_batch(model, X, Y)
    if cost not in COSTS:
        raise ValueError(f"unknown cost {cost!r}; expected one of: {', '.join(COSTS)}")
    m = X.shape[1]
    outputs: list[list[Value]] = []
    zs: list[list[list[Value]]] = []  # zs[i][l-1][j]: z of neuron j, layer l, example i
    for i in range(m):
        outputs.append(model.forward([float(v) for v in X[:, i]]))
        zs.append([[n.z for n in layer.neurons if n.z is not None] for layer in model.layers])
    model.zero_grad()
    n_L = Y.shape[0]
    if cost == "bce":
        if n_L != 1:
            raise ValueError(f"cost 'bce' needs one output per example, the model has {n_L}")
        C = binary_cross_entropy([out[0] for out in outputs], [float(y) for y in Y[0]])
    else:
        targets = [[float(y) for y in Y[:, i]] for i in range(m)]
        C = quadratic_cost(outputs, targets) if cost == "quadratic" else mean_squared_error(outputs, targets)
    C.backward()
    L = len(model.layers)
    delta = [
        np.array([[zs[i][l][j].grad for i in range(m)] for j in range(len(zs[0][l]))]) for l in range(L)
    ]
    dW = [np.array([[w.grad for w in row] for row in layer.W]) for layer in model.layers]
    db = [np.array([[0.0 if b is None else b.grad] for b in layer.b]) for layer in model.layers]
    A_L = np.array([[out[j].data for out in outputs] for j in range(n_L)])
    dA_L = np.array([[out[j].grad for out in outputs] for j in range(n_L)])
    return EngineGradients(C.data, A_L, dA_L, delta, dW, db)


def _check_batch(model: MLP, X: object, Y: object) -> tuple[Array, Array]:
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y.reshape(1, -1)
    if X.ndim != 2 or X.shape[0] != model.nin:
        raise ValueError(
            f"X must have shape (n_0, m) = ({model.nin}, m), one example per COLUMN; got "
            f"{X.shape}" + (" (one example per row? pass X.T)" if X.ndim == 2 and X.shape[1] == model.nin else "")
        )
    n_L = model.sizes[-1]
    if Y.shape != (n_L, X.shape[1]):
        raise ValueError(f"Y must have shape (n_L, m) = ({n_L}, {X.shape[1]}), got {Y.shape}")
    return X, Y


# -- the comparison report ----------------------------------------------------------


def finite_difference_gradients(net: Network, X: Array, Y: Array, cost: str, eps: float = 1e-6) -> tuple[list[Array], list[Array]]:
    r"""∂C/∂W^l and ∂C/∂b^l by central differences (C(θ + ε) - C(θ - ε)) / 2ε, one entry at a time."""
    def C() -> float:
        return cost_value(cost, forward(net, X).A[-1], Y)

    results = []
    for arrays in (net.Ws, net.bs):
        grads = []
        for M in arrays:
            G = np.zeros_like(M)
            for index in np.ndindex(M.shape):
                saved = M[index]
                M[index] = saved + eps
                up = C()
                M[index] = saved - eps
                down = C()
                M[index] = saved
                G[index] = (up - down) / (2 * eps)
            grads.append(G)
        results.append(grads)
    return results[0], results[1]


@dataclass
class Row:
    """One line of the report: a quantity of one layer, engine beside analytic (and finite differences)."""

    layer: int
    quantity: str
    max_abs: float
    max_rel: float
    fd_max_abs: float | None
    ok: bool


KINKED = ("relu", "leaky_relu")
"""Activations whose derivative jumps at z = 0, where a central difference is no derivative."""


def _at_kink(net: Network, fp: ForwardPass, eps: float) -> bool:
    r"""True when a step of ``eps`` in one parameter can carry a pre-activation of a
    kinked layer across 0: |z^l| <= 10 eps (1 + max|a^{l-1}|) (10: room for the
    change in a^{l-1} itself)."""
    return any(
        name in KINKED and bool(np.any(np.abs(Z) <= 10 * eps * (1 + np.max(np.abs(A_prev)))))
        for name, Z, A_prev in zip(net.activations, fp.Z, fp.A)
    )


def _relative(a: Array, b: Array) -> tuple[float, float]:
    """(max |a - b|, max |a - b| / max |b|): the error relative to the quantity's scale."""
    diff = float(np.max(np.abs(a - b))) if a.size else 0.0
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    return diff, (diff / scale if scale > 0 else diff)


@dataclass
class Comparison:
    r"""The engine's gradients beside the analytic equations (BP1-BP4) and finite differences.

    Attributes:
        rows: Per layer and quantity (delta, dC/dW, dC/db): the largest absolute
            difference, the largest difference relative to the quantity's largest
            magnitude, the same for finite differences against the engine, and a verdict.
        ok: True when engine and equations agree within ``rtol`` everywhere, the
            forward passes agree, and finite differences agree within
            ``fd_atol + fd_rtol * max|gradient|`` (unless ``fd_at_kink``).
        fd_at_kink: Some pre-activation of a ReLU-type layer is within a step of
            its kink, where central differences do not estimate the derivative;
            finite differences are then shown but left out of the verdict.
        cost: C from the engine; ``cost_analytic`` from the equations' forward pass.
        per_example_max_abs: max |Σ_i δ_i a_i^T - δ (A)^T| over layers (BP4 per example vs batch).
    """

    cost_name: str
    m: int
    rows: list[Row]
    cost: float
    cost_analytic: float
    forward_max_abs: float
    per_example_max_abs: float
    rtol: float
    fd_rtol: float
    fd_atol: float
    fd_at_kink: bool
    ok: bool
    analytic: list[LayerGradients] = field(repr=False)
    engine: EngineGradients = field(repr=False)

    def __str__(self) -> str:
        lines = [
            f"cost {self.cost_name}, batch m = {self.m}: C engine = {self.cost:.12g}, "
            f"C equations = {self.cost_analytic:.12g}; forward passes differ by at most {self.forward_max_abs:.1e}",
            f"{'layer':>5}  {'quantity':<8} {'max |engine - BP|':>18} {'relative':>10} "
            f"{'max |engine - FD|':>18}  verdict",
        ]
        for r in self.rows:
            fd = "" if r.fd_max_abs is None else f"{r.fd_max_abs:.1e}"
            lines.append(
                f"{r.layer:>5}  {r.quantity:<8} {r.max_abs:>18.1e} {r.max_rel:>10.1e} {fd:>18}  "
                + ("agree" if r.ok else "MISMATCH")
            )
        lines.append(
            f"BP4 per example, summed over the batch, vs vectorized dW: max difference {self.per_example_max_abs:.1e}"
        )
        if self.fd_at_kink:
            lines.append(
                "finite differences left out of the verdict: a ReLU-type pre-activation is within a "
                "step of its kink at 0, where a central difference is not the derivative"
            )
        if not self.ok:
            lines.append("MISMATCH: see the rows marked above")
        elif self.fd_at_kink or all(r.fd_max_abs is None for r in self.rows):
            lines.append(f"engine and equations agree (within {self.rtol:g} relative)")
        else:
            lines.append(
                f"all three agree: engine and equations within {self.rtol:g} relative, "
                f"finite differences within {self.fd_atol:g} + {self.fd_rtol:g} x max|gradient|"
            )
        return "\n".join(lines)


def compare(
    model: MLP,
    X: object,
    Y: object,
    cost: str = "quadratic",
    *,
    rtol: float = 1e-12,
    fd_rtol: float = 1e-6,
    fd_atol: float = 1e-8,
    finite_differences: bool = True,
    analytic: list[LayerGradients] | None = None,
) -> Comparison:
    r"""Compare the scalar engine with the four equations (and finite differences) on one batch.

    Args:
        model: An ``nn.MLP`` whose layers use named activations.
        X: Inputs, shape (n_0, m): ONE EXAMPLE PER COLUMN.
        Y: Targets, shape (n_L, m) (a 1-D array of m targets for one output).
        cost: ``"quadratic"`` (1/(2m)), ``"mse"`` (1/(m n_L)) or ``"bce"`` (sigmoid output).
        rtol: Tolerance of engine vs equations, relative to each quantity's largest entry.
        fd_rtol: Tolerance of central finite differences vs the engine, relative to
            each quantity's largest entry (their error is O(eps^2) plus rounding).
        fd_atol: Absolute tolerance added to it (rounding in C, divided by 2 eps).
        finite_differences: Whether to run the (slow, 2 forward passes per parameter) third method.
        analytic: Gradients to use instead of :func:`backpropagate`'s (to test the tolerance).

    Returns:
        A :class:`Comparison`; ``print`` it for the table.
    """
    if cost not in COSTS:
        raise ValueError(f"unknown cost {cost!r}; expected one of: {', '.join(COSTS)}")
    X, Y = _check_batch(model, X, Y)
    net = Network.from_mlp(model)
    fp, computed = backpropagate(net, X, Y, cost)
    grads = computed if analytic is None else analytic
    eng = engine_gradients(model, X, Y, cost)
    fd_W, fd_b = finite_difference_gradients(net, X, Y, cost) if finite_differences else (None, None)
    at_kink = finite_differences and _at_kink(net, fp, 1e-6)

    rows = []
    for l, g in enumerate(grads, start=1):
        quantities = [("delta", eng.delta[l - 1], g.delta, None), ("dC/dW", eng.dW[l - 1], g.dW, fd_W)]
        if net.has_bias:
            quantities.append(("dC/db", eng.db[l - 1], g.db, fd_b))
        for name, engine_value, analytic_value, fd in quantities:
            max_abs, max_rel = _relative(engine_value, analytic_value)
            fd_abs = None if fd is None else _relative(fd[l - 1], engine_value)[0]
            fd_ok = (
                fd_abs is None
                or at_kink
                or fd_abs <= fd_atol + fd_rtol * float(np.max(np.abs(engine_value)))
            )
            rows.append(Row(l, name, max_abs, max_rel, fd_abs, max_rel <= rtol and fd_ok))
    per_example = per_example_weight_gradients(fp, computed)
    per_example_max = max(float(np.max(np.abs(s - g.dW))) for s, g in zip(per_example, computed))
    forward_max = float(np.max(np.abs(eng.A_L - fp.A[-1])))
    C_analytic = cost_value(cost, fp.A[-1], Y)
    ok = (
        all(r.ok for r in rows)
        and forward_max <= rtol * max(1.0, float(np.max(np.abs(fp.A[-1]))))
        and abs(eng.cost - C_analytic) <= rtol * max(1.0, abs(C_analytic))
    )
    return Comparison(cost, X.shape[1], rows, eng.cost, C_analytic, forward_max, per_example_max,
                      rtol, fd_rtol, fd_atol, at_kink, ok, grads, eng)


# -- checking a derivation written by hand ---------------------------------------------


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
        checked: The keys checked, in order.
    """

    ok: bool
    key: str | None
    index: tuple[int, ...] | None
    expected: float | None
    got: float | None
    checked: list[str]

    def __str__(self) -> str:
        if self.ok:
            return f"the formula agrees with the engine on {', '.join(self.checked)}"
        return (
            f"the formula disagrees with the engine first at {self.key}{list(self.index or ())}: "
            f"engine {self.expected!r}, formula {self.got!r} "
            f"(difference {abs((self.got or 0.0) - (self.expected or 0.0)):.3g})"
        )


def check_derivation(
    formula: Callable[[Derivation], Mapping[str, object]],
    model: MLP,
    X: object,
    Y: object,
    cost: str,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> DerivationCheck:
    r"""Check gradients computed by a hand-written formula against the engine.

    ``formula(d)`` receives a :class:`Derivation` (the batch's W, b, Z, A, Y)
    and returns a mapping from names to arrays, any of, for layers l = 1..L:

    * ``"dA{L}"``: ∂C/∂A^L, shape (n_L, m) (only the last layer);
    * ``"dZ{l}"``: δ^l = ∂C/∂Z^l, shape (n_l, m);
    * ``"dW{l}"``: ∂C/∂W^l, shape (n_l, n_{l-1});
    * ``"db{l}"``: ∂C/∂b^l, shape (n_l, 1).

    Each is compared entry by entry (row-major, keys in the order returned)
    with the engine's gradient of the true ``cost``; the first entry with
    |got - expected| > atol + rtol |expected| is reported.
    """
    X, Y = _check_batch(model, X, Y)
    net = Network.from_mlp(model)
    fp = forward(net, X)
    derivation = Derivation(net.Ws, net.bs, fp.Z, fp.A, Y, X.shape[1], net.activations)
    eng = engine_gradients(model, X, Y, cost)
    L = len(net.Ws)
    expected: dict[str, Array] = {f"dA{L}": eng.dA_L}
    for l in range(1, L + 1):
        expected[f"dZ{l}"] = eng.delta[l - 1]
        expected[f"dW{l}"] = eng.dW[l - 1]
        expected[f"db{l}"] = eng.db[l - 1]
    returned = formula(derivation)
    if not isinstance(returned, Mapping):
        raise TypeError(f"the formula must return a mapping of names to arrays, got {type(returned).__name__}")
    checked = []
    for key, value in returned.items():
        if key not in expected:
            raise ValueError(f"the formula returned {key!r}; expected names among: {', '.join(expected)}")
        got = np.asarray(value, dtype=float)
        want = expected[key]
        if got.shape != want.shape:
            raise ValueError(f"the formula's {key} has shape {got.shape}, expected {want.shape}")
        checked.append(key)
        bad = np.argwhere(~(np.abs(got - want) <= atol + rtol * np.abs(want)))
        if len(bad):
            index = tuple(int(i) for i in bad[0])
            return DerivationCheck(False, key, index, float(want[index]), float(got[index]), checked)
    return DerivationCheck(True, None, None, None, None, checked)


def random_batch(model: MLP, m: int, cost: str, seed: int = 0) -> tuple[Array, Array]:
    """A seeded batch for ``model``: X ~ N(0, 1) of shape (n_0, m); Y in {0, 1} for bce, else U(0, 1)."""
    if m < 1:
        raise ValueError(f"batch size must be >= 1, got {m}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((model.nin, m))
    n_L = model.sizes[-1]
    Y = rng.integers(0, 2, (n_L, m)).astype(float) if cost == "bce" else rng.uniform(0, 1, (n_L, m))
    return X, Y


__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "Comparison",
    "Derivation",
    "DerivationCheck",
    "EngineGradients",
    "ForwardPass",
    "LayerGradients",
    "Network",
    "backpropagate",
    "check_derivation",
    "compare",
    "cost_gradient",
    "cost_value",
    "engine_gradients",
    "finite_difference_gradients",
    "forward",
    "per_example_weight_gradients",
    "random_batch",
]
