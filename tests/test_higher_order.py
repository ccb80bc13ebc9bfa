"""Gradients of gradients: backward(create_graph=True) and hessian()."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, hessian
from tests.strategies import UNARY


def derivatives(f, x0: float, order: int) -> list[float]:
    """[f'(x0), f''(x0), ...] by repeated backward(create_graph=True)."""
    x = Value(x0)
    y = f(x)
    found = []
    for _ in range(order):
        x.grad = 0.0
        y.backward(create_graph=True)
        y = x.grad
        found.append(y.data if isinstance(y, Value) else float(y))
        if not isinstance(y, Value):
            y = Value(y)
    return found


@given(st.floats(-5, 5))
def test_second_and_third_derivatives_of_a_cube(x0):
    first, second, third = derivatives(lambda x: x**3, x0, 3)
    assert first == pytest.approx(3 * x0**2, rel=1e-12, abs=1e-12)
    assert second == pytest.approx(6 * x0, rel=1e-12, abs=1e-12)
    assert third == pytest.approx(6.0, rel=1e-12)


def test_create_graph_makes_grad_a_value_that_can_be_differentiated():
    x = Value(2.0)
    (x**3).backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value) and g.data == 12.0
    x.grad = 0.0
    g.backward()
    assert x.grad == 12.0  # d/dx 3x^2 = 6x at 2


@pytest.mark.parametrize("name, op, fn, torch_op, domain", UNARY, ids=[row[0] for row in UNARY])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_second_derivative_of_every_operation_matches_pytorch(name, op, fn, torch_op, domain, data):
    torch = pytest.importorskip("torch")
    x0 = data.draw(domain)
    _, second = derivatives(op, x0, 2)
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch_op(torch, t), t, create_graph=True)
    if g.requires_grad:
        (h,) = torch.autograd.grad(g, t)
        expected = h.item()
    else:
        expected = 0.0
    assert second == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_hessian_of_two_variable_function_matches_hand_derivation():
    # f = x^2 y + sin(y) e^x
    def f(x, y):
        return x**2 * y + y.sin() * x.exp()

    x0, y0 = 0.7, -1.3
    H = hessian(f)(x0, y0)
    expected = [
        [2 * y0 + math.sin(y0) * math.exp(x0), 2 * x0 + math.cos(y0) * math.exp(x0)],
        [2 * x0 + math.cos(y0) * math.exp(x0), -math.sin(y0) * math.exp(x0)],
    ]
    for row, expected_row in zip(H, expected):
        assert row == pytest.approx(expected_row, rel=1e-12)


def test_hessian_matches_pytorch_and_is_symmetric():
    torch = pytest.importorskip("torch")

    def f(x, y, z):
        return (x * y + z).tanh() * (y**2 + 1).log() + (x / (z * z + 1)).sigmoid()

    point = (0.3, -0.8, 1.1)
    H = hessian(f)(*point)
    expected = torch.autograd.functional.hessian(
        lambda v: (
            torch.tanh(v[0] * v[1] + v[2]) * torch.log(v[1] ** 2 + 1) + torch.sigmoid(v[0] / (v[2] * v[2] + 1))
        ),
        torch.tensor(point, dtype=torch.float64),
    )
    for i in range(3):
        for j in range(3):
            assert H[i][j] == pytest.approx(expected[i, j].item(), rel=1e-10, abs=1e-12)
            assert H[i][j] == pytest.approx(H[j][i], rel=1e-12, abs=1e-14)


def test_hessian_of_a_linear_function_is_zero():
    assert hessian(lambda x, y: 3 * x - y + 1)(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]


def test_create_graph_seed_and_accumulation():
    x = Value(3.0)
    y = x * x
    y.backward(create_graph=True)
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 12.0  # 2 * (2x) accumulated
