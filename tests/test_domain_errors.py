"""Domain errors raise at the operation that caused them, naming it and its operand."""

from __future__ import annotations

import pytest

from autograd import Value


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_non_positive_raises_value_error_naming_log_and_operand(x):
    with pytest.raises(ValueError, match=rf"log: operand must be > 0, got {x!r}"):
        Value(x).log()


def test_sqrt_of_negative_raises_value_error():
    with pytest.raises(ValueError, match=r"sqrt: operand must be >= 0, got -4.0"):
        Value(-4.0).sqrt()


@pytest.mark.parametrize(
    "divide", [lambda: Value(1.0) / 0, lambda: Value(1.0) / Value(0.0), lambda: 3 / Value(0.0)]
)
def test_division_by_zero_raises_zero_division_error_naming_division(divide):
    with pytest.raises(ZeroDivisionError, match="division"):
        divide()


def test_negative_base_with_non_integer_exponent_raises_value_error():
    with pytest.raises(ValueError, match=r"pow: a negative base \(-2.0\) needs an integer exponent"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0) ** Value(1.5)


def test_negative_base_with_integer_exponent_is_fine():
    x = Value(-2.0)
    out = x**3
    out.backward()
    assert out.data == -8.0 and x.grad == 12.0


def test_zero_to_a_negative_power_raises_zero_division_error():
    with pytest.raises(ZeroDivisionError, match="pow"):
        Value(0.0) ** -1


def test_backward_seed_must_be_a_number():
    with pytest.raises(TypeError, match="backward grad"):
        Value(1.0).backward("1")


def test_failed_operation_leaves_its_operands_untouched():
    x = Value(-1.0)
    with pytest.raises(ValueError):
        x.log()
    assert x.data == -1.0 and x.grad == 0.0 and x.is_leaf
