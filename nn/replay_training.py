r"""Training by replay: a traced tape run for every batch, by floats or by arrays.

A batch's cost C_B = loss(outputs, targets) + λ Σ_θ θ² builds a graph of the
same shape for every batch of the same size, when the loss's shape does not
depend on the targets (:attr:`nn.costs.Cost.replayable`) and every
activation is one of the registry's. Two ways to use that:

* scalar replay (``fit(replay=True)`` or ``"scalar"``): :func:`autograd.trace`
  records one batch's graph, with the parameters, the batch's inputs and its
  targets as the tape's inputs; each step replays it on floats, with no
  ``Value`` per operation. The tape runs the table's rules in graph mode's
  order, so the losses, gradients and weights are bit-for-bit those of graph
  mode (a test trains both ways and compares the histories).
* batch replay (``fit(replay="batch")``), when the cost is a mean of the
  examples' costs (:attr:`nn.costs.Cost.example_mean`) and NumPy is
  installed: ONE example's cost ``loss([output], [target]) + λ Σ_θ θ²`` is
  traced, and :class:`autograd.batch.BatchTape` replays it over the whole
  batch at once, each instruction one NumPy operation over the m examples (a
  layer's neurons one matrix product); the mean of the m costs is C_B, and
  the gradients are summed over the batch with the seed 1/m. The results
  agree with graph mode to rounding (sums associated differently), not bit
  for bit.

A batch that graph mode refuses (a probability of exactly 1 in ``bce``, a bad
label) is refused by the same checks before it is replayed, or, for a number
that goes wrong inside the tape, by running that batch's graph, which raises
graph mode's own error (with the replay's, naming the example, as a note).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

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
    if record is None:
        return f"the loss {getattr(loss, '__name__', loss)!r} is not a cost of nn.costs.COSTS (register_cost it)"
    if not record.replayable or record.target_numbers is None:
        replayable = ", ".join(name for name, r in COSTS.items() if r.replayable)
        return f"the loss {record.name!r} builds a graph that depends on the targets (replayable: {replayable})"
    if not isinstance(model, MLP) or not all(
        registered(neuron.f) is not None for layer in model.layers for neuron in layer.neurons
    ):
        return "the model is not an MLP of the registry's activations"
    if [id(p) for p in optimizer.params] != [id(p) for p in model.parameters()]:
        return "the optimizer does not hold exactly the model's parameters, in order"
    return None


def batch_refusal(model: MLP, loss: str | Loss, optimizer: Optimizer) -> str | None:
    """Why this run cannot be replayed over whole batches (``replay="batch"``), or None when it can."""
    refusal = replay_refusal(model, loss, optimizer)
    if refusal is not None:
        return refusal
    if not _loss_record(loss).example_mean:  # type: ignore[union-attr]
        return f"the loss {_loss_record(loss).name!r} is not a mean of the examples' losses"  # type: ignore[union-attr]
    if importlib.util.find_spec("numpy") is None:
        return "NumPy is not installed (pip install 'chainrule[train]')"
    return None


class ReplayedSteps:
    """The training steps of one ``fit`` call, by replay (see the module docstring).

    Every batch goes through the checks of graph mode before it is replayed:
    each input through the model's own input check
    (:func:`nn.module.checked_inputs`), each target through the loss's
    (:attr:`nn.costs.Cost.target_numbers`), so a replayed run refuses
    what graph mode refuses, with the same message. Values in ``X`` or ``y``
    are read by their numbers.

    Attributes:
        batch: True for batch replay (one tape of one example, run over each
            batch with NumPy), False for scalar replay (a tape per batch size).
        refusal: Why a trace failed, when it did and replay was not
            required: the run continues by graphs.
    """

    def __init__(
        self,
        model: MLP,
        loss: str | Loss,
        loss_fn: Loss,
        optimizer: Optimizer,
        l2: float,
        required: bool,
        batch: bool = False,
    ) -> None:
        self.model, self.loss_fn, self.optimizer, self.l2 = model, loss_fn, optimizer, l2
        self.target_numbers = _loss_record(loss).target_numbers  # type: ignore[union-attr]
        self.params = optimizer.params
        self.tapes: dict[int, Tape] = {}
        self.batch_tape: Any = None
        self.required = required
        self.batch = batch
        self.refusal: str | None = None

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
        try:
            run = self._batch_step if self.batch else self._scalar_step
            result = run(xs, ts)
        except TraceError as error:
            if self.required:
                mode = "'batch'" if self.batch else "True"
                raise ValueError(f"fit(replay={mode}): cannot replay: {error}") from None
            self.refusal = str(error)
            return None
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            self._raise_as_graph_mode(X, y, batch, error)
        self.optimizer.step()
        return result

    def _scalar_step(self, xs: list[list[float]], ts: list[list[float]]) -> tuple[float, list]:
        tape = self.tapes.get(len(xs))
        if tape is None:
            tape = self.tapes[len(xs)] = self._trace(xs, ts)
        inputs = [p.data for p in self.params]  # in the order of the traced leaves
        for x in xs:
            inputs += x
        for t in ts:
            inputs += t
        watched: list[float] = []
        _, grads = tape.value_and_grad(*inputs, watched=watched)
        for p, g in zip(self.params, grads):
            p.grad = g
        n_out = (len(watched) - 1) // len(xs)
        return watched[0], [watched[1 + k * n_out : 1 + (k + 1) * n_out] for k in range(len(xs))]

    def _batch_step(self, xs: list[list[float]], ts: list[list[float]]) -> tuple[float, list]:
        if self.batch_tape is None:
            from autograd.batch import BatchTape  # NumPy: only for batch replay

            tape = self._trace(xs[:1], ts[:1])
            self.batch_tape = BatchTape(tape, batched=range(len(self.params), tape.n_inputs))
        watched: list[Any] = []
        rows = [x + t for x, t in zip(xs, ts)]
        _, grads, _ = self.batch_tape.value_and_grad_rows(
            [p.data for p in self.params], rows, seed=1.0 / len(xs), watched=watched
        )
        for p, g in zip(self.params, grads.tolist()):
            p.grad = g
        return float(watched[0].mean()), list(zip(*(w.tolist() for w in watched[1:])))

    def _raise_as_graph_mode(self, X: Sequence, y: Sequence, batch: list[int], error: Exception) -> None:
        """Graph mode's own error for a batch whose replay failed, with the replay's as a note."""
        try:
            outputs = [self.model(X[i]) for i in batch]
            self.loss_fn(outputs, [y[i] for i in batch])
        except Exception as graph_error:
            note = f"(found by replay: {error})"
            if hasattr(graph_error, "add_note"):  # Python 3.11 on; before it, the note goes into the message
                graph_error.add_note(note)
                raise graph_error from None
            raise type(graph_error)(f"{graph_error} {note}") from None
        raise error

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


__all__ = ["ReplayedSteps", "TraceError", "batch_refusal", "replay_refusal"]
