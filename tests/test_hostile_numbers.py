"""Numbers at the edges, against PyTorch float64: NaN, infinities, zero, division, deep graphs.

Each test is a reproduction from the reliability review; the oracle is PyTorch
(or Python's own float arithmetic for division).
"""

from __future__ import annotations

import copy
import math
import pickle
import random

import pytest

from autograd import Value

torch = pytest.importorskip("torch")

NAN, INF = math.nan, math.inf


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _engine(f, *xs: float) -> tuple[float, list[float]]:
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


def _torch(f, *xs: float) -> tuple[float, list[float]]:
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = f(*ts)
    out.backward()
    return out.item(), [t.grad.item() for t in ts]


EDGES = [
    ("relu(nan)", lambda x: x.relu(), torch.relu, (NAN,)),
    ("relu(-0.0)", lambda x: x.relu(), torch.relu, (-0.0,)),
    ("leaky_relu(nan)", lambda x: x.leaky_relu(), torch.nn.functional.leaky_relu, (NAN,)),
    ("abs(nan)", abs, torch.abs, (NAN,)),
    ("x**0 at 0", lambda x: x**0, lambda t: t**0, (0.0,)),
    ("x**0.5 at 0", lambda x: x**0.5, lambda t: t**0.5, (0.0,)),
    ("x**y at (0, 0)", lambda x, y: x**y, lambda x, y: x**y, (0.0, 0.0)),
    ("sin(inf)", lambda x: x.sin(), torch.sin, (INF,)),
    ("cos(-inf)", lambda x: x.cos(), torch.cos, (-INF,)),
    ("tan(inf)", lambda x: x.tan(), torch.tan, (INF,)),
    ("tanh(nan)", lambda x: x.tanh(), torch.tanh, (NAN,)),
    ("sigmoid(nan)", lambda x: x.sigmoid(), torch.sigmoid, (NAN,)),
    ("exp(nan)", lambda x: x.exp(), torch.exp, (NAN,)),
    ("nan * 0", lambda x, y: x * y, lambda x, y: x * y, (NAN, 0.0)),
    ("49 / 49", lambda x, y: x / y, lambda x, y: x / y, (49.0, 49.0)),
    ("1e-310 / 1e-310", lambda x, y: x / y, lambda x, y: x / y, (1e-310, 1e-310)),
    ("1 / 1e-310", lambda x, y: x / y, lambda x, y: x / y, (1.0, 1e-310)),
]


@pytest.mark.parametrize("case, f, torch_f, xs", EDGES, ids=[row[0] for row in EDGES])
def test_value_and_gradient_at_the_edges_match_pytorch(case, f, torch_f, xs):
    value, grads = _engine(f, *xs)
    t_value, t_grads = _torch(torch_f, *xs)
    assert _same(value, t_value), f"{case}: {value} vs PyTorch {t_value}"
    assert math.copysign(1, value) == math.copysign(1, t_value) or math.isnan(value)
    assert all(_same(g, t) for g, t in zip(grads, t_grads)), f"{case}: {grads} vs {t_grads}"


def test_division_is_one_operation_drawn_as_a_slash():
    x, y = Value(6.0), Value(4.0)
    q = x / y
    assert q.op == "/" and q.parents == (x, y)
    assert q.partials() == (0.25, -6.0 / 16.0)
    assert (2.0 / y).op == "/" and (2.0 / y).data == 0.5


def test_division_gives_pythons_quotient_exactly_and_pytorchs_gradients():
    rng = random.Random(9)
    for _ in range(2000):
        a = rng.uniform(-100, 100) * 10 ** rng.randint(-6, 6)
        b = rng.choice([-1, 1]) * rng.uniform(1e-3, 100) * 10 ** rng.randint(-6, 6)
        value, (da, db) = _engine(lambda x, y: x / y, a, b)
        assert value == a / b
        t_value, (t_da, t_db) = _torch(lambda x, y: x / y, a, b)
        assert value == t_value
        assert da == pytest.approx(t_da, rel=1e-15) and db == pytest.approx(t_db, rel=1e-15)


def test_division_by_zero_is_an_error_naming_the_operands():
    # PyTorch gives inf or nan here; chainrule stops at the operation (see the README's Guarantees).
    with pytest.raises(ZeroDivisionError, match=r"division: 2\.0 / 0\.0 divides by zero"):
        Value(2.0) / 0
    with pytest.raises(ZeroDivisionError, match="divides by zero"):
        1 / Value(0.0)


def _chain(depth: int) -> tuple[Value, Value]:
    x = Value(1.0, label="x")
    y = x
    for _ in range(depth):
        y = y * 1.00001 + 0.5
    return x, y


@pytest.mark.slow
@pytest.mark.parametrize("copier", [copy.deepcopy, lambda v: pickle.loads(pickle.dumps(v))],
                         ids=["deepcopy", "pickle"])
def test_graphs_100000_deep_copy_and_pickle_without_recursion(copier):
    x, y = _chain(100_000)
    copied = copier(y)
    assert copied is not y and copied.data == y.data and copied.op == y.op
    copied.backward()
    y.backward()
    (leaf,) = [n for n in _leaves(copied) if n.label == "x"]
    assert leaf is not x and leaf.grad == x.grad and leaf.data == 1.0


def _leaves(root: Value) -> list[Value]:
    from autograd import topological_order

    return [n for n in topological_order(root) if n.is_leaf]


def test_a_copied_graph_keeps_shared_nodes_shared_and_labels():
    a = Value(3.0, label="a")
    b = a * a + a.leaky_relu(0.2)
    b.label = "b"
    c = copy.deepcopy(b)
    mul, leaky = c.parents[0], c.parents[1]
    assert c.label == "b" and mul.parents[0] is mul.parents[1] is leaky.parents[0]
    assert leaky.op == "LeakyReLU(0.2)"
    c.backward()
    assert mul.parents[0].grad == 2 * 3.0 + 1.0
