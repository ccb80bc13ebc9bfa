"""Every loss: its value and its gradient against the hand formula, finite differences and PyTorch."""

import math

import pytest

from autograd import Value, gradcheck
from nn.costs import COSTS, resolve_loss
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge_loss,
    l2_penalty,
    mean_squared_error,
    quadratic_cost,
    softmax_cross_entropy,
)


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def values(xs):
    return [Value(x) for x in xs]


def grads_of(loss_fn, outputs, targets):
    vs = values(outputs)
    loss = loss_fn(vs, targets)
    loss.backward()
    return loss.data, [v.grad for v in vs]


def test_quadratic_cost_has_the_half_and_gradient_a_minus_y_over_m():
    a, y = [0.2, 0.9, -0.4], [0.0, 1.0, 1.0]
    m = 3
    value, grads = grads_of(quadratic_cost, a, y)
    assert value == pytest.approx(sum((yi - ai) ** 2 for ai, yi in zip(a, y)) / (2 * m), rel=1e-14)
    assert grads == pytest.approx([(ai - yi) / m for ai, yi in zip(a, y)], rel=1e-14)


def test_quadratic_cost_sums_over_output_vectors():
    a = [values([0.1, 0.7]), values([0.5, -0.2])]
    y = [[0.0, 1.0], [1.0, 0.0]]
    loss = quadratic_cost(a, y)
    loss.backward()
    assert loss.data == pytest.approx(((0.01 + 0.09) + (0.25 + 0.04)) / 4, rel=1e-14)
    assert [v.grad for v in a[1]] == pytest.approx([(0.5 - 1.0) / 2, (-0.2 - 0.0) / 2], rel=1e-14)


def test_mean_squared_error_is_twice_the_quadratic_cost_for_one_output():
    a, y = [0.2, 0.9, -0.4], [0.0, 1.0, 1.0]
    value, grads = grads_of(mean_squared_error, a, y)
    q_value, q_grads = grads_of(quadratic_cost, a, y)
    assert value == pytest.approx(sum((yi - ai) ** 2 for ai, yi in zip(a, y)) / 3, rel=1e-14)
    assert value == pytest.approx(2 * q_value, rel=1e-14)
    assert grads == pytest.approx([2 * (ai - yi) / 3 for ai, yi in zip(a, y)], rel=1e-14)
    assert grads == pytest.approx([2 * g for g in q_grads], rel=1e-14)


def test_mean_squared_error_averages_over_every_entry():
    loss = mean_squared_error([values([1.0, 2.0]), values([0.0, 0.0])], [[0.0, 0.0], [1.0, 1.0]])
    assert loss.data == pytest.approx((1 + 4 + 1 + 1) / 4)


def test_binary_cross_entropy_value_and_gradient():
    p, y = [0.8, 0.3, 0.6, 0.25], [1.0, 0.0, 0.0, 0.7]
    m = 4
    value, grads = grads_of(binary_cross_entropy, p, y)
    expected = -sum(yi * math.log(pi) + (1 - yi) * math.log(1 - pi) for pi, yi in zip(p, y)) / m
    assert value == pytest.approx(expected, rel=1e-14)
    assert grads == pytest.approx([(pi - yi) / (pi * (1 - pi)) / m for pi, yi in zip(p, y)], rel=1e-12)


def test_binary_cross_entropy_through_a_sigmoid_collapses_to_p_minus_y():
    z, y = [1.2, -0.4, 0.3], [1.0, 0.0, 1.0]
    zs = values(z)
    loss = binary_cross_entropy([v.sigmoid() for v in zs], y)
    loss.backward()
    assert [v.grad for v in zs] == pytest.approx([(sigmoid(zi) - yi) / 3 for zi, yi in zip(z, y)], rel=1e-12)


def test_binary_cross_entropy_refuses_saturated_probabilities():
    with pytest.raises(ValueError, match="with_logits"):
        binary_cross_entropy([Value(1.0)], [1.0])
    with pytest.raises(ValueError, match="targets must be in"):
        binary_cross_entropy([Value(0.5)], [2.0])


def test_bce_with_logits_equals_bce_of_the_sigmoid_and_gradient_sigma_minus_y():
    z, y = [2.0, -1.0, 0.5, -3.0], [1.0, 0.0, 0.0, 0.3]
    value, grads = grads_of(binary_cross_entropy_with_logits, z, y)
    p = [sigmoid(zi) for zi in z]
    expected = -sum(yi * math.log(pi) + (1 - yi) * math.log(1 - pi) for pi, yi in zip(p, y)) / 4
    assert value == pytest.approx(expected, rel=1e-13)
    assert grads == pytest.approx([(pi - yi) / 4 for pi, yi in zip(p, y)], rel=1e-12)


