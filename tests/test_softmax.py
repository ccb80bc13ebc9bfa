"""A softmax output layer on the array side: forward pass, cross-entropy, BP1 of the pair and the Jacobian.

Every gradient is checked against PyTorch in float64 (``CrossEntropyLoss`` on
the logits z^L, autograd through ``torch.softmax`` for other costs), written
here from the model's weights, and against the engine's graph (inside
``compare``, with central finite differences as a third method).
"""

from __future__ import annotations

import numpy as np
import pytest

from nn.activations import ACTIVATIONS, lookup
from nn.analytic import (
    Network,
    backpropagate,
    check_derivation,
    compare,
    cost_value,
    engine_gradients,
    forward,
    random_batch,
)
from nn.analytic.equations import network_for
from nn.costs import COSTS
from nn.layers import MLP
from nn.softmax import LAYERWISE, SOFTMAX, array_activation

torch = pytest.importorskip("torch")


def _torch_reference(model: MLP, X: np.ndarray, Y: np.ndarray, hidden: str, cost: str):
    """C, dC/dW^l, dC/db^l and dC/dz^L of the model in PyTorch float64, one example per column."""
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in model.weights()]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in model.biases()]
    a = torch.tensor(X.T, dtype=torch.float64)  # PyTorch: one example per row
    f = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[hidden]
    for W, b in zip(Ws[:-1], bs[:-1]):
        a = f(a @ W.T + b)
    logits = a @ Ws[-1].T + bs[-1]
    logits.retain_grad()
    labels = torch.tensor(Y.argmax(axis=0))
    if cost == "cross_entropy":
        C = torch.nn.CrossEntropyLoss()(logits, labels)  # the mean over the batch
    else:  # the quadratic cost 1/(2m) Σ_i ||y_i - softmax(z_i)||² on a softmax output
        target = torch.tensor(Y.T, dtype=torch.float64)
        C = 0.5 * ((torch.softmax(logits, dim=1) - target) ** 2).sum() / X.shape[1]
    C.backward()
    return (
        float(C.detach()),
        [W.grad.numpy() for W in Ws],
        [b.grad.numpy().reshape(-1, 1) for b in bs],
        logits.grad.numpy().T,
    )


