"""Random expression graphs (DAGs with reused subexpressions) against finite differences and PyTorch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from autograd import Value, gradcheck, hessian, topological_order
from tests.strategies import expression_graphs


class TorchShim:
    """Lets the same program run on tensors: Value methods mapped to torch."""

    def __init__(self, t):
        self.t = t

    def _wrap(self, other):
        return other.t if isinstance(other, TorchShim) else other

    def __add__(self, o): return TorchShim(self.t + self._wrap(o))
    def __radd__(self, o): return TorchShim(o + self.t)
    def __sub__(self, o): return TorchShim(self.t - self._wrap(o))
    def __mul__(self, o): return TorchShim(self.t * self._wrap(o))
    def __rmul__(self, o): return TorchShim(o * self.t)
    def __truediv__(self, o): return TorchShim(self.t / self._wrap(o))
    def __pow__(self, p): return TorchShim(self.t**p)
    def tanh(self): return TorchShim(_torch().tanh(self.t))
    def sigmoid(self): return TorchShim(_torch().sigmoid(self.t))
    def exp(self): return TorchShim(_torch().exp(self.t))
    def log(self): return TorchShim(_torch().log(self.t))
    def softplus(self): return TorchShim(_torch().nn.functional.softplus(self.t))
    def swish(self): return TorchShim(_torch().nn.functional.silu(self.t))
    def sin(self): return TorchShim(_torch().sin(self.t))
    def cos(self): return TorchShim(_torch().cos(self.t))


def _torch():
    return pytest.importorskip("torch")


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
    torch_out = program([TorchShim(t) for t in ts]).t
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
        lambda *args: program([TorchShim(t) for t in args]).t, ts
    )
    for i in range(len(point)):
        for j in range(len(point)):
            assert H[i][j] == pytest.approx(expected[i][j].item(), rel=1e-9, abs=1e-11), (i, j)
