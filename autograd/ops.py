r"""The table of operations: the one place where an operation is defined.

Each row is an :class:`Op`, registered by :func:`row` into :data:`OPS`: a name,
the symbol a drawing shows, a ``forward`` rule on plain floats, ``partials``,
the local derivatives of the result with respect to each operand,

    partials(out, *operands, *params) = (d out / d operand_0, d out / d operand_1, ...)

where ``out`` is the result already computed, and ``doc``, the mathematics in one
line. ``partials`` is written with the dual functions below (:func:`exp`,
:func:`log`, :func:`sin`, ...), so the same rule works on floats (first-order
backward) and on ``Value`` objects (backward with ``create_graph=True``, which
builds gradients of gradients). The engine multiplies a local derivative by the
upstream gradient and adds it to the operand; nothing else in chainrule knows
calculus.

Everything else is derived from the table: each one-operand row becomes a
``Value`` method of its name (with the row's ``doc`` as its docstring, so
``help(Value.tanh)`` states the derivative) and a function of the expression
language of ``chainrule draw``; the tests check every row against finite
differences and PyTorch. Adding an operation is one row here and one test row
(see the README's contributor section).

Numerical conventions (IEEE 754, as PyTorch):
    * NaN in, NaN out: ``relu(nan)`` is ``nan``; ``sin(inf)`` is ``nan``;
    * overflow gives ``inf`` rather than an exception: ``exp(1000) = inf``;
    * a derivative that is infinite at a point (``sqrt`` at 0) is ``inf``; at a
      kink the derivative is PyTorch's (``relu'(0) = 0``, ``|x|'(0) = 0``), and
      ``d/dx x^0 = 0`` everywhere, 0 included;
    * domain errors in the forward pass raise at once (``log`` of 0 or of a
      negative number, ``sqrt`` of a negative number, a negative base with a
      non-integer exponent, division by zero, zero to a negative power) with a
      message naming the operation and the operand. PyTorch returns ``inf`` or
      ``nan`` there; chainrule stops at the operation that made it, which is
      where a learner wants to look.

This module imports nothing but the standard library; it never imports
``Value`` nor NumPy (the dual functions dispatch on the operand having the
method of the same name, or on an array naming its module: each row also
serves the batch replay of :mod:`autograd.batch`, see :mod:`autograd.array_rules`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import reduce
from operator import add, mul
from typing import Any

from autograd.array_rules import checked, elementwise, is_array, namespace, where

LEAKY_RELU_SLOPE = 0.01
"""The default slope α of the leaky ReLU for x < 0 (PyTorch's ``negative_slope``)."""

# ---------------------------------------------------------------------------
# Dual functions: floats in, float out; Values in, Value out.
# ---------------------------------------------------------------------------


def _is_float(x: Any) -> bool:
    return isinstance(x, (float, int))


def exp(x: Any) -> Any:
    r"""e^x; ``inf`` on overflow (IEEE)."""
    if _is_float(x):
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf
    return _method(x, "exp")


def log(x: Any) -> Any:
    r"""Natural logarithm, defined for x > 0."""
    return math.log(x) if _is_float(x) else _method(x, "log")


def sin(x: Any) -> Any:
    return _ieee(math.sin, x) if _is_float(x) else _method(x, "sin")


def cos(x: Any) -> Any:
    return _ieee(math.cos, x) if _is_float(x) else _method(x, "cos")


def _method(x: Any, name: str) -> Any:
    """``x.name()`` for a Value, the array module's ``name(x)`` for an array (:mod:`autograd.array_rules`)."""
    return getattr(x, name)() if namespace(x) is None else getattr(namespace(x), name)(x)


def sigmoid(x: Any) -> Any:
    r"""σ(x) = 1 / (1 + e^{-x}), evaluated without overflow for any float."""
    if _is_float(x):
        # NOTE: numerical stability: only ever exponentiate a non-positive number.
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)
    if is_array(x):  # the same two branches, elementwise
        e = namespace(x).exp(-abs(x))
        return where(x, lambda x: x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return x.sigmoid()


def power(x: Any, p: float) -> Any:
    r"""x^p for a constant p; ``inf`` where IEEE gives it (0^{-1}, overflow)."""
    if _is_float(x):
        try:
            return float(x) ** p
        except (ZeroDivisionError, OverflowError):
            return math.inf
    return x**p


def reciprocal_scaled(c: float, x: Any) -> Any:
    r"""c / x; for floats ``±inf`` at x = 0 (IEEE), for Values a clear error."""
    if _is_float(x):
        if x == 0:
            return math.copysign(math.inf, c) if c else math.nan
        return c / x
    if is_array(x):  # as for floats: the sign of c at ±0
        return where(x, lambda x: x == 0, math.copysign(math.inf, c) if c else math.nan, c / x)
    if x.data == 0:
        raise ZeroDivisionError(
            "derivative is infinite at 0: cannot build the graph of this gradient "
            "(create_graph=True) at a singular point"
        )
    return c * x**-1


def _ieee(f: Callable[[float], float], x: float) -> float:
    """``f(x)``, with NaN where :mod:`math` raises "math domain error" (``sin(inf)``), as IEEE."""
    try:
        return f(x)
    except ValueError:
        return math.nan


# ---------------------------------------------------------------------------
# Forward rules on floats, with their domain checks, and longer derivatives.
# ---------------------------------------------------------------------------


def _pow_forward(x: float, y: float) -> float:
    r"""x^y for floats, raising domain errors that name the operands."""
    if x == 0 and y < 0:
        raise ZeroDivisionError(f"pow: 0.0 ** {y!r} divides by zero")
    if x < 0 and not float(y).is_integer():
        raise ValueError(
            f"pow: a negative base ({x!r}) needs an integer exponent, got {y!r} "
            "(the result would be complex)"
        )
    try:
        return float(x) ** y
    except OverflowError:
        return math.copysign(math.inf, x) if float(y) % 2 == 1 else math.inf


def _div_forward(x: float, y: float) -> float:
    if y == 0:
        raise ZeroDivisionError(f"division: {x!r} / {y!r} divides by zero")
    return x / y


def _log_forward(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log: operand must be > 0, got {x!r}")
    return math.log(x)


def _sqrt_forward(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt: operand must be >= 0, got {x!r}")
    return math.sqrt(x)


def _softplus_forward(x: float) -> float:
    # NOTE: numerical stability: log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}).
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _power_rule(x: Any, p: Any) -> Any:
    r"""d/dx x^p = p x^{p-1}, and 0 where p = 0 (also at x = 0, as PyTorch)."""
    if is_array(p):
        return where(p, lambda p: p == 0, 0.0, p * power(x, p - 1))
    p_data = p if _is_float(p) else p.data
    return 0.0 if p_data == 0 else p * power(x, p - 1)


def _pow_partials(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    r"""d/dx x^y = y x^{y-1};  d/dy x^y = x^y log x (0 at x = 0, NaN for x < 0, as PyTorch)."""
    if is_array(x):
        dy = where(x, lambda x: x > 0, out * log(abs(x) + (x == 0)), where(x, lambda x: x == 0, 0.0, math.nan))
        return _power_rule(x, y), dy
    x_data = x if _is_float(x) else x.data
    if x_data > 0:
        dy = out * log(x)
    elif x_data == 0:
        dy = 0.0
    else:
        dy = math.nan
    return _power_rule(x, y), dy


def _div_partials(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    r"""d/dx x/y = 1/y;  d/dy x/y = -x/y^2 (y^2 may underflow to 0: then ∓inf, as PyTorch)."""
    if _is_float(y):
        y2 = y * y
        return 1.0 / y, (-x / y2 if y2 else reciprocal_scaled(-x, y2))
    return y**-1, -1.0 * x * y**-2


def _weighted_sum_forward(*operands: float) -> float:
    """Σ_k w_k a_k (+ b): operands are (w_1, ..., w_n, a_1, ..., a_n), then b when their count is odd."""
    n = len(operands) // 2
    if not n:
        return operands[0]
    # a left fold, as w_1 a_1 + w_2 a_2 + ... + b written out (same rounding)
    z = reduce(add, map(mul, operands[:n], operands[n : 2 * n]))
    return z + operands[-1] if len(operands) % 2 else z


def _weighted_sum_partials(out: Any, *operands: Any) -> tuple:
    r"""∂z/∂w_k = a_k, ∂z/∂a_k = w_k, ∂z/∂b = 1: the two halves swapped."""
    n = len(operands) // 2
    return (*operands[n : 2 * n], *operands[:n], *((1.0,) if len(operands) % 2 else ()))


def _sum_forward(*operands: float) -> float:
    total = operands[0]  # a left fold, as x_1 + x_2 + ... written out
    for x in operands[1:]:
        total += x
    return total


def _step(x: Any) -> Any:
    # NaN passes the gradient, as PyTorch's threshold_backward: only x <= 0 blocks it.
    if is_array(x):
        return where(x, lambda x: x <= 0, 0.0, 1.0)
    return 0.0 if x <= 0 else 1.0


def _sign(x: Any) -> Any:
    if is_array(x):  # 0 for NaN, as for floats
        return where(x, lambda x: x > 0, 1.0, where(x, lambda x: x < 0, -1.0, 0.0))
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def _swish_partials(out: Any, x: Any) -> tuple[Any]:
    r"""d/dx x σ(x) = σ(x) + x σ(x)(1 - σ(x))."""
    s = sigmoid(x)
    return (s + x * s * (1.0 - s),)


# ---------------------------------------------------------------------------
# The row type and the registry.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A constant an operation takes besides its operands (no gradient flows to it).

    Attributes:
        name: Its name as a keyword of the ``Value`` method (``alpha``).
        default: Its value when not given.
        shown: The symbol drawn for a given value (``LeakyReLU(0.2)``).
    """

    name: str
    default: float
    shown: Callable[[float], str]


@dataclass(frozen=True)
class Op:
    """One operation: its symbol, forward rule and local derivatives.

    Attributes:
        name: Key in :data:`OPS` and, for one-operand rows, the name of the
            ``Value`` method and of the expression function (``"tanh"``).
        symbol: What a drawing shows (``"+"``, ``"tanh"``, ``"**2"``).
        arity: Number of ``Value`` operands; ``None`` for any number of them
            (at least one).
        forward: ``forward(*operand_floats, *params) -> float``.
        partials: ``partials(out, *operands, *params) -> tuple``; one local
            derivative per operand, on floats or on Values alike.
        doc: The mathematics: the function and its derivative.
        param: The constant this operation takes, if any (``alpha`` of the
            leaky ReLU, the exponent of ``x**2``).
        aliases: Other names of the ``Value`` method and expression function.
        method: Whether one-operand rows get a ``Value`` method and an
            expression function (False where Python's operators reach them).
        params: The constants of this instance (see :meth:`bind`).
        forward_arrays: ``forward`` elementwise on arrays of examples (:mod:`autograd.array_rules`);
            None for ``sum`` and ``Σ``, which :mod:`autograd.batch` computes itself.
    """

    name: str
    symbol: str
    arity: int | None
    forward: Callable[..., float]
    partials: Callable[..., tuple]
    doc: str
    param: Param | None = None
    aliases: tuple[str, ...] = ()
    method: bool = True
    params: tuple = ()
    forward_arrays: Callable[..., Any] | None = None
    _bound: dict = field(default_factory=dict, compare=False, repr=False)

    def bind(self, value: float) -> Op:
        """This operation with its constant set to ``value`` (cached, one per value)."""
        if self.param is None:
            raise TypeError(f"operation {self.name!r} takes no constant")
        op = self._bound.get(value)
        if op is None:
            if len(self._bound) >= 256:
                self._bound.clear()
            op = replace(self, symbol=self.param.shown(value), params=(value,), _bound={})
            self._bound[value] = op
        return op


OPS: dict[str, Op] = {}
"""Every operation, by name, in the order of the table."""

SYMBOLS: dict[str, Op] = {}
"""Lookup by the symbol a drawing shows or by name (``"+"``, ``"add"``, ``"tanh"``)."""


def row(
    name: str,
    symbol: str,
    arity: int | None,
    forward: Callable[..., float],
    partials: Callable[..., tuple],
    doc: str,
    **options: Any,
) -> Op:
    """Define an operation and register it in :data:`OPS` (see :class:`Op` for the fields)."""
    if name in OPS:
        raise ValueError(f"operation {name!r} is defined twice")
    op = Op(name, symbol, arity, forward, partials, doc, **options)
    OPS[name] = op
    SYMBOLS.setdefault(symbol, op)
    SYMBOLS.setdefault(name, op)
    return op


def _shown_exponent(p: float) -> str:
    return f"**{int(p) if float(p).is_integer() else p}"


def _shown_slope(alpha: float) -> str:
    return "LeakyReLU" if alpha == LEAKY_RELU_SLOPE else f"LeakyReLU({alpha:g})"


# ---------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------

_POW_ARRAYS = checked(_pow_forward, lambda xp, x, y: (x == 0) & (y < 0) | (x < 0) & (xp.floor(y) != y),
                      lambda xp, x, y: x**y)

# fmt: off
ADD = row("add", "+", 2, lambda x, y: x + y,
          lambda out, x, y: (1.0, 1.0),
          r"x + y;  d/dx = 1, d/dy = 1", method=False,
          forward_arrays=lambda x, y: x + y)
MUL = row("mul", "*", 2, lambda x, y: x * y,
          lambda out, x, y: (y, x),
          r"x y;  d/dx = y, d/dy = x", method=False,
          forward_arrays=lambda x, y: x * y)
DIV = row("div", "/", 2, _div_forward,
          _div_partials,
          r"x / y, ZeroDivisionError at y = 0;  d/dx = 1/y, d/dy = -x/y^2", method=False,
          forward_arrays=checked(_div_forward, lambda xp, x, y: y == 0, lambda xp, x, y: x / y))
SUM = row("sum", "sum", None, _sum_forward,
          lambda out, *xs: (1.0,) * len(xs),
          r"Σ_i x_i, left to right, one node for any number of terms;  ∂/∂x_i = 1", method=False)
WEIGHTED_SUM = row("weighted_sum", "Σ", None, _weighted_sum_forward,
                   _weighted_sum_partials,
                   r"a neuron's z = Σ_k w_k a_k + b, operands (w_1, ..., w_n, a_1, ..., a_n, b) (b optional);  "
                   r"∂z/∂w_k = a_k, ∂z/∂a_k = w_k, ∂z/∂b = 1", method=False)
POW = row("pow", "**", 2, _pow_forward,
          _pow_partials,
          r"x^y;  d/dx = y x^{y-1}, d/dy = x^y log x", method=False,
          forward_arrays=_POW_ARRAYS)
POW_CONST = row("pow_const", "**", 1, _pow_forward,
                lambda out, x, p: (_power_rule(x, p),),
                r"x^p for a constant p;  d/dx x^p = p x^{p-1} (0 when p = 0)",
                param=Param("p", 1.0, _shown_exponent), method=False,
                forward_arrays=_POW_ARRAYS)
EXP = row("exp", "exp", 1, exp,
          lambda out, x: (out,),
          r"e^x (inf on overflow);  d/dx e^x = e^x: reuse the output",
          forward_arrays=exp)
LOG = row("log", "log", 1, _log_forward,
          lambda out, x: (reciprocal_scaled(1.0, x),),
          r"natural logarithm, ValueError unless x > 0;  d/dx log x = 1/x",
          forward_arrays=checked(_log_forward, lambda xp, x: x <= 0, lambda xp, x: xp.log(x)))
SQRT = row("sqrt", "sqrt", 1, _sqrt_forward,
           lambda out, x: (reciprocal_scaled(0.5, out),),
           r"√x, ValueError for x < 0;  d/dx √x = 1/(2√x): reuse the output (inf at 0)",
           forward_arrays=checked(_sqrt_forward, lambda xp, x: x < 0, lambda xp, x: xp.sqrt(x)))
TANH = row("tanh", "tanh", 1, math.tanh,
           lambda out, x: (1.0 - out * out,),
           r"tanh x;  d/dx tanh x = 1 - tanh^2 x: reuse the output",
           forward_arrays=elementwise("tanh"))
SIGMOID = row("sigmoid", "sigmoid", 1, sigmoid,
              lambda out, x: (out * (1.0 - out),),
              r"σ(x) = 1/(1 + e^{-x}), stable for any x;  σ'(x) = σ(x)(1 - σ(x)): reuse the output",
              forward_arrays=sigmoid)
RELU = row("relu", "ReLU", 1, lambda x: 0.0 if x < 0 else x,
           lambda out, x: (_step(x),),
           r"max(0, x) (NaN stays NaN);  d/dx = 1 if x > 0 else 0 (0 at x = 0, as PyTorch)",
           forward_arrays=lambda x: where(x, lambda x: x < 0, 0.0, x))
LEAKY_RELU = row("leaky_relu", "LeakyReLU", 1, lambda x, a: x if x > 0 else a * x,
                 lambda out, x, a: (where(x, lambda x: x > 0, 1.0, a) if is_array(x) else 1.0 if x > 0 else a,),
                 r"x if x > 0 else αx (α = 0.01 by default);  d/dx = 1 if x > 0 else α",
                 param=Param("alpha", LEAKY_RELU_SLOPE, _shown_slope),
                 forward_arrays=lambda x, a: where(x, lambda x: x > 0, x, a * x))
SWISH = row("swish", "swish", 1, lambda x: x * sigmoid(x),
            _swish_partials,
            r"swish / SiLU: x σ(x);  d/dx = σ(x) + x σ(x)(1 - σ(x))", aliases=("silu",),
            forward_arrays=lambda x: x * sigmoid(x))
SOFTPLUS = row("softplus", "softplus", 1, _softplus_forward,
               lambda out, x: (sigmoid(x),),
               r"log(1 + e^x), stable for any x;  d/dx log(1 + e^x) = σ(x)",
               forward_arrays=checked(_softplus_forward, None, lambda xp, x: xp.maximum(x, 0.0) + xp.log1p(xp.exp(-abs(x)))))
SIN = row("sin", "sin", 1, lambda x: _ieee(math.sin, x),
          lambda out, x: (cos(x),),
          r"sin x (NaN at ±inf);  d/dx sin x = cos x",
          forward_arrays=elementwise("sin"))
COS = row("cos", "cos", 1, lambda x: _ieee(math.cos, x),
          lambda out, x: (-1.0 * sin(x),),
          r"cos x (NaN at ±inf);  d/dx cos x = -sin x",
          forward_arrays=elementwise("cos"))
TAN = row("tan", "tan", 1, lambda x: _ieee(math.tan, x),
          lambda out, x: (1.0 + out * out,),
          r"tan x (NaN at ±inf);  d/dx tan x = 1 + tan^2 x: reuse the output",
          forward_arrays=elementwise("tan"))
ABS = row("abs", "abs", 1, abs,
          lambda out, x: (_sign(x),),
          r"|x|;  d/dx |x| = sign x (0 at x = 0, as PyTorch)",
          forward_arrays=abs)
# fmt: on
