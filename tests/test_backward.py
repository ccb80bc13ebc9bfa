"""backward(): the chain rule over the whole graph, accumulation, depth, memory."""

from __future__ import annotations

import gc
import math
import random
import struct
import sys

import pytest

from autograd import Value, is_grad_enabled, no_grad, ops, topological_order


def lecture_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    d = e + c
    L = d * f
    return (a, b, c, f, e, d), L


def test_backward_twice_doubles_every_gradient_like_pytorch():
    torch = pytest.importorskip("torch")
    nodes, L = lecture_graph()
    L.backward()
    L.backward()
    t = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in zip("abcf", (2.0, -3.0, 10.0, -2.0))}
    tL = (t["a"] * t["b"] + t["c"]) * t["f"]
    tL.backward(retain_graph=True)
    tL.backward()
    a, b, c, f, e, d = nodes
    assert (a.grad, b.grad, c.grad, f.grad) == (12.0, -8.0, -4.0, 8.0)
    assert [x.grad for x in (a, b, c, f)] == [t[k].grad.item() for k in "abcf"]
    assert (e.grad, d.grad, L.grad) == (-4.0, -4.0, 2.0)


def test_micrograd_second_backward_does_not_double_but_ours_does():
    micrograd = pytest.importorskip("micrograd.engine")
    a = micrograd.Value(2.0)
    b = a + a  # an intermediate node whose gradient micrograd re-reads after accumulating it
    c = b * 1.0
    c.backward()
    c.backward()
    ours_a = Value(2.0)
    ours_c = (ours_a + ours_a) * 1.0
    ours_c.backward()
    first = ours_a.grad
    ours_c.backward()
    assert ours_a.grad == 2 * first == 4.0
    assert a.grad == 6.0  # micrograd's answer: not the doubled gradient


def test_intermediate_nodes_keep_their_gradients():
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    assert n.grad == pytest.approx(1 - o.data**2, rel=1e-14)
    assert n.grad == pytest.approx(0.5, rel=1e-12)


def test_seed_gradient_scales_every_gradient():
    nodes, L = lecture_graph()
    L.backward(grad=0.5)
    a, b, c, f, *_ = nodes
    assert (a.grad, b.grad, c.grad, f.grad) == (3.0, -2.0, -1.0, 2.0)


def test_reused_subexpression_sums_gradients_over_all_paths():
    x = Value(3.0)
    y = x * x  # dy/dx = 2x
    z = y + y * x  # z = x^2 + x^3, dz/dx = 2x + 3x^2
    z.backward()
    assert x.grad == 2 * 3.0 + 3 * 9.0


@pytest.mark.slow
def test_million_node_chain_at_default_recursion_limit():
    assert sys.getrecursionlimit() <= 10_000
    x = Value(1.0)
    y = x
    factor = 1.000001
    for _ in range(1_000_000):
        y = y * factor
    y.backward()
    assert y.data == pytest.approx(factor**1_000_000, rel=1e-9)
    assert x.grad == pytest.approx(factor**1_000_000, rel=1e-9)
    assert len(topological_order(y)) == 2_000_001  # chain nodes plus one constant per step


def test_zero_grad_clears_every_node_of_the_graph():
    nodes, L = lecture_graph()
    L.backward()
    L.zero_grad()
    assert all(n.grad == 0.0 for n in (*nodes, L))
    L.backward()
    assert nodes[0].grad == 6.0


def test_no_grad_records_no_graph_and_restores_the_mode_even_after_an_error():
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3 + 1
        with no_grad():
            z = y.tanh()
        assert not is_grad_enabled()
    assert is_grad_enabled()
    assert y.is_leaf and y.parents == () and z.is_leaf and y.data == 7.0
    with pytest.raises(ValueError), no_grad():
        Value(-1.0).log()
    assert is_grad_enabled()


def test_parameter_update_inside_no_grad_keeps_parameter_a_leaf():
    w = Value(1.0)
    loss = (w * 2 - 1) ** 2
    loss.backward()
    with no_grad():
        w.data -= 0.1 * w.grad
    assert w.is_leaf and w.data == pytest.approx(1.0 - 0.1 * 4.0)


def test_detach_cuts_the_gradient_path():
    x = Value(3.0, label="x")
    y = x * x
    z = y.detach() * x  # only the direct path to x remains: dz/dx = y = 9
    z.backward()
    assert y.detach().label == y.label and y.detach().is_leaf
    assert x.grad == 9.0


def test_dropped_graph_is_freed_by_reference_counting_alone():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        y = x
        for _ in range(2_000):
            y = (y * 1.01 + 0.1).tanh()
        y.backward()
        del y
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


def test_micrograd_graphs_by_contrast_need_the_cyclic_collector():
    micrograd = pytest.importorskip("micrograd.engine")
    gc.collect()
    gc.disable()
    try:
        y = micrograd.Value(0.5)
        for _ in range(100):
            y = (y * 1.01 + 0.1).relu()
        y.backward()
        del y
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable > 100


def test_topological_order_puts_operands_first_and_is_deterministic():
    _, L = lecture_graph()
    order = topological_order(L)
    position = {node: i for i, node in enumerate(order)}
    assert order[-1] is L and len(order) == 7
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert [n.label for n in order] == [n.label for n in topological_order(L)]
    assert [n.label for n in order] == ["a", "b", "", "c", "", "f", ""]


def test_nan_propagates_without_exception():
    x = Value(math.nan)
    y = x * 2 + 1
    y.backward()
    assert math.isnan(y.data) and x.grad == 2.0


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_backward_of_relu_unrolled_gives_the_bits_of_its_row():
    # The oracle is the generic step: dC/dx = 0.0 + (0.0 + relu'(x) * g), relu' from the table's row.
    specials = [0.0, -0.0, 1e-300, -1e-300, math.inf, -math.inf, math.nan]
    rng = random.Random(21)
    for x0 in [*specials, *(rng.uniform(-5, 5) for _ in range(200))]:
        for g in [1.0, -2.5, 0.0, -0.0, math.inf, -math.inf, math.nan, rng.uniform(-3, 3)]:
            x = Value(x0)
            y = x.relu()
            y.backward(g)
            (local,) = ops.RELU.partials(y.data, x0)
            expected = 0.0 + (0.0 + local * g)
            assert (math.isnan(x.grad) and math.isnan(expected)) or _bits(x.grad) == _bits(expected), (x0, g)


def test_value_operands_record_nothing_under_no_grad_and_everything_after():
    x, w = Value(2.0), Value(-3.0)
    with no_grad():
        inside = [x + w, x * w, x.relu(), x.tanh(), w.exp()]
    after = [x + w, x * w, x.relu(), x.tanh(), w.exp()]
    assert all(v.is_leaf and v.parents == () and v.grad == 0.0 and v.label == "" for v in inside)
    assert [v.data for v in inside] == [v.data for v in after] == [-1.0, -6.0, 2.0, math.tanh(2.0), math.exp(-3.0)]
    assert [v.parents for v in after] == [(x, w), (x, w), (x,), (x,), (w,)]
    assert [v.op for v in after] == ["+", "*", "ReLU", "tanh", "exp"]
