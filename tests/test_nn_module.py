"""Neurons, layers and MLPs: sizes, names, labels, state, inputs, and the stored z and a."""

import dataclasses
import math
import random

import pytest

from autograd import Value
from autograd.ops import LEAKY_RELU_SLOPE
from nn.activations import ACTIVATIONS, lookup, registered, resolve
from nn.layers import MLP, Layer, Neuron, init_bound, parameter_count, parameter_names
from nn.module import Module


def test_mlp_3_4_4_1_has_41_parameters_like_micrograd():
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41
    assert len(MLP(2, [16, 16, 1]).parameters()) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    assert len(MLP(3, [4, 1], bias=False).parameters()) == 12 + 4


def test_named_parameters_are_dotted_and_labels_match():
    model = MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert names[-1] == "layers.1.neurons.0.b"
    assert len(set(names)) == len(names) == 13
    assert all(p.label == name for name, p in model.named_parameters())
    assert [p for _, p in model.named_parameters()] == model.parameters()


def test_standalone_layer_and_neuron_names():
    assert [n for n, _ in Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]
    layer = Layer(2, 2)
    assert [n for n, _ in layer.named_parameters()][-1] == "neurons.1.b"
    assert layer.neurons[1].b.label == "neurons.1.b"


def test_forward_keeps_labelled_z_and_a_per_neuron():
    model = MLP(2, [3, 1], seed=1)
    out = model([0.5, -1.0])
    neuron = model.layers[0].neurons[2]
    x0, x1 = 0.5, -1.0
    expected_z = neuron.w[0].data * x0 + neuron.w[1].data * x1 + neuron.b.data
    assert neuron.z.data == pytest.approx(expected_z, abs=1e-15)
    assert neuron.a.data == max(0.0, expected_z)
    assert neuron.z.label == "layers.0.neurons.2.z"
    assert neuron.a.label == "layers.0.neurons.2.a"
    # A linear output neuron: a is z itself.
    last = model.layers[1].neurons[0]
    assert last.a is last.z is out
    assert out.label == "layers.1.neurons.0.z"
    assert model.layers[0].z == [n.z for n in model.layers[0].neurons]
    assert model.zs[1] == [out]
    assert [v.data for v in model.activations[0]] == [0.5, -1.0]
    assert model.activations[1] == model.layers[0].a


def test_z_grad_is_the_error_delta_of_bp2():
    """δ^1_j = (Σ_i w^2_ij δ^2_i) f'(z^1_j), with δ^2 = ∂C/∂z^2 = 1 for C = the linear output."""
    model = MLP(2, [4, 1], activation="tanh", seed=3)
    out = model([0.3, -0.7])
    out.backward()
    w2 = model.layers[1].W
    for j, neuron in enumerate(model.layers[0].neurons):
        delta = w2[0][j].data * 1.0 * (1.0 - math.tanh(neuron.z.data) ** 2)
        assert neuron.z.grad == pytest.approx(delta, rel=1e-12)


def test_W_rows_are_receiving_neurons_columns_are_inputs():
    layer = Layer(3, 2, activation="linear", seed=0)
    W = layer.W
    assert len(W) == 2 and all(len(row) == 3 for row in W)
    assert W[1][2] is layer.neurons[1].w[2]
    x = [1.0, 2.0, 3.0]
    z = layer(x)
    for j in range(2):
        assert z[j].data == pytest.approx(sum(W[j][k].data * x[k] for k in range(3)) + layer.b[j].data)


