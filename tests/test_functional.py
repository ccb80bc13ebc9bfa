"""grad, value_and_grad, jacobian and gradcheck on functions of several scalars."""

from __future__ import annotations

import math

import pytest

from autograd import grad, gradcheck, jacobian, value_and_grad


def test_grad_returns_a_tuple_with_one_partial_per_argument():
    f = lambda x, y: x * y + y.exp()
    assert grad(f)(3.0, 0.5) == pytest.approx((0.5, 3.0 + math.exp(0.5)), rel=1e-15)
    assert grad(lambda x: x**3)(2.0) == (12.0,)


def test_value_and_grad_returns_value_then_gradient():
    value, gradient = value_and_grad(lambda x, y: (x - y) ** 2)(5.0, 2.0)
    assert value == 9.0 and gradient == (6.0, -6.0)


def test_constant_function_has_zero_gradient():
    assert grad(lambda x, y: 4.0)(1.0, 2.0) == (0.0, 0.0)


def test_jacobian_rows_are_outputs_and_columns_are_inputs():
    J = jacobian(lambda x, y: [x * y, x + y, x.sin()])(2.0, 3.0)
    assert [[3.0, 2.0], [1.0, 1.0], [pytest.approx(math.cos(2.0)), 0.0]] == J


def test_jacobian_matches_pytorch():
    torch = pytest.importorskip("torch")
    point = (0.4, -1.2, 2.0)
    J = jacobian(lambda x, y, z: [(x * y).tanh(), y.sigmoid() * z, (z**2 + x).log()])(*point)
    expected = torch.autograd.functional.jacobian(
        lambda v: torch.stack([torch.tanh(v[0] * v[1]), torch.sigmoid(v[1]) * v[2], torch.log(v[2] ** 2 + v[0])]),
        torch.tensor(point, dtype=torch.float64),
    )
    for i in range(3):
        assert J[i] == pytest.approx(expected[i].tolist(), rel=1e-12, abs=1e-15)


def test_gradcheck_passes_on_smooth_function_and_reports_tiny_errors():
    result = gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, [0.3, 1.2])
    assert result.ok and bool(result)
    assert result.max_abs_error < 1e-8 and result.max_rel_error < 1e-8
    assert result.analytic[0][0] == pytest.approx(result.numeric[0][0], rel=1e-8)
    assert "passed" in str(result)


def test_gradcheck_fails_at_a_kink_where_finite_differences_disagree():
    # At x = 0, relu's derivative is 0 (PyTorch's choice) but the central difference is 1/2.
    result = gradcheck(lambda x: x.relu(), [0.0])
    assert not result.ok
    assert result.max_abs_error == pytest.approx(0.5, rel=1e-6)
    assert result.worst == (0, 0)
    assert "FAILED" in str(result)


def test_gradcheck_tolerances_bite():
    f = lambda x: x**3
    # With eps = 1e-2 the central difference of x^3 is off by eps^2 = 1e-4.
    assert not gradcheck(f, [1.0], eps=1e-2, atol=1e-6, rtol=1e-6)
    assert gradcheck(f, [1.0], eps=1e-2, atol=2e-4, rtol=0)


def test_bad_arguments_are_clear_errors():
    with pytest.raises(TypeError, match="argument 1"):
        grad(lambda x, y: x * y)(1.0, "2")
    with pytest.raises(TypeError, match="output"):
        grad(lambda x: "nope")(1.0)
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: 1.0, [])
    with pytest.raises(ValueError, match="eps must be > 0"):
        gradcheck(lambda x: x, [1.0], eps=0)
