"""The four equations of backpropagation (nn.analytic) against the scalar engine and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value
from nn.analytic import (
    ACTIVATIONS,
    Network,
    backpropagate,
    check_derivation,
    compare,
    engine_gradients,
    per_example_weight_gradients,
    random_batch,
)
from nn.layers import MLP

HIDDEN_SIZES = {1: [2], 2: [3, 2], 3: [3, 4, 2], 4: [4, 3, 3, 2]}


def model_for(activation: str, cost: str, depth: int, seed: int = 0) -> MLP:
    """An MLP with every layer's activation ``activation`` (sigmoid output for bce) and
    random biases: micrograd's zero biases put dead ReLUs' z exactly on the kink."""
    sizes = [*HIDDEN_SIZES[depth][:-1], 1 if cost == "bce" else 2]
    output = "sigmoid" if cost == "bce" else activation
    model = MLP(3, sizes, activation=activation, output_activation=output, seed=seed)
    rng = np.random.default_rng(seed)
    for name, p in model.named_parameters():
        if name.endswith(".b"):
            p.data = float(rng.uniform(-0.5, 0.5))
    return model


@pytest.mark.parametrize("m", [1, 6])
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("cost", ["quadratic", "mse", "bce"])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_engine_equations_and_finite_differences_agree(activation, cost, depth, m):
    model = model_for(activation, cost, depth, seed=depth)
    X, Y = random_batch(model, m, cost, seed=m + depth)
    report = compare(model, X, Y, cost)
    assert report.ok, str(report)
    assert not report.fd_at_kink  # finite differences took part in the verdict
    assert len(report.rows) == 3 * depth
    assert all(r.max_rel <= 1e-12 for r in report.rows)
    assert report.per_example_max_abs <= 1e-15
    assert report.cost == pytest.approx(report.cost_analytic, rel=1e-13)


def test_finite_differences_at_a_relu_kink_are_reported_and_left_out_of_the_verdict():
    model = MLP(2, [3, 1], activation="relu", seed=0)  # zero biases
    X = np.zeros((2, 3))  # every z^1 is exactly 0: on the kink
    Y = np.array([[0.5, -0.5, 1.0]])
    report = compare(model, X, Y, "quadratic")
    assert report.fd_at_kink and report.ok
    assert "left out of the verdict" in str(report)


def test_delta_has_the_curriculum_shapes():
    model = MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=1)
    X, Y = random_batch(model, 5, "quadratic", seed=1)
    _, grads = backpropagate(Network.from_mlp(model), X, Y, "quadratic")
    assert [g.delta.shape for g in grads] == [(4, 5), (2, 5)]
    assert [g.dW.shape for g in grads] == [(4, 3), (2, 4)]
    assert [g.db.shape for g in grads] == [(4, 1), (2, 1)]


def test_weight_matrix_rows_are_receiving_neurons_columns_sending_ones():
    model = MLP(3, [2, 1], seed=3)
    net = Network.from_mlp(model)
    assert net.Ws[0].shape == (2, 3)
    assert net.Ws[0][1, 2] == model.layers[0].neurons[1].w[2].data  # w^1_{jk}, k=2 -> j=1


def test_bce_output_error_collapses_to_a_minus_y_over_m():
    model = MLP(2, [3, 1], activation="relu", output_activation="sigmoid", seed=4)
    X, Y = random_batch(model, 4, "bce", seed=4)
    fp, grads = backpropagate(Network.from_mlp(model), X, Y, "bce")
    np.testing.assert_allclose(grads[-1].delta, (fp.A[-1] - Y) / 4, rtol=0, atol=0)


def test_summing_bp4_over_examples_equals_the_vectorized_form():
    model = MLP(3, [4, 3, 2], activation="swish", output_activation="linear", seed=5)
    X, Y = random_batch(model, 7, "mse", seed=5)
    net = Network.from_mlp(model)
    fp, grads = backpropagate(net, X, Y, "mse")
    for summed, g in zip(per_example_weight_gradients(fp, grads), grads):
        np.testing.assert_allclose(summed, g.dW, rtol=1e-13, atol=1e-16)
        assert np.abs(g.dW).max() > 1e-3  # a real, non-zero gradient was compared


def test_tolerance_bites_a_single_gradient_perturbed_by_1e_minus_6_fails():
    model = MLP(3, [4, 3, 1], activation="sigmoid", output_activation="sigmoid", seed=6)
    X, Y = random_batch(model, 5, "quadratic", seed=6)
    _, grads = backpropagate(Network.from_mlp(model), X, Y, "quadratic")
    assert compare(model, X, Y, "quadratic", analytic=grads).ok
    grads[1].dW[2, 1] += 1e-6
    report = compare(model, X, Y, "quadratic", analytic=grads)
    assert not report.ok
    failing = [(r.layer, r.quantity) for r in report.rows if not r.ok]
    assert failing == [(2, "dC/dW")]
    assert "MISMATCH" in str(report)


def test_a_bp2_without_the_activation_derivative_is_detected():
    model = MLP(3, [4, 3, 1], activation="tanh", output_activation="sigmoid", seed=7)
    X, Y = random_batch(model, 5, "bce", seed=7)

    def bp2_forgetting_f_prime(d):
        delta3 = (d.A[3] - d.Y) / d.m
        delta2 = d.W[2].T @ delta3  # the slip: no ⊙ f'(Z^2)
        return {"dZ3": delta3, "dZ2": delta2}

    check = check_derivation(bp2_forgetting_f_prime, model, X, Y, "bce")
    assert not check.ok and check.key == "dZ2" and check.checked == ["dZ3", "dZ2"]
    assert "dZ2" in str(check)


# -- the three "known slips" of published derivations ---------------------------------------

@pytest.fixture
def bce_setup():
    model = MLP(3, [4, 1], activation="leaky_relu", output_activation="sigmoid", seed=8)
    X, Y = random_batch(model, 6, "bce", seed=8)
    Y[0, :3] = [1.0, 0.0, 1.0]  # both labels occur
    return model, X, Y


def test_correct_bce_derivation_passes(bce_setup):
    model, X, Y = bce_setup

    def correct(d):
        A = d.A[-1]
        dA = (-d.Y / A + (1 - d.Y) / (1 - A)) / d.m
        return {"dA2": dA, "dZ2": (A - d.Y) / d.m, "dW2": ((A - d.Y) / d.m) @ d.A[1].T}

    check = check_derivation(correct, model, X, Y, "bce")
    assert check.ok, str(check)


def test_slip_bce_with_lost_sign_is_caught_at_the_first_negative_example(bce_setup):
    model, X, Y = bce_setup

    def lost_sign(d):  # from C = -y log a + (1-y) log(1-a)
        A = d.A[-1]
        return {"dA2": (-d.Y / A - (1 - d.Y) / (1 - A)) / d.m}

    check = check_derivation(lost_sign, model, X, Y, "bce")
    assert not check.ok and check.key == "dA2"
    first_zero_label = int(np.argmax(Y[0] == 0))
    assert check.index == (0, first_zero_label)
    assert check.got == pytest.approx(-check.expected, rel=1e-12)


def test_slip_epsilon_added_before_the_logs_is_caught(bce_setup):
    model, X, Y = bce_setup

    def with_epsilon(d):  # from C = -[y log(a + eps) + (1-y) log(1 - a + eps)]
        A, eps = d.A[-1], 1e-7
        return {"dA2": (-d.Y / (A + eps) + (1 - d.Y) / (1 - A + eps)) / d.m}

    check = check_derivation(with_epsilon, model, X, Y, "bce")
    assert not check.ok and check.key == "dA2" and check.index == (0, 0)
    assert 0 < abs(check.got - check.expected) < 1e-5 * abs(check.expected)


def test_slip_a_minus_y_is_the_error_of_z_not_of_a(bce_setup):
    model, X, Y = bce_setup

    def a_minus_y_as_dA(d):
        return {"dA2": (d.A[-1] - d.Y) / d.m}

    check = check_derivation(a_minus_y_as_dA, model, X, Y, "bce")
    assert not check.ok and check.key == "dA2" and check.index == (0, 0)
    assert check_derivation(lambda d: {"dZ2": (d.A[-1] - d.Y) / d.m}, model, X, Y, "bce").ok


def test_slip_one_over_m_instead_of_one_over_2m_doubles_the_gradient():
    model = MLP(3, [4, 2], activation="sigmoid", output_activation="sigmoid", seed=9)
    X, Y = random_batch(model, 5, "quadratic", seed=9)

    def from_1_over_m(d):  # derived from C = 1/m Σ ||y - a||^2, checked against the 1/(2m) cost
        return {"dA2": 2 * (d.A[-1] - d.Y) / d.m}

    check = check_derivation(from_1_over_m, model, X, Y, "quadratic")
    assert not check.ok and check.index == (0, 0)
    assert check.got == pytest.approx(2 * check.expected, rel=1e-12)
    assert check_derivation(lambda d: {"dA2": (d.A[-1] - d.Y) / d.m}, model, X, Y, "quadratic").ok


# -- bad input ------------------------------------------------------------------------------

def test_rows_instead_of_columns_is_a_clear_error():
    model = MLP(3, [2, 1], seed=0)
    X, Y = random_batch(model, 5, "quadratic")
    with pytest.raises(ValueError, match=r"one example per COLUMN.*pass X.T"):
        compare(model, X.T, Y, "quadratic")
    with pytest.raises(ValueError, match=r"Y must have shape \(n_L, m\) = \(1, 5\)"):
        compare(model, X, Y[:, :3], "quadratic")


def test_unknown_cost_bce_without_sigmoid_and_unnamed_activation_are_clear_errors():
    model = MLP(3, [2, 1], seed=0)
    X, Y = random_batch(model, 4, "bce")
    with pytest.raises(ValueError, match="unknown cost 'hinge'"):
        compare(model, X, Y, "hinge")
    with pytest.raises(ValueError, match="needs a sigmoid output layer"):
        compare(model, X, Y, "bce")
    custom = MLP(3, [2, 1], activation=lambda z: z.leaky_relu(0.2), seed=0)
    with pytest.raises(ValueError, match="do not know"):
        compare(custom, X, Y, "quadratic")


def test_formula_returning_unknown_names_or_shapes_is_a_clear_error():
    model = MLP(3, [2, 1], seed=0)
    X, Y = random_batch(model, 4, "quadratic")
    with pytest.raises(ValueError, match="'dQ1'"):
        check_derivation(lambda d: {"dQ1": 0}, model, X, Y, "quadratic")
    with pytest.raises(ValueError, match=r"dW1 has shape \(3, 2\), expected \(2, 3\)"):
        check_derivation(lambda d: {"dW1": np.zeros((3, 2))}, model, X, Y, "quadratic")


def test_a_formula_that_returns_nothing_checks_nothing_and_is_refused():
    model = MLP(3, [2, 1], seed=0)
    X, Y = random_batch(model, 4, "quadratic")
    with pytest.raises(ValueError, match=r"returned no gradients.*dA2, dZ1, dW1, db1, dZ2, dW2, db2"):
        check_derivation(lambda d: {}, model, X, Y, "quadratic")
    with pytest.raises(ValueError, match="dW1 is not an array of numbers"):
        check_derivation(lambda d: {"dW1": [["a", "b", "c"], [1, 2, 3]]}, model, X, Y, "quadratic")


@pytest.mark.parametrize("call", [compare, lambda *a: check_derivation(lambda d: {"dA2": 0}, *a)])
@pytest.mark.parametrize(
    "where, value, message",
    [("X", np.nan, r"X\[1, 2\] is nan"), ("X", np.inf, r"X\[1, 2\] is inf"), ("Y", -np.inf, r"Y\[0, 2\] is -inf")],
)
def test_a_nan_or_infinite_entry_of_the_batch_is_named_with_its_position(call, where, value, message):
    model = MLP(3, [2, 1], seed=0)
    X, Y = random_batch(model, 4, "quadratic")
    (X if where == "X" else Y)[1 if where == "X" else 0, 2] = value
    with pytest.raises(ValueError, match=message + r"; the batch must hold finite numbers \(1 entry is not\)"):
        call(model, X, Y, "quadratic")


def test_a_batch_of_words_is_a_value_error_naming_x():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match=r"X must be an array of numbers of shape \(n_0, m\)"):
        compare(model, [["a", "b"], ["c", "d"]], [[1.0, 2.0]])


def test_a_nan_parameter_is_named_before_any_mismatch_is_reported():
    model = MLP(3, [2, 1], seed=0)
    model.layers[1].neurons[0].w[1].data = float("nan")
    X, Y = random_batch(model, 4, "quadratic")
    with pytest.raises(ValueError, match=r"parameter layers\.1\.neurons\.0\.w\.1 is nan"):
        compare(model, X, Y)


@pytest.mark.parametrize("call", [compare, engine_gradients, lambda *a: check_derivation(dict, *a)])
def test_something_other_than_a_model_is_a_type_error_saying_an_mlp_is_expected(call):
    X = np.zeros((2, 3))
    Y = np.zeros((1, 3))
    with pytest.raises(TypeError, match=r"expects an nn\.MLP as its model, got str: 'model'"):
        call("model", X, Y, "quadratic")


# -- the activation registry, on arrays ---------------------------------------------------------

POINTS = np.array([-3.0, -0.7, -1e-3, 0.4, 2.5, 40.0, -40.0])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_array_forms_of_each_activation_equal_the_engine_value_and_gradient(name):
    activation = ACTIVATIONS[name]
    for x, f, df in zip(POINTS, activation.f_array(POINTS, np), activation.df_array(POINTS, np)):
        z = Value(float(x))
        a = activation.f(z)
        a.backward()
        assert f == pytest.approx(a.data, rel=1e-15, abs=1e-300)
        assert df == pytest.approx(z.grad, rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_array_derivative_of_each_activation_equals_central_differences(name):
    activation = ACTIVATIONS[name]
    z = np.array([-1.3, -0.2, 0.3, 1.7])  # away from the kink at 0
    h = 1e-6
    numeric = (activation.f_array(z + h, np) - activation.f_array(z - h, np)) / (2 * h)
    np.testing.assert_allclose(activation.df_array(z, np), numeric, rtol=1e-8, atol=1e-10)


def test_the_analytic_package_reads_the_one_activation_registry():
    import nn.activations

    assert ACTIVATIONS is nn.activations.ACTIVATIONS
    assert [name for name, record in ACTIVATIONS.items() if record.kink] == ["relu", "leaky_relu"]
