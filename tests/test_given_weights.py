"""Given weights in the curriculum's layout (MLP.from_weights, weights(), biases()) and one activation per hidden layer."""

import json
import random
import struct
from itertools import pairwise

import numpy as np
import pytest

from nn.activations import parse_activations, per_hidden_layer
from nn.analytic import compare, random_batch
from nn.layers import MLP
from nn.serialize import from_dict, load, save, to_dict

torch = pytest.importorskip("torch")

# The 2-2-2 sigmoid network of Matt Mazur's "A Step by Step Backpropagation Example".
MAZUR_W = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]]
MAZUR_B = [[0.35, 0.35], [0.60, 0.60]]


def torch_forward(weights, biases, activations, x):
    """The network's output computed by PyTorch in float64 from the same matrices (the oracle)."""
    a = torch.tensor(x, dtype=torch.float64)
    for W, b, f in zip(weights, biases, activations):
        z = torch.tensor(W, dtype=torch.float64) @ a + torch.tensor(b, dtype=torch.float64)
        a = {"sigmoid": torch.sigmoid, "swish": torch.nn.functional.silu, "tanh": torch.tanh,
             "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.01), "linear": lambda t: t}[f](z)
    return a.tolist()


def test_textbook_network_from_its_weights_gives_the_published_outputs():
    model = MLP.from_weights(MAZUR_W, MAZUR_B, "sigmoid", "sigmoid")
    out = [v.data for v in model([0.05, 0.10])]
    assert out == pytest.approx([0.75136507, 0.772928465], abs=1e-8)  # the published numbers
    assert out == pytest.approx(torch_forward(MAZUR_W, MAZUR_B, ["sigmoid", "sigmoid"], [0.05, 0.10]), rel=1e-15)
    assert (model.nin, model.sizes) == (2, [2, 2])


def test_weight_jk_of_layer_l_connects_neuron_k_of_layer_l_minus_1_to_neuron_j_of_layer_l():
    model = MLP.from_weights([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0]]], [[0.5, -0.5], [0.25]])
    assert model.layers[0].neurons[1].w[2].data == 6.0  # w^1_{jk} with j = 1, k = 2
    assert model.layers[0].W[0][1].data == 2.0 and model.layers[1].neurons[0].b.data == 0.25
    model.zero_grad()
    model([1.0, -1.0, 2.0]).backward()
    # relu hidden, linear output: z^1 = (6.5, 12.5) > 0, so ∂y/∂w^1_jk = w^2_j x_k
    assert model.layers[0].neurons[1].w[2].grad == 8.0 * 2.0


def random_float(rng):
    """A float with all 52 bits of its mantissa random (a round trip through decimal would show)."""
    return struct.unpack("<d", struct.pack("<Q", (0x3FF << 52) | rng.getrandbits(52)))[0] * rng.choice([-1, 1])


def test_round_trip_through_weights_and_biases_is_bit_exact():
    rng = random.Random(3)
    dims = [4, 5, 3, 2]
    weights = [[[random_float(rng) for _ in range(n_in)] for _ in range(n_out)] for n_in, n_out in pairwise(dims)]
    biases = [[random_float(rng) for _ in range(n)] for n in dims[1:]]
    model = MLP.from_weights(weights, biases, ["tanh", "swish"], "sigmoid")
    assert model.weights() == weights and model.biases() == biases
    bits = [struct.pack("<d", x) for W in model.weights() for row in W for x in row]
    assert bits == [struct.pack("<d", x) for W in weights for row in W for x in row]
    again = MLP.from_weights(model.weights(), model.biases(), model.activation, model.output_activation)
    assert again.state_dict() == model.state_dict() and again.activation == ["tanh", "swish"]


def test_numpy_arrays_and_bias_columns_are_read_as_lists():
    Ws = [np.array(W) for W in MAZUR_W]
    columns = [np.array(b).reshape(-1, 1) for b in MAZUR_B]  # b^l as the equations hold it, (n_l, 1)
    model = MLP.from_weights(Ws, columns, "sigmoid", "sigmoid")
    assert model.weights() == MAZUR_W and model.biases() == MAZUR_B
    assert all(type(x) is float for W in model.weights() for row in W for x in row)


