"""Shared test data derived from the one table of operations: per-operation rows and random graphs.

The operations come from ``autograd.ops.OPS`` and their oracles from
``tests/op_table.py`` (which a test keeps complete), so a new row of the table
is in every list here without an edit:

* :data:`UNARY` and :data:`BINARY`: (name, Value function, float function,
  torch function, input strategy) for each one- and two-operand row (and each
  constant it is tested with), plus Python's operators built from the rows
  (``-x``, ``x - y``, ``2 ** x``, ``1 / x``);
* :func:`expression_graphs` and :func:`random_graph`: random programs whose
  steps are rows of the table (:data:`GRAPH_STEPS` says how a step feeds each
  row from earlier nodes; a test checks it names every row).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from autograd import Value
from autograd.ops import OPS
from autograd.value import apply
from tests.op_table import ANY, AWAY_FROM_ZERO, EVERY_FLOAT, EXPONENT_EDGES, OP_CASES, POSITIVE


def _torch():
    import torch

    return torch


def _unary_rows() -> list[tuple]:
    rows = []
    for name, case in OP_CASES.items():
        op = OPS[name]
        if op.arity != 1:
            continue
        for constant in case.constants or (None,):
            extra = () if constant is None else (constant,)
            label = name if constant is None else f"{name}({constant:g})"
            bound = op if constant is None else op.bind(constant)
            for method in (name, *op.aliases) if op.method else (None,):
                rows.append((
                    label if method in (None, name) else method,
                    (lambda v, m=method, c=extra: getattr(v, m)(*c)) if method
                    else (lambda v, b=bound: apply(b, v)),
                    lambda x, f=case.f, c=extra: f(x, *c),
                    lambda t, x, f=case.torch_f, c=extra: f(t, x, *c),
                    case.domains[0],
                ))
    return rows


def _binary_rows() -> list[tuple]:
    return [
        (name, lambda a, b, op=OPS[name]: apply(op, a, b), case.f,
         lambda x, y, f=case.torch_f: f(_torch(), x, y), case.domains)
        for name, case in OP_CASES.items()
        if OPS[name].arity == 2
    ]


# name, Value function, float function, torch function (given the torch module), input strategy
UNARY = [
    *_unary_rows(),
    ("abs_operator", lambda v: abs(v), abs, lambda t, x: t.abs(x), AWAY_FROM_ZERO),
    ("neg", lambda v: -v, lambda x: -x, lambda t, x: -x, ANY),
    ("square", lambda v: v**2, lambda x: x**2, lambda t, x: x**2, ANY),
    ("cube", lambda v: v**3, lambda x: x**3, lambda t, x: x**3, ANY),
    ("pow_-1.5", lambda v: v**-1.5, lambda x: x**-1.5, lambda t, x: x**-1.5, POSITIVE),
    ("two_pow", lambda v: 2**v, lambda x: 2.0**x, lambda t, x: 2.0**x, ANY),
    ("reciprocal", lambda v: 1 / v, lambda x: 1 / x, lambda t, x: 1 / x, POSITIVE),
]

# name, Value function, float function, torch function (on tensors), strategies for (x, y)
BINARY = [
    *_binary_rows(),
    ("add_operator", lambda a, b: a + b, lambda x, y: x + y, lambda x, y: x + y, (ANY, ANY)),
    ("sub", lambda a, b: a - b, lambda x, y: x - y, lambda x, y: x - y, (ANY, ANY)),
    ("mul_operator", lambda a, b: a * b, lambda x, y: x * y, lambda x, y: x * y, (ANY, ANY)),
    ("div_operator", lambda a, b: a / b, lambda x, y: x / y, lambda x, y: x / y, (ANY, POSITIVE)),
    ("pow_operator", lambda a, b: a**b, lambda x, y: x**y, lambda x, y: x**y, (POSITIVE, st.floats(-3, 3))),
]


# -- random graphs whose steps are rows of the table ---------------------------

Call = Callable[..., object]
"""``call(row name, *operands, constant=None)``: the row applied on a backend (Values or tensors)."""


@dataclass(frozen=True)
class GraphStep:
    """How a random graph applies one row to two earlier nodes ``x`` and ``y``.

    ``build(call, x, y, tame)`` returns the new node; with ``tame`` operands are
    squashed into a range where the result stays moderate and smooth enough for
    central differences, without it they reach the row as they are (domain
    errors included: the fuzzer checks those are refused where PyTorch gives
    inf or NaN). ``kink``: the row has a point where a central difference is
    not its derivative.
    """

    build: Callable[[Call, object, object, bool], object]
    kink: bool = False


def _one(name: str) -> GraphStep:
    return GraphStep(lambda call, x, y, tame: call(name, x))


def _squash(call: Call, x: object, tame: bool) -> object:
    return call("mul", call("tanh", x), 0.3) if tame else x


def _positive(call: Call, x: object, tame: bool) -> object:
    return call("add", call("softplus", x), 0.5) if tame else call("abs", x)


GRAPH_STEPS: dict[str, GraphStep] = {
    "add": GraphStep(lambda call, x, y, tame: call("add", x, y)),
    "mul": GraphStep(lambda call, x, y, tame: call("mul", x, y)),
    "div": GraphStep(lambda call, x, y, tame: call(
        "div", x, call("add", call("mul", y, y), 1.0) if tame else y)),
    "sum": GraphStep(lambda call, x, y, tame: call("sum", x, y, x)),
    "weighted_sum": GraphStep(lambda call, x, y, tame: call("weighted_sum", x, y, y, x, 0.5)),
    "pow": GraphStep(lambda call, x, y, tame: call("pow", _positive(call, x, tame), _squash(call, y, tame))),
    "pow_const": GraphStep(lambda call, x, y, tame: call("pow_const", x, constant=2.0 if tame else 3.0)),
    "exp": GraphStep(lambda call, x, y, tame: call("exp", _squash(call, x, tame))),
    "log": GraphStep(lambda call, x, y, tame: call("log", _positive(call, x, tame))),
    "sqrt": GraphStep(lambda call, x, y, tame: call("sqrt", _positive(call, x, tame))),
    "tanh": GraphStep(lambda call, x, y, tame: call("tanh", call("add", x, y))),
    "sigmoid": GraphStep(lambda call, x, y, tame: call("mul", call("sigmoid", x), y)),
    "relu": GraphStep(lambda call, x, y, tame: call("relu", x), kink=True),
    "leaky_relu": GraphStep(lambda call, x, y, tame: call("leaky_relu", x, constant=0.2), kink=True),
    "swish": GraphStep(lambda call, x, y, tame: call("add", call("swish", x), call("mul", y, -1.0))),
    "softplus": _one("softplus"),
    "sin": GraphStep(lambda call, x, y, tame: call("mul", call("sin", x), call("cos", y))),
    "cos": _one("cos"),
    "tan": GraphStep(lambda call, x, y, tame: call("tan", _squash(call, x, tame))),
    "abs": GraphStep(lambda call, x, y, tame: call("abs", x), kink=True),
}
"""One entry per row of the table (a test checks it): how a random graph uses that row."""


def value_call(name: str, *operands: object, constant: float | None = None) -> Value:
    """The row ``name`` applied to Values (plain numbers become constant leaves)."""
    op = OPS[name] if constant is None else OPS[name].bind(constant)
    return apply(op, *[x if isinstance(x, Value) else Value(x) for x in operands])


def torch_call(torch) -> Call:
    """The same rows on float64 tensors, through ``tests/op_table.py``'s PyTorch forms."""

    def call(name: str, *operands: object, constant: float | None = None) -> object:
        ts = [x if isinstance(x, torch.Tensor) else torch.tensor(float(x), dtype=torch.float64) for x in operands]
        return OP_CASES[name].torch_f(torch, *ts, *(() if constant is None else (constant,)))

    return call


