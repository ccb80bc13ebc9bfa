"""Random expression graphs (DAGs with reused subexpressions) against finite differences and PyTorch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import Value, gradcheck, hessian, topological_order
from autograd.ops import OPS
from tests.strategies import GRAPH_STEPS, expression_graphs, torch_call


def test_random_graphs_use_every_row_of_the_table_of_operations():
    assert set(GRAPH_STEPS) == set(OPS), "add a GraphStep to tests/strategies.py for each new row"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_graphs())
def test_random_graph_gradients_match_central_finite_differences(graph):
    point, program = graph
    result = gradcheck(lambda *xs: program(list(xs)), point, eps=1e-6, atol=1e-6, rtol=1e-4)
    assert result.ok, f"{result} for steps {program.steps} at {point}"


@settings(max_examples=60, deadline=None)
@given(expression_graphs())
def test_random_graph_gradients_match_pytorch_float64(graph):
    torch = pytest.importorskip("torch")
    point, program = graph
    xs = [Value(x) for x in point]
    out = program(xs)
    out.backward()

    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    torch_out = program.on(torch_call(torch), ts)
    torch_out.backward()
    assert out.data == pytest.approx(torch_out.item(), rel=1e-12, abs=1e-12)
    for x, t in zip(xs, ts):
        assert x.grad == pytest.approx(t.grad.item(), rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(expression_graphs())
def test_topological_order_lists_each_node_once_after_its_operands(graph):
    point, program = graph
    out = program([Value(x) for x in point])
    order = topological_order(out)
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order)
    assert all(position[p] < position[n] for n in order for p in n.parents)


@settings(max_examples=40, deadline=None)
@given(expression_graphs())
def test_random_graph_second_derivatives_match_pytorch_float64(graph):
    torch = pytest.importorskip("torch")
    point, program = graph
    H = hessian(lambda *xs: program(list(xs)))(*point)
    ts = tuple(torch.tensor(x, dtype=torch.float64) for x in point)
    expected = torch.autograd.functional.hessian(
        lambda *args: program.on(torch_call(torch), args), ts
    )
    for i in range(len(point)):
        for j in range(len(point)):
            assert H[i][j] == pytest.approx(expected[i][j].item(), rel=1e-9, abs=1e-11), (i, j)


def test_a_seeded_sample_of_random_graphs_from_the_extremes_agrees_with_pytorch_float64():
    torch = pytest.importorskip("torch")
    from tests.fuzz_graphs import fuzz

    report = fuzz(graphs=120, seed=17)
    assert report.compared > 80, str(report)  # most graphs are inside every domain
    assert not report.mismatches, "\n".join([str(report), *report.mismatches])
    assert torch is not None


def test_the_sixty_digit_arbiter_finds_pytorchs_float64_off_where_the_engine_is_right():
    """Fuzz graph 41410 (seed 0): the engine's d2/dx0^2 is -0.0385..., PyTorch float64's -6408."""
    import math

    from autograd import hessian
    from tests.exact_oracle import exact_entry
    from tests.strategies import Program

    program = Program([("pow", 1, 0), ("sqrt", 3, 0), ("leaky_relu", 4, 4), ("pow_const", 1, 5), ("tanh", 0, 1),
                       ("relu", 2, 3), ("weighted_sum", 8, 7), ("log", 5, 2)], tame=False)
    point = [1.396033354899493, 1e154, 1.143479436526821]
    exact = exact_entry(program, point, "d2/dx0dx0")
    ours = hessian(lambda *xs: program(list(xs)))(*point)[0][0]
    assert math.isclose(ours, exact, rel_tol=1e-9) and math.isclose(exact, -0.0385063721543, rel_tol=1e-9)
    # the oracle itself against a closed form: f = tanh(x + y) + 0.1 tanh x + 0.1 tanh y (the
    # program's output adds 0.1 tanh of every other node), so d2f/dxdy = -2 tanh(x + y) sech^2(x + y)
    tanh_program = Program([("tanh", 0, 1)], tame=False)
    t = math.tanh(0.7 + 0.2)
    assert math.isclose(exact_entry(tanh_program, [0.7, 0.2], "d2/dx0dx1"), -2 * t * (1 - t * t), rel_tol=1e-12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression_graphs())
def test_the_arbiters_jets_give_mpmaths_own_differences_on_smooth_graphs(graph):
    """The arbiter's exact derivatives (hyper-dual numbers) against mpmath.diff at 60 digits."""
    import mpmath as mp

    from tests.exact_oracle import DIGITS, Jet, call, exact_entry

    point, program = graph
    with mp.workdps(DIGITS):
        value = lambda *xs: program.on(call, [Jet(x) for x in xs]).a
        at = [mp.mpf(x) for x in point]
        for i, j in [(0, 0), (0, 1), (2, 1)]:
            orders = [0] * len(point)
            orders[i] += 1
            orders[j] += 1
            expected = float(mp.diff(value, at, orders))
            assert exact_entry(program, point, f"d2/dx{i}dx{j}") == pytest.approx(expected, rel=1e-12, abs=1e-40)
        for i in range(len(point)):
            orders = [int(k == i) for k in range(len(point))]
            assert exact_entry(program, point, f"d/dx{i}") == pytest.approx(float(mp.diff(value, at, orders)), rel=1e-12,
                                                                             abs=1e-40)


def test_the_fuzzer_names_an_underflow_and_an_entry_float64_resolves_for_neither():
    """Fuzz graphs 98402 (reduced) and 90774 (seed 0): two limits of float64, not wrong rules.

    x log(softplus(x) + 1/2) at x = 2.06e162: d²/dx² = 1/x exactly; the engine's -1/x² inside
    the gradient's graph underflows to 0 and it gives 2/x, where PyTorch's (g/x)/x stays
    representable. tanh(20) rounds to 1, so 1 - tanh² loses the second derivative
    -2 tanh(20)(1 - tanh²(20)) = -3.4e-18 in both engines, which then disagree at 1e-99.
    """
    import math

    torch = pytest.importorskip("torch")
    from tests.exact_oracle import exact_entry
    from tests.fuzz_graphs import judge
    from tests.strategies import Program

    call = torch_call(torch)
    huge = Program([("log", 0, 0), ("mul", 0, 3)], tame=True)
    x = 2.0600520350378837e162
    assert math.isclose(exact_entry(huge, [x, 2.9, -20.0], "d2/dx0dx0"), 1 / x, rel_tol=1e-12)
    assert math.isclose(hessian(lambda *xs: huge(list(xs)))(x, 2.9, -20.0)[0][0], 2 / x, rel_tol=1e-12)
    assert judge(torch, call, huge, [x, 2.9, -20.0]) == "underflow"
    saturated = Program([("sin", 0, 2), ("abs", 3, 1), ("div", 3, 1)], tame=False)
    point = [-2.35533952795951e-83, -1e15, 20.0]
    t = math.tanh(20.0)
    assert t == 1.0 and exact_entry(saturated, point, "d2/dx2dx2") == pytest.approx(-0.2 * 4 / (math.exp(20) + math.exp(-20)) ** 2, rel=1e-9)
    assert judge(torch, call, saturated, point) == "float64 resolves neither (both differ from 60 digits)"