def test_a_model_without_biases_round_trips_with_none():
    model = MLP(3, [2, 1], bias=False, seed=4)
    assert model.biases() is None
    again = MLP.from_weights(model.weights(), None)
    assert not again.bias and again.state_dict() == model.state_dict()


@pytest.mark.parametrize(
    "weights, biases, error, message",
    [
        ([[[1, 2], [3, 4], [5, 6]], [[1, 2], [3, 4], [5, 6]]], [[0, 0, 0], [0, 0]], ValueError,
         "weights[1] (W^2) must be 2×3 (n_2 × n_1), got 3×2"),
        ([[[1, 2], [3, 4], [5, 6]]], [[0, 0]], ValueError,
         "weights[0] (W^1) must have n_1 = 2 rows, one per entry of b^1"),
        ([[[1, 2], [3]]], [[0, 0]], ValueError, "weights[0] (W^1) must have rows of one length: row 0 has 2 entries, row 1 has 1"),
        ([[[1, 2]], [[1]]], [[0]], ValueError, "weights has 2 matrices and biases 1 vectors"),
        ([[1.0, 2.0]], [[0.0]], TypeError, "weights[0] (W^1) must be a matrix (a list of rows of numbers); its row 0 is float"),
        ([[[1.0, "2"]]], [[0.0]], TypeError, "weights[0] (W^1)[0][1] must be a real number, got str"),
        ([[[1.0, float("nan")]]], [[0.0]], ValueError, "weights[0] (W^1)[0][1] must be finite, got nan"),
        ([[[1.0, 2.0]]], [[[0.0, 1.0]]], ValueError, "biases[0] (b^1) must be a vector or a column"),
        ([], [], TypeError, "weights must be a non-empty list of matrices"),
    ],
)
def test_shapes_and_entries_are_checked_with_messages_naming_the_layer(weights, biases, error, message):
    with pytest.raises(error) as caught:
        MLP.from_weights(weights, biases)
    assert message in str(caught.value)


# -- one activation per hidden layer ------------------------------------------------------------


