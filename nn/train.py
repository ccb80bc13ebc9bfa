r"""Training by mini-batch gradient descent, and the measures of a classifier.

:func:`fit` runs the curriculum's stochastic gradient descent: each epoch
shuffles the training examples, cuts them into mini-batches, and for each
batch computes the batch's mean loss C, ``backward()`` (every ∂C/∂θ), and one
optimizer step θ ← θ - α ∂C/∂θ.

Classes are read from a model's outputs as follows (:func:`predict`):

* one output: class 1 when the output is above ``threshold``, else class 0
  (or -1: a label counts as class 1 when it is above the threshold, so 0/1
  and ±1 labels both work). The default threshold is 0.5 for a sigmoid output
  (a probability) and 0 otherwise (a score, a logit, or tanh);
* several outputs: the index of the largest (labels are ints 0..K-1).
"""

from __future__ import annotations

import csv
import gc
import io
import numbers
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, no_grad
from autograd.files import write_atomic
from nn.checks import positive_int
from nn.costs import Loss, resolve_loss
from nn.layers import MLP
from nn.losses import l2_penalty
from nn.optim import Optimizer
from nn.replay_training import ReplayedSteps, batch_refusal, replay_refusal


def _output_activation(model: MLP) -> str:
    return str(getattr(model, "output_activation", "linear"))


def default_threshold(model: MLP) -> float:
    """0.5 for a model whose output activation is the sigmoid, else 0.0."""
    return 0.5 if _output_activation(model) == "sigmoid" else 0.0


def _is_correct(output: Any, label: Any, threshold: float) -> bool:
    """Whether an output (a Value, a list of Values, or their numbers) predicts ``label``."""
    scores = [output.data] if isinstance(output, Value) else [getattr(o, "data", o) for o in output]
    if len(scores) == 1:
        return (scores[0] > threshold) == (float(label) > threshold)
    return scores.index(max(scores)) == label


def _check_data(X: Sequence, y: Sequence, what: str) -> None:
    if len(X) != len(y):
        raise ValueError(f"{what}: {len(X)} examples but {len(y)} labels (one label per example expected)")
    if not X:
        raise ValueError(f"{what}: no examples")


def predict(model: MLP, X: Sequence[Sequence[float]], threshold: float | None = None) -> list[int]:
    """The class of each example (see the module docstring), computed without a graph.

    Args:
        model: A callable module (an ``MLP``).
        X: The examples, one per row.
        threshold: For one output; default :func:`default_threshold`.

    Returns:
        One int per example: 1 or 0 for one output, the argmax for several.
    """
    t = default_threshold(model) if threshold is None else threshold
    classes = []
    with no_grad():
        for x in X:
            out = model(x)
            if isinstance(out, Value):
                classes.append(1 if out.data > t else 0)
            else:
                scores = [o.data for o in out]
                classes.append(scores.index(max(scores)))
    return classes


def accuracy(model: MLP, X: Sequence[Sequence[float]], y: Sequence, threshold: float | None = None) -> float:
    """The share of examples whose predicted class is their label, in [0, 1].

    Args:
        model: A callable module.
        X: The examples.
        y: Labels: 0/1 or ±1 for one output, class indices for several.
        threshold: For one output; default :func:`default_threshold`.
    """
    return evaluate(model, X, y, threshold=threshold).accuracy


@dataclass(frozen=True)
class Evaluation:
    """A model's measures on a data set.

    Attributes:
        loss: The mean loss (None when no loss was asked for).
        accuracy: The share of correct predictions.
    """

    loss: float | None
    accuracy: float


