"""The micrograd lecture, cell for cell: ``_backward()`` by hand, operations defined the lecture's way
(by name and closure) and by a row added to the table at run time, micrograd's sums and seeds.

Oracles: micrograd 0.1.0 (the lecture's engine), the lecture's hand-derived gradients,
central finite differences, and chainrule's own ``backward()`` on an identical graph.
"""

from __future__ import annotations

import copy
import gc
import math
import pickle
import random

import pytest

import autograd
from autograd import Value, ops, topological_order
from autograd.custom import MissingBackward
from nn import MLP, Layer, Neuron

micrograd_engine = pytest.importorskip("micrograd.engine")
micrograd_nn = pytest.importorskip("micrograd.nn")


def central_difference(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def lecture_neuron() -> dict[str, Value]:
    """The lecture's neuron: o = tanh(x1 w1 + x2 w2 + b), with its labels."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "x1w1": x1w1, "x2w2": x2w2,
            "x1w1x2w2": x1w1x2w2, "n": n, "o": o}


# -- _backward(): the node's own step ---------------------------------------------------------


def test_backward_by_hand_node_by_node_gives_the_lectures_gradients_and_backwards():
    v = lecture_neuron()
    v["o"].grad = 1.0
    for name in ["o", "n", "b", "x1w1x2w2", "x2w2", "x1w1"]:  # the lecture's cells, in order
        v[name]._backward()
    one_minus_o2 = 1.0 - v["o"].data ** 2
    assert one_minus_o2 == pytest.approx(0.5, abs=1e-15)
    expected = {"x1": -3.0 * one_minus_o2, "w1": 2.0 * one_minus_o2, "x2": 1.0 * one_minus_o2, "w2": 0.0}
    assert {k: v[k].grad for k in expected} == expected
    again = lecture_neuron()
    again["o"].backward()
    assert [v[k].grad for k in v] == [again[k].grad for k in again]


def test_topological_sort_then_backward_steps_equal_backward_bit_for_bit():
    def graph():
        x, y = Value(0.7, label="x"), Value(-1.3, label="y")
        s = x * y + x
        t = (s * s).exp() / (y**2 + 1.0) - s.tanh() * x
        return [x, y], (t + s.relu() + (x - y) ** 3).tanh() * t

    leaves, out = graph()
    topo, visited = [], set()

    def build_topo(v):  # the lecture's (recursive) sort, on this small graph
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(out)
    out.grad = 1.0
    for node in reversed(topo):
        node._backward()
    fresh_leaves, fresh = graph()
    fresh.backward()
    assert [v.grad for v in topo] == [v.grad for v in topological_order(fresh)]
    assert [x.grad for x in leaves] == [x.grad for x in fresh_leaves]


def test_backward_step_of_a_leaf_does_nothing():
    a = Value(3.0)
    a.grad = 2.0
    a._backward()
    assert (a.data, a.grad) == (3.0, 2.0)


def test_backward_steps_store_no_closure_so_graphs_are_freed_by_reference_counting():
    gc.collect()
    gc.disable()
    try:
        y = Value(0.5)
        for _ in range(500):
            y = (y * 1.01 + 0.1).tanh()
        y.grad = 1.0
        for node in reversed(topological_order(y)):
            node._backward()
        del y, node
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


# -- operations defined the lecture's way ------------------------------------------------------


def lecture_tanh(self: Value) -> Value:
    """The lecture's tanh, written as in its Value class, outside it."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = Value(t, (self,), "my_tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def lecture_pow(self: Value, other: float) -> Value:
    out = Value(self.data**other, (self,), f"**{other}")

    def _backward():
        self.grad += other * self.data ** (other - 1) * out.grad

    out._backward = _backward
    return out


def lecture_exp(self: Value) -> Value:
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad

    out._backward = _backward
    return out


def test_a_tanh_defined_by_closure_backpropagates_as_the_lectures():
    v = lecture_neuron()
    o = lecture_tanh(v["n"])
    assert o.op == "my_tanh" and o.parents == (v["n"],)
    o.backward()
    assert v["x1"].grad == pytest.approx(-1.5, abs=1e-12) and v["w1"].grad == pytest.approx(1.0, abs=1e-12)
    assert v["x2"].grad == pytest.approx(0.5, abs=1e-12) and v["w2"].grad == 0.0
    built_in = lecture_neuron()
    built_in["o"].backward()
    assert [v[k].grad for k in built_in if k != "o"] == pytest.approx(
        [built_in[k].grad for k in built_in if k != "o"], abs=1e-15
    )


@pytest.mark.parametrize("x0", [-1.7, 0.3, 2.2])
def test_closures_for_exp_pow_and_a_reused_operand_match_finite_differences(x0):
    def f(x):
        return lecture_exp(lecture_pow(x, 3) * x) * lecture_tanh(x) + x  # x used four times

    x = Value(x0)
    out = f(x)
    out.backward()
    assert x.grad == pytest.approx(central_difference(lambda t: f(Value(t)).data, x0), rel=1e-6)


def test_a_second_backward_through_a_closure_adds_the_same_gradient_again():
    x = Value(0.4)
    y = lecture_tanh(x * x) * x
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == 2 * first


def test_a_closure_assigned_to_a_table_operation_replaces_its_rule():
    a, b = Value(2.0), Value(5.0)
    out = Value(a.data * b.data, (a, b), "*")

    def _backward():  # a deliberately different rule: the learner's closure is the one used
        a.grad += 10.0 * out.grad
        b.grad += 20.0 * out.grad

    out._backward = _backward
    out.backward(0.5)
    assert (a.grad, b.grad) == (5.0, 10.0) and out.op == "*"
    assert out._backward is _backward


def test_an_operation_without_rule_or_closure_raises_naming_it():
    a = Value(1.0)
    out = Value(2.0, (a, a), "mystery")
    with pytest.raises(MissingBackward, match="'mystery'"):
        out.backward()
    with pytest.raises(MissingBackward, match="'mystery'"):
        out._backward()


def test_closure_assignment_is_checked():
    with pytest.raises(TypeError, match="function"):
        Value(1.0, (Value(2.0),), "f")._backward = 3.0
    with pytest.raises(ValueError, match="leaf"):
        Value(1.0)._backward = lambda: None


def test_closures_refuse_create_graph_copying_and_tracing_with_the_operations_name():
    x = Value(0.5)
    y = lecture_tanh(x) * x
    with pytest.raises(TypeError, match=r"'my_tanh'.*register"):
        y.backward(create_graph=True)
    assert x.grad == 0.0
    with pytest.raises(TypeError, match="'my_tanh'"):
        copy.deepcopy(y)
    with pytest.raises(TypeError, match="'my_tanh'"):
        pickle.dumps(y)
    with pytest.raises(autograd.TraceError, match="'my_tanh'"):
        autograd.trace(lambda v: lecture_tanh(v) * v, 0.5)


def test_drawings_and_the_step_through_show_a_closure_operation_by_its_name():
    pytest.importorskip("graphviz")
    from autograd.render import draw_dot
    from autograd.steps import backward_steps

    x = Value(0.5, label="x")
    y = lecture_tanh(x * 3.0)
    y.label = "y"
    assert "my_tanh" in draw_dot(y, edge_labels=True).source
    frames = list(backward_steps(y))
    assert len(frames) == 4 and all("my_tanh" in f.source for f in frames)
    assert x.grad == pytest.approx(3.0 * (1.0 - math.tanh(1.5) ** 2), rel=1e-14)
    assert y.partials() == ((1 - y.data**2),)


# -- a row added to the table at run time --------------------------------------------------------


@pytest.fixture
def registered():
    names = []

    def add(*args, **kwargs):
        op = ops.register(*args, **kwargs)
        names.append(op.name)
        return op

    yield add
    for name in names:
        if name in ops.REGISTERED:
            ops.unregister(name)


def test_a_registered_operation_is_a_method_with_every_mode_of_the_engine(registered):
    op = registered("cube", lambda x: x**3, lambda out, x: (3.0 * x * x,), "x^3;  d/dx = 3x^2", symbol="³")
    assert Value.cube.__doc__ == "x^3;  d/dx = 3x^2"
    x = Value(1.5)
    y = (x.cube() * x).tanh()
    assert y.parents[0].parents[0].op == "³" and y.parents[0].parents[0].rule is op
    y.backward()
    assert x.grad == pytest.approx(central_difference(lambda t: math.tanh(t**4), 1.5), rel=1e-7)
    z = Value(1.5)
    z.cube().backward(create_graph=True)  # d/dx x^3 = 3x^2, d2/dx2 = 6x
    g = z.grad
    z.grad = 0.0
    g.backward()
    assert (g.data, z.grad) == (3.0 * 1.5 * 1.5, 6.0 * 1.5)
    tape = autograd.trace(lambda v: (v.cube() * v).tanh(), 1.5)
    assert tape.value_and_grad(1.5) == (y.data, (x.grad,))
    assert pickle.loads(pickle.dumps(y)).data == y.data == copy.deepcopy(y).data


def test_a_registered_two_operand_operation_lifts_numbers_and_matches_finite_differences(registered):
    registered("hypot", lambda x, y: math.hypot(x, y), lambda out, x, y: (x / out, y / out), "√(x²+y²)", arity=2)
    a, b = Value(3.0), Value(4.0)
    r = a.hypot(b) * a.hypot(1.0)
    r.backward()
    assert r.data == 5.0 * math.hypot(3.0, 1.0)
    assert a.grad == pytest.approx(central_difference(lambda t: math.hypot(t, 4.0) * math.hypot(t, 1.0), 3.0))
    assert b.grad == pytest.approx(central_difference(lambda t: math.hypot(3.0, t) * math.hypot(3.0, 1.0), 4.0))
    with pytest.raises(TypeError, match="hypot takes 1 more operand"):
        a.hypot()


def test_registering_again_replaces_and_bad_registrations_are_refused(registered):
    registered("twice", lambda x: 2 * x, lambda out, x: (2.0,))
    registered("twice", lambda x: 3 * x, lambda out, x: (3.0,))  # a notebook cell run again
    assert Value(1.0).twice().data == 3.0
    with pytest.raises(ValueError, match="built-in"):
        ops.register("tanh", math.tanh, lambda out, x: (1.0,))
    with pytest.raises(ValueError, match="already has an attribute 'backward'"):
        ops.register("backward", math.tanh, lambda out, x: (1.0,))
    assert "backward" not in ops.OPS and callable(Value.backward)
    with pytest.raises(ValueError, match="identifier"):
        ops.register("2x", math.tanh, lambda out, x: (1.0,))
    ops.unregister("twice")
    assert not hasattr(Value, "twice") and "twice" not in ops.OPS


# -- micrograd's sums, seeds and keywords ---------------------------------------------------------


def test_a_neurons_sum_starts_from_its_bias_as_micrograds():
    neuron, theirs = Neuron(2, nonlin=False, seed=0), micrograd_nn.Neuron(2, nonlin=False)
    for ours_w, their_w, value in zip([*neuron.w, neuron.b], [*theirs.w, theirs.b], [0.2, 0.3, 0.1]):
        ours_w.data = their_w.data = value
    ones = [micrograd_engine.Value(1.0), micrograd_engine.Value(1.0)]
    assert neuron([1.0, 1.0]).data == theirs(ones).data == 0.6000000000000001


def test_neurons_values_and_gradients_equal_micrograds_bit_for_bit():
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 30)
        random.seed(n)
        ours = Neuron(n, nonlin=False)
        random.seed(n)
        theirs = micrograd_nn.Neuron(n, nonlin=False)
        theirs.b.data = ours.b.data = rng.uniform(-2, 2)
        x = [rng.uniform(-5, 5) for _ in range(n)]
        ours_x, their_x = [Value(v) for v in x], [micrograd_engine.Value(v) for v in x]
        z, mz = ours(ours_x), theirs(their_x)
        z.backward()
        mz.backward()
        assert z.data == mz.data
        assert [p.grad for p in ours.parameters()] == [p.grad for p in theirs.parameters()]
        assert [v.grad for v in ours_x] == [v.grad for v in their_x]


