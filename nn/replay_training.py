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

from collections.abc import Sequence

from autograd import Tape, TraceError, Value, trace
from nn.activations import registered
from nn.costs import COSTS, Cost, Loss
from nn.layers import MLP
from nn.losses import l2_penalty
from nn.module import checked_inputs
from nn.optim import Optimizer


def _loss_record(loss: str | Loss) -> Cost | None:
    """The record of :data:`nn.costs.COSTS` of a loss given by name or by its function."""
    if isinstance(loss, str):
        return COSTS.get(loss.lower().replace("-", "_"))
    return next((r for r in COSTS.values() if r.function is loss), None)


def replay_refusal(model: MLP, loss: str | Loss, optimizer: Optimizer) -> str | None:
    """Why this run cannot be replayed, or None when it can."""
    record = _loss_record(loss)
    if record is None or not record.replayable or record.target_numbers is None:
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
    """The training steps of one ``fit`` call, by replay (a tape per batch size).

    Every batch goes through the checks of graph mode before it is replayed:
    each input through the model's own input check
    (:func:`nn.module.checked_inputs`), each target through the loss's
    (:attr:`nn.costs.Cost.target_numbers`), so a replayed run refuses
    what graph mode refuses, with the same message. Values in ``X`` or ``y``
    are read by their numbers.
    """

    def __init__(
        self, model: MLP, loss: str | Loss, loss_fn: Loss, optimizer: Optimizer, l2: float, required: bool
    ) -> None:
        self.model, self.loss_fn, self.optimizer, self.l2 = model, loss_fn, optimizer, l2
        self.target_numbers = _loss_record(loss).target_numbers  # type: ignore[union-attr]
        self.params = optimizer.params
        self.tapes: dict[int, Tape] = {}
        self.required = required
        self.refusal: str | None = None  # why a trace failed: the run continues by graphs

    def step(self, X: Sequence, y: Sequence, batch: list[int]) -> tuple[float, list[list[float]]] | None:
        """One optimizer step on ``batch``: the data loss and each example's outputs (floats).

        None, and no step, when the forward pass cannot be traced (a
        :class:`TraceError`: it converts a Value to a number, or draws random
        numbers) and replay was not required: :attr:`refusal` says why, and
        the caller trains by graphs.

        Raises:
            ValueError: The forward pass cannot be traced and replay was required.
        """
        xs, ts = self._numbers(X, y, batch)
        tape = self.tapes.get(len(batch))
        if tape is None:
            try:
                tape = self.tapes[len(batch)] = self._trace(xs, ts)
            except TraceError as error:
                if self.required:
                    raise ValueError(f"fit(replay=True): cannot replay: {error}") from None
                self.refusal = str(error)
                return None
        inputs = [p.data for p in self.params]  # in the order of the traced leaves
        for x in xs:
            inputs += x
        for t in ts:
            inputs += t
        watched: list[float] = []
        _, grads = tape.value_and_grad(*inputs, watched=watched)
        for p, g in zip(self.params, grads):
            p.grad = g
        self.optimizer.step()
        n_out = (len(watched) - 1) // len(batch)
        outputs = [watched[1 + k * n_out : 1 + (k + 1) * n_out] for k in range(len(batch))]
        return watched[0], outputs

    def _numbers(self, X: Sequence, y: Sequence, batch: list[int]) -> tuple[list[list[float]], list[list[float]]]:
        """The batch's inputs and targets as numbers, through graph mode's checks in graph mode's order."""
        model, n_out = self.model, self.model.sizes[-1]
        xs = [[v if isinstance(v, float) else v.data for v in checked_inputs(X[i], model.nin, model)] for i in batch]
        ts = [self.target_numbers(y[i], n_out) for i in batch]  # type: ignore[misc]
        return xs, ts

    def _trace(self, xs: list[list[float]], ts: list[list[float]]) -> Tape:
        x_leaves = [[Value(v) for v in x] for x in xs]
        t_leaves = [[Value(v) for v in t] for t in ts]
        targets = [t[0] if len(t) == 1 else t for t in t_leaves]

        def cost(*_: Value) -> tuple[Value, list[Value]]:
            outputs = [self.model(x) for x in x_leaves]
            data_loss = self.loss_fn(outputs, targets)
            total = data_loss + l2_penalty(self.params, self.l2) if self.l2 else data_loss
            return total, [data_loss, *(v for o in outputs for v in ([o] if isinstance(o, Value) else o))]

        leaves = [*self.params, *(v for x in x_leaves for v in x), *(v for t in t_leaves for v in t)]
        return trace(cost, *leaves)


__all__ = ["ReplayedSteps", "TraceError", "replay_refusal"]