def test_bce_with_logits_is_stable_for_huge_logits():
    value, grads = grads_of(binary_cross_entropy_with_logits, [800.0, -800.0], [0.0, 1.0])
    assert value == pytest.approx(800.0)
    assert grads == pytest.approx([0.5, -0.5])


def test_hinge_loss_value_and_gradient():
    s, y = [0.3, -2.0, 1.5, -0.2], [1, -1, -1, -1]
    value, grads = grads_of(hinge_loss, s, y)
    assert value == pytest.approx(sum(max(0.0, 1 - yi * si) for si, yi in zip(s, y)) / 4, rel=1e-14)
    assert grads == [-1 / 4, 0.0, 1 / 4, 1 / 4]


def test_hinge_loss_wants_plus_minus_one_labels():
    with pytest.raises(ValueError, match="2\\*y - 1"):
        hinge_loss([Value(0.3)], [0])


def test_softmax_cross_entropy_value_and_gradient():
    z = [[1.0, 2.0, 0.5], [-0.3, 0.0, 3.0]]
    y = [1, 0]
    zs = [values(row) for row in z]
    loss = softmax_cross_entropy(zs, y)
    loss.backward()
    expected = 0.0
    for row, label in zip(z, y):
        expected += math.log(sum(math.exp(v) for v in row)) - row[label]
    assert loss.data == pytest.approx(expected / 2, rel=1e-14)
    for row, vs, label in zip(z, zs, y):
        total = sum(math.exp(v) for v in row)
        hand = [(math.exp(v) / total - (1.0 if c == label else 0.0)) / 2 for c, v in enumerate(row)]
        assert [v.grad for v in vs] == pytest.approx(hand, rel=1e-12)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    loss = softmax_cross_entropy([values([1000.0, 0.0])], [1])
    assert loss.data == pytest.approx(1000.0)


def test_softmax_cross_entropy_checks_class_indices():
    with pytest.raises(ValueError, match=r"class index in 0\.\.1"):
        softmax_cross_entropy([values([1.0, 2.0])], [2])


def test_l2_penalty_value_and_gradient():
    ps = values([0.5, -2.0, 3.0])
    penalty = l2_penalty(ps, 0.1)
    penalty.backward()
    assert penalty.data == pytest.approx(0.1 * (0.25 + 4 + 9))
    assert [p.grad for p in ps] == pytest.approx([2 * 0.1 * 0.5, 2 * 0.1 * -2.0, 2 * 0.1 * 3.0])
    with pytest.raises(ValueError):
        l2_penalty(ps, -1.0)


CASES = [
    (quadratic_cost, [0.2, -0.7, 1.1], [0.0, 1.0, 1.0]),
    (mean_squared_error, [0.2, -0.7, 1.1], [0.0, 1.0, 1.0]),
    (binary_cross_entropy, [0.2, 0.7, 0.55], [0.0, 1.0, 0.4]),
    (binary_cross_entropy_with_logits, [0.2, -0.7, 3.1], [0.0, 1.0, 0.4]),
    (hinge_loss, [0.2, -0.7, 1.6], [1, 1, -1]),
]


@pytest.mark.parametrize("loss_fn, outputs, targets", CASES, ids=[c[0].__name__ for c in CASES])
def test_loss_gradients_match_central_finite_differences(loss_fn, outputs, targets):
    result = gradcheck(lambda *vs: loss_fn(list(vs), targets), outputs)
    assert result.ok, str(result)
    assert result.max_abs_error < 1e-7


def test_softmax_cross_entropy_matches_finite_differences():
    def f(*vs):
        return softmax_cross_entropy([list(vs[:3]), list(vs[3:])], [2, 0])

    result = gradcheck(f, [0.1, -0.4, 0.8, 1.5, 0.2, -1.0])
    assert result.ok, str(result)