@pytest.mark.parametrize(
    ("sizes", "hidden", "m", "seed"),
    [([3, 4, 3], "sigmoid", 5, 0), ([2, 3, 3], "tanh", 3, 1), ([4, 5, 4, 6], "relu", 7, 2), ([2, 2], "sigmoid", 4, 3)],
)
def test_cross_entropy_with_softmax_matches_pytorch_cross_entropy_loss_on_logits(sizes, hidden, m, seed):
    model = MLP(sizes[0], sizes[1:], hidden, "linear", seed=seed)
    X, Y = random_batch(model, m, "cross_entropy", seed=seed)
    C, dW, db, dz = _torch_reference(model, X, Y, hidden, "cross_entropy")
    fp, grads = backpropagate(network_for(model, "cross_entropy"), X, Y, "cross_entropy")
    assert cost_value("cross_entropy", fp.A[-1], Y) == pytest.approx(C, rel=1e-12)
    np.testing.assert_allclose(fp.A[-1], torch.softmax(torch.tensor(fp.Z[-1]), dim=0).numpy(), rtol=1e-13)
    np.testing.assert_allclose(grads[-1].delta, dz, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(grads[-1].delta, (fp.A[-1] - Y) / m, rtol=1e-13)  # BP1 of the pair
    for g, W_grad, b_grad in zip(grads, dW, db):
        np.testing.assert_allclose(g.dW, W_grad, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(g.db, b_grad, rtol=1e-10, atol=1e-15)
    report = compare(model, X, Y, "cross_entropy")
    assert report.ok, str(report)
    assert report.cost == pytest.approx(C, rel=1e-12)


def test_quadratic_cost_on_a_softmax_output_goes_through_the_jacobian_as_pytorch_does():
    model = MLP(3, [4, 3], "tanh", "linear", seed=5)
    X, Y = random_batch(model, 4, "cross_entropy", seed=5)  # one-hot targets for the quadratic cost
    C, dW, db, dz = _torch_reference(model, X, Y, "tanh", "quadratic")
    net = network_for(model, "quadratic", "softmax")
    assert net.activations == ["tanh", "softmax"]
    fp, grads = backpropagate(net, X, Y, "quadratic")
    assert cost_value("quadratic", fp.A[-1], Y) == pytest.approx(C, rel=1e-12)
    np.testing.assert_allclose(grads[-1].delta, dz, rtol=1e-10, atol=1e-15)
    A = fp.A[-1]
    for i in range(4):  # δ^L_i = J_i^T ∇_a C_i, with J_jk = a_j (δ_jk - a_k)
        J = np.diag(A[:, i]) - np.outer(A[:, i], A[:, i])
        np.testing.assert_allclose(grads[-1].delta[:, i], J.T @ ((A[:, i] - Y[:, i]) / 4), rtol=1e-12)
    for g, W_grad, b_grad in zip(grads, dW, db):
        np.testing.assert_allclose(g.dW, W_grad, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(g.db, b_grad, rtol=1e-10, atol=1e-15)
    report = compare(model, X, Y, "quadratic", output_activation="softmax")
    assert report.ok, str(report)
    eng = engine_gradients(model, X, Y, "quadratic", "softmax")
    np.testing.assert_allclose(eng.dA_L, (A - Y) / 4, rtol=1e-12)  # the engine's graph holds softmax's a^L


def test_the_softmax_jacobian_is_the_central_difference_of_softmax():
    z = np.random.default_rng(0).standard_normal((4, 3))
    J = SOFTMAX.jacobian_array(z, np)
    eps = 1e-6
    for i in range(3):
        for k in range(4):
            up, down = z.copy(), z.copy()
            up[k, i] += eps
            down[k, i] -= eps
            column = (SOFTMAX.f_array(up, np)[:, i] - SOFTMAX.f_array(down, np)[:, i]) / (2 * eps)
            np.testing.assert_allclose(J[i, :, k], column, atol=1e-9)


def test_softmax_of_large_logits_does_not_overflow_on_arrays_or_values():
    from autograd import Value

    z = np.array([[1000.0], [999.0], [-1000.0]])
    expected = torch.softmax(torch.tensor(z[:, 0]), dim=0).numpy()
    np.testing.assert_allclose(SOFTMAX.f_array(z, np)[:, 0], expected, rtol=1e-15)
    np.testing.assert_allclose([a.data for a in SOFTMAX.f_layer([Value(v) for v in z[:, 0]])], expected, rtol=1e-15)


def test_class_indices_and_one_hot_columns_give_the_same_gradients():
    model = MLP(2, [3, 3], "sigmoid", "linear", seed=4)
    X, Y = random_batch(model, 5, "cross_entropy", seed=4)
    by_columns = compare(model, X, Y, "cross_entropy", finite_differences=False)
    by_index = compare(model, X, Y.argmax(axis=0), "cross_entropy", finite_differences=False)
    for a, b in zip(by_columns.analytic, by_index.analytic):
        np.testing.assert_array_equal(a.dW, b.dW)
    assert by_index.ok


@pytest.mark.parametrize(
    ("Y", "message"),
    [
        ([0, 3, 1], r"Y\[1\] is 3.0: class labels must be indices 0..2"),
        ([0, 1.5, 1], r"Y\[1\] is 1.5"),
        ([[1, 0, 0], [0, 1, 1], [0, 1, 0]], r"column 1 of Y is \[0.0, 1.0, 1.0\]: each column must be one-hot"),
        ([[0.5, 0, 0], [0.5, 1, 1], [0, 0, 0]], r"column 0 of Y"),
    ],
)
def test_targets_that_are_not_classes_are_refused_by_name(Y, message):
    model = MLP(2, [3, 3], "sigmoid", "linear", seed=0)
    with pytest.raises(ValueError, match=message):
        compare(model, np.zeros((2, 3)), Y, "cross_entropy")


def test_cross_entropy_needs_a_linear_output_under_its_softmax_and_softmax_stays_in_the_output_layer():
    with pytest.raises(ValueError, match=r"model's output layer is 'sigmoid'.*output_activation='linear'"):
        compare(MLP(2, [3, 3], "tanh", "sigmoid", seed=0), np.zeros((2, 3)), [0, 1, 2], "cross_entropy")
    with pytest.raises(ValueError, match=r"layer 1 has activation 'softmax'.*only an output layer"):
        Network([np.eye(2), np.eye(2)], [np.zeros((2, 1))] * 2, ["softmax", "softmax"])
    with pytest.raises(ValueError, match="'tanh' is elementwise"):
        network_for(MLP(2, [3, 3], "tanh", "linear", seed=0), "quadratic", "tanh")
    with pytest.raises(ValueError, match="cost 'bce' needs a sigmoid output layer"):
        network_for(MLP(2, [3, 1], "tanh", "linear", seed=0), "bce", "softmax")


def test_softmax_is_a_layer_function_a_neuron_cannot_apply():
    assert "softmax" not in ACTIVATIONS and LAYERWISE["softmax"] is SOFTMAX
    assert array_activation("Softmax") is SOFTMAX and array_activation("tanh") is ACTIVATIONS["tanh"]
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        lookup("softmax")
    with pytest.raises(ValueError, match="no f′ per neuron"):
        SOFTMAX.df_array(np.zeros((2, 1)), np)
    with pytest.raises(ValueError, match=r"unknown activation 'softmin'; expected one of: .*softmax"):
        array_activation("softmin")


def pair_per_example(d):
    """The per-example convention for softmax + cross-entropy: dZ^L = A^L - Y, the 1/m in dW and db."""
    dZ2 = d.A[2] - d.Y
    dZ1 = (d.W[1].T @ dZ2) * d.A[1] * (1 - d.A[1])
    return {
        "dZ2": dZ2,
        "dW2": dZ2 @ d.A[1].T / d.m,
        "db2": dZ2.sum(axis=1, keepdims=True) / d.m,
        "dZ1": dZ1,
        "dW1": dZ1 @ d.A[0].T / d.m,
        "db1": dZ1.sum(axis=1, keepdims=True) / d.m,
    }


def pair_averaged(d):
    return {
        key: value / d.m if key.startswith("dZ") else value for key, value in pair_per_example(d).items()
    }


@pytest.fixture
def batch():
    model = MLP(3, [4, 3], "sigmoid", "linear", seed=7)
    X, Y = random_batch(model, 5, "cross_entropy", seed=7)
    return model, X, Y


def test_check_derivation_finds_the_convention_of_a_softmax_derivation(batch):
    model, X, Y = batch
    found = check_derivation(pair_per_example, model, X, Y, "cross_entropy")
    assert found.ok and found.convention == "per_example"
    found = check_derivation(pair_averaged, model, X, Y, "cross_entropy")
    assert found.ok and found.convention == "averaged"
    assert check_derivation(pair_averaged, model, X, Y.argmax(axis=0), "cross_entropy", convention="averaged").ok


def test_check_derivation_names_the_factor_of_a_softmax_slip(batch):
    model, X, Y = batch
    per_example_as_averaged = check_derivation(pair_per_example, model, X, Y, "cross_entropy", convention="averaged")
    assert not per_example_as_averaged.ok and per_example_as_averaged.key == "dZ2"
    assert "m = 5 times the engine's ∂C/∂Z2: it is the per-example ∂ℓ/∂Z2" in per_example_as_averaged.note

    def y_minus_a(d):
        return {"dZ2": (d.Y - d.A[2]) / d.m}

    sign = check_derivation(y_minus_a, model, X, Y, "cross_entropy")
    assert not sign.ok and "opposite sign" in sign.note

    def forgot_one_over_m_in_dW(d):
        found = pair_per_example(d)
        found["dW2"] = found["dZ2"] @ d.A[1].T
        return found

    missing = check_derivation(forgot_one_over_m_in_dW, model, X, Y, "cross_entropy")
    assert not missing.ok and missing.key == "dW2" and "the 1/m is missing from dW2" in missing.note


def test_check_derivation_explains_why_dA_is_not_checked_under_softmax_with_cross_entropy(batch):
    model, X, Y = batch
    with pytest.raises(ValueError, match=r"dA2 is not checked with a softmax output paired with cross-entropy"):
        check_derivation(lambda d: {"dA2": -d.Y / d.A[2] / d.m}, model, X, Y, "cross_entropy")


def test_the_forward_pass_of_a_softmax_network_gives_probabilities_per_column():
    model = MLP(2, [3, 4], "tanh", "linear", seed=1)
    X = np.random.default_rng(1).standard_normal((2, 6))
    fp = forward(network_for(model, "cross_entropy"), X)
    np.testing.assert_allclose(fp.A[-1].sum(axis=0), np.ones(6), rtol=1e-15)
    expected = torch.softmax(torch.tensor(fp.Z[-1]), dim=0).numpy()
    np.testing.assert_allclose(fp.A[-1], expected, rtol=1e-14)


# -- labels: every class the batch has room for ---------------------------------------------------


@pytest.mark.parametrize("m", [2, 3, 5])
def test_binary_labels_hold_both_classes_in_every_row_whenever_m_is_at_least_2(m):
    model = MLP(2, [3, 2], "sigmoid", "sigmoid", seed=0)
    for seed in range(200):
        _, Y = random_batch(model, m, "bce", seed=seed)
        assert set(np.unique(Y)) == {0.0, 1.0}
        for row in Y:
            assert set(row) == {0.0, 1.0}, (seed, Y)


@pytest.mark.parametrize(("K", "m"), [(2, 2), (3, 3), (3, 4), (4, 7), (6, 6)])
def test_one_hot_labels_hold_every_class_whenever_m_is_at_least_K(K, m):
    model = MLP(2, [3, K], "sigmoid", "linear", seed=0)
    for seed in range(200):
        _, Y = random_batch(model, m, "cross_entropy", seed=seed)
        assert np.array_equal(Y.sum(axis=0), np.ones(m)) and set(np.unique(Y)) == {0.0, 1.0}
        assert set(Y.argmax(axis=0)) == set(range(K)), (seed, Y)


def test_labels_with_fewer_examples_than_classes_are_distinct_and_every_class_is_drawn():
    arrays = COSTS["cross_entropy"].on_arrays()
    rng = np.random.default_rng(0)
    counts = np.zeros(5)
    for _ in range(2000):
        Y = arrays.draw_targets(rng, (5, 3), 0.0, 1.0, np)
        assert len(set(Y.argmax(axis=0))) == 3
        counts += Y.sum(axis=1)
    assert counts.min() > 0.8 * counts.mean()  # no class is left out of the draws
