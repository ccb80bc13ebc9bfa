"""backward() sums the gradients in progress in the nodes' own ``grad``: the same floats as a dict of them.

The reference below is the backward pass as it was written before: an
iterative sort with a set of visited nodes, then ``dC/du`` summed in a dict
(from 0.0, in reverse topological order) and added to ``u.grad`` when ``u`` is
reached. Gradients are compared by ``repr``, which tells -0.0 from 0.0 and
shows NaN.
"""

from __future__ import annotations

import math
import random
import sys
import threading

import pytest

from autograd import Value, topological_order
from autograd import backward as engine
from autograd.custom import Custom, MissingBackward, run_closure
from tests.strategies import random_graph


def lecture_tanh(x: Value) -> Value:
    """tanh defined the lecture's way: the result, then its closure."""
    t = math.tanh(x.data)
    out = Value(t, (x,), "my_tanh")

    def _backward():
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def reference_backward(root: Value, seed: float) -> None:
    """The backward pass with a dict of gradients in progress (every node's partials from its row)."""
    order = topological_order(root)
    upstream = {root: seed}
    for node in reversed(order):
        g = upstream.pop(node)
        node.grad += g
        rule = node.rule
        if rule is None:
            continue
        if rule.__class__ is Custom:
            for u, added in zip(*run_closure(node, g)):
                upstream[u] = upstream.get(u, 0.0) + added
            continue
        local = rule.partials(node.data, *[p.data for p in node.parents], *rule.params)
        for child, d in zip(node.parents, local):
            upstream[child] = upstream.get(child, 0.0) + d * g


STARTING_GRADS = [None, 0.0, -0.0, 0, 1.5, -2.25, math.nan, math.inf]  # None: the grad a new node has


def graph_twice(rng: random.Random):
    """Two copies of one random graph inside every domain, every node starting with the same (random) grad."""
    while True:
        point, program = random_graph(rng)
        try:
            copies = [program([Value(x) for x in point]) for _ in range(2)]
            break
        except (ValueError, ZeroDivisionError, OverflowError):
            continue  # a domain error on the forward pass: draw another graph
    starts = [rng.choice(STARTING_GRADS) for _ in topological_order(copies[0])]
    for out in copies:
        for node, start in zip(topological_order(out), starts):
            if start is not None:
                node.grad = start
    return copies


def grads(out: Value) -> list[str]:
    return [repr(n.grad) for n in topological_order(out)]


@pytest.mark.parametrize("seed", range(200))
def test_gradients_are_the_reference_floats_bit_for_bit_from_any_starting_grads(seed):
    rng = random.Random(seed)
    ours, reference = graph_twice(rng)
    seeds = [rng.choice([1.0, -0.0, 0.5, -3.0, math.inf]) for _ in range(2)]
    for s in seeds:  # twice: the second pass starts from the first's gradients
        ours.backward(s)
        reference_backward(reference, s)
        assert grads(ours) == grads(reference)


def test_lecture_closures_and_sums_of_many_terms_give_the_reference_floats():
    def build():
        xs = [Value(0.1 * k - 0.7) for k in range(15)]
        terms = [lecture_tanh(x) * x + x.relu() for x in xs]
        out = sum(terms) * lecture_tanh(xs[3] * xs[4]) + sum(xs[::2], Value(0.0))
        return out

    ours, reference = build(), build()
    for _ in range(2):
        ours.backward()
        reference_backward(reference, 1.0)
        assert grads(ours) == grads(reference)


def test_a_leaf_alone_gets_its_seed_added():
    x = Value(2.0)
    x.backward()
    x.backward(-0.0)
    assert repr(x.grad) == "1.0"
    y = Value(2.0)
    y.grad = -0.0
    y.backward(-0.0)
    assert repr(y.grad) == "-0.0"  # -0.0 + -0.0, as grad += seed


def test_an_error_during_the_pass_leaves_every_grad_as_it_was():
    a, b = Value(1.0), Value(2.0)
    a.grad = 7.0
    broken = Value(3.0, (a, b), "mystery")  # no closure: MissingBackward
    out = (broken * a + b).tanh()
    before = grads(out)
    with pytest.raises(MissingBackward, match="'mystery'"):
        out.backward()
    assert grads(out) == before

    def fails():
        raise RuntimeError("in the closure")

    c = Value(0.5)
    odd = Value(1.0, (c, a), "odd")
    odd._backward = fails
    out = (odd + c) * c
    before = grads(out)
    with pytest.raises(RuntimeError, match="in the closure"):
        out.backward()
    assert grads(out) == before
    out.zero_grad()
    assert all(n.grad == 0.0 for n in topological_order(out))


def test_no_node_keeps_the_mark_of_the_pass():
    x = Value(0.3)
    y = (x * x + x).tanh() * x
    y.backward()
    assert all(n.grad is not engine._SEEN and n.grad is not engine._DONE for n in topological_order(y))


def mlp_loss() -> Value:
    from nn import MLP

    model = MLP(3, [4, 4, 1])
    xs = [[Value(0.1 * (i + j)) for j in range(3)] for i in range(5)]
    return sum(((model(x) - 0.5) ** 2 for x in xs), Value(0.0))


@pytest.mark.parametrize("seed", range(100))
def test_the_pass_visits_the_operations_in_topological_order(seed):
    rng = random.Random(seed)
    out = None
    while out is None:
        point, program = random_graph(rng)
        try:
            out = program([Value(x) for x in point]) if seed else mlp_loss()
        except (ValueError, ZeroDivisionError, OverflowError):
            continue  # a domain error on the forward pass: draw another graph
    expected = [n for n in topological_order(out) if not n.is_leaf]
    assert engine._visit(out, {}) == expected


def test_a_backward_inside_a_closure_on_another_graph_runs_at_once():
    x = Value(0.5)
    out = Value(math.sin(x.data), (x,), "my_sin")

    def _backward():  # the local derivative found by a backward() of its own
        inner = Value(x.data)
        inner.sin().backward()
        x.grad += inner.grad * out.grad

    out._backward = _backward
    (out * 2.0).backward()
    assert x.grad == 2.0 * math.cos(0.5)


def test_threads_running_backward_through_shared_nodes_get_the_sequential_sums():
    w = [Value(0.01 * k) for k in range(50)]
    shared = sum((wi * (i + 1) for i, wi in enumerate(w)), Value(0.0)).tanh()  # an operation node every root uses
    roots = [shared * (k + 1) + w[k] for k in range(6)]
    passes = 30
    for root in roots:
        root.backward()
    expected = [p.grad * passes for p in w]
    shared.zero_grad()
    barrier = threading.Barrier(len(roots))

    def run(root: Value) -> None:
        barrier.wait()
        for _ in range(passes):
            root.backward()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can
    try:
        threads = [threading.Thread(target=run, args=(root,)) for root in roots]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert [p.grad for p in w] == pytest.approx(expected, rel=1e-9)
