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
