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
    * a derivative that is infinite at a point (``sqrt`` at 0) is ``inf``, at
      first order and in the graph of a gradient (``create_graph=True``); at a
      kink the derivative is PyTorch's (``relu'(0) = 0``, ``|x|'(0) = 0``), and
      ``d/dx x^0 = 0`` everywhere, 0 included;
    * derivatives are written as PyTorch writes them (its ``derivatives.yaml``)
      where another form over- or underflows sooner: ∂(x/y)/∂y = -(x/y)/y, not
      -x/y^2; d/dx x^p = p x^{p-1} with IEEE's ``pow``, so an overflow keeps its
      sign; softplus(x) = x above PyTorch's threshold 20;
    * domain errors in the forward pass raise at once (``log`` of 0 or of a
      negative number, ``sqrt`` of a negative number, a finite negative base
      with a finite non-integer exponent, division by zero, zero to a negative
      power) with a message naming the operation and the operand. PyTorch returns ``inf`` or
      ``nan`` there; chainrule stops at the operation that made it, which is
      where a learner wants to look. The graph a gradient builds
      (``create_graph=True``) is not the learner's forward pass: there these
      rules give IEEE's ``inf`` or ``nan``, as PyTorch (``1/(2√x)`` at 0 is ``inf``).

This module imports nothing but the standard library; it never imports
``Value`` nor NumPy (the dual functions dispatch on the operand having the
method of the same name, or on an array naming its module: each row also
serves the batch replay of :mod:`autograd.batch`, see :mod:`autograd.array_rules`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import reduce
from operator import add, mul
from typing import Any

from autograd.array_rules import checked, elementwise, is_array, namespace, where
from autograd.ieee import domain_error, float_pow, ieee_div, in_derivative_graph

# The row type and the registry live in autograd.rows; re-exported, they are this table's API
# (ops.OPS, ops.Op, ops.register, ...).
from autograd.rows import ON_CHANGE as ON_CHANGE
from autograd.rows import OPS as OPS
from autograd.rows import REGISTERED as REGISTERED
from autograd.rows import SYMBOLS as SYMBOLS
from autograd.rows import Op as Op
from autograd.rows import Param as Param
from autograd.rows import register as register
from autograd.rows import row as row
from autograd.rows import unregister as unregister

LEAKY_RELU_SLOPE = 0.01
"""The default slope α of the leaky ReLU for x < 0 (PyTorch's ``negative_slope``)."""

SOFTPLUS_THRESHOLD = 20.0
"""Above it softplus(x) is x and its derivative 1 (PyTorch's ``threshold``, with β = 1)."""

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
    return namespace(x).exp(x) if is_array(x) else x.exp()


def log(x: Any) -> Any:
    r"""Natural logarithm; as IEEE, -inf at 0 and NaN for x < 0 (only derivatives call it)."""
    if _is_float(x):
        return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    if is_array(x):
        return namespace(x).log(x)
    return in_derivative_graph(lambda: x.log())


def sin(x: Any) -> Any:
    return _ieee(math.sin, x) if _is_float(x) else namespace(x).sin(x) if is_array(x) else x.sin()


def cos(x: Any) -> Any:
    return _ieee(math.cos, x) if _is_float(x) else namespace(x).cos(x) if is_array(x) else x.cos()


def sigmoid(x: Any) -> Any:
    r"""σ(x) = 1 / (1 + e^{-x}), PyTorch's form: e^{-x} = inf below x = -709.78 gives exactly 0, as PyTorch."""
    if _is_float(x):
        try:
            return 1.0 / (1.0 + math.exp(-x))
        except OverflowError:
            return 0.0
    if is_array(x):
        return 1.0 / (1.0 + namespace(x).exp(-x))  # the same form: e^{-x} = inf gives 0
    return x.sigmoid()


def power(x: Any, p: Any) -> Any:
    r"""x^p, as IEEE's ``pow``: ``±inf`` on overflow and at 0^{p<0}, signed as x^p would be."""
    if _is_float(x) and _is_float(p):
        try:
            result = float(x) ** p
        except (ZeroDivisionError, OverflowError):
            return float_pow(x, p)
        return result if result.__class__ is float else math.nan  # complex: a negative base
    return in_derivative_graph(lambda: x**p)


def reciprocal_scaled(c: float, x: Any) -> Any:
    r"""c / x, as IEEE: ``±inf`` at x = 0 (c ≠ 0), NaN for 0/0; on Values too."""
    if _is_float(x):
        return ieee_div(c, x)
    return in_derivative_graph(lambda: c / x)


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
        return domain_error(ZeroDivisionError(f"pow: 0.0 ** {y!r} divides by zero"), float_pow(x, y))
    if x < 0 and not (float(y).is_integer() or math.isinf(y) or x == -math.inf):
        error = ValueError(
            f"pow: a negative base ({x!r}) needs an integer exponent, got {y!r} "
            "(the result would be complex)"
        )
        return domain_error(error, math.nan)
    try:
        return float(x) ** y
    except (ZeroDivisionError, OverflowError):  # (-0.0) ** -1, overflow: IEEE's signed inf
        return float_pow(x, y)


def _div_forward(x: float, y: float) -> float:
    if y == 0:
        return domain_error(ZeroDivisionError(f"division: {x!r} / {y!r} divides by zero"), ieee_div(x, y))
    return x / y


def _log_forward(x: float) -> float:
    if x <= 0:
        return domain_error(ValueError(f"log: operand must be > 0, got {x!r}"), log(x))
    return math.log(x)


def _sqrt_forward(x: float) -> float:
    if x < 0:
        return domain_error(ValueError(f"sqrt: operand must be >= 0, got {x!r}"), math.nan)
    return math.sqrt(x)


def _softplus_forward(x: float) -> float:
    # PyTorch's: x above the threshold, where log(1 + e^x) rounds to x; below it e^x cannot overflow.
    return x if x > SOFTPLUS_THRESHOLD else math.log1p(math.exp(x))


def _softplus_partials(out: Any, x: Any) -> tuple[Any]:
    r"""d/dx log(1 + e^x) = σ(x); 1 above the threshold, where the function is x (as PyTorch)."""
    if _is_float(x):
        if x > SOFTPLUS_THRESHOLD:
            return (1.0,)
        e = math.exp(x)  # PyTorch's e^x / (e^x + 1): no overflow below the threshold
        return (e / (e + 1.0),)
    if is_array(x):
        e = namespace(x).exp(namespace(x).minimum(x, SOFTPLUS_THRESHOLD))
        return (where(x, lambda x: x > SOFTPLUS_THRESHOLD, 1.0, e / (e + 1.0)),)
    if x.data >= SOFTPLUS_THRESHOLD:
        # PyTorch's second derivative from the threshold on is σ'(x) times a mask of 0 (NaN for an infinite gradient)
        return ((1.0 if x.data > SOFTPLUS_THRESHOLD else sigmoid(x.data)) + 0.0 * sigmoid(x),)
    return (sigmoid(x),)


def _power_rule(x: Any, p: Any) -> Any:
    r"""d/dx x^p = p x^{p-1} (PyTorch's ``pow_backward``), and 0 where p = 0 (also at x = 0)."""
    if is_array(p):
        return where(p, lambda p: p == 0, 0.0, p * power(x, p - 1))
    p_data = p if _is_float(p) else p.data
    return 0.0 if p_data == 0 else p * power(x, p - 1)


def _pow_partials(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    r"""d/dx x^y = y x^{y-1};  d/dy x^y = x^y log x: 0 at x = 0 for y >= 0, else NaN for x < 0 (as PyTorch)."""
    if is_array(x) or is_array(y):
        xp = namespace(x) or namespace(y)
        return _power_rule(x, y), xp.where((x == 0) & (y >= 0), 0.0, out * log(x))
    x_data = x if _is_float(x) else x.data
    y_data = y if _is_float(y) else y.data
    dy = 0.0 if x_data == 0 and y_data >= 0 else out * log(x)
    return _power_rule(x, y), dy


def _div_partials(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    r"""d/dx x/y = 1/y;  d/dy x/y = -(x/y)/y, PyTorch's form (-x/y^2 overflows where y^2 does)."""
    if _is_float(y):
        if y:
            return 1.0 / y, -(out / y)
        return ieee_div(1.0, y), -ieee_div(out, y)
    return in_derivative_graph(lambda: (1.0 / y, -1.0 * (out / y)))


def _weighted_sum_forward(*operands: float) -> float:
    """b + Σ_k w_k a_k: operands are (w_1, ..., w_n, a_1, ..., a_n), then b when their count is odd."""
    n = len(operands) // 2
    # micrograd's order: a left fold from the bias, as sum((w*a for ...), b) (same rounding);
    # from 0.0 without a bias, as Python's sum
    start = operands[-1] if len(operands) % 2 else 0.0
    return reduce(add, map(mul, operands[:n], operands[n : 2 * n]), start)


def _weighted_sum_partials(out: Any, *operands: Any) -> tuple:
    r"""∂z/∂w_k = a_k, ∂z/∂a_k = w_k, ∂z/∂b = 1: the two halves swapped."""
    n = len(operands) // 2
    return (*operands[n : 2 * n], *operands[:n], *((1.0,) if len(operands) % 2 else ()))


def _sum_forward(*operands: float) -> float:
    total = 0.0  # a left fold from 0, as Python's sum(xs) of Values written out
    for x in operands:
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
    r"""d/dx x σ(x) = σ(x)(1 + x(1 - σ(x))), PyTorch's form."""
    s = sigmoid(x)
    return (s * (1.0 + x * (1.0 - s)),)


def _shown_exponent(p: float) -> str:
    return f"**{int(p) if float(p).is_integer() else p}"


def _shown_slope(alpha: float) -> str:
    return "LeakyReLU" if alpha == LEAKY_RELU_SLOPE else f"LeakyReLU({alpha:g})"


# ---------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------

_POW_ARRAYS = checked(  # the float rule's refusals: 0^{y<0}; a finite negative base, a finite non-integer y
    _pow_forward, lambda xp, x, y: (x == 0) & (y < 0) | (x < 0) & (x != -math.inf) & (xp.floor(y) != y) & ~xp.isinf(y),
    lambda xp, x, y: x**y)
_SOFTPLUS_ARRAYS = checked(_softplus_forward, None,
                           lambda xp, x: xp.where(x > SOFTPLUS_THRESHOLD, x, xp.log1p(xp.exp(xp.minimum(x, SOFTPLUS_THRESHOLD)))))

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
          r"x / y, ZeroDivisionError at y = 0;  d/dx = 1/y, d/dy = -(x/y)/y", method=False,
          forward_arrays=checked(_div_forward, lambda xp, x, y: y == 0, lambda xp, x, y: x / y))
SUM = row("sum", "sum", None, _sum_forward,
          lambda out, *xs: (1.0,) * len(xs),
          r"Σ_i x_i, left to right from 0 (as Python's sum), one node for any number of terms;  ∂/∂x_i = 1", method=False)
WEIGHTED_SUM = row("weighted_sum", "Σ", None, _weighted_sum_forward,
                   _weighted_sum_partials,
                   r"a neuron's z = b + Σ_k w_k a_k, summed from b (micrograd's order), operands (w_1, ..., w_n, a_1, ..., a_n, b) (b optional);  "
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
           forward_arrays=lambda x: namespace(x).maximum(0.0, x))  # keeps x at -0.0 and NaN: no branch
LEAKY_RELU = row("leaky_relu", "LeakyReLU", 1, lambda x, a: x if x > 0 else a * x,
                 lambda out, x, a: (where(x, lambda x: x > 0, 1.0, a) if is_array(x) else 1.0 if x > 0 else a,),
                 r"x if x > 0 else αx (α = 0.01 by default);  d/dx = 1 if x > 0 else α",
                 param=Param("alpha", LEAKY_RELU_SLOPE, _shown_slope),
                 forward_arrays=lambda x, a: where(x, lambda x: x > 0, x, a * x))
SWISH = row("swish", "swish", 1, lambda x: x * sigmoid(x),
            _swish_partials,
            r"swish / SiLU: x σ(x);  d/dx = σ(x)(1 + x(1 - σ(x)))", aliases=("silu",),
            forward_arrays=lambda x: x * sigmoid(x))
SOFTPLUS = row("softplus", "softplus", 1, _softplus_forward,
               _softplus_partials,
               r"log(1 + e^x), x above 20 (PyTorch's threshold);  d/dx log(1 + e^x) = σ(x) (1 above 20)",
               forward_arrays=_SOFTPLUS_ARRAYS)
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
