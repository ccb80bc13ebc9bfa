r"""Training by replay: one traced tape per batch size, run for every batch of every epoch.

A batch's cost C_B = loss(outputs, targets) + λ Σ_θ θ² builds a graph of the
same shape for every batch of the same size, when the loss's shape does not
depend on the targets (:attr:`nn.costs.Cost.replayable`) and every
activation is one of the registry's. :func:`autograd.trace` records that
graph once, with the parameters, the batch's inputs and its targets as the
tape's inputs; each step then replays it on floats, with no ``Value`` per
operation. The tape runs the table's rules in graph mode's order, so the
losses, gradients and weights are bit-for-bit those of graph mode (a test
trains both ways and compares the histories).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from autograd import Tape, TraceError, Value, trace
from nn.activations import registered
from nn.costs import COSTS, Loss
from nn.layers import MLP
from nn.losses import l2_penalty
from nn.optim import Optimizer


def replay_refusal(model: MLP, loss: str | Loss, optimizer: Optimizer) -> str | None:
    """Why this run cannot be replayed, or None when it can."""
    record = COSTS.get(loss) if isinstance(loss, str) else next(
        (r for r in COSTS.values() if r.function is loss), None
    )
    if record is None or not record.replayable:
        replayable = ", ".join(name for name, r in COSTS.items() if r.replayable)
        return f"the loss {getattr(record, 'name', loss)!r} builds a graph that depends on the targets (replayable: {replayable})"
    if not isinstance(model, MLP) or not all(
        registered(neuron.f) is not None for layer in model.layers for neuron in layer.neurons
    ):
        return "the model is not an MLP of the registry's activations"
    if [id(p) for p in optimizer.params] != [id(p) for p in model.parameters()]:
        return "the optimizer does not hold exactly the model's parameters, in order"
    return None


class ReplayedSteps:
    """The training steps of one ``fit`` call, by replay (a tape per batch size)."""

    def __init__(self, model: MLP, loss_fn: Loss, optimizer: Optimizer, l2: float) -> None:
        self.model, self.loss_fn, self.optimizer, self.l2 = model, loss_fn, optimizer, l2
        self.params = optimizer.params
        self.tapes: dict[int, Tape] = {}

    def step(self, X: Sequence, y: Sequence, batch: list[int]) -> tuple[float, list[list[float]]]:
        """One optimizer step on ``batch``; returns the data loss and each example's outputs (floats)."""
        tape = self.tapes.get(len(batch))
        if tape is None:
            tape = self.tapes[len(batch)] = self._trace(X, y, batch)
        inputs = [p.data for p in self.params]  # in the order of the traced leaves
        for i in batch:
            inputs += X[i]
        for i in batch:
            inputs += _flat(y[i])
        watched: list[float] = []
        _, grads = tape.value_and_grad(*inputs, watched=watched)
        for p, g in zip(self.params, grads):
            p.grad = g
        self.optimizer.step()
        n_out = (len(watched) - 1) // len(batch)
        outputs = [watched[1 + k * n_out : 1 + (k + 1) * n_out] for k in range(len(batch))]
        return watched[0], outputs

    def _trace(self, X: Sequence, y: Sequence, batch: list[int]) -> Tape:
        xs = [[Value(float(v)) for v in X[i]] for i in batch]
        ts = [_as_values(y[i]) for i in batch]

        def cost(*_: Value) -> tuple[Value, list[Value]]:
            outputs = [self.model(x) for x in xs]
            data_loss = self.loss_fn(outputs, ts)
            total = data_loss + l2_penalty(self.params, self.l2) if self.l2 else data_loss
            return total, [data_loss, *(v for o in outputs for v in _flat(o))]

        leaves = [*self.params, *(v for x in xs for v in x), *(v for t in ts for v in _flat(t))]
        return trace(cost, *leaves)


def _flat(y: Any) -> list:
    return [y] if isinstance(y, (numbers.Real, Value)) else list(y)


def _as_values(y: Any) -> Value | list[Value]:
    """A target as Values of the same shape (a number, or a list for a vector target)."""
    if isinstance(y, numbers.Real):
        return Value(float(y))
    return [Value(float(v)) for v in y]


__all__ = ["ReplayedSteps", "TraceError", "replay_refusal"]
