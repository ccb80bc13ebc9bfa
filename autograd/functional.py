r"""Derivatives of plain Python functions of several scalars.

Each function here takes ``f``, a Python function that computes with
``Value`` operations, and returns a function of numbers. ``f`` comes in two
forms, told apart by how the returned function is called:

* **several scalars**: ``f(x, y)`` takes one Value per argument
  (``lambda x, y: x * y + y.tanh()``), called as ``grad(f)(1.0, 2.0)``;
* **one vector**: ``f(v)`` takes a list of Values (``lambda v: [v[0] * v[1],
  v[0].exp()]``), called with ONE argument that is a list, a tuple or a 1-D
  NumPy array: ``jacobian(f)([1.0, 2.0])``. This is the curriculum's
  f: R^n -> R^m.

    grad(f)(x_1, ..., x_n)            = (∂f/∂x_1, ..., ∂f/∂x_n)        a tuple of n floats
    grad(f)([x_1, ..., x_n])          = [∂f/∂x_1, ..., ∂f/∂x_n]        a list (the vector form)
    value_and_grad(f)(...)            = (f(x), grad), in either form
    jacobian(f)(...)                  = J, J[i][j] = ∂f_i/∂x_j          an m×n list of rows
    hessian(f)(...)                   = H, H[i][j] = ∂²f/∂x_i∂x_j       an n×n list of rows
    gradcheck(f, inputs)              compares the engine's Jacobian with central
                                      finite differences (f(x + h) - f(x - h)) / 2h

Decisions: ``grad`` always differentiates with respect to every input; in the
scalar form it returns a tuple (a one-argument function gives a one-element
tuple), in the vector form a list as long as the vector, so the return type
never depends on the number of inputs. ``f`` may return one Value (m = 1) or a
list of Values; ``jacobian`` always returns a list of rows.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from autograd.value import Value, as_float, no_grad

Matrix = list[list[float]]


def _inputs(args: Sequence[object]) -> tuple[list[Value], bool]:
    """Leaves for the arguments, and whether they came as one vector (see the module docstring)."""
    if len(args) == 1 and _is_vector(args[0]):
        xs = [Value(as_float(x, f"vector entry {i}")) for i, x in enumerate(args[0])]
        if not xs:
            raise ValueError("the input vector is empty: it needs at least one number")
        return xs, True
    return [Value(as_float(x, f"argument {i}")) for i, x in enumerate(args)], False


def _is_vector(x: object) -> TypeGuard[Iterable[object]]:
    """True for a list, a tuple or a 1-D array; a TypeError for arrays of other shapes."""
    if isinstance(x, (list, tuple)):
        return True
    ndim = getattr(x, "ndim", None)
    if ndim is None or ndim == 0:
        return False
    if ndim != 1:
        # an object with an ndim is taken for an array, which has a shape: mypy cannot infer one from the other
        raise TypeError(f"the input vector must be 1-D, got an array of shape {x.shape}")  # type: ignore[attr-defined]
    return True


def _call(f: Callable[..., object], xs: list[Value], vector: bool) -> object:
    return f(xs) if vector else f(*xs)


def _as_output(y: object, where: str) -> Value:
    if isinstance(y, Value):
        return y
    return Value(as_float(y, f"{where}: the function's output"))


def _outputs(y: object) -> list[Value]:
    if isinstance(y, (list, tuple)):
        return [_as_output(v, f"output {i}") for i, v in enumerate(y)]
    return [_as_output(y, "output")]


def _jacobian_rows(outputs: list[Value], xs: list[Value]) -> Matrix:
    rows = []
    for y in outputs:
        y.zero_grad()
        for x in xs:
            x.grad = 0.0
        y.backward()
        rows.append([float(x.grad) for x in xs])
    return rows


def value_and_grad(f: Callable[..., object]) -> Callable[..., tuple[float, tuple[float, ...]]]:
    """``f`` -> a function returning ``(f(*args), (∂f/∂arg_0, ..., ∂f/∂arg_n))``."""

    def evaluate(*args: object) -> tuple[float, Any]:
        xs, vector = _inputs(args)
        y = _as_output(_call(f, xs, vector), "value_and_grad")
        y.backward()
        gradient = [float(x.grad) for x in xs]
        return y.data, (gradient if vector else tuple(gradient))

    return evaluate


def grad(f: Callable[..., object]) -> Callable[..., Any]:
    """``f`` -> a function returning the gradient of ``f``: a tuple of floats, or a list in the vector form."""
    with_value = value_and_grad(f)

    def evaluate(*args: object) -> Any:
        return with_value(*args)[1]

    return evaluate


def jacobian(f: Callable[..., object]) -> Callable[..., Matrix]:
    r"""``f`` (one output or a list of outputs) -> its Jacobian J[i][j] = ∂f_i/∂x_j, rows = outputs.

    ``jacobian(lambda v: [v[0] * v[1], v[0] + v[1]])([2.0, 3.0])`` is
    ``[[3.0, 2.0], [1.0, 1.0]]``: m = 2 outputs by n = 2 inputs.
    """

    def evaluate(*args: object) -> Matrix:
        xs, vector = _inputs(args)
        return _jacobian_rows(_outputs(_call(f, xs, vector)), xs)

    return evaluate


def hessian(f: Callable[..., object]) -> Callable[..., Matrix]:
    r"""Scalar ``f`` -> its Hessian H[i][j] = ∂²f/∂x_i∂x_j (by differentiating the gradient).

    The gradient is built as a graph of Values (``backward(create_graph=True)``)
    and each of its entries is differentiated again.
    """

    def evaluate(*args: object) -> Matrix:
        xs, vector = _inputs(args)
        y = _as_output(_call(f, xs, vector), "hessian")
        y.backward(create_graph=True)
        gradients = [x.grad for x in xs]
        rows = []
        for g in gradients:
            if not isinstance(g, Value):  # a constant first derivative
                rows.append([0.0] * len(xs))
                continue
            rows.extend(_jacobian_rows([g], xs))
        y.zero_grad()
        return rows

    return evaluate


@dataclass
class GradcheckResult:
    """The engine's Jacobian beside central finite differences.

    Attributes:
        ok: True when every entry satisfies |analytic - numeric| <= atol + rtol |numeric|.
        max_abs_error: Largest |analytic - numeric| over all entries.
        max_rel_error: Largest |analytic - numeric| / |numeric| (over entries
            with numeric != 0; an entry with numeric == 0 counts its absolute error).
        worst: (output, input) index of the entry with the largest absolute error.
        analytic: The engine's Jacobian, rows = outputs.
        numeric: The finite-difference Jacobian.
    """

    ok: bool
    max_abs_error: float
    max_rel_error: float
    worst: tuple[int, int]
    analytic: Matrix
    numeric: Matrix

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        return (
            f"gradcheck {verdict}: max abs error {self.max_abs_error:.3g}, "
            f"max rel error {self.max_rel_error:.3g} (worst entry {self.worst})"
        )


def gradcheck(
    f: Callable[..., object],
    inputs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> GradcheckResult:
    r"""Compare the engine's derivatives of ``f`` with central finite differences.

    numeric[i][j] = (f_i(x + eps e_j) - f_i(x - eps e_j)) / (2 eps), an error of
    O(eps^2) for smooth f. Tolerances as ``torch.autograd.gradcheck``.

    Args:
        f: Function of ``len(inputs)`` Values returning a Value or a list of Values.
        inputs: The point, as numbers.
        eps: Finite-difference step.
        atol: Absolute tolerance.
        rtol: Relative tolerance.

    Returns:
        A :class:`GradcheckResult`; truthy when the check passes.
    """
    point = [as_float(x, f"gradcheck input {i}") for i, x in enumerate(inputs)]
    if not point:
        raise ValueError("gradcheck needs at least one input, got none")
    _check_tolerance("eps", eps, positive=True)
    _check_tolerance("atol", atol)
    _check_tolerance("rtol", rtol)
    analytic = jacobian(f)(*point)

    def evaluate(at: list[float]) -> list[float]:
        with no_grad():
            return [y.data for y in _outputs(f(*[Value(x) for x in at]))]

    columns = []
    for j in range(len(point)):
        up, down = list(point), list(point)
        up[j] += eps
        down[j] -= eps
        columns.append([(a - b) / (2 * eps) for a, b in zip(evaluate(up), evaluate(down))])
    numeric = [[columns[j][i] for j in range(len(point))] for i in range(len(analytic))]

    ok, max_abs, max_rel, worst = True, 0.0, 0.0, (0, 0)
    for i, (row_a, row_n) in enumerate(zip(analytic, numeric)):
        for j, (a, n) in enumerate(zip(row_a, row_n)):
            err = abs(a - n)
            if not err <= atol + rtol * abs(n):
                ok = False
            if err > max_abs or math.isnan(err):
                max_abs, worst = err, (i, j)
            max_rel = max(max_rel, err / abs(n) if n else err)
    return GradcheckResult(ok, max_abs, max_rel, worst, analytic, numeric)


def _check_tolerance(name: str, value: object, positive: bool = False) -> None:
    """A ValueError unless ``value`` is a finite real number >= 0 (> 0 with ``positive``).

    NaN would make every comparison false and inf every comparison true, so a
    check with either could not mean anything.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value):
        raise ValueError(f"gradcheck {name} must be a finite number, got {str(value)[:40]}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"gradcheck {name} must be {'> 0' if positive else '>= 0'}, got {value!r}")


def _finite(value: numbers.Real) -> bool:
    """``math.isfinite``, False for an int beyond the largest float instead of an OverflowError."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