def test_each_hidden_layer_gets_its_own_activation():
    model = MLP(64, [5, 3, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid", seed=1)
    assert [layer.activation for layer in model.layers] == ["swish", "leaky_relu", "sigmoid"]
    assert model.activation == ["swish", "leaky_relu"] and model.hidden_activations == ["swish", "leaky_relu"]
    rng = random.Random(2)
    x = [rng.random() for _ in range(64)]
    assert model(x).data == pytest.approx(
        torch_forward(model.weights(), model.biases(), ["swish", "leaky_relu", "sigmoid"], x)[0], rel=1e-14)


def test_a_uniform_model_keeps_one_name_however_it_is_given():
    assert MLP(2, [3, 3, 1], activation="tanh").activation == "tanh"
    listed = MLP(2, [3, 3, 1], activation=["tanh", "tanh"])
    assert listed.activation == "tanh" and listed.hidden_activations == ["tanh", "tanh"]
    assert MLP(2, [1], activation="tanh").hidden_activations == []


@pytest.mark.parametrize(
    "sizes, names, message",
    [
        ([5, 3, 1], ["swish", "leaky_relu", "tanh"], "activation has 3 names for 2 hidden layers: give one name, or 2"),
        ([5, 3, 1], ["swish"], "activation has 1 name for 2 hidden layers: give one name, or 2"),
        ([5, 1], ["swish", "tanh"], "activation has 2 names for 1 hidden layer: give one name"),
        ([5, 3, 1], ["swish", "magic"], "unknown activation 'magic'"),
    ],
)
def test_a_wrong_list_of_activations_says_how_many_are_needed(sizes, names, message):
    with pytest.raises(ValueError) as caught:
        MLP(4, sizes, activation=names)
    assert message in str(caught.value)


def test_one_activation_serves_every_hidden_layer_and_a_list_must_have_one_per_layer():
    assert per_hidden_layer("tanh", 3) == ["tanh", "tanh", "tanh"]
    assert per_hidden_layer(("swish", "relu"), 2) == ["swish", "relu"]
    with pytest.raises(ValueError, match="activation has 0 names for 2 hidden layers"):
        per_hidden_layer([], 2)


def test_from_weights_takes_one_activation_per_hidden_layer():
    weights = [[[0.1, -0.2]] * 3, [[0.3, 0.1, -0.5]] * 2, [[1.0, -1.0]]]
    biases = [[0.0] * 3, [0.1, -0.1], [0.2]]
    model = MLP.from_weights(weights, biases, ["leaky_relu", "tanh"], "sigmoid")
    assert model.activation == ["leaky_relu", "tanh"]
    assert model([0.5, 2.0]).data == pytest.approx(
        torch_forward(weights, biases, ["leaky_relu", "tanh", "sigmoid"], [0.5, 2.0])[0], rel=1e-15)


def test_command_line_lists_of_activations_are_parsed_to_canonical_names():
    assert parse_activations("swish,leaky_relu") == ["swish", "leaky_relu"]
    assert parse_activations(" SiLU , tanh ") == ["swish", "tanh"]
    assert parse_activations("relu") == "relu"
    with pytest.raises(ValueError, match="empty entry"):
        parse_activations("swish,,tanh")
    with pytest.raises(ValueError, match="unknown activation 'magic'"):
        parse_activations("swish,magic")


def test_a_mixed_model_saves_and_loads_exactly(tmp_path):
    model = MLP(4, [5, 3, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid", seed=6)
    save(model, tmp_path / "mixed.json")
    assert json.loads((tmp_path / "mixed.json").read_text())["activation"] == ["swish", "leaky_relu"]
    loaded = load(tmp_path / "mixed.json")
    assert loaded.activation == ["swish", "leaky_relu"] and loaded.output_activation == "sigmoid"
    assert loaded.state_dict() == model.state_dict()
    x = [0.3, -1.2, 2.0, 0.0]
    assert loaded(x).data == model(x).data


def test_a_file_with_one_activation_name_still_loads(tmp_path):
    old = {"format": "chainrule-mlp", "version": 1, "nin": 1, "sizes": [1, 1], "activation": "tanh",
           "output_activation": "linear", "bias": True,
           "parameters": {"layers.0.neurons.0.w.0": 0.5, "layers.0.neurons.0.b": 0.1,
                          "layers.1.neurons.0.w.0": -2.0, "layers.1.neurons.0.b": 0.25}}
    (tmp_path / "old.json").write_text(json.dumps(old))
    model = load(tmp_path / "old.json")
    assert model.activation == "tanh" and model.weights() == [[[0.5]], [[-2.0]]]
    assert model([1.0]).data == pytest.approx(-2.0 * np.tanh(0.6) + 0.25, rel=1e-15)


@pytest.mark.parametrize(
    "activation, message",
    [
        (["tanh"], "activation lists 1 names for 2 hidden layer(s)"),
        (["tanh", 3], "activation must be a name or a list of names, got 3"),
        (["tanh", "magic"], "unknown activation 'magic'"),
    ],
)
def test_a_wrong_list_of_activations_in_a_file_is_a_clear_error(activation, message):
    description = to_dict(MLP(2, [3, 3, 1], seed=0))
    description["activation"] = activation
    with pytest.raises(ValueError) as caught:
        from_dict(description, "m.json")
    assert str(caught.value).startswith("m.json: ") and message in str(caught.value)


@pytest.mark.parametrize("cost", ["bce", "quadratic"])
def test_engine_equations_and_finite_differences_agree_on_a_mixed_model(cost):
    model = MLP(4, [5, 3, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid", seed=11)
    X, Y = random_batch(model, 6, cost, seed=11)
    report = compare(model, X, Y, cost)
    assert report.ok and not report.fd_at_kink, str(report)
    assert all(r.fd_max_abs is not None for r in report.rows if r.quantity != "delta")
    assert "all three agree" in str(report)
