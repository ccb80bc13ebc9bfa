"""Construction, attributes and the Python protocol of Value (micrograd-compatible)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from autograd import Value


@pytest.mark.parametrize(
    "data", [2, 2.5, np.float64(2.5), np.float32(2.5), np.int64(2), np.int8(-3), Fraction(1, 4)]
)
def test_numbers_and_numpy_scalars_are_stored_as_float(data):
    v = Value(data)
    assert type(v.data) is float
    assert v.data == float(data)


@pytest.mark.parametrize("bad", ["2.0", None, [1.0], (1.0,), {1: 2}, 1 + 2j, np.array([1.0, 2.0])])
def test_non_numbers_are_refused_with_a_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_value_of_value_is_refused_with_a_hint():
    with pytest.raises(TypeError, match="already a Value"):
        Value(Value(1.0))


@pytest.mark.parametrize("flag", [True, False, np.bool_(True)])
def test_bool_is_refused_because_it_is_usually_a_comparison_by_mistake(flag):
    with pytest.raises(TypeError, match="bool"):
        Value(flag)


def test_lecture_constructor_signature_and_labels_set_later():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = Value(-6.0, (a, b), "*")
    e.label = "e"
    assert e.label == "e" and e._op == "*" and e._prev == (a, b)
    e.backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)


def test_constructor_takes_any_operation_name_but_backward_without_its_rule_names_it():
    a = Value(1.0)
    out = Value(1.0, (a,), "frobnicate")  # the lecture's way: its _backward comes next
    assert out.op == "frobnicate" and out._prev == (a,) and not out.is_leaf
    with pytest.raises(TypeError, match=r"'frobnicate'.*no _backward"):
        out.backward()
    with pytest.raises(ValueError, match="without an operation"):
        Value(1.0, (a,))
    with pytest.raises(TypeError, match="children must be Values"):
        Value(1.0, (a, 2.0), "+")


def test_children_are_an_ordered_tuple_that_keeps_duplicates():
    x = Value(3.0)
    y = Value(4.0)
    sq = x * x
    assert sq._prev == (x, x)
    assert (y - x)._prev[0] is y
    assert (x + y)._prev == (x, y)
    assert isinstance((2 + x)._prev, tuple) and (2 + x)._prev[1] is x


def test_square_by_self_multiplication_counts_both_edges():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_operation_symbols_and_public_graph_view():
    x = Value(2.0)
    assert x.is_leaf and x.op == "" and x.parents == ()
    y = x**2
    assert y._op == "**2" and y.op == "**2" and not y.is_leaf and y.parents == (x,)
    assert (x + 1).op == "+" and (x * 2).op == "*" and x.tanh().op == "tanh"
    assert y.partials() == (4.0,)
    assert (x * 5).partials() == (5.0, 2.0)


def test_numbers_work_on_either_side_of_every_operator():
    x = Value(2.0)
    assert (x + 1).data == (1 + x).data == 3.0
    assert (x - 1).data == 1.0 and (1 - x).data == -1.0
    assert (x * 3).data == (3 * x).data == 6.0
    assert (x / 4).data == 0.5 and (4 / x).data == 2.0
    assert (x**3).data == 8.0 and (3**x).data == 9.0
    assert (-x).data == -2.0 and abs(Value(-2.0)).data == 2.0


def test_unsupported_operand_types_raise_type_error():
    x = Value(2.0)
    for bad in ("a", None, [1]):
        with pytest.raises(TypeError):
            x + bad
        with pytest.raises(TypeError):
            bad * x


def test_float_repr_and_identity_hash():
    v = Value(2.5)
    v.grad = 1.5
    assert float(v) == 2.5
    assert repr(v) == "Value(data=2.5, grad=1.5)"
    w = Value(2.5)
    table = {v: "v", w: "w"}
    assert table[v] == "v" and table[w] == "w"
    assert v != w and v == v


def test_ordering_compares_data_and_returns_plain_bool():
    a, b = Value(1.0), Value(2.0)
    assert (a < b) is True and (b <= 2.0) is True and (a > 0) is True and (b >= 3) is False
    assert max([a, b], key=float) is b
    assert min([b, a]) is a


def test_leaky_relu_alpha_must_be_a_number():
    with pytest.raises(TypeError, match="alpha"):
        Value(1.0).leaky_relu("0.1")


def test_slots_mean_no_per_instance_dict():
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.typo = 3
