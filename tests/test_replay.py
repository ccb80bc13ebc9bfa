"""Replay mode: a traced tape gives bit-for-bit the numbers of building the graph afresh."""

from __future__ import annotations

import math
import operator
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import TraceError, Value, trace, weighted_sum
from nn import MLP
from tests.strategies import expression_graphs


def _graph_mode(f, xs: list[float]) -> tuple[float, tuple[float, ...]]:
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, tuple(leaf.grad for leaf in leaves)


@settings(max_examples=80, deadline=None)
@given(expression_graphs(), st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_replay_of_a_random_graph_at_new_inputs_is_bit_identical_to_graph_mode(graph, new_point):
    point, program = graph
    f = lambda *xs: program(list(xs))
    tape = trace(f, *point)
    for at in (point, new_point):
        try:
            expected = _graph_mode(f, at)
        except (ValueError, ZeroDivisionError):
            continue  # outside the domain at this point: graph mode refuses, as replay does
        assert tape(*at) == expected[0]
        assert tape.value_and_grad(*at) == expected


@pytest.mark.parametrize("activation", ["relu", "swish", "sigmoid"])
def test_replay_of_an_mlp_loss_with_parameters_and_data_as_inputs_matches_graph_mode(activation):
    rng = random.Random(5)
    model = MLP(3, [4, 3, 2], activation=activation, seed=2)
    params = model.parameters()
    X = [[Value(rng.uniform(-1, 1)) for _ in range(3)] for _ in range(6)]
    Y = [[Value(rng.uniform(-1, 1)) for _ in range(2)] for _ in range(6)]
    data = [v for row in X + Y for v in row]

    def loss(*_: Value) -> Value:  # the mean squared error, with the targets as Values
        outputs = [model(x) for x in X]
        return autograd.sum([(o - t) ** 2 for out, y in zip(outputs, Y) for o, t in zip(out, y)]) / 12

    tape = trace(loss, *params, *data)
    for trial in range(3):
        weights = [rng.uniform(-1, 1) for _ in params]
        numbers = [rng.uniform(-1, 1) for _ in data]
        value, grads = tape.value_and_grad(*weights, *numbers)
        for p, w in zip(params, weights):
            p.data, p.grad = w, 0.0
        for v, x in zip(data, numbers):
            v.data, v.grad = x, 0.0
        out = loss()
        out.backward()
        assert value == out.data, trial
        assert grads == tuple(v.grad for v in [*params, *data]), trial


def test_a_weighted_sum_with_an_operand_used_twice_replays_like_the_graph():
    f = lambda x, y: weighted_sum([x, y, x], [x, x, y], y) * autograd.sum([x, y, x])
    tape = trace(f, 0.3, -1.7)
    for at in ([0.3, -1.7], [1.1, 0.25], [-2.0, 3.0]):
        assert tape.value_and_grad(*at) == _graph_mode(f, at)


def test_comparing_values_while_tracing_is_an_error_that_says_why():
    def branching(x: Value) -> Value:
        return x * 2 if x > 0 else x * 3

    with pytest.raises(TraceError, match=r"comparison of Values while tracing.*frozen"):
        trace(branching, 1.0)
    assert Value(1.0) > 0  # outside a trace, comparisons work as before


def test_tape_refuses_a_wrong_number_of_inputs_and_non_numbers():
    tape = trace(lambda x, y: x * y, 2.0, 3.0)
    assert repr(tape) == "Tape(2 inputs, 1 operations)"
    with pytest.raises(TypeError, match="takes 2 inputs"):
        tape(1.0)
    with pytest.raises(TypeError, match="tape input 1 must be a real number"):
        tape(1.0, "x")


def test_an_example_input_must_be_a_number_or_a_leaf():
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"example input 0 is a Value computed by '\*'"):
        trace(lambda v: v + 1, x * 2)


def test_values_read_from_outside_are_constants_of_the_tape():
    scale = Value(10.0)
    tape = trace(lambda x: x * scale, 2.0)
    scale.data = 100.0  # the tape froze 10.0: pass it as an input to vary it
    assert tape.value_and_grad(3.0) == (30.0, (10.0,))


@pytest.mark.parametrize(
    "convert",
    [float, math.exp, math.floor, math.isnan, int, round, math.trunc, operator.index, complex],
    ids=["float", "math.exp", "math.floor", "math.isnan", "int", "round", "math.trunc", "index", "complex"],
)
def test_converting_a_value_to_a_python_number_while_tracing_is_an_error_that_says_why(convert):
    with pytest.raises(TraceError, match=r"while tracing: v's number would be frozen into the tape"):
        trace(lambda x: x * convert(x), 1.0)