def test_sum_starts_where_pythons_sum_starts_also_in_replay():
    total = autograd.sum([Value(-0.0), Value(-0.0)])
    python = sum([Value(-0.0), Value(-0.0)])
    assert math.copysign(1.0, total.data) == math.copysign(1.0, python.data) == 1.0
    tape = autograd.trace(lambda a, b: autograd.sum([a, b]), 1.0, 2.0)
    assert math.copysign(1.0, tape(-0.0, -0.0)) == 1.0


def test_without_a_seed_models_follow_the_global_random_as_micrograd():
    random.seed(1337)
    ours = MLP(2, [16, 16, 1])
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    random.seed(7)
    first = Layer(3, 2).state_dict()
    random.seed(7)
    assert Layer(3, 2).state_dict() == first
    generator = random.Random(5)
    assert MLP(2, [3], seed=generator).state_dict() == MLP(2, [3], seed=random.Random(5)).state_dict()


def test_nonlin_is_micrograds_boolean_beside_activation():
    assert Neuron(2, nonlin=False).activation == "linear" and Neuron(2, nonlin=True).activation == "relu"
    assert Layer(2, 3, nonlin=False).activation == "linear" and Layer(2, 3).activation == "relu"
    with pytest.raises(ValueError, match="not both"):
        Neuron(2, "tanh", nonlin=True)
    with pytest.raises(TypeError, match="nonlin must be True"):
        Layer(2, 3, nonlin="relu")
    with pytest.raises(TypeError, match="nonlin=False"):
        Neuron(2, False)