def evaluate(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence,
    loss: str | Loss | None = None,
    threshold: float | None = None,
) -> Evaluation:
    """Loss and accuracy of ``model`` on ``(X, y)``, without recording a graph.

    Args:
        model: A callable module.
        X: The examples.
        y: Their labels / targets, in the convention of ``loss``.
        loss: A loss name or function (see :mod:`nn.losses`), or None.
        threshold: For one output; default :func:`default_threshold`.
    """
    _check_data(X, y, "evaluate")
    t = default_threshold(model) if threshold is None else threshold
    with no_grad():
        outputs = [model(x) for x in X]
        correct = sum(_is_correct(o, label, t) for o, label in zip(outputs, y))
        value = None if loss is None else resolve_loss(loss)[1](outputs, y).data
    return Evaluation(value, correct / len(X))


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch.

    Attributes:
        loss: Mean training loss of the epoch's batches (the loss alone,
            without the L2 penalty), weighted by batch size.
        accuracy: Training accuracy of the epoch, from the outputs of the
            training passes themselves (the model changes during the epoch).
        val_loss: Loss on the validation data at the end of the epoch (empty
            without validation data).
        val_accuracy: Accuracy on the validation data at the end of the epoch.
        lr: Learning rate of the epoch's last step.
        mode: How the steps were computed: ``"batch"`` (batch replay),
            ``"scalar"`` (scalar replay) or ``"graph"`` (a graph per batch).
        why_not_batch: Why the run was not batch-replayed (None when it was).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    mode: str = field(default="graph", compare=False)
    why_not_batch: str | None = field(default=None, compare=False)

    def rows(self) -> list[dict[str, float]]:
        """One dict per epoch: ``epoch`` (from 1) and every measure recorded."""
        columns = {"loss": self.loss, "accuracy": self.accuracy, "lr": self.lr}
        if self.val_loss:
            columns |= {"val_loss": self.val_loss, "val_accuracy": self.val_accuracy}
        return [
            {"epoch": epoch + 1, **{name: values[epoch] for name, values in columns.items()}}
            for epoch in range(len(self.loss))
        ]

    def csv_text(self) -> str:
        """:meth:`rows` as CSV text with a header line."""
        rows = self.rows()
        fields = list(rows[0]) if rows else ["epoch", "loss", "accuracy", "lr"]
        text = io.StringIO(newline="")
        writer = csv.DictWriter(text, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        return text.getvalue()

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`csv_text` to ``path`` atomically (``autograd.files.write_atomic``)."""
        write_atomic(path, self.csv_text())


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`fit`: a ``KeyboardInterrupt`` that keeps what was measured.

    Attributes:
        history: The :class:`History` of the epochs completed before the interruption.
        epochs: The number of epochs the run was asked for.
    """

    def __init__(self, history: History, epochs: int) -> None:
        super().__init__(f"training interrupted in epoch {len(history.loss) + 1} of {epochs}")
        self.history = history
        self.epochs = epochs


def _progress_bar(epochs: int, progress: bool | None) -> Any:
    show = sys.stderr.isatty() if progress is None else progress
    if not show:
        return None
    try:
        from tqdm.auto import tqdm  # a widget in Jupyter, text in a terminal
    except ImportError as error:
        raise ImportError("the progress bar needs tqdm: pip install 'chainrule[train]'") from error
    return tqdm(total=epochs, unit="epoch", desc="training", file=sys.stderr, dynamic_ncols=True)


def _train_epoch(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence,
    order: list[int],
    batch_size: int,
    loss_fn: Loss,
    optimizer: Optimizer,
    l2: float,
    threshold: float,
    replayed: ReplayedSteps | None,
) -> tuple[float, int, float]:
    """One pass over ``order`` in mini-batches: Σ batch loss · batch size, correct count, last lr."""
    params = model.parameters()
    total_loss, correct, lr = 0.0, 0, optimizer.current_lr
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        if replayed is not None and replayed.refusal is None:
            lr = optimizer.current_lr
            replay = replayed.step(X, y, batch)
            if replay is not None:
                total_loss += replay[0] * len(batch)
                correct += sum(_is_correct(o, y[i], threshold) for o, i in zip(replay[1], batch))
                continue
        outputs = [model(X[i]) for i in batch]
        targets = [y[i] for i in batch]
        data_loss = loss_fn(outputs, targets)
        cost = data_loss + l2_penalty(params, l2) if l2 else data_loss
        optimizer.zero_grad()
        cost.backward()
        lr = optimizer.current_lr
        optimizer.step()
        total_loss += data_loss.data * len(batch)
        correct += sum(_is_correct(o, label, threshold) for o, label in zip(outputs, targets))
    return total_loss, correct, lr


REPLAY_MODES = (None, False, True, "scalar", "batch")
"""The values of ``fit``'s ``replay``."""


def _replayed_steps(
    model: MLP, loss: str | Loss, loss_fn: Loss, optimizer: Optimizer, l2: float, replay: bool | str | None,
    history: History,
) -> ReplayedSteps | None:
    """The replayed steps of this run, or None for graph mode (see ``fit``'s ``replay``); notes the choice in ``history``."""
    if not any(replay is mode or (isinstance(mode, str) and replay == mode) for mode in REPLAY_MODES):
        raise ValueError(f"replay must be None, False, True, 'scalar' or 'batch', got {replay!r}")
    history.why_not_batch = "replay=False" if replay is False else "replay asks for scalar replay"
    if replay is False:
        return None
    if replay in (None, "batch"):
        history.why_not_batch = batch_refusal(model, loss, optimizer)
        if history.why_not_batch is None:
            history.mode = "batch"
            return ReplayedSteps(model, loss, loss_fn, optimizer, l2, required=replay == "batch", batch=True)
        if replay == "batch":
            raise ValueError(f"fit(replay='batch'): cannot replay: {history.why_not_batch}")
    refusal = replay_refusal(model, loss, optimizer)
    if refusal is not None:
        if replay:
            raise ValueError(f"fit(replay=True): cannot replay: {refusal}")
        return None
    history.mode = "scalar"
    return ReplayedSteps(model, loss, loss_fn, optimizer, l2, required=bool(replay))


def _completed_epochs(history: History, validation: bool) -> History:
    """``history`` cut to the epochs whose every measure was recorded (after an interruption)."""
    columns = [history.loss, history.accuracy, history.lr]
    if validation:
        columns += [history.val_loss, history.val_accuracy]
    done = min(len(column) for column in columns)
    for column in columns:
        del column[done:]
    return history


def fit(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence,
    *,
    loss: str | Loss,
    optimizer: Optimizer,
    epochs: int = 100,
    batch_size: int = 32,
    seed: int = 0,
    l2: float = 0.0,
    validation: tuple[Sequence[Sequence[float]], Sequence] | None = None,
    threshold: float | None = None,
    progress: bool | None = None,
    replay: bool | str | None = None,
) -> History:
    r"""Train ``model`` by mini-batch stochastic gradient descent.

    Each epoch shuffles the examples (``random.Random(seed)``, so the same
    seed gives the same run) and, for each batch B of at most ``batch_size``
    examples, minimises C_B = loss(outputs, targets) + l2 Σ_θ θ²:
    ``optimizer.zero_grad()``, ``C_B.backward()``, ``optimizer.step()``.

    Args:
        model: The model (an ``MLP``), called on each example.
        X: Training examples, one per row.
        y: Their targets, in the loss's convention (±1 for ``"hinge"``, 0/1 for
            the binary cross-entropies, class indices for ``"cross_entropy"``).
        loss: A name of :data:`nn.costs.COSTS` or a loss function.
        optimizer: An optimizer over ``model.parameters()``.
        epochs: Passes over the data.
        batch_size: Examples per step (the last batch of an epoch may be smaller).
        seed: Seed of the shuffles.
        l2: Strength λ of an L2 penalty added to each batch's loss (0: none).
        validation: Optional ``(X_val, y_val)`` measured after each epoch.
        threshold: Decision threshold for accuracy with one output
            (default: 0.5 after a sigmoid, else 0).
        progress: Show a tqdm progress bar; None (default) shows it only when
            standard error is a terminal.
        replay: How each step is computed (:mod:`nn.replay_training`).
            ``"batch"``: batch replay, ONE example's cost traced and replayed
            over the whole batch with NumPy (the same losses, gradients and
            weights as graph mode up to rounding, 1e-12 relative; the fastest
            by far), or a ValueError saying why not. True (or ``"scalar"``):
            scalar replay, one traced tape per batch size run on floats
            (bit-for-bit graph mode's results, several times faster), or a
            ValueError saying why not. False: build a graph per batch.
            None (default): batch replay when the run allows it (a registered
            cost that is a mean over the examples, as every built-in one is;
            an MLP of the registry's activations; an optimizer over exactly
            ``model.parameters()``; NumPy installed), else scalar replay when
            it allows that, else graphs; ``History.mode`` says which ran and
            ``History.why_not_batch`` why batch replay did not. After a
            replayed run, the neurons' stored ``z`` and ``a`` are those of
            the traced batch (of the traced example for batch replay).
            Every batch passes graph mode's checks in both modes (the
            model's input check, the loss's target check), so replay refuses
            what graph mode refuses, with the same message; Values in ``X``
            or ``y`` are read by their numbers (only graph mode adds to their
            ``grad``). Replay needs a deterministic forward pass: the first
            batch of each size is traced twice, and a model whose two
            recordings differ (one that draws random numbers, a dropout) or
            that converts a Value to a number is trained by graphs (None) or
            refused (True); its random numbers are then drawn twice more.

    Returns:
        The :class:`History` of the run.

    Raises:
        TrainingInterrupted: Ctrl-C during training (a ``KeyboardInterrupt``);
            it carries the :class:`History` of the epochs completed.
    """
    _check_data(X, y, "fit")
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn.optim optimizer (SGD, Adam), got {type(optimizer).__name__}")
    if isinstance(l2, bool) or not isinstance(l2, numbers.Real) or not l2 >= 0:
        raise ValueError(f"l2 must be a number >= 0, got {l2!r}")
    if validation is not None:
        _check_data(validation[0], validation[1], "fit validation")
    loss_fn = resolve_loss(loss)[1]
    history = History()
    replayed = _replayed_steps(model, loss, loss_fn, optimizer, l2, replay, history)
    t = default_threshold(model) if threshold is None else threshold
    rng = random.Random(seed)
    order = list(range(len(X)))
    bar = _progress_bar(epochs, progress)
    # NOTE: speed: the engine's graphs hold no reference cycles, so reference
    # counting frees each batch's graph; the cyclic collector would only
    # rescan the hundreds of thousands of live nodes of a batch, again and
    # again (about a third of the training time). It is switched off while
    # training and restored afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(epochs):
            rng.shuffle(order)
            total_loss, correct, lr = _train_epoch(
                model, X, y, order, batch_size, loss_fn, optimizer, l2, t, replayed
            )
            history.loss.append(total_loss / len(X))
            history.accuracy.append(correct / len(X))
            history.lr.append(lr)
            postfix = {"loss": f"{history.loss[-1]:.4f}", "acc": f"{history.accuracy[-1]:.3f}"}
            if validation is not None:
                measured = evaluate(model, validation[0], validation[1], loss_fn, t)
                history.val_loss.append(float(measured.loss))
                history.val_accuracy.append(measured.accuracy)
                postfix["val_acc"] = f"{measured.accuracy:.3f}"
            if bar is not None:
                bar.set_postfix(postfix, refresh=False)
                bar.update(1)
    except KeyboardInterrupt:
        raise TrainingInterrupted(_completed_epochs(history, validation is not None), epochs) from None
    finally:
        if collecting:
            gc.enable()
        if bar is not None:
            bar.close()
        if replayed is not None and replayed.refusal is not None:  # a trace failed: graphs ran instead
            history.mode, history.why_not_batch = "graph", history.why_not_batch or replayed.refusal
    return history