def test_losses_match_pytorch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    out = [0.3, -1.2, 0.8, 2.0]
    t01 = [1.0, 0.0, 1.0, 0.0]

    def check(ours_fn, outputs, targets, theirs_fn):
        ours_value, ours_grads = grads_of(ours_fn, outputs, targets)
        x = torch.tensor(outputs, dtype=torch.float64, requires_grad=True)
        theirs = theirs_fn(x, torch.tensor([float(t) for t in targets], dtype=torch.float64))
        theirs.backward()
        assert ours_value == pytest.approx(theirs.item(), rel=1e-12)
        assert ours_grads == pytest.approx(x.grad.tolist(), rel=1e-12, abs=1e-15)

    check(mean_squared_error, out, t01, F.mse_loss)
    check(binary_cross_entropy_with_logits, out, t01, F.binary_cross_entropy_with_logits)
    check(binary_cross_entropy, [sigmoid(v) for v in out], t01, F.binary_cross_entropy)
    check(hinge_loss, out, [2 * t - 1 for t in t01], lambda x, t: torch.clamp(1 - t * x, min=0).mean())

    logits = [[0.3, -1.2, 0.8], [2.0, 0.1, -0.5]]
    zs = [values(row) for row in logits]
    loss = softmax_cross_entropy(zs, [2, 0])
    loss.backward()
    x = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    theirs = F.cross_entropy(x, torch.tensor([2, 0]))
    theirs.backward()
    assert loss.data == pytest.approx(theirs.item(), rel=1e-12)
    assert [v.grad for row in zs for v in row] == pytest.approx(x.grad.flatten().tolist(), rel=1e-12)


def test_batch_shape_errors():
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        hinge_loss(values([1.0, 2.0]), [1])
    with pytest.raises(ValueError, match="empty"):
        quadratic_cost([], [])
    with pytest.raises(TypeError, match="a target must be a real number, got list"):
        hinge_loss(Value(1.0), [1])  # one output (m = 1) whose target is a list
    with pytest.raises(ValueError, match="size 2"):
        quadratic_cost([values([1.0, 2.0])], [[1.0]])


def test_losses_by_name():
    assert resolve_loss("hinge") == ("hinge", hinge_loss)
    assert resolve_loss("bce-logits")[1] is binary_cross_entropy_with_logits
    assert set(COSTS) == {"quadratic", "mse", "bce", "bce_logits", "hinge", "cross_entropy"}
    assert all(COSTS[name].name == name and resolve_loss(name)[1] is COSTS[name].function for name in COSTS)
    with pytest.raises(ValueError, match="unknown loss 'svm'"):
        resolve_loss("svm")


@pytest.mark.parametrize(
    "name, activation, targets",
    [("hinge", "linear", [-1, 1]), ("bce", "sigmoid", [0, 1]), ("bce_logits", "linear", [0, 1]),
     ("mse", "sigmoid", [0, 1]), ("quadratic", "sigmoid", [0, 1])],
)
def test_one_output_losses_state_their_output_layer_and_label_encoding(name, activation, targets):
    record = COSTS[name]
    assert record.output_activation == activation and record.output_size(2) == 1
    assert [record.encode(c) for c in (0, 1)] == targets
    with pytest.raises(ValueError, match="is for two classes, the data have 3: use the loss 'cross_entropy'"):
        record.output_size(3)


def test_cross_entropy_has_one_linear_output_per_class_and_a_record_calls_its_function():
    record = COSTS["cross_entropy"]
    assert (record.output_activation, record.output_size(5), record.encode(4)) == ("linear", 5, 4)
    outputs, targets = [values([0.5, -1.0]), values([2.0, 0.0])], [1, 0]
    assert record(outputs, targets).data == softmax_cross_entropy(outputs, targets).data


def test_binary_cross_entropy_of_vector_outputs_sums_each_examples_terms_as_pytorch():
    torch = pytest.importorskip("torch")
    p = [[Value(0.2), Value(0.9)], [Value(0.6), Value(0.3)], [Value(0.5), Value(0.75)]]
    y = [[0.0, 1.0], [1.0, 0.25], [1.0, 0.0]]
    C = binary_cross_entropy(p, y)
    C.backward()
    tp = torch.tensor([[v.data for v in row] for row in p], dtype=torch.float64, requires_grad=True)
    theirs = torch.nn.functional.binary_cross_entropy(tp, torch.tensor(y, dtype=torch.float64), reduction="sum") / 3
    theirs.backward()
    assert C.data == pytest.approx(theirs.item(), rel=1e-13)
    assert [v.grad for row in p for v in row] == pytest.approx(tp.grad.flatten().tolist(), rel=1e-12)
    with pytest.raises(ValueError, match="an output of size 2 needs a target of size 2, got 1"):
        binary_cross_entropy([p[0]], [[1.0]])