def test_one_output_layer_returns_a_value_and_several_a_list():
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    out = MLP(2, [3, 2])([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    assert isinstance(MLP(2, [3, 1]).forward([1.0, 2.0]), list)


def test_same_seed_same_weights_and_global_random_untouched():
    random.seed(123)
    state = random.getstate()
    a = MLP(2, [5, 1], seed=7).state_dict()
    b = MLP(2, [5, 1], seed=7).state_dict()
    c = MLP(2, [5, 1], seed=8).state_dict()
    assert a == b
    assert a != c
    assert random.getstate() == state


@pytest.mark.parametrize(
    "init, fan_in, fan_out, bound",
    [("uniform", 10, 5, 1.0), ("xavier", 10, 5, math.sqrt(6 / 15)), ("he", 10, 5, math.sqrt(6 / 10))],
)
def test_initialisations_draw_within_their_bounds(init, fan_in, fan_out, bound):
    assert init_bound(init, fan_in, fan_out) == pytest.approx(bound)
    layer = Layer(fan_in, fan_out, init=init, seed=0)
    weights = [w.data for row in layer.W for w in row]
    assert max(abs(w) for w in weights) <= bound
    assert max(abs(w) for w in weights) > 0.7 * bound  # they fill the interval
    assert all(b.data == 0.0 for b in layer.b)


def test_wrong_input_size_names_the_expected_size():
    with pytest.raises(ValueError, match="size 3, got 2"):
        MLP(3, [4, 1])([1.0, 2.0])
    with pytest.raises(ValueError, match="size 2"):
        Neuron(2)([1.0])


@pytest.mark.parametrize("bad", [["a", 1.0], [True, 1.0], [None, 2.0]])
def test_non_numbers_raise_type_error(bad):
    with pytest.raises(TypeError, match="input 0"):
        MLP(2, [1])(bad)


def test_a_bare_number_is_not_an_input_list():
    with pytest.raises(TypeError, match="list of 1"):
        MLP(1, [1])(3.0)


def test_inputs_may_be_values_and_receive_gradients():
    x = [Value(1.0), Value(-2.0)]
    model = MLP(2, [1], activation="linear", output_activation="linear", seed=0)
    model(x).backward()
    assert [v.grad for v in x] == [w.data for w in model.layers[0].neurons[0].w]


FORMULAS = {
    "relu": lambda z: max(0.0, z),
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "tanh": math.tanh,
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "swish": lambda z: z / (1 + math.exp(-z)),
    "linear": lambda z: z,
}
"""Each registered activation's formula, written independently of the engine."""


def test_every_registered_activation_has_a_formula_row():
    assert sorted(FORMULAS) == sorted(ACTIVATIONS)


@pytest.mark.parametrize("name, f", sorted(FORMULAS.items()))
def test_named_activations_compute_their_formula(name, f):
    neuron = Neuron(2, activation=name, seed=4)
    for x in ([0.5, -0.2], [-1.5, 0.3]):
        a = neuron(x)
        assert a.data == pytest.approx(f(neuron.z.data), rel=1e-12, abs=1e-15)


def test_callable_activation_and_unknown_name():
    neuron = Neuron(1, activation=lambda z: z * 2.0, seed=0)
    assert neuron([1.0]).data == pytest.approx(2 * neuron.w[0].data)
    with pytest.raises(ValueError, match="unknown activation 'rleu'"):
        Neuron(1, activation="rleu")
    with pytest.raises(TypeError):
        Neuron(1, activation=3)


@pytest.mark.parametrize("kwargs", [{"nin": 0, "sizes": [1]}, {"nin": 2, "sizes": []}, {"nin": 2, "sizes": [0]}])
def test_bad_sizes_are_value_errors(kwargs):
    with pytest.raises(ValueError):
        MLP(**kwargs)


def test_bad_init_and_seed():
    with pytest.raises(ValueError, match="unknown init"):
        MLP(2, [1], init="glorot")
    with pytest.raises(TypeError, match="seed"):
        MLP(2, [1], seed="0")


def test_zero_grad_resets_parameters():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 1.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip_into_another_model():
    a, b = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=1)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    assert b([0.2, 0.4]).data == a([0.2, 0.4]).data


@pytest.mark.parametrize(
    "edit, error, message",
    [
        (lambda s: s.pop("layers.1.neurons.0.b"), ValueError, "missing: layers.1.neurons.0.b"),
        (lambda s: s.update({"layers.9.neurons.0.b": 1.0}), ValueError, "unexpected: layers.9"),
        (lambda s: s.update({"layers.0.neurons.0.b": "x"}), TypeError, "layers.0.neurons.0.b"),
        (lambda s: s.update({"layers.1.neurons.0.b": math.nan}), ValueError, "finite"),
    ],
)
def test_load_state_dict_mismatch_is_an_error_and_changes_nothing(edit, error, message):
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = {name: 0.5 for name in before}
    edit(state)
    with pytest.raises(error, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_of_a_larger_model_reports_the_sizes():
    with pytest.raises(ValueError, match="13 parameters, the state has 17"):
        MLP(2, [3, 1]).load_state_dict(MLP(2, [4, 1]).state_dict())


def test_repr_is_a_tree_of_layers():
    text = repr(MLP(2, [16, 16, 1]))
    assert text.splitlines() == [
        "MLP(2, [16, 16, 1]",
        "  (layers.0): Layer(2, 16, activation='relu')",
        "  (layers.1): Layer(16, 16, activation='relu')",
        "  (layers.2): Layer(16, 1, activation='linear')",
        ")",
    ]
    assert repr(Neuron(3, "tanh", bias=False)) == "Neuron(3, activation='tanh', bias=False)"


def test_a_custom_module_composes_names():
    class Two(Module):
        def __init__(self):
            self.left, self.right = MLP(1, [1], seed=0), MLP(1, [1], seed=1)
            self.assign_names()

        def named_children(self):
            return [("left", self.left), ("right", self.right)]

    two = Two()
    names = [n for n, _ in two.named_parameters()]
    assert names == ["left.layers.0.neurons.0.w.0", "left.layers.0.neurons.0.b",
                     "right.layers.0.neurons.0.w.0", "right.layers.0.neurons.0.b"]
    assert two.right.parameters()[0].label == "right.layers.0.neurons.0.w.0"
    two.right([1.0])
    assert two.right.layers[0].neurons[0].z.label == "right.layers.0.neurons.0.z"


def test_same_outputs_and_gradients_as_micrograd():
    mg_nn = pytest.importorskip("micrograd.nn")
    ours = MLP(3, [4, 4, 1], seed=0)
    theirs = mg_nn.MLP(3, [4, 4, 1])
    for p, q in zip(ours.parameters(), theirs.parameters()):
        q.data = p.data
    x = [2.0, 3.0, -1.0]
    a, b = ours(x), theirs(x)
    assert a.data == pytest.approx(b.data, rel=1e-12)
    a.backward()
    b.backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert p.grad == pytest.approx(q.grad, rel=1e-12, abs=1e-15)


# -- the activation registry ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_each_activation_records_the_symbol_its_node_has_in_a_graph(name):
    activation = ACTIVATIONS[name]
    z = Value(0.5)
    a = activation.f(z)
    if activation.graph_symbol is None:
        assert a is z and name == "linear"  # a linear neuron adds no node
    else:
        assert a.op == activation.graph_symbol and list(a.parents) == [z]


def test_the_leaky_relu_slope_is_the_engines_default():
    activation = ACTIVATIONS["leaky_relu"]
    assert activation.slope == LEAKY_RELU_SLOPE == 0.01
    assert activation.f(Value(-2.0)).data == -2.0 * LEAKY_RELU_SLOPE
    assert activation.f(Value(-2.0)).data == Value(-2.0).leaky_relu().data
    assert [a.name for a in ACTIVATIONS.values() if a.slope is not None] == ["leaky_relu"]


def test_records_are_frozen_callable_and_found_by_name_alias_or_function():
    tanh = ACTIVATIONS["tanh"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        tanh.name = "other"  # type: ignore[misc]
    assert tanh(Value(0.3)).data == math.tanh(0.3)
    assert lookup("SiLU") is ACTIVATIONS["swish"] and lookup("identity") is ACTIVATIONS["linear"]
    assert registered(tanh.f) is tanh and registered(tanh) is tanh
    assert registered(lambda z: z.tanh()) is None
    assert resolve("silu") == ("swish", ACTIVATIONS["swish"].f)
    assert resolve(tanh) == ("tanh", tanh.f)
    assert Neuron(2, activation=tanh, seed=0).activation == "tanh"
    with pytest.raises(ValueError, match="unknown activation 'rleu'; expected one of: linear, relu"):
        lookup("rleu")


@pytest.mark.parametrize("nin, sizes, bias", [(1, [1], True), (2, [3, 1], True), (3, [4, 2, 5], False), (5, [1, 1], True)])
def test_parameter_names_and_count_without_building_equal_the_built_models(nin, sizes, bias):
    model = MLP(nin, sizes, bias=bias, seed=0)
    assert list(parameter_names(nin, sizes, bias)) == [name for name, _ in model.named_parameters()]
    assert parameter_count(nin, sizes, bias) == len(model.parameters())
