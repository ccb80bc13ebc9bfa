"""Every operation's value and gradient against three independent oracles:
central finite differences, PyTorch in float64, and micrograd where it has the op."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradcheck
from tests.strategies import BINARY, UNARY


def central_difference(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name, op, fn, _torch_op, domain", UNARY, ids=[row[0] for row in UNARY])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_unary_value_and_gradient_match_float_math_and_finite_differences(
    name, op, fn, _torch_op, domain, data
):
    x = data.draw(domain)
    v = Value(x)
    out = op(v)
    out.backward()
    assert out.data == pytest.approx(fn(x), rel=1e-12, abs=1e-12)
    assert v.grad == pytest.approx(central_difference(fn, x), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name, op, fn, _torch_op, strategies", BINARY, ids=[row[0] for row in BINARY])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_binary_gradients_match_finite_differences(name, op, fn, _torch_op, strategies, data):
    x, y = data.draw(strategies[0]), data.draw(strategies[1])
    result = gradcheck(op, [x, y])
    assert result.ok, str(result)
    assert op(Value(x), Value(y)).data == pytest.approx(fn(x, y), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name, op, fn, torch_op, domain", UNARY, ids=[row[0] for row in UNARY])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_value_and_gradient_match_pytorch_float64(name, op, fn, torch_op, domain, data):
    torch = pytest.importorskip("torch")
    x = data.draw(domain)
    v = Value(x)
    out = op(v)
    out.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch_out = torch_op(torch, t)
    torch_out.backward()
    assert out.data == pytest.approx(torch_out.item(), rel=1e-12, abs=1e-14)
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("name, op, fn, torch_op, strategies", BINARY, ids=[row[0] for row in BINARY])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_binary_value_and_gradients_match_pytorch_float64(name, op, fn, torch_op, strategies, data):
    torch = pytest.importorskip("torch")
    x, y = data.draw(strategies[0]), data.draw(strategies[1])
    a, b = Value(x), Value(y)
    out = op(a, b)
    out.backward()
    ta = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(y, dtype=torch.float64, requires_grad=True)
    torch_out = torch_op(ta, tb)
    torch_out.backward()
    assert out.data == pytest.approx(torch_out.item(), rel=1e-12, abs=1e-14)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-10, abs=1e-14)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("x", [-2.0, 0.0, 3.0])
@pytest.mark.parametrize("name", ["relu", "leaky_relu", "abs"])
def test_kinked_operations_take_pytorchs_derivative_at_and_around_zero(name, x):
    torch = pytest.importorskip("torch")
    v = Value(x)
    getattr(v, name)().backward() if name != "abs" else abs(v).backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch_fn = {
        "relu": torch.relu,
        "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
        "abs": torch.abs,
    }[name]
    torch_fn(t).backward()
    assert v.grad == t.grad.item()


def test_relu_derivative_at_zero_is_zero():
    v = Value(0.0)
    v.relu().backward()
    assert v.grad == 0.0


# -- micrograd, the peer engine, on the operations it shares ------------------

MICROGRAD_SHARED = [
    ("add", lambda a, b: a + b),
    ("radd", lambda a, b: 3 + a + b),
    ("mul", lambda a, b: a * b),
    ("rmul", lambda a, b: 2 * a * b),
    ("sub", lambda a, b: a - b),
    ("rsub", lambda a, b: 1 - a - b),
    ("div", lambda a, b: a / b),
    ("rdiv", lambda a, b: 2 / b + a),
    ("neg", lambda a, b: -a * b),
    ("pow_const", lambda a, b: a**3 + b**2),
    ("relu", lambda a, b: (a * b).relu() + a.relu()),
    ("mixed", lambda a, b: ((a * b + b**2) / (a - 10)).relu() * a + (b - a) ** 2),
]


@pytest.mark.parametrize("name, f", MICROGRAD_SHARED, ids=[row[0] for row in MICROGRAD_SHARED])
@settings(max_examples=30, deadline=None)
@given(x=st.floats(-5, 5), y=st.floats(0.5, 5))
def test_shared_operations_match_micrograd(name, f, x, y):
    micrograd = pytest.importorskip("micrograd.engine")
    a, b = Value(x), Value(y)
    out = f(a, b)
    out.backward()
    ma, mb = micrograd.Value(x), micrograd.Value(y)
    m_out = f(ma, mb)
    m_out.backward()
    assert out.data == pytest.approx(m_out.data, rel=1e-12, abs=1e-12)
    assert a.grad == pytest.approx(ma.grad, rel=1e-12, abs=1e-12)
    assert b.grad == pytest.approx(mb.grad, rel=1e-12, abs=1e-12)


# -- numerical stability at extreme arguments ---------------------------------

@pytest.mark.parametrize(
    "name, x, expected, expected_grad",
    [
        ("tanh", 1000.0, 1.0, 0.0),
        ("tanh", -1000.0, -1.0, 0.0),
        ("sigmoid", 1000.0, 1.0, 0.0),
        ("sigmoid", -1000.0, 0.0, 0.0),
        ("softplus", 1000.0, 1000.0, 1.0),
        ("softplus", -1000.0, 0.0, 0.0),
        ("swish", 1000.0, 1000.0, 1.0),
        ("swish", -1000.0, 0.0, 0.0),
    ],
)
def test_saturating_functions_stay_finite_at_extreme_arguments(name, x, expected, expected_grad):
    v = Value(x)
    out = getattr(v, name)()
    out.backward()
    assert out.data == pytest.approx(expected, abs=1e-300)
    assert math.isfinite(v.grad)
    assert v.grad == pytest.approx(expected_grad, abs=1e-300)


def test_exp_overflow_is_ieee_infinity_like_pytorch():
    torch = pytest.importorskip("torch")
    v = Value(1000.0)
    out = v.exp()
    out.backward()
    t = torch.tensor(1000.0, dtype=torch.float64, requires_grad=True)
    torch.exp(t).backward()
    assert out.data == math.inf == t.exp().item()
    assert v.grad == math.inf == t.grad.item()


def test_sqrt_derivative_at_zero_is_infinite_like_pytorch():
    v = Value(0.0)
    out = v.sqrt()
    out.backward()
    assert out.data == 0.0
    assert v.grad == math.inf


def test_value_exponent_gets_gradient_x_pow_y_log_x():
    x, y = Value(2.0), Value(3.0)
    (x**y).backward()
    assert x.grad == pytest.approx(3 * 2.0**2)
    assert y.grad == pytest.approx(8.0 * math.log(2.0))


def test_constant_base_power_sends_gradient_to_exponent():
    v = Value(3.0)
    out = 2**v
    out.backward()
    assert out.data == 8.0
    assert v.grad == pytest.approx(8.0 * math.log(2.0), rel=1e-15)
