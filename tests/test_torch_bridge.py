"""to_torch / from_torch: identical outputs and gradients in float64, both ways."""

import builtins

import pytest

from autograd import Value
from nn.activations import ACTIVATIONS
from nn.layers import MLP
from nn.losses import binary_cross_entropy, binary_cross_entropy_with_logits, softmax_cross_entropy
from nn.torch_bridge import from_torch, to_torch

torch = pytest.importorskip("torch")

BATCH = [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, -0.4, 0.9]]


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid", "swish", "linear"])
def test_same_outputs_and_gradients_as_torch(activation):
    model = MLP(3, [4, 5, 1], activation=activation, seed=2)
    seq = to_torch(model)
    outputs = [model(x) for x in BATCH]
    loss = binary_cross_entropy_with_logits(outputs, [1.0, 0.0, 1.0])
    loss.backward()
    x = torch.tensor(BATCH, dtype=torch.float64)
    t_out = seq(x).squeeze(1)
    t_loss = torch.nn.functional.binary_cross_entropy_with_logits(t_out, torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64))
    t_loss.backward()
    assert [o.data for o in outputs] == pytest.approx(t_out.tolist(), rel=1e-12, abs=1e-15)
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    for layer, linear in zip(model.layers, linears):
        assert linear.weight.dtype == torch.float64
        assert [[w.grad for w in row] for row in layer.W] == [
            pytest.approx(row, rel=1e-10, abs=1e-14) for row in linear.weight.grad.tolist()]
        assert [b.grad for b in layer.b] == pytest.approx(linear.bias.grad.tolist(), rel=1e-10, abs=1e-14)


def test_multi_output_model_and_cross_entropy_agree():
    model = MLP(3, [6, 3], activation="tanh", seed=4)
    seq = to_torch(model)
    outputs = [model(x) for x in BATCH]
    loss = softmax_cross_entropy(outputs, [0, 2, 1])
    loss.backward()
    t_loss = torch.nn.functional.cross_entropy(seq(torch.tensor(BATCH, dtype=torch.float64)), torch.tensor([0, 2, 1]))
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    first = model.layers[0].W
    assert [w.grad for w in first[2]] == pytest.approx(seq[0].weight.grad[2].tolist(), rel=1e-10, abs=1e-14)


def test_structure_of_the_sequential():
    seq = to_torch(MLP(2, [3, 1], activation="swish"))
    assert [type(m).__name__ for m in seq] == ["Linear", "SiLU", "Linear"]
    assert [type(m).__name__ for m in to_torch(MLP(2, [3, 1], bias=False))] == ["Linear", "ReLU", "Linear"]
    assert to_torch(MLP(2, [3, 1], bias=False))[0].bias is None


def test_from_torch_round_trip_is_exact():
    model = MLP(3, [4, 2], activation="leaky_relu", output_activation="sigmoid", seed=9)
    back = from_torch(to_torch(model))
    assert back.state_dict() == model.state_dict()
    assert (back.activation, back.output_activation) == ("leaky_relu", "sigmoid")


def test_mixed_hidden_activations_go_to_torch_and_back_with_the_same_outputs_and_gradients():
    model = MLP(3, [5, 4, 1], activation=["swish", "leaky_relu"], output_activation="sigmoid", seed=5)
    seq = to_torch(model)
    assert [type(m).__name__ for m in seq] == ["Linear", "SiLU", "Linear", "LeakyReLU", "Linear", "Sigmoid"]
    outputs = [model(x) for x in BATCH]
    loss = binary_cross_entropy(outputs, [1.0, 0.0, 1.0])
    loss.backward()
    t_out = seq(torch.tensor(BATCH, dtype=torch.float64)).squeeze(1)
    t_loss = torch.nn.functional.binary_cross_entropy(t_out, torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64))
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    for layer, linear in zip(model.layers, [m for m in seq if isinstance(m, torch.nn.Linear)]):
        for row, t_row in zip(layer.W, linear.weight.grad.tolist()):
            assert [w.grad for w in row] == pytest.approx(t_row, rel=1e-10, abs=1e-14)
    back = from_torch(seq)
    assert back.activation == ["swish", "leaky_relu"] and back.hidden_activations == ["swish", "leaky_relu"]
    assert back.output_activation == "sigmoid" and back.state_dict() == model.state_dict()


def test_from_torch_of_a_torch_made_network():
    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 4), torch.nn.Tanh(),
                              torch.nn.Linear(4, 1)).double()
    model = from_torch(seq)
    assert model.sizes == [4, 4, 1] and model.activation == "tanh" and model.output_activation == "linear"
    x = [[0.3, -0.8], [1.0, 2.0]]
    assert [model(row).data for row in x] == pytest.approx(seq(torch.tensor(x, dtype=torch.float64)).squeeze(1).tolist(), rel=1e-12)


@pytest.mark.parametrize(
    "modules, match",
    [
        (lambda nn: [nn.ReLU(), nn.Linear(2, 1)], "must follow a Linear"),
        (lambda nn: [nn.Linear(2, 3), nn.Linear(3, 1, bias=False)], "every Linear layer has a bias or none"),
        (lambda nn: [nn.Linear(2, 3), nn.Linear(4, 1)], "3 outputs feeds one with 4 inputs"),
        (lambda nn: [nn.Linear(2, 3), nn.Dropout(), nn.Linear(3, 1)], "unsupported module"),
        (lambda nn: [nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 1)], "negative_slope"),
    ],
)
def test_from_torch_refuses_what_an_mlp_cannot_be(modules, match):
    with pytest.raises(ValueError, match=match):
        from_torch(torch.nn.Sequential(*modules(torch.nn)))


def test_callable_activation_cannot_be_converted():
    with pytest.raises(ValueError, match="no PyTorch equivalent"):
        to_torch(MLP(2, [1], output_activation=lambda z: z.tanh()))


def test_missing_torch_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "torch":
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"chainrule\[torch\]"):
        to_torch(MLP(2, [1]))


@pytest.mark.parametrize("name", [name for name, a in ACTIVATIONS.items() if a.torch_module is not None])
def test_each_activations_torch_module_computes_its_value_and_derivative(name):
    activation = ACTIVATIONS[name]
    cls = getattr(torch.nn, activation.torch_module)
    module = cls() if activation.slope is None else cls(activation.slope)
    points = [-3.0, -0.7, -1e-3, 0.4, 2.5, 40.0]
    x = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    module(x).sum().backward()
    for p, t_out, t_grad in zip(points, module(x).tolist(), x.grad.tolist()):
        z = Value(p)
        a = activation(z)
        a.backward()
        assert a.data == pytest.approx(t_out, rel=1e-15, abs=1e-300)
        assert z.grad == pytest.approx(t_grad, rel=1e-14, abs=1e-300)


def test_linear_alone_has_no_torch_module_and_from_torch_reads_identity_as_linear():
    assert [a.name for a in ACTIVATIONS.values() if a.torch_module is None] == ["linear"]
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Identity(), torch.nn.Linear(3, 1))
    assert from_torch(seq).activation == "linear"
