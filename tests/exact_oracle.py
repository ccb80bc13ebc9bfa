r"""A random program evaluated exactly enough to say who is right: mpmath at 60 digits, derivatives by jets.

Where the engine and PyTorch float64 disagree beyond rounding, the fuzzer
(``tests/fuzz_graphs.py``) asks this oracle for the entry to 60 significant
digits. When the engine agrees with it and PyTorch does not, the disagreement
is PyTorch's float64 rounding, not a wrong rule of the engine.

Derivatives come from forward mode on hyper-dual numbers (jets), not from
differences: a jet is

    x = a + b ε₁ + c ε₂ + d ε₁ε₂,   ε₁² = ε₂² = 0,

and a row f of one operand maps it by Taylor's theorem, exactly:

    f(x) = f(a) + f'(a) b ε₁ + f'(a) c ε₂ + (f'(a) d + f''(a) b c) ε₁ε₂,

(two operands: the same with the partials ∂ᵢf and ∂ᵢ∂ⱼf). Seeding x_i with
b = 1 and x_j with c = 1, the output's b is ∂f/∂x_i and its d is
∂²f/∂x_i∂x_j: as exact as the 60-digit values of f, f', f'' (a second
derivative of 1e-150 beside values of order 1 is resolved, which central
differences cannot). Each row's f, f', f'' are written here as mathematics on
mpmath numbers, with the engine's conventions where they are definitions
(softplus is x above 20, as PyTorch's; relu'(0) = |x|'(0) = 0; d/dx x^0 = 0).
A term whose seed is 0 is 0: no path carries it, even where a derivative is
infinite (sqrt at 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath as mp

DIGITS = 60
FLOAT_MAX = mp.mpf(1.7976931348623157e308)
THRESHOLD = 20  # softplus is x above it (PyTorch's)


def _times(*factors: object) -> object:
    """The product, 0 when a factor is 0 (a term without a path), even beside an infinite one."""
    return 0 if any(f == 0 for f in factors) else mp.fprod(factors)


def _over(n: object, d: object) -> object:
    """n / d, and ±inf at d = 0 (every divisor here tends to 0 from above inside its domain)."""
    if d == 0:
        return 0 if n == 0 else mp.inf * mp.sign(n)
    return mp.mpf(n) / d


def _power(x: object, p: object) -> object:
    """x^p, and inf at 0^p for p < 0."""
    return mp.inf if x == 0 and p < 0 else mp.power(x, p)


class Jet:
    """``a + b ε₁ + c ε₂ + d ε₁ε₂`` over mpmath numbers (see the module docstring)."""

    __slots__ = ("a", "b", "c", "d")

    def __init__(self, a: object, b: object = 0, c: object = 0, d: object = 0) -> None:
        self.a, self.b, self.c, self.d = mp.mpf(a), mp.mpf(b), mp.mpf(c), mp.mpf(d)


def _unary(x: Jet, f0: object, f1: object, f2: object) -> Jet:
    return Jet(f0, _times(f1, x.b), _times(f1, x.c), mp.fsum([_times(f1, x.d), _times(f2, x.b, x.c)]))


def _binary(x: Jet, y: Jet, g: object, gx: object, gy: object, gxx: object, gxy: object, gyy: object) -> Jet:
    d = mp.fsum([_times(gx, x.d), _times(gy, y.d), _times(gxx, x.b, x.c), _times(gxy, x.b, y.c),
                 _times(gxy, y.b, x.c), _times(gyy, y.b, y.c)])
    return Jet(g, mp.fsum([_times(gx, x.b), _times(gy, y.b)]), mp.fsum([_times(gx, x.c), _times(gy, y.c)]), d)


def _tanh(x: object) -> object:
    # NOTE: mpmath's tanh of a huge argument computes cosh and sinh at a precision that exhausts
    # memory; beyond |x| = 100, tanh is ±1 to far more than 60 digits (1 - 2 e^{-200}).
    if abs(x) > 100:
        return mp.sign(x) * (1 - 2 * mp.exp(-200)) if mp.isfinite(x) else mp.sign(x)
    return mp.tanh(x)


def _sigmoid(x: object) -> object:
    return 1 / (1 + mp.exp(-x))


def _tanh_orders(x: object) -> tuple:
    t = _tanh(x)
    return t, 1 - t * t, -2 * t * (1 - t * t)


def _sigmoid_orders(x: object) -> tuple:
    s = _sigmoid(x)
    return s, s * (1 - s), s * (1 - s) * (1 - 2 * s)


def _swish_orders(x: object) -> tuple:
    s = _sigmoid(x)
    return x * s, s + x * s * (1 - s), 2 * s * (1 - s) + x * s * (1 - s) * (1 - 2 * s)


def _softplus_orders(x: object) -> tuple:
    if x > THRESHOLD:
        return x, 1, 0
    s = _sigmoid(x)
    return mp.log1p(mp.exp(x)), s, s * (1 - s)


def _sqrt_orders(x: object) -> tuple:
    r = mp.sqrt(x)
    return r, _over(1, 2 * r), _over(-1, 4 * r**3)


def _tan_orders(x: object) -> tuple:
    t = mp.tan(x)
    return t, 1 + t * t, 2 * t * (1 + t * t)


UNARY: dict[str, Callable[[object], tuple]] = {
    "exp": lambda x: (mp.exp(x),) * 3,
    "log": lambda x: (mp.log(x), _over(1, x), _over(-1, x**2)),
    "sqrt": _sqrt_orders,
    "tanh": _tanh_orders,
    "sigmoid": _sigmoid_orders,
    "relu": lambda x: (x, 1, 0) if x > 0 else (mp.mpf(0), 0, 0),
    "swish": _swish_orders,
    "softplus": _softplus_orders,
    "sin": lambda x: (mp.sin(x), mp.cos(x), -mp.sin(x)),
    "cos": lambda x: (mp.cos(x), -mp.sin(x), -mp.cos(x)),
    "tan": _tan_orders,
    "abs": lambda x: (abs(x), mp.sign(x), 0),
}
"""Each row of one operand: (f, f', f'') at a point, on mpmath numbers."""


def _power_orders(x: object, p: object) -> tuple:
    """x^p, d/dx and d²/dx² for a constant p (0 where p = 0, as the engine's rule)."""
    if p == 0:
        return mp.mpf(1), 0, 0
    return _power(x, p), p * _power(x, p - 1), p * (p - 1) * _power(x, p - 2)


def _pow(x: Jet, y: Jet) -> Jet:
    """x^y with both operands variable; at x = 0 the partials in y are 0, as the engine's."""
    g, gx, gxx = _power_orders(x.a, y.a)
    if x.a == 0:
        gy = gxy = gyy = 0
    else:
        ln = mp.log(x.a)
        gy, gxy, gyy = g * ln, _power(x.a, y.a - 1) * (1 + y.a * ln), g * ln * ln
    return _binary(x, y, g, gx, gy, gxx, gxy, gyy)


def _div(x: Jet, y: Jet) -> Jet:
    q = x.a / y.a
    return _binary(x, y, q, 1 / y.a, -q / y.a, 0, -1 / y.a**2, 2 * q / y.a**2)


def _add(x: Jet, y: Jet) -> Jet:
    return Jet(x.a + y.a, x.b + y.b, x.c + y.c, x.d + y.d)


def _mul(x: Jet, y: Jet) -> Jet:
    return _binary(x, y, x.a * y.a, y.a, x.a, 0, 1, 0)


def _finite(out: Jet) -> Jet:
    """A value beyond the largest float is ±inf, as float64 makes it: the engine and PyTorch both
    met that infinity (without it mpmath would go on to numbers of thousands of digits)."""
    if not mp.isnan(out.a) and abs(out.a) > FLOAT_MAX:
        out.a = mp.inf if out.a > 0 else -mp.inf
    return out


def call(name: str, *operands: object, constant: float | None = None) -> Jet:
    """The row ``name`` on jets (a call as ``tests.strategies.Program.on`` makes it; numbers are constants)."""
    xs = [x if isinstance(x, Jet) else Jet(x) for x in operands]
    if name in UNARY:
        out = _unary(xs[0], *UNARY[name](xs[0].a))
    elif name == "pow_const":
        out = _unary(xs[0], *_power_orders(xs[0].a, mp.mpf(constant)))
    elif name == "leaky_relu":
        slope = mp.mpf(constant)
        out = _unary(xs[0], *((xs[0].a, 1, 0) if xs[0].a > 0 else (slope * xs[0].a, slope, 0)))
    elif name in ("add", "mul", "div", "pow"):
        out = {"add": _add, "mul": _mul, "div": _div, "pow": _pow}[name](xs[0], xs[1])
    elif name in ("sum", "weighted_sum"):
        n = len(xs) // 2 if name == "weighted_sum" else 0
        terms = [*xs[2 * n :], *(_mul(xs[k], xs[k + n]) for k in range(n))]  # the bias first, as the engine
        out = Jet(*(mp.fsum([getattr(t, part) for t in terms]) for part in "abcd"))
    else:
        raise KeyError(f"no exact rule for the row {name!r}")
    return _finite(out)


def exact_entry(program, point: Sequence[float], entry: str) -> float:
    """The entry ``value``, ``d/dx{i}`` or ``d2/dx{i}dx{j}`` of ``program`` at ``point``, to 60 significant digits."""
    indices = [int(i) for i in entry.split("/")[1].replace("dx", " ").split()] if entry != "value" else []
    with mp.workdps(DIGITS):
        xs = [Jet(x) for x in point]
        if indices:
            xs[indices[0]].b = mp.mpf(1)
        if len(indices) == 2:
            xs[indices[1]].c = mp.mpf(1)
        out = program.on(call, xs)
        return float({0: out.a, 1: out.b, 2: out.d}[len(indices)])