class Program:
    """A random program over n inputs: each step applies a row to two earlier nodes, reusing them.

    ``program(values)`` runs it on Values; :meth:`on` on any backend. Every
    intermediate result reaches the output (through ``0.1 tanh``), so every
    step is differentiated.
    """

    def __init__(self, steps: Sequence[tuple[str, int, int]], tame: bool) -> None:
        self.steps = list(steps)
        self.tame = tame

    def on(self, call: Call, inputs: Sequence[object]) -> object:
        nodes = list(inputs)
        for name, a, b in self.steps:
            nodes.append(GRAPH_STEPS[name].build(call, nodes[a], nodes[b], self.tame))
        total = nodes[-1]
        for node in nodes[:-1]:
            total = call("add", total, call("mul", call("tanh", node), 0.1))
        return total

    def __call__(self, values: Sequence[Value]) -> Value:
        return self.on(value_call, values)

    def __repr__(self) -> str:
        return f"Program({self.steps}, tame={self.tame})"


SMOOTH_ROWS = sorted(name for name, step in GRAPH_STEPS.items() if not step.kink)


@st.composite
def expression_graphs(draw: st.DrawFn, n_inputs: int = 3) -> tuple[list[float], Program]:
    """A random tame program of smooth rows over ``n_inputs`` variables, and a point in [-2, 2]."""
    point = [draw(st.floats(-2.0, 2.0)) for _ in range(n_inputs)]
    steps = []
    for i in range(draw(st.integers(1, 12))):
        available = n_inputs + i
        steps.append((draw(st.sampled_from(SMOOTH_ROWS)),
                      draw(st.integers(0, available - 1)), draw(st.integers(0, available - 1))))
    return point, Program(steps, tame=True)


def random_graph(rng: random.Random, n_inputs: int = 3, max_steps: int = 8) -> tuple[list[float], Program]:
    """A fuzzer's graph: every row, operands as they come, inputs drawn from the extremes half the time."""
    point = [_extreme_or_ordinary(rng) for _ in range(n_inputs)]
    steps = []
    for i in range(rng.randint(1, max_steps)):
        available = n_inputs + i
        steps.append((rng.choice(sorted(GRAPH_STEPS)), rng.randrange(available), rng.randrange(available)))
    return point, Program(steps, tame=rng.random() < 0.3)


def _extreme_or_ordinary(rng: random.Random) -> float:
    kind = rng.random()
    if kind < 0.5:
        return rng.choice(EVERY_FLOAT + EXPONENT_EDGES)
    if kind < 0.8:
        return rng.uniform(-3.0, 3.0)
    return math.copysign(10.0 ** rng.uniform(-320, 308), rng.random() - 0.5)
