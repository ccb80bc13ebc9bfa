"""PyTorch float64 as the oracle at every order: a function's value, gradient and Hessian, side by side.

Shared by the operation tests at the extremes (``tests/test_op_table.py``), the
reproductions of ``tests/test_hostile_numbers.py`` and the graph fuzzer
(``tests/fuzz_graphs.py``). Two numbers agree when both are NaN, when they are
equal (infinities with their sign), or when both are finite and
|a - b| <= rel·max(|a|, |b|) + abs: rounding may differ (PyTorch computes
``grad / y`` where the engine multiplies ``grad`` by its local derivative
``1/y``), NaN-ness and the sign of an infinity may not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd import Value, hessian


@dataclass(frozen=True)
class Orders:
    """f at a point, its gradient (first-order backward) and its Hessian (gradient of the gradient)."""

    value: float
    gradient: tuple[float, ...]
    hessian: tuple[tuple[float, ...], ...]


def engine_orders(f: Callable[..., Value], point: Sequence[float]) -> Orders:
    """The engine's numbers: a float backward for the gradient, ``hessian`` (create_graph=True) for the rest."""
    xs = [Value(x) for x in point]
    out = f(*xs)
    out.backward()
    H = hessian(f)(*point)
    return Orders(out.data, tuple(float(x.grad) for x in xs), tuple(tuple(float(h) for h in row) for row in H))


def torch_orders(torch, f: Callable[..., object], point: Sequence[float]) -> Orders:
    """PyTorch's numbers in float64; a gradient PyTorch reports unused (``None``) is 0."""
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = f(*ts)
    if not out.requires_grad:  # f ignores its inputs
        n = len(point)
        return Orders(out.item(), (0.0,) * n, ((0.0,) * n,) * n)
    grads = torch.autograd.grad(out, ts, create_graph=True, allow_unused=True)
    rows = []
    for g in grads:
        if g is None or not g.requires_grad:
            rows.append((0.0,) * len(ts))
            continue
        second = torch.autograd.grad(g, ts, retain_graph=True, allow_unused=True)
        rows.append(tuple(0.0 if s is None else s.item() for s in second))
    return Orders(out.item(), tuple(0.0 if g is None else g.item() for g in grads), tuple(rows))


def agree(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    """Both NaN, equal (infinities with their sign), or both finite and close."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if a == b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False
    return abs(a - b) <= rel * max(abs(a), abs(b)) + abs_


def disagreements(ours: Orders, theirs: Orders, rel: float = 1e-9, abs_: float = 1e-12) -> list[str]:
    """Each entry where the engine and PyTorch disagree, named (``value``, ``d/dx0``, ``d2/dx0dx1``)."""
    found = []
    pairs = [("value", ours.value, theirs.value)]
    pairs += [(f"d/dx{i}", a, b) for i, (a, b) in enumerate(zip(ours.gradient, theirs.gradient))]
    pairs += [
        (f"d2/dx{i}dx{j}", a, b)
        for i, (row, t_row) in enumerate(zip(ours.hessian, theirs.hessian))
        for j, (a, b) in enumerate(zip(row, t_row))
    ]
    for name, a, b in pairs:
        if not agree(a, b, rel, abs_):
            found.append(f"{name}: {a!r} vs PyTorch {b!r}")
    return found
