"""Training, step by step, against torch.nn in float64: the same losses and weights for 50 SGD steps."""

from __future__ import annotations

import random

import pytest

from nn import MLP
from nn.losses import mean_squared_error
from nn.optim import SGD

torch = pytest.importorskip("torch")


def _torch_copy(model: MLP) -> torch.nn.Sequential:
    """A torch.nn model with the same weights: W[j][k] = w^l_jk of neuron j, input k."""
    modules: list[torch.nn.Module] = []
    for i, layer in enumerate(model.layers):
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        if i < len(model.layers) - 1:
            modules.append(torch.nn.Tanh())
    return torch.nn.Sequential(*modules)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_fifty_sgd_steps_give_pytorchs_losses_and_weights_within_1e_12(momentum):
    rng = random.Random(3)
    X = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(8)]
    Y = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(8)]
    model = MLP(3, [5, 4, 2], activation="tanh", seed=7)
    reference = _torch_copy(model)
    optimizer = SGD(model.parameters(), lr=0.1, momentum=momentum)
    t_optimizer = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=momentum)
    tX, tY = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    losses = []
    for step in range(50):
        loss = mean_squared_error([model(x) for x in X], Y)
        losses.append(loss.data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        t_loss = torch.nn.functional.mse_loss(reference(tX), tY)
        t_optimizer.zero_grad()
        t_loss.backward()
        t_optimizer.step()
        assert loss.data == pytest.approx(t_loss.item(), rel=1e-12, abs=1e-15), step
        theirs = [p for layer in reference if isinstance(layer, torch.nn.Linear)
                  for p in (layer.weight, layer.bias)]
        ours = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]
        for l, layer in enumerate(model.layers):
            W, b = theirs[2 * l].detach(), theirs[2 * l + 1].detach()
            for j, neuron in enumerate(layer.neurons):
                assert neuron.b.data == pytest.approx(b[j].item(), rel=1e-12, abs=1e-12)
                assert ours[l][j] == pytest.approx(W[j].tolist(), rel=1e-12, abs=1e-12)
    assert losses[-1] < 0.7 * losses[0]  # it trained