def demo_steps(engine_value, model, X, y, steps: int):
    """micrograd's demo loop, as its notebook writes it, for ``steps`` steps: losses, accuracies, gradients."""
    history = []
    for k in range(steps):
        inputs = [list(map(engine_value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        model.zero_grad()
        total_loss.backward()
        grads = [p.grad for p in model.parameters()]
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total_loss.data, sum(accuracy) / len(accuracy), grads))
    return history


@pytest.mark.slow  # three steps of the demo in both engines: some 20 s
def test_micrograds_demo_with_random_seed_1337_gives_micrograds_losses():
    from nn.datasets import moons

    X, labels = moons(100, noise=0.1, seed=1)
    y = [2 * label - 1 for label in labels]
    random.seed(1337)
    ours = demo_steps(Value, MLP(2, [16, 16, 1]), X, y, steps=3)
    random.seed(1337)
    theirs = demo_steps(micrograd_engine.Value, micrograd_nn.MLP(2, [16, 16, 1]), X, y, steps=3)
    assert ours[0][0] == theirs[0][0]  # one forward pass, one order of operations
    for (loss, accuracy, grads), (their_loss, their_accuracy, their_grads) in zip(ours, theirs):
        assert accuracy == their_accuracy
        assert loss == pytest.approx(their_loss, rel=1e-12, abs=0)
        assert grads == pytest.approx(their_grads, rel=1e-12, abs=1e-15)
