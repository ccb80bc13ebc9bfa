"""Shared test data: the registry of unary operations and hypothesis strategies.

Each registry row is (name, Value function, float function, torch function,
domain) so one parametrised test checks every operation against every oracle.
Inputs are drawn inside each function's domain (log and sqrt on positives).
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

from autograd import Value


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


POSITIVE = st.floats(min_value=0.1, max_value=20.0)
ANY = st.floats(min_value=-8.0, max_value=8.0)
# Away from kinks (relu, leaky_relu, abs at 0), where a central difference is wrong.
AWAY_FROM_ZERO = ANY.filter(lambda x: abs(x) > 1e-3)

# name, Value op, float op, torch op (given the torch module), input strategy
UNARY = [
    ("exp", lambda v: v.exp(), math.exp, lambda t, x: t.exp(x), ANY),
    ("log", lambda v: v.log(), math.log, lambda t, x: t.log(x), POSITIVE),
    ("sqrt", lambda v: v.sqrt(), math.sqrt, lambda t, x: t.sqrt(x), POSITIVE),
    ("tanh", lambda v: v.tanh(), math.tanh, lambda t, x: t.tanh(x), ANY),
    ("sigmoid", lambda v: v.sigmoid(), _sigmoid, lambda t, x: t.sigmoid(x), ANY),
    ("relu", lambda v: v.relu(), lambda x: max(0.0, x), lambda t, x: t.relu(x), AWAY_FROM_ZERO),
    (
        "leaky_relu",
        lambda v: v.leaky_relu(),
        lambda x: x if x > 0 else 0.01 * x,
        lambda t, x: t.nn.functional.leaky_relu(x, 0.01),
        AWAY_FROM_ZERO,
    ),
    (
        "leaky_relu_0.2",
        lambda v: v.leaky_relu(0.2),
        lambda x: x if x > 0 else 0.2 * x,
        lambda t, x: t.nn.functional.leaky_relu(x, 0.2),
        AWAY_FROM_ZERO,
    ),
    ("swish", lambda v: v.swish(), lambda x: x * _sigmoid(x), lambda t, x: t.nn.functional.silu(x), ANY),
    ("silu", lambda v: v.silu(), lambda x: x * _sigmoid(x), lambda t, x: t.nn.functional.silu(x), ANY),
    (
        "softplus",
        lambda v: v.softplus(),
        lambda x: math.log1p(math.exp(x)),
        lambda t, x: t.nn.functional.softplus(x),
        ANY,
    ),
    ("sin", lambda v: v.sin(), math.sin, lambda t, x: t.sin(x), ANY),
    ("cos", lambda v: v.cos(), math.cos, lambda t, x: t.cos(x), ANY),
    ("abs", lambda v: abs(v), abs, lambda t, x: t.abs(x), AWAY_FROM_ZERO),
    ("neg", lambda v: -v, lambda x: -x, lambda t, x: -x, ANY),
    ("square", lambda v: v**2, lambda x: x**2, lambda t, x: x**2, ANY),
    ("cube", lambda v: v**3, lambda x: x**3, lambda t, x: x**3, ANY),
    ("pow_-1.5", lambda v: v**-1.5, lambda x: x**-1.5, lambda t, x: x**-1.5, POSITIVE),
    ("two_pow", lambda v: 2**v, lambda x: 2.0**x, lambda t, x: 2.0**x, ANY),
    ("reciprocal", lambda v: 1 / v, lambda x: 1 / x, lambda t, x: 1 / x, POSITIVE),
]

# name, Value op, float op, torch op, strategies for (x, y)
BINARY = [
    ("add", lambda a, b: a + b, lambda x, y: x + y, lambda x, y: x + y, (ANY, ANY)),
    ("sub", lambda a, b: a - b, lambda x, y: x - y, lambda x, y: x - y, (ANY, ANY)),
    ("mul", lambda a, b: a * b, lambda x, y: x * y, lambda x, y: x * y, (ANY, ANY)),
    ("div", lambda a, b: a / b, lambda x, y: x / y, lambda x, y: x / y, (ANY, POSITIVE)),
    ("pow", lambda a, b: a**b, lambda x, y: x**y, lambda x, y: x**y, (POSITIVE, st.floats(-3, 3))),
]


@st.composite
def expression_graphs(draw: st.DrawFn, n_inputs: int = 3) -> tuple[list[float], object]:
    """A random program over ``n_inputs`` variables that reuses subexpressions.

    Returns (input point, program); ``program(values)`` evaluates it on
    Values, building a DAG where earlier results feed later ones several times.
    Operations stay smooth and in domain (log and sqrt of a positive softplus).
    """
    point = [draw(st.floats(-2.0, 2.0)) for _ in range(n_inputs)]
    steps = []
    for i in range(draw(st.integers(1, 12))):
        available = n_inputs + i
        kind = draw(st.sampled_from(["add", "mul", "sub", "tanh", "sigmoid", "exp_small", "log_pos", "sq", "swish", "sin", "div_pos"]))
        a = draw(st.integers(0, available - 1))
        b = draw(st.integers(0, available - 1))
        steps.append((kind, a, b))

    def program(values: list[Value]) -> Value:
        nodes = list(values)
        for kind, a, b in steps:
            x, y = nodes[a], nodes[b]
            if kind == "add":
                out = x + y
            elif kind == "mul":
                out = x * y
            elif kind == "sub":
                out = x - y
            elif kind == "tanh":
                out = (x + y).tanh()
            elif kind == "sigmoid":
                out = x.sigmoid() * y
            elif kind == "exp_small":
                out = (0.3 * x.tanh()).exp()
            elif kind == "log_pos":
                out = (x.softplus() + 0.5).log()
            elif kind == "sq":
                out = x**2 + y
            elif kind == "swish":
                out = x.swish() - y
            elif kind == "sin":
                out = x.sin() * y.cos()
            else:
                out = x / (y * y + 1.0)
            nodes.append(out)
        total = nodes[-1]
        for node in nodes[:-1]:  # every intermediate result reaches the output
            total = total + 0.1 * node.tanh()
        return total

    program.steps = steps  # type: ignore[attr-defined]
    return point, program
