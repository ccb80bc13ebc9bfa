"""One node for many terms: sum and a neuron's weighted sum, against the chain of + and * they replace."""

from __future__ import annotations

import random

import pytest

import autograd
from autograd import Value, weighted_sum
from autograd.ops import OPS
from autograd.value import apply


def _chain(w: list[Value], a: list[Value], b: Value | None) -> Value:
    """b + w_1 a_1 + w_2 a_2 + ... written out with * and + by Python's sum, as micrograd's neuron."""
    products = (wk * ak for wk, ak in zip(w, a))
    return sum(products, b) if b is not None else sum(products)


@pytest.mark.parametrize("bias", [True, False])
def test_weighted_sum_gives_the_chain_of_mul_and_add_bit_for_bit(bias):
    rng = random.Random(11)
    for _ in range(300):
        n = rng.randint(1, 40)
        numbers = [rng.uniform(-3, 3) * 10 ** rng.randint(-3, 3) for _ in range(2 * n + 1)]
        fused = [Value(x) for x in numbers]
        chained = [Value(x) for x in numbers]
        z = weighted_sum(fused[:n], fused[n : 2 * n], fused[-1] if bias else None)
        expected = _chain(chained[:n], chained[n : 2 * n], chained[-1] if bias else None)
        g = rng.uniform(-2, 2)
        z.backward(g)
        expected.backward(g)
        assert z.data == expected.data and z.op == "Σ"
        assert [v.grad for v in fused] == [v.grad for v in chained]


def test_weighted_sum_fast_path_agrees_with_its_row():
    rng = random.Random(4)
    for _ in range(200):
        n = rng.randint(1, 10)
        xs = [Value(rng.uniform(-5, 5)) for _ in range(2 * n + 1)]
        assert weighted_sum(xs[:n], xs[n : 2 * n], xs[-1]).data == apply(OPS["weighted_sum"], *xs).data


def test_sum_gives_pythons_sum_of_values_bit_for_bit():
    rng = random.Random(12)
    for _ in range(300):
        numbers = [rng.uniform(-1, 1) * 10 ** rng.randint(-8, 8) for _ in range(rng.randint(1, 50))]
        fused = [Value(x) for x in numbers]
        total = autograd.sum(fused)
        chained = [Value(x) for x in numbers]
        expected = sum(chained)  # Python's sum: 0 + x_1 + x_2 + ...
        total.backward(0.5)
        expected.backward(0.5)
        assert total.data == expected.data and total.op == "sum" and len(total.parents) == len(numbers)
        assert [v.grad for v in fused] == [v.grad for v in chained]


def test_a_neuron_is_one_sigma_node_with_pytorchs_gradients():
    torch = pytest.importorskip("torch")
    from nn import Neuron

    neuron = Neuron(5, activation="tanh", seed=3)
    x = [0.5, -1.0, 2.0, 0.25, -0.75]
    a = neuron(x)
    a.backward()
    assert neuron.z.op == "Σ" and len(neuron.z.parents) == 11 and a.parents == (neuron.z,)
    w = torch.tensor([p.data for p in neuron.w], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(neuron.b.data, dtype=torch.float64, requires_grad=True)
    torch.tanh(w @ torch.tensor(x, dtype=torch.float64) + b).backward()
    assert [p.grad for p in neuron.w] == pytest.approx(w.grad.tolist(), rel=1e-14)
    assert neuron.b.grad == pytest.approx(b.grad.item(), rel=1e-14)


def test_numbers_among_the_operands_become_constants_and_mismatched_lengths_are_refused():
    w = Value(2.0)
    z = weighted_sum([w, 3.0], [4.0, Value(5.0)], 1)
    assert z.data == 2 * 4 + 3 * 5 + 1 and [p.data for p in z.parents] == [2.0, 3.0, 4.0, 5.0, 1.0]
    with pytest.raises(ValueError, match="2 weights for 1 inputs"):
        weighted_sum([w, w], [w])
    with pytest.raises(TypeError, match="must be a Value or a real number, got str"):
        weighted_sum([w], ["x"])
    with pytest.raises(ValueError, match="at least one value"):
        autograd.sum([])
