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

from autograd import Value, hessian
from tests.float64_oracle import disagreements, engine_orders, torch_orders

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


# Value, gradient and Hessian at the extremes, each a reproduction from the third
# reliability review (issue 17), against PyTorch float64 at every order.
F = torch.nn.functional
EXTREMES = [
    ("0 / 1e-200", lambda x, y: x / y, lambda x, y: x / y, (0.0, 1e-200)),
    ("1e-300 / 1e-170", lambda x, y: x / y, lambda x, y: x / y, (1e-300, 1e-170)),
    ("1e300 / 1e200", lambda x, y: x / y, lambda x, y: x / y, (1e300, 1e200)),
    ("nan / 1e-200", lambda x, y: x / y, lambda x, y: x / y, (NAN, 1e-200)),
    ("x / x at 1e-308", lambda x: x / x, lambda x: x / x, (1e-308,)),
    ("x**400 at -10", lambda x: x**400, lambda x: x**400, (-10.0,)),
    ("x**-2 at -1e-308", lambda x: x**-2, lambda x: x**-2, (-1e-308,)),
    ("x**3 at -1e103", lambda x: x**3, lambda x: x**3, (-1e103,)),
    ("x**y at (-10, 400)", lambda x, y: x**y, lambda x, y: x**y, (-10.0, 400.0)),
    ("x**y at (-1e-308, -2)", lambda x, y: x**y, lambda x, y: x**y, (-1e-308, -2.0)),
    ("sqrt at 0", lambda x: x.sqrt(), torch.sqrt, (0.0,)),
    ("x**0.5 at 0", lambda x: x**0.5, lambda x: x**0.5, (0.0,)),
    ("x**1.5 at 0", lambda x: x**1.5, lambda x: x**1.5, (0.0,)),
    ("(-2)**x at 3", lambda x: (-2.0) ** x, lambda x: torch.tensor(-2.0, dtype=torch.float64) ** x, (3.0,)),
    ("x**y at (0, nan)", lambda x, y: x**y, lambda x, y: x**y, (0.0, NAN)),
    ("log(x) at 5e-324", lambda x: x.log(), torch.log, (5e-324,)),
    ("softplus at 20.5", lambda x: x.softplus(), F.softplus, (20.5,)),
    ("softplus at 20", lambda x: x.softplus(), F.softplus, (20.0,)),
    ("softplus at 25", lambda x: x.softplus(), F.softplus, (25.0,)),
    ("softplus at -700", lambda x: x.softplus(), F.softplus, (-700.0,)),
    ("swish at -1e300", lambda x: x.swish(), F.silu, (-1e300,)),
    ("sigmoid at -710", lambda x: x.sigmoid(), torch.sigmoid, (-710.0,)),
    ("sigmoid(x) * y at (-710, inf)", lambda x, y: x.sigmoid() * y, lambda x, y: torch.sigmoid(x) * y, (-710.0, INF)),
    ("swish at -710", lambda x: x.swish(), F.silu, (-710.0,)),
]


@pytest.mark.parametrize("case, f, torch_f, xs", EXTREMES, ids=[row[0] for row in EXTREMES])
def test_value_gradient_and_hessian_at_the_extremes_match_pytorch(case, f, torch_f, xs):
    # no absolute tolerance: -1e-100 against 0 is a disagreement here
    found = disagreements(engine_orders(f, xs), torch_orders(torch, torch_f, xs), abs_=0.0)
    assert not found, f"{case}: {found}"


@pytest.mark.parametrize("f", [lambda x: x.sqrt(), lambda x: x**0.5], ids=["sqrt", "x**0.5"])
def test_a_gradients_graph_at_an_infinite_derivative_holds_inf_not_an_error(f):
    x = Value(0.0)
    f(x).backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == INF
    assert hessian(f)(0.0) == [[-INF]]


def test_a_forward_pass_still_stops_at_a_domain_error_after_a_gradients_graph_was_built():
    x = Value(0.0)
    x.sqrt().backward(create_graph=True)  # gives inf inside the gradient's graph...
    with pytest.raises(ValueError, match="sqrt: operand must be >= 0"):
        Value(-1.0).sqrt()  # ...and the learner's own forward pass still raises
    with pytest.raises(ZeroDivisionError, match="divides by zero"):
        Value(1.0) / 0.0


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
