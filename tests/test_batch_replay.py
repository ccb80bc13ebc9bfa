"""Batch replay: a tape of one example run over m examples with NumPy agrees with graph mode example by example."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, trace
from autograd import sum as vsum
from autograd.batch import BatchTape
from nn import MLP
from nn.costs import COSTS
from nn.losses import l2_penalty
from nn.optim import SGD, Adam
from nn.train import fit
from tests.strategies import expression_graphs


def _close(a, b, rel=1e-12, abs_=1e-14):
    return a == pytest.approx(b, rel=rel, abs=abs_)


@settings(max_examples=60, deadline=None)
@given(expression_graphs(), st.lists(st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2), min_size=1, max_size=6),
       st.integers(0, 2))
def test_a_random_graph_batch_replayed_over_examples_matches_graph_mode_example_by_example(graph, examples, shared):
    """Inputs 0..2 of a random program; ``shared`` of them hold one number, the others one per example."""
    point, program = graph
    f = lambda *xs: program(list(xs))
    tape = trace(f, *point)
    batched = [i for i in range(3) if i != shared]
    batch = BatchTape(tape, batched=batched)
    columns = {i: [e[k] for e in examples] for k, i in enumerate(batched)}
    inputs = [columns.get(i, point[shared]) for i in range(3)]
    expected_values, expected_grads = [], [0.0] * 3
    per_example = {i: [] for i in batched}
    for e in examples:
        leaves = [Value(point[shared]) if i == shared else Value(columns[i][examples.index(e)]) for i in range(3)]
        try:
            out = f(*leaves)
        except (ValueError, ZeroDivisionError):
            return  # outside the domain: graph mode refuses (the domain test below covers batch replay's refusal)
        out.backward()
        expected_values.append(out.data)
        expected_grads[shared] += leaves[shared].grad
        for i in batched:
            per_example[i].append(leaves[i].grad)
    values, grads = batch.value_and_grad(*inputs)
    assert _close(list(values), expected_values, abs_=1e-12)
    assert _close(grads[shared], expected_grads[shared], abs_=1e-12)
    for i in batched:
        assert _close(list(grads[i]), per_example[i], abs_=1e-12)


def _one_example_tape(model, loss, n_targets, l2=0.0):
    params = model.parameters()
    x = [Value(0.0) for _ in range(model.nin)]
    t = [Value(0.0) for _ in range(n_targets)]
    t[0].data = 1.0  # a valid target of every loss while tracing (a one-hot vector, a label 1)
    target = t[0] if n_targets == 1 else t

    def cost(*_):
        total = COSTS[loss]([model(x)], [target])
        return total + l2_penalty(params, l2) if l2 else total

    tape = trace(cost, *params, *x, *t)
    return BatchTape(tape, batched=range(len(params), tape.n_inputs)), params


def _labels(loss, rng, m, k):
    if loss == "cross_entropy":
        return [rng.randrange(k) for _ in range(m)], lambda c: [1.0 if j == c else 0.0 for j in range(k)]
    if loss == "hinge":
        return [rng.choice([-1.0, 1.0]) for _ in range(m)], lambda y: [y]
    if loss in ("bce", "bce_logits"):
        return [rng.choice([0.0, 1.0, 0.3]) for _ in range(m)], lambda y: [y]
    return [rng.uniform(0, 1) for _ in range(m)], lambda y: [y]


@pytest.mark.parametrize("loss", list(COSTS))
def test_every_loss_batch_replayed_gives_graph_modes_mean_loss_and_gradients(loss):
    rng = random.Random(3)
    record = COSTS[loss]
    k = 4 if record.per_class else 1
    model = MLP(5, [6, k], activation="tanh", output_activation=record.output_activation, seed=2)
    batch, params = _one_example_tape(model, loss, k, l2=1e-3)
    m = 9
    X = [[rng.uniform(-1, 1) for _ in range(5)] for _ in range(m)]
    y, numbers = _labels(loss, rng, m, k)
    for p in params:
        p.grad = 0.0
    expected = COSTS[loss]([model(x) for x in X], y) + l2_penalty(params, 1e-3)
    expected.backward()
    rows = [x + numbers(label) for x, label in zip(X, y)]
    values, grads, _ = batch.value_and_grad_rows([p.data for p in params], rows, seed=1.0 / m)
    assert _close(float(values.mean()), expected.data)
    assert _close(grads.tolist(), [p.grad for p in params], abs_=1e-15)


def test_a_domain_error_in_batch_replay_is_graph_modes_error_naming_the_example():
    tape = trace(lambda w, x: (w * x).log(), 1.0, 1.0)
    batch = BatchTape(tape, batched=[1])
    with pytest.raises(ValueError, match=r"^log: operand must be > 0, got -2\.0 \(example 2 of the batch\)$"):
        batch(2.0, [1.0, 0.5, -1.0, 3.0])
    with pytest.raises(ValueError, match=r"^log: operand must be > 0, got -2\.0$"):
        (Value(2.0) * Value(-1.0)).log()  # graph mode's message for the same example
    divide = BatchTape(trace(lambda a, b: a / b, 1.0, 1.0), batched=[0, 1])
    with pytest.raises(ZeroDivisionError, match=r"^division: 3\.0 / 0\.0 divides by zero \(example 1 of the batch\)$"):
        divide([1.0, 3.0], [1.0, 0.0])


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "swish",
                                  "softplus", "sin", "cos", "tan", "abs"])
def test_each_rows_array_rule_is_its_float_rule_elementwise_edge_cases_included(name):
    from autograd import ops

    rule = ops.OPS[name]
    xs = [-3.0, -1.0, -0.0, 0.0, 1e-300, 0.5, 2.0, 40.0, 800.0, math.inf, -math.inf, math.nan]
    if name in ("log", "sqrt"):
        xs = [x for x in xs if x > 0 or (name == "sqrt" and x == 0.0) or x != x]
    params = (ops.LEAKY_RELU_SLOPE,) if rule.param else ()
    array = np.array(xs)
    with np.errstate(all="ignore"):
        out = rule.forward_arrays(array, *params)
        local = rule.partials(out, array, *params)[0]
    for x, o, d in zip(xs, out, np.broadcast_to(local, array.shape)):
        expected = rule.forward(x, *params)
        try:
            expected_d = rule.partials(expected, x, *params)[0]
        except (ValueError, OverflowError):
            continue
        assert o == pytest.approx(expected, rel=1e-15, nan_ok=True), (x, o, expected)
        assert d == pytest.approx(expected_d, rel=1e-15, nan_ok=True), (x, d, expected_d)
        assert math.copysign(1, o) == math.copysign(1, expected) or expected != 0, ("sign of zero", x, o)
        assert math.copysign(1, d) == math.copysign(1, expected_d) or expected_d != 0, ("sign of zero", x, d)


def _history_and_weights(replay, loss, model, X, y, **options):
    history = fit(model, X, y, loss=loss, optimizer=Adam(model.parameters(), lr=0.01), epochs=3, batch_size=7,
                  replay=replay, progress=False, **options)
    return history, [p.data for p in model.parameters()]


@pytest.mark.parametrize("loss", ["cross_entropy", "bce", "bce_logits", "hinge"])
def test_fit_by_batch_replay_trains_as_graph_mode_to_rounding(loss):
    rng = random.Random(1)
    record = COSTS[loss]
    k = 3 if record.per_class else 1
    X = [[rng.uniform(-1, 1) for _ in range(4)] for _ in range(30)]
    classes = [rng.randrange(k if k > 1 else 2) for _ in range(30)]
    y = [record.encode(c) for c in classes]
    make = lambda: MLP(4, [5, k], activation="relu", output_activation=record.output_activation, seed=3)
    graph, graph_weights = _history_and_weights(False, loss, make(), X, y, l2=1e-3)
    batch, batch_weights = _history_and_weights("batch", loss, make(), X, y, l2=1e-3)
    assert (graph.mode, batch.mode, batch.why_not_batch) == ("graph", "batch", None)
    assert _close(batch.loss, graph.loss)
    assert batch.accuracy == graph.accuracy
    assert _close(batch_weights, graph_weights, rel=1e-10, abs_=1e-13)


def test_the_automatic_choice_is_batch_replay_and_says_why_not_when_it_is_not():
    rng = random.Random(2)
    X = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(12)]
    y = [rng.randrange(2) for _ in range(12)]
    model = MLP(2, [3, 2], seed=0)
    assert fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=1,
               progress=False).mode == "batch"
    custom = MLP(2, [3, 2], activation=lambda z: z * z.sigmoid(), seed=0)
    history = fit(custom, X, y, loss="cross_entropy", optimizer=SGD(custom.parameters(), lr=0.1), epochs=1,
                  progress=False)
    assert (history.mode, history.why_not_batch) == ("graph", "the model is not an MLP of the registry's activations")
    with pytest.raises(ValueError, match=r"fit\(replay='batch'\): cannot replay: the model is not an MLP"):
        fit(custom, X, y, loss="cross_entropy", optimizer=SGD(custom.parameters(), lr=0.1), epochs=1,
            replay="batch", progress=False)
    with pytest.raises(ValueError, match="replay must be None, False, True, 'scalar' or 'batch', got 'fast'"):
        fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), replay="fast")


def test_a_saturated_bce_probability_in_batch_replay_raises_graph_modes_error_with_the_example_as_a_note():
    X = [[0.1 * i] for i in range(8)]
    order = list(range(8))
    random.Random(0).shuffle(order)  # fit's first shuffle: the last example is in the second batch
    X[order[-1]] = [50.0]  # sigmoid(50) rounds to 1.0: log(1 - p) is log 0
    y = [1, 0] * 4

    def run(replay):
        model = MLP(1, [1], output_activation="sigmoid", seed=0)
        model.layers[0].neurons[0].w[0].data = 1.0
        fit(model, X, y, loss="bce", optimizer=SGD(model.parameters(), lr=1e-9), epochs=1, batch_size=4,
            seed=0, replay=replay, progress=False)

    with pytest.raises(ValueError, match="probabilities must be strictly between 0 and 1") as graph_error:
        run(False)
    with pytest.raises(ValueError) as batch_error:
        run("batch")
    assert str(batch_error.value) == str(graph_error.value)
    assert "log: operand must be > 0, got 0.0 (example 3 of the batch)" in batch_error.value.__notes__[0]


def test_batch_tape_refuses_bad_positions_and_inputs_with_clear_errors():
    tape = trace(lambda w, x: w * x, 1.0, 1.0)
    with pytest.raises(ValueError, match=r"batched positions must be ints in 0\.\.1"):
        BatchTape(tape, batched=[2])
    batch = BatchTape(tape, batched=[1])
    with pytest.raises(ValueError, match="1-D sequence of the same m >= 1 numbers"):
        batch(1.0, [])
    with pytest.raises(TypeError, match="must hold real numbers"):
        batch(1.0, ["a", "b"])
    with pytest.raises(ValueError, match=r"rows must be an \(m, 1\) array"):
        batch.value_and_grad_rows([1.0], [[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"shared input 0 must be a real number .* got bool"):
        batch.value_and_grad_rows([True], [[1.0]])


def test_a_softmax_cross_entropy_of_huge_logits_matches_pytorch_float64():
    torch = pytest.importorskip("torch")
    logits = [[1000.0, -1000.0, 999.0], [-800.0, -805.0, -790.0], [0.1, 0.2, 0.3]]
    targets = [2, 0, 1]
    z = [[Value(v) for v in row] for row in logits]
    loss = COSTS["cross_entropy"](z, targets)
    loss.backward()
    tz = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(tz, torch.tensor(targets))
    expected.backward()
    assert _close(loss.data, expected.item())
    assert _close([v.grad for row in z for v in row], tz.grad.flatten().tolist(), abs_=1e-16)


def test_digits10_trains_by_batch_replay_far_above_chance():
    pytest.importorskip("sklearn")
    from nn.datasets import digits10, train_test_split
    from nn.train import accuracy

    X, y = digits10()
    assert (len(X), sorted(set(y))) == (1797, list(range(10)))
    X_train, X_test, y_train, y_test = train_test_split(X, y, 1 / 3, seed=0)
    model = MLP(64, [32, 10], seed=0)
    history = fit(model, X_train, y_train, loss="cross_entropy", optimizer=Adam(model.parameters(), lr=0.01),
                  epochs=3, batch_size=32, progress=False)
    assert history.mode == "batch"
    assert accuracy(model, X_test, y_test) > 0.85  # chance: 0.1


def test_a_shared_only_computation_is_counted_once_per_example_in_the_gradient():
    """The L2 penalty does not depend on the example: its gradient, seeded 1/m per example, is 2λθ once."""
    tape = trace(lambda w, x: vsum([w * x, 0.5 * w * w]), 3.0, 1.0)
    batch = BatchTape(tape, batched=[1])
    values, grads = batch.value_and_grad(3.0, [1.0, 2.0, 4.0], seed=1.0 / 3)
    assert values.tolist() == [7.5, 10.5, 16.5]
    assert grads[0] == pytest.approx((1.0 + 2.0 + 4.0) / 3 + 3.0, rel=1e-15)
    assert grads[1].tolist() == [1.0, 1.0, 1.0]


def test_a_batch_tape_keeps_its_arrays_per_thread_and_never_hands_them_out():
    """Runs reuse S, B and their gradients between calls (one set per thread); results are copies."""
    import threading

    model = MLP(3, [5, 1], activation="relu", seed=4)
    batch, params = _one_example_tape(model, "mse", 1)
    weights = [p.data for p in params]
    rng = random.Random(8)
    data = {k: np.array([[rng.uniform(-1, 1) for _ in range(4)] for _ in range(3000)]) for k in range(3)}
    alone = {k: batch.value_and_grad_rows(weights, rows, seed=1.0 / 3000) for k, rows in data.items()}
    first = batch.value_and_grad_rows(weights, data[0])
    kept = [a.copy() for a in first]
    batch.value_and_grad_rows(weights, -data[0])  # the same m: the same arrays inside
    assert all(np.array_equal(a, b) for a, b in zip(first, kept))

    found, errors = {}, []

    def run(k):  # three threads, three data sets of the same m
        try:
            for _ in range(30):
                found[k] = batch.value_and_grad_rows(weights, data[k], seed=1.0 / 3000)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(k,)) for k in data]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in data:
        assert all(np.array_equal(a, b) for a, b in zip(found[k], alone[k]))
