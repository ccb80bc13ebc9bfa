r"""Three ways to the same gradients, compared: the engine, the four equations, finite differences.

On one batch (one example per column), :func:`compare` computes ∂C/∂W^l,
∂C/∂b^l and the errors δ^l

1. with the scalar engine: a ``Value`` graph of the model and ``backward()``
   (:func:`nn.analytic.engine.engine_gradients`);
2. with the equations of backpropagation, vectorized
   (:func:`nn.analytic.equations.backpropagate`):

       BP1  δ^L = ∇_a C ⊙ f'(z^L)
       BP2  δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f'(z^l)
       BP3  ∂C/∂b^l_j = δ^l_j
       BP4  ∂C/∂w^l_jk = a^{l-1}_k δ^l_j

3. with central finite differences, (C(θ + ε) - C(θ - ε)) / 2ε for every
   parameter θ, which knows neither the chain rule nor the equations.

The report (:class:`Comparison`, printed as a table) gives, per layer and
quantity, the largest difference between the engine and the equations and
between the engine and finite differences, and a verdict. Where a ReLU-type
pre-activation lies within a step ε of its kink at 0, a central difference
straddles the kink and is no derivative: finite differences are then shown but
left out of the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nn.analytic.batch import check_batch
from nn.analytic.conventions import DESCRIPTIONS
from nn.analytic.engine import EngineGradients, engine_gradients
from nn.analytic.equations import (
    ForwardPass,
    LayerGradients,
    Network,
    backpropagate,
    check_cost,
    cost_value,
    forward,
    network_for,
    per_example_weight_gradients,
)
from nn.layers import MLP
from nn.softmax import array_activation

Array = np.ndarray

FD_STEP = 1e-6
"""The step ε of the central differences."""


def finite_difference_gradients(
    net: Network, X: Array, Y: Array, cost: str, eps: float = FD_STEP
) -> tuple[list[Array], list[Array]]:
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


def _at_kink(net: Network, fp: ForwardPass, eps: float) -> bool:
    r"""True when a step of ``eps`` in one parameter can carry a pre-activation of a
    kinked layer across 0: |z^l| <= 10 eps (1 + max|a^{l-1}|) (10: room for the
    change in a^{l-1} itself)."""
    return any(
        array_activation(name).kink and bool(np.any(np.abs(Z) <= 10 * eps * (1 + np.max(np.abs(A_prev)))))
        for name, Z, A_prev in zip(net.activations, fp.Z, fp.A)
    )


def _relative(a: Array, b: Array) -> tuple[float, float]:
    """(max |a - b|, max |a - b| / max |b|): the error relative to the quantity's scale."""
    diff = float(np.max(np.abs(a - b))) if a.size else 0.0
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    return diff, (diff / scale if scale > 0 else diff)


@dataclass
class Row:
    """One line of the report: a quantity of one layer, engine beside analytic (and finite differences)."""

    layer: int
    quantity: str
    max_abs: float
    max_rel: float
    fd_max_abs: float | None
    ok: bool


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
        convention: ``"averaged"``: the delta rows are δ^l = ∂C/∂Z^l (1/m inside);
            ``"per_example"``: they are dZ^l = ∂ℓ/∂Z^l = m δ^l (see
            :mod:`nn.analytic.conventions`). ∂C/∂W and ∂C/∂b are the same in both.
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
    convention: str = "averaged"

    def __str__(self) -> str:
        lines = [
            f"cost {self.cost_name}, batch m = {self.m}: C engine = {self.cost:.12g}, "
            f"C equations = {self.cost_analytic:.12g}; forward passes differ by at most {self.forward_max_abs:.1e}",
            f"{'layer':>5}  {'quantity':<8} {'max |engine - BP|':>18} {'relative':>10} "
            f"{'max |engine - FD|':>18}  verdict",
        ]
        if self.convention == "per_example":
            lines.insert(1, f"delta rows: dZ = ∂ℓ/∂Z per example, m = {self.m} times ∂C/∂Z ({DESCRIPTIONS['per_example']})")
        for r in self.rows:
            fd = "" if r.fd_max_abs is None else f"{r.fd_max_abs:.1e}"
            lines.append(
                f"{r.layer:>5}  {r.quantity:<8} {r.max_abs:>18.1e} {r.max_rel:>10.1e} {fd:>18}  "
                + ("agree" if r.ok else "MISMATCH")
            )
        lines.append(
            f"BP4 per example, summed over the batch, vs vectorized dW: max difference {self.per_example_max_abs:.1e}"
        )
        lines.extend(self._verdict())
        return "\n".join(lines)

    def _verdict(self) -> list[str]:
        lines = []
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
        return lines


