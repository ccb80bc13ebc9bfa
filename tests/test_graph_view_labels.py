"""A model drawing speaks the notes' notation: layer l and neuron j from 1, x_1…x_n, z, a, δ, named constants."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from autograd.render import draw_dot
from autograd.scene import is_named_constant
from nn.graph_view import draw_model, indexed
from nn.layers import MLP, Layer
from nn.losses import binary_cross_entropy, mean_squared_error, quadratic_cost
from tests.dot_reader import parse_dot, svg_texts


def _sigmoid_model_and_cost():
    model = MLP(3, [4, 3, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    x, y = [0.126, 0.362, -0.623], 0.176
    output = model(x)
    cost = quadratic_cost(output, y)
    cost.backward()
    return model, cost, x, y


def test_clusters_boxes_and_rows_count_layers_and_neurons_from_one():
    model, cost, _, _ = _sigmoid_model_and_cost()
    dot = parse_dot(draw_model(model, cost, collapse=True, number_format=".6f").source)
    assert sorted(set(dot.cluster_labels)) == ["layer 1", "layer 2", "layer 3"]
    labels = [dot.label(n) for n in dot.nodes if n.startswith("group")]
    assert sorted(label.split(" | ")[0] for label in labels) == sorted(
        ["{ neuron 1"] * 3 + ["{ neuron 2"] * 2 + ["{ neuron 3"] * 2 + ["{ neuron 4"]
    )
    # python's layers[1].neurons[2] is neuron j = 3 of layer l = 2: rows z²₃, δ²₃ (its grad), a²₃
    neuron = model.layers[1].neurons[2]
    box = next(label for label in labels if f"z²₃  {neuron.z.data:.6f}" in label)
    assert box.startswith("{ neuron 3 | ")
    assert f"δ²₃ = grad {neuron.z.grad:.6f}" in box
    assert f"a²₃ = σ(z)  {1 / (1 + math.exp(-neuron.z.data)):.6f}" in box


def test_the_gradient_captioned_delta_is_dC_dz_by_the_chain_rule_at_the_output():
    model, cost, _, y = _sigmoid_model_and_cost()
    a = model.layers[2].neurons[0].a.data
    delta = (a - y) * a * (1 - a)  # BP1 for C = (a - y)^2 / 2 and a sigmoid output
    dot = parse_dot(draw_model(model, cost, collapse=True, number_format=".9f").source)
    box = next(dot.label(n) for n in dot.nodes if n.startswith("group") and "z³₁" in dot.label(n))
    assert f"δ³₁ = grad {delta:.9f}" in box


def test_inputs_are_drawn_x1_to_xn_and_keep_their_own_labels():
    model, cost, x, _ = _sigmoid_model_and_cost()
    dot = parse_dot(draw_model(model, cost, collapse=True, number_format=".3f").source)
    shown = {dot.label(n) for n in dot.nodes}
    for k, xk in enumerate(x, start=1):
        assert any(label.startswith(f"{{ x{'₁₂₃'[k - 1]} | data {xk:.3f} | grad ") for label in shown)
    assert [v.label for v in model.inputs] == ["x.0", "x.1", "x.2"]  # only the drawing renames them
    assert not any(label.startswith("{ x.") for label in shown)


def test_the_constants_of_the_quadratic_cost_are_named_minus_y_and_one_over_2m():
    model, cost, _, y = _sigmoid_model_and_cost()
    graph = draw_model(model, cost, collapse=True, number_format=".4f", color_by_role=True)
    dot = parse_dot(graph.source)
    labels = {dot.label(n): n for n in dot.nodes}
    minus_y = next(label for label in labels if label.startswith("{ -y | "))
    half = next(label for label in labels if label.startswith("{ 1/(2m) | "))
    assert f"data {-y:.4f}" in minus_y and "data 0.5000" in half
    grey = "#ececec"  # constants keep the constant colour although they are labelled
    assert grey in graph.source.split(labels[minus_y] + " [")[1].split("]")[0]
    texts = svg_texts(graph.pipe(format="svg"))
    assert "-y" in texts and "1/(2m)" in texts


@pytest.mark.parametrize("loss, labels", [
    (lambda outs: quadratic_cost(outs, [0.0, 1.0]), {"-y_1", "-y_2", "1/(2m)"}),
    (lambda outs: mean_squared_error(outs, [0.0, 1.0]), {"-y_1", "-y_2", "1/(mn)"}),
    (lambda outs: binary_cross_entropy(outs, [0.0, 1.0]), {"-1/m"}),
])
def test_each_loss_labels_its_target_and_batch_constants_with_their_formula(loss, labels):
    from autograd import topological_order

    outs = [Value(0.3).sigmoid(), Value(-0.4).sigmoid()]
    cost = loss(outs)
    named = {v.label for v in topological_order(cost) if v.is_leaf and v.label}
    assert labels <= named
    c = loss([Value(0.3).sigmoid(), Value(-0.4).sigmoid()])
    assert c.data == pytest.approx(cost.data, rel=0, abs=0)


def test_a_labelled_constant_is_a_formula_and_a_name_is_an_input():
    assert all(is_named_constant(t) for t in ("-y", "-y_2,1", "1/(2m)", "-1/m"))
    assert not any(is_named_constant(t) for t in ("x", "x.0", "layers.0.neurons.1.w.2", "w_1", "", "x₁"))


def test_a_layer_alone_numbers_its_neurons_and_leaves_the_layer_index_out():
    layer = Layer(2, 2, "tanh", seed=1)
    outs = layer([0.5, -1.0])
    root = outs[0] + outs[1]
    root.backward()
    dot = parse_dot(draw_model(layer, root, collapse=True).source)
    labels = [dot.label(n) for n in dot.nodes if n.startswith("group")]
    assert sorted(label.split(" | ")[0] for label in labels) == ["{ neuron 1", "{ neuron 2"]
    assert any("z₂  " in label and "δ₂ = grad" in label for label in labels)
    assert indexed("w", 2, 13) == "w²₁₃"


def test_draw_dot_refuses_labels_that_are_not_text():
    with pytest.raises(TypeError, match="labels must map Values to str"):
        v = Value(1.0)
        draw_dot(v * 2.0, labels={v: 3})


def test_weights_and_biases_are_drawn_as_the_notes_name_them_counted_from_1():
    """w²₁₂ is the weight from neuron 2 of layer 1 to neuron 1 of layer 2: 0.45 in the worked example."""
    from nn import MLP
    from nn.graph_view import parameter_labels
    from nn.losses import quadratic_cost

    model = MLP.from_weights([[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                             [[0.35, 0.35], [0.60, 0.60]], "sigmoid", "sigmoid")
    quadratic_cost([model([0.05, 0.10])], [[0.01, 0.99]]).backward()
    labels = parameter_labels(model)
    by_label = {text: value for value, text in labels.items()}
    assert by_label["w²₁₂"].data == 0.45 and by_label["w¹₂₁"].data == 0.25 and by_label["b²₂"].data == 0.60
    assert by_label["z²₁"] is model.layers[1].neurons[0].z and by_label["a¹₂"] is model.layers[0].neurons[1].a
    assert len([t for t in labels.values() if t.startswith("w")]) == 8
