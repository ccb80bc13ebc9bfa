"""check_derivation in both conventions for dZ: averaged (∂C/∂Z, 1/m inside) and per example (∂ℓ/∂Z, 1/m in dW, db)."""

import numpy as np
import pytest

from nn.analytic import Network, backpropagate, check_derivation, compare, random_batch
from nn.datasets import digits
from nn.layers import MLP


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def leaky_relu_prime(z):
    return np.where(z > 0, 1.0, 0.01)


def swish_prime(z):
    s = sigmoid(z)
    return s + z * s * (1 - s)


@pytest.fixture(scope="module")
def digits_network():
    """The curriculum's 0-vs-1 digits network: 64 inputs, p = 5 swish, q = 3 leaky ReLU, a sigmoid output; m = 16."""
    rows, labels = digits()
    X = np.array(rows[:16]).T  # (64, 16): one example per column
    Y = np.array([labels[:16]], dtype=float)  # (1, 16)
    assert 0 < Y.sum() < 16
    model = MLP(64, [5, 3, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid", init="he", seed=3)
    return model, X, Y


def pseudocode(d, forget_one_over_m_in=()):
    """The curriculum's vectorized backpropagation, per-example convention, as it is written."""
    m, Y = d.m, d.Y
    _, W2, W3 = d.W
    Z1, Z2, _ = d.Z
    X, A1, A2, A3 = d.A
    dZ3 = A3 - Y
    dW3 = (1 / m) * dZ3 @ A2.T
    db3 = (1 / m) * np.sum(dZ3, axis=1, keepdims=True)
    dZ2 = (W3.T @ dZ3) * leaky_relu_prime(Z2)
    dW2 = (1 / m) * dZ2 @ A1.T
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = (W2.T @ dZ2) * swish_prime(Z1)
    dW1 = (1 / m) * dZ1 @ X.T
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    grads = {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dZ2": dZ2, "dW2": dW2, "db2": db2,
             "dZ1": dZ1, "dW1": dW1, "db1": db1}
    for key in forget_one_over_m_in:
        grads[key] = grads[key] * m
    return grads


@pytest.mark.parametrize("convention", ["per_example", "auto"])
def test_the_curriculums_digits_pseudocode_passes_as_written(digits_network, convention):
    model, X, Y = digits_network
    check = check_derivation(pseudocode, model, X, Y, "bce", convention=convention)
    assert check.ok, str(check)
    assert check.convention == "per_example"
    assert check.checked == ["dZ3", "dW3", "db3", "dZ2", "dW2", "db2", "dZ1", "dW1", "db1"]
    assert "per-example convention" in str(check)


def test_the_per_example_pseudocode_checked_as_averaged_stops_at_dz3_and_names_the_factor_m(digits_network):
    model, X, Y = digits_network
    check = check_derivation(pseudocode, model, X, Y, "bce", convention="averaged")
    assert not check.ok and check.key == "dZ3" and check.index == (0, 0)
    assert check.got == pytest.approx(16 * check.expected, rel=1e-12)
    assert "dZ3 is m = 16 times the engine's ∂C/∂Z3: it is the per-example ∂ℓ/∂Z3" in check.note
    assert "convention='per_example'" in str(check)


def test_an_averaged_derivation_passes_in_auto_and_says_so(digits_network):
    model, X, Y = digits_network

    def averaged(d):  # the same pseudocode with the 1/m moved into dZ3
        grads = pseudocode(d)
        return {key: value / d.m if key.startswith("dZ") else value for key, value in grads.items()}

    check = check_derivation(averaged, model, X, Y, "bce")
    assert check.ok and check.convention == "averaged", str(check)
    assert "averaged-cost convention" in str(check)
    assert not check_derivation(averaged, model, X, Y, "bce", convention="per_example").ok


@pytest.mark.parametrize("convention", ["per_example", "auto"])
def test_dz_right_per_example_but_dw_without_its_one_over_m_is_reported_as_that(digits_network, convention):
    model, X, Y = digits_network
    check = check_derivation(lambda d: pseudocode(d, ["dW3"]), model, X, Y, "bce", convention=convention)
    assert not check.ok and check.key == "dW3" and check.convention == "per_example"
    assert check.got == pytest.approx(16 * check.expected, rel=1e-12)
    assert "dZ agrees with the engine only up to the factor m = 16" in check.note
    assert "but dW3 does not: it is m times ∂C/∂W3, the 1/m is missing from dW3" in check.note


def test_db_without_its_one_over_m_deeper_in_the_network_is_found_there(digits_network):
    model, X, Y = digits_network
    check = check_derivation(lambda d: pseudocode(d, ["db1"]), model, X, Y, "bce")
    assert not check.ok and check.key == "db1" and check.checked[-1] == "db1"
    assert "the 1/m is missing from db1" in check.note


def test_the_one_over_m_applied_twice_is_named():
    model = MLP(3, [4, 1], activation="tanh", output_activation="sigmoid", seed=5)
    X, Y = random_batch(model, 6, "bce", seed=5)

    def twice(d):
        dZ2 = (d.A[2] - d.Y) / d.m
        return {"dZ2": dZ2, "dW2": dZ2 @ d.A[1].T / d.m}

    check = check_derivation(twice, model, X, Y, "bce")
    assert not check.ok and check.key == "dW2" and check.convention == "averaged"
    assert "dW2 is 1/m = 1/6 of the engine's ∂C/∂W2: the 1/m is applied twice" in check.note


def test_with_one_example_or_only_dw_the_conventions_cannot_be_told_apart():
    model = MLP(3, [4, 1], activation="tanh", output_activation="sigmoid", seed=5)
    X, Y = random_batch(model, 1, "bce", seed=5)
    check = check_derivation(lambda d: {"dZ2": d.A[2] - d.Y}, model, X, Y, "bce")
    assert check.ok and check.convention == "either"
    X, Y = random_batch(model, 4, "bce", seed=5)
    check = check_derivation(lambda d: {"dW2": (d.A[2] - d.Y) @ d.A[1].T / d.m}, model, X, Y, "bce")
    assert check.ok and check.convention == "either" and "the same in both conventions" in str(check)


@pytest.mark.parametrize("convention", ["averaged", "per_example", "auto"])
def test_each_slip_is_caught_in_every_convention(convention):
    model = MLP(3, [4, 1], activation="leaky_relu", output_activation="sigmoid", seed=8)
    X, Y = random_batch(model, 6, "bce", seed=8)
    Y[0, :3] = [1.0, 0.0, 1.0]
    def per(d):  # the 1/m of dA and dZ: none per example
        return 1.0 if convention == "per_example" else 1.0 / d.m

    slips = {
        "lost sign": lambda d: {"dA2": (-d.Y / d.A[2] - (1 - d.Y) / (1 - d.A[2])) * per(d)},
        "epsilon": lambda d: {"dA2": (-d.Y / (d.A[2] + 1e-7) + (1 - d.Y) / (1 - d.A[2] + 1e-7)) * per(d)},
        "a - y as dA": lambda d: {"dA2": (d.A[2] - d.Y) * per(d)},
    }
    for name, slip in slips.items():
        check = check_derivation(slip, model, X, Y, "bce", convention=convention)
        assert not check.ok and check.key == "dA2", name
    def right(d):
        return {"dA2": (-d.Y / d.A[2] + (1 - d.Y) / (1 - d.A[2])) * per(d), "dZ2": (d.A[2] - d.Y) * per(d)}

    assert check_derivation(right, model, X, Y, "bce", convention=convention).ok


def test_one_over_m_for_one_over_2m_is_named_as_a_factor_two():
    model = MLP(3, [4, 2], activation="sigmoid", output_activation="sigmoid", seed=9)
    X, Y = random_batch(model, 5, "quadratic", seed=9)
    check = check_derivation(lambda d: {"dA2": 2 * (d.A[-1] - d.Y) / d.m}, model, X, Y, "quadratic")
    assert not check.ok and check.convention == "averaged"
    assert "dA2 is twice the engine's: a cost with 1/m differentiated where the cost has 1/(2m)" in check.note


def test_an_unknown_convention_is_a_clear_error():
    model = MLP(3, [2, 1], seed=0)
    X, Y = random_batch(model, 3, "quadratic")
    with pytest.raises(ValueError, match="unknown convention 'mean'; expected one of: averaged, per_example, auto"):
        check_derivation(lambda d: {"dA2": 0}, model, X, Y, "quadratic", convention="mean")


def test_compare_shows_the_delta_rows_in_the_per_example_convention_m_times_larger():
    model = MLP(3, [4, 1], activation="tanh", output_activation="sigmoid", seed=5)
    X, Y = random_batch(model, 6, "bce", seed=5)
    grads = backpropagate(Network.from_mlp(model), X, Y, "bce")[1]
    grads[0].delta[1, 2] += 1e-3  # a wrong δ^1 entry, to see its size in each convention
    averaged = compare(model, X, Y, "bce", analytic=grads, finite_differences=False)
    per_example = compare(model, X, Y, "bce", analytic=grads, finite_differences=False, convention="per_example")
    assert averaged.rows[0].quantity == per_example.rows[0].quantity == "delta"
    assert averaged.rows[0].max_abs == pytest.approx(1e-3, rel=1e-9)
    assert per_example.rows[0].max_abs == pytest.approx(6e-3, rel=1e-9)
    assert [r.max_abs for r in per_example.rows[1:3]] == [r.max_abs for r in averaged.rows[1:3]]  # dC/dW, dC/db
    assert "delta rows: dZ = ∂ℓ/∂Z per example, m = 6 times ∂C/∂Z" in str(per_example)
    assert "delta rows" not in str(averaged)
    with pytest.raises(ValueError, match="compare shows one convention"):
        compare(model, X, Y, "bce", convention="auto")