def test_outside_a_trace_float_works_and_int_round_and_index_are_type_errors():
    assert float(Value(2.5)) == 2.5
    assert math.exp(Value(1.0)) == math.e
    for convert in (int, round, math.trunc, operator.index):
        with pytest.raises(TypeError, match=r"a Value is a real number \(convert v.data\)"):
            convert(Value(2.0))


def test_a_value_given_at_two_positions_is_two_inputs_of_the_tape():
    v = Value(1.0)
    f = lambda a, b: a * b + a.tanh()
    tape = trace(f, v, v)
    assert tape.n_inputs == 2
    assert tape.value_and_grad(2.0, 5.0) == _graph_mode(f, [2.0, 5.0])
    assert tape(-0.5, 3.0) == _graph_mode(f, [-0.5, 3.0])[0]


@pytest.mark.parametrize("container", [tuple, list])
def test_a_function_of_several_outputs_replays_each_output_and_their_jacobian_rows(container):
    f = lambda x, y: container([x * y, x + y.tanh(), x])
    tape = trace(f, 0.5, 1.5)
    assert tape.n_outputs == 3
    for at in ([0.5, 1.5], [-1.25, 0.75]):
        outputs = f(*[Value(v) for v in at])
        assert tape(*at) == tuple(o.data for o in outputs)
        rows = autograd.jacobian(f)(*at)
        for k, row in enumerate(rows):
            seed = [1.0 if i == k else 0.0 for i in range(3)]
            assert tape.value_and_grad(*at, seed=seed) == (tuple(o.data for o in outputs), tuple(row))


def test_the_gradient_of_several_outputs_is_the_vector_jacobian_product_of_pytorch():
    torch = pytest.importorskip("torch")
    tape = trace(lambda x, y: (x * y, (x - y).exp(), x * y), 0.3, -0.8)  # the first and last are one node
    seed = (0.5, -2.0, 1.25)
    _, grads = tape.value_and_grad(0.3, -0.8, seed=seed)
    x, y = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.3, -0.8))
    outputs = [x * y, (x - y).exp(), x * y]
    expected = torch.autograd.grad(outputs, [x, y], grad_outputs=[torch.tensor(s, dtype=torch.float64) for s in seed])
    assert grads == pytest.approx([float(g) for g in expected], rel=1e-15, abs=0)
    with pytest.raises(TypeError, match=r"this tape has 3 outputs: seed must be a list of 3 numbers"):
        tape.value_and_grad(0.3, -0.8)


def test_a_traced_function_must_return_values():
    with pytest.raises(TraceError, match=r"must return a Value, a tuple or list of Values.*got \(Value"):
        trace(lambda x: (x, 3.0), 1.0)
    with pytest.raises(TraceError, match=r"got \[\]"):
        trace(lambda x: [], 1.0)


def test_a_function_drawing_random_numbers_is_refused_when_traced():
    rng = random.Random(0)
    dropout = lambda x: x * (2.0 if rng.random() < 0.5 else 0.0)
    with pytest.raises(TraceError, match=r"different computations in two calls.*random numbers"):
        trace(lambda x, y: dropout(x) + dropout(y), 1.0, 2.0)
    noisy = lambda x: x + rng.gauss(0.0, 1.0)
    with pytest.raises(TraceError, match=r"different computations"):
        trace(noisy, 1.0)
    frozen = trace(noisy, 1.0, check=False)  # unchecked, the first draw is a constant of the tape
    assert frozen(1.0) == frozen(1.0)


@pytest.mark.parametrize("seed", [1.0, 0.0, -0.0, -2.5])
@pytest.mark.parametrize("point", [(2.0, 3.0), (math.inf, 0.0), (math.nan, 1.0), (-0.0, 0.0), (1e308, 10.0)])
def test_replay_skipping_zero_gradients_gives_graph_modes_floats_bit_for_bit(point, seed):
    """Replay skips an operation whose gradient is 0 only where that cannot change a float."""

    def f(x, y):
        return (x * y + x).relu() * y + sum([x, y * y, x])

    tape = trace(f, *point)
    xs = [Value(v) for v in point]
    out = f(*xs)
    out.backward(seed)
    _, grads = tape.value_and_grad(*point, seed=seed)
    assert [repr(g) for g in grads] == [repr(x.grad) for x in xs]
