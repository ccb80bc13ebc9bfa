"""Every loss takes one prediction and one target (a batch of m = 1) as well as lists of them."""

import math

import pytest

from autograd import Value
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge_loss,
    mean_squared_error,
    quadratic_cost,
    softmax_cross_entropy,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional


def loss_and_grad(loss, prediction, target):
    """C and ∂C/∂(prediction) for one Value prediction."""
    p = Value(prediction)
    C = loss(p, target)
    C.backward()
    return C.data, p.grad


def test_bce_of_one_probability_is_minus_log_of_the_probability_of_the_label():
    cost, grad = loss_and_grad(binary_cross_entropy, 0.7, 1.0)
    assert cost == pytest.approx(-math.log(0.7), rel=1e-15)
    assert grad == pytest.approx(-1 / 0.7, rel=1e-15)  # (p - y) / (p (1 - p)) with m = 1
    cost0, grad0 = loss_and_grad(binary_cross_entropy, 0.7, 0.0)
    assert (cost0, grad0) == (pytest.approx(-math.log(0.3), rel=1e-15), pytest.approx(1 / 0.3, rel=1e-14))


@pytest.mark.parametrize(
    "loss, torch_loss, prediction, target",
    [
        (binary_cross_entropy, F.binary_cross_entropy, 0.7, 1.0),
        (binary_cross_entropy, F.binary_cross_entropy, 0.2, 0.25),
        (binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, -1.3, 1.0),
        (mean_squared_error, F.mse_loss, 0.4, 1.0),
        (quadratic_cost, lambda p, y: 0.5 * F.mse_loss(p, y), 0.4, 1.0),
    ],
)
def test_one_example_equals_pytorch_and_the_batch_of_one(loss, torch_loss, prediction, target):
    cost, grad = loss_and_grad(loss, prediction, target)
    p = torch.tensor([prediction], dtype=torch.float64, requires_grad=True)
    theirs = torch_loss(p, torch.tensor([target], dtype=torch.float64))
    theirs.backward()
    assert cost == pytest.approx(theirs.item(), rel=1e-14)
    assert grad == pytest.approx(p.grad.item(), rel=1e-14)
    assert cost == loss([Value(prediction)], [target]).data


def test_hinge_of_one_score_is_max_0_1_minus_y_s():
    assert loss_and_grad(hinge_loss, 0.3, -1.0) == (pytest.approx(1.3, rel=1e-15), 1.0)
    assert loss_and_grad(hinge_loss, 2.0, 1.0) == (0.0, 0.0)


def test_softmax_cross_entropy_of_one_example_takes_its_logits_and_its_class():
    logits = [0.5, -1.0, 2.0]
    z = [Value(v) for v in logits]
    C = softmax_cross_entropy(z, 0)
    C.backward()
    t = torch.tensor([logits], dtype=torch.float64, requires_grad=True)
    theirs = F.cross_entropy(t, torch.tensor([0]))
    theirs.backward()
    assert C.data == pytest.approx(theirs.item(), rel=1e-14)
    assert [v.grad for v in z] == pytest.approx(t.grad[0].tolist(), rel=1e-14)


def test_one_example_with_a_vector_output_and_its_target_vector():
    a = [Value(0.2), Value(0.9)]
    C = quadratic_cost([a], [[1.0, 0.0]])  # one example, n_L = 2: wrapped in lists
    assert C.data == pytest.approx(0.5 * (0.8**2 + 0.9**2), rel=1e-15)
    assert quadratic_cost(Value(0.2), [1.0]).data == pytest.approx(0.5 * 0.8**2, rel=1e-15)


def test_a_target_of_the_wrong_kind_for_one_example_is_still_an_error():
    with pytest.raises(ValueError, match="targets must be in"):
        binary_cross_entropy(Value(0.7), 2.0)
    with pytest.raises(ValueError, match=r"class index in 0\.\.2"):
        softmax_cross_entropy([Value(0.0), Value(1.0), Value(2.0)], 3)
    with pytest.raises(TypeError, match="a target must be a real number"):
        binary_cross_entropy(Value(0.7), "1")