@dataclass
class _Tolerances:
    rtol: float
    fd_rtol: float
    fd_atol: float
    dz_scale: float = 1.0  # m in the per-example convention: the delta rows show ∂ℓ/∂Z = m ∂C/∂Z


def _rows(
    net: Network,
    grads: list[LayerGradients],
    eng: EngineGradients,
    fd: tuple[list[Array], list[Array]] | None,
    at_kink: bool,
    tol: _Tolerances,
) -> list[Row]:
    """One :class:`Row` per layer and quantity: δ^l, ∂C/∂W^l and (with biases) ∂C/∂b^l."""
    fd_W, fd_b = fd if fd is not None else (None, None)
    rows = []
    for l, g in enumerate(grads, start=1):
        scale = tol.dz_scale
        quantities = [
            ("delta", eng.delta[l - 1] * scale, g.delta * scale, None),
            ("dC/dW", eng.dW[l - 1], g.dW, fd_W),
        ]
        if net.has_bias:
            quantities.append(("dC/db", eng.db[l - 1], g.db, fd_b))
        for name, engine_value, analytic_value, fd_values in quantities:
            max_abs, max_rel = _relative(engine_value, analytic_value)
            fd_abs = None if fd_values is None else _relative(fd_values[l - 1], engine_value)[0]
            fd_ok = (
                fd_abs is None
                or at_kink
                or fd_abs <= tol.fd_atol + tol.fd_rtol * float(np.max(np.abs(engine_value)))
            )
            rows.append(Row(l, name, max_abs, max_rel, fd_abs, max_rel <= tol.rtol and fd_ok))
    return rows


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
    convention: str = "averaged",
    output_activation: str | None = None,
) -> Comparison:
    r"""Compare the scalar engine with the four equations (and finite differences) on one batch.

    Args:
        model: An ``nn.MLP`` whose layers use named activations.
        X: Inputs, shape (n_0, m): ONE EXAMPLE PER COLUMN, every entry finite.
        Y: Targets, shape (n_L, m) (a 1-D array of m targets for one output;
            for cross_entropy one-hot columns, or a vector of the m class indices).
        cost: A cost of :data:`nn.costs.COSTS` with an array form: ``"quadratic"``
            (1/(2m)), ``"mse"`` (1/(m n_L)), ``"bce"`` (sigmoid output) or
            ``"cross_entropy"`` (softmax output over the model's linear output,
            the logits; one output per class), or one registered.
        rtol: Tolerance of engine vs equations, relative to each quantity's largest entry.
        fd_rtol: Tolerance of central finite differences vs the engine, relative to
            each quantity's largest entry (their error is O(eps^2) plus rounding).
        fd_atol: Absolute tolerance added to it (rounding in C, divided by 2 eps).
        finite_differences: Whether to run the (slow, 2 forward passes per parameter) third method.
        analytic: Gradients to use instead of :func:`backpropagate`'s (to test the tolerance).
        convention: How the delta rows are written: ``"averaged"``, δ^l = ∂C/∂Z^l,
            or ``"per_example"``, dZ^l = ∂ℓ/∂Z^l = m δ^l (:mod:`nn.analytic.conventions`).
        output_activation: ``"softmax"`` over the model's linear output for a cost
            that does not bring it (the quadratic cost on a softmax output: BP1
            goes through the softmax's Jacobian); None: the cost's or the model's.

    Returns:
        A :class:`Comparison`; ``print`` it for the table.

    Raises:
        TypeError: ``model`` is not an ``nn.MLP``.
        ValueError: An unknown cost, a batch of the wrong shape, a NaN or
            infinite entry in ``X`` or ``Y`` (named with its position), or an
            activation the equations do not know.
    """
    check_cost(cost)
    if convention not in ("averaged", "per_example"):
        raise ValueError(f"compare shows one convention, 'averaged' or 'per_example'; got {convention!r}")
    X, Y = check_batch(model, X, Y, "compare", cost)
    net = network_for(model, cost, output_activation)
    fp, computed = backpropagate(net, X, Y, cost)
    grads = computed if analytic is None else analytic
    eng = engine_gradients(model, X, Y, cost, output_activation)
    fd = finite_difference_gradients(net, X, Y, cost) if finite_differences else None
    at_kink = finite_differences and _at_kink(net, fp, FD_STEP)
    dz_scale = float(X.shape[1]) if convention == "per_example" else 1.0
    rows = _rows(net, grads, eng, fd, at_kink, _Tolerances(rtol, fd_rtol, fd_atol, dz_scale))
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
                      rtol, fd_rtol, fd_atol, at_kink, ok, grads, eng, convention)
