"""grad, value_and_grad, jacobian and gradcheck on functions of several scalars."""

from __future__ import annotations

import math

import pytest

from autograd import grad, gradcheck, hessian, jacobian, value_and_grad


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


# -- the vector form: f maps a list of Values to a list of Values ------------------------------


def _vector_f(v):
    """f: R^3 -> R^2, f(v) = (v0 v1 + sin v2, exp(v0) / (1 + v2^2))."""
    return [v[0] * v[1] + v[2].sin(), v[0].exp() / (1 + v[2] ** 2)]


def test_jacobian_of_a_vector_function_of_a_vector_matches_pytorch():
    torch = pytest.importorskip("torch")
    point = [0.3, -1.2, 0.7]
    J = jacobian(_vector_f)(point)
    expected = torch.autograd.functional.jacobian(
        lambda t: torch.stack([t[0] * t[1] + torch.sin(t[2]), torch.exp(t[0]) / (1 + t[2] ** 2)]),
        torch.tensor(point, dtype=torch.float64),
    )
    assert len(J) == 2 and all(len(row) == 3 for row in J)
    for i in range(2):
        assert J[i] == pytest.approx(expected[i].tolist(), rel=1e-12, abs=1e-15)


def test_vector_form_accepts_a_tuple_and_a_1d_numpy_array():
    np = pytest.importorskip("numpy")
    expected = jacobian(_vector_f)([0.3, -1.2, 0.7])
    assert jacobian(_vector_f)((0.3, -1.2, 0.7)) == expected
    assert jacobian(_vector_f)(np.array([0.3, -1.2, 0.7])) == expected


def test_grad_and_hessian_in_the_vector_form_match_the_scalar_form():
    def f_vector(v):
        return v[0] ** 2 * v[1] + v[1].tanh()

    def f_scalars(x, y):
        return x**2 * y + y.tanh()

    assert grad(f_vector)([1.5, -0.5]) == list(grad(f_scalars)(1.5, -0.5))
    assert isinstance(grad(f_vector)([1.5, -0.5]), list)
    assert isinstance(grad(f_scalars)(1.5, -0.5), tuple)
    assert hessian(f_vector)([1.5, -0.5]) == hessian(f_scalars)(1.5, -0.5)
    assert hessian(f_vector)([1.5, -0.5])[0][1] == pytest.approx(2 * 1.5)


def test_a_two_dimensional_array_is_refused_with_its_shape():
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match=r"1-D, got an array of shape \(2, 2\)"):
        jacobian(_vector_f)(np.zeros((2, 2)))
