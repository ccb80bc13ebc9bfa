r"""The training recipe of ``chainrule train``, as one function callable from Python.

:class:`TrainSettings` holds every setting of a run (the command line's
options, with ``_`` for ``-``, and the same defaults) and checks them all when
it is made, before any data exist. :func:`train_classifier` then

1. generates the data set (:data:`nn.datasets.DATASETS`) and encodes its
   classes as the loss wants them (:data:`nn.costs.COSTS`: ±1 for hinge,
   0/1 for the cross-entropies, class indices for cross_entropy);
2. holds out ``test_fraction`` of the examples for testing;
3. builds the MLP n_0 → hidden → n_L whose output layer the loss fixes: one
   output per class for cross_entropy, else one output with the loss's
   activation (linear for scores and logits, sigmoid for probabilities);
4. trains it by mini-batch gradient descent (:func:`nn.train.fit`);
5. measures the train and test accuracy and, given an output folder, writes
   the run into it (:mod:`chainrule.run_folder`: model.json, history.csv, loss.png,
   decision_boundary.png for 2-D data), replacing a previous run only once
   every new file is written.

>>> run = train_classifier(TrainSettings(samples=60, hidden=(4,), epochs=2))
>>> run.model.sizes, len(run.history.loss)
([4, 1], 2)
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chainrule.run_folder import RunFolder, prepare_run_folder
from chainrule.train_settings import TrainSettings
from nn import serialize
from nn.costs import COSTS, Cost
from nn.datasets import DataSet, train_test_split
from nn.layers import MLP
from nn.optim import Optimizer, linear_decay
from nn.train import History, evaluate, fit

__all__ = ["TrainSettings", "TrainingRun", "train_classifier"]


@dataclass
class TrainingRun:
    """What :func:`train_classifier` made.

    Attributes:
        settings: The settings of the run.
        model: The trained MLP.
        history: Loss and accuracy per epoch, on the training and the test examples.
        loss: The name of the loss trained on.
        examples: Every example of the data set, one per row (training and test).
        classes: Their classes 0..K-1 (before encoding for the loss).
        train_accuracy: Accuracy of the trained model on the training examples.
        test_accuracy: Accuracy of the trained model on the held-out test examples.
        files: The files written (empty without an output folder).
    """

    settings: TrainSettings
    model: MLP
    history: History
    loss: str
    examples: list[list[float]]
    classes: list[int]
    train_accuracy: float
    test_accuracy: float
    files: list[Path] = field(default_factory=list)


def train_classifier(
    settings: TrainSettings | None = None,
    out: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainingRun:
    """Train an MLP classifier on a data set by the recipe of the module docstring.

    Every setting and the output folder are checked before the data are made
    and before training starts. A folder that is not empty is refused unless
    ``force``; with ``force`` only the files a run writes are replaced, and only
    once the new run is completely written: any error (a model that cannot be
    saved because training diverged, a full disk, Ctrl-C) keeps the previous
    run whole (see :mod:`chainrule.run_folder`). Ctrl-C during training raises
    :class:`nn.train.TrainingInterrupted` and writes nothing.

    Args:
        settings: The :class:`TrainSettings` (default: ``TrainSettings()``, the
            command line's defaults).
        out: A folder to write the run into (created when missing), or None.
        force: Accept an ``out`` that is not empty, replacing a previous run's files.
        progress: Show a progress bar; None shows it when standard error is a terminal.
        log: Called with each line of the run's report (data, model, results,
            files), for instance ``print``; None reports nothing.

    Returns:
        The :class:`TrainingRun`.

    Raises:
        ValueError, FileExistsError, OSError, ImportError: A bad setting, a folder
            that cannot be used, or a missing extra; raised before training.
    """
    settings = TrainSettings() if settings is None else settings
    if not isinstance(settings, TrainSettings):
        raise TypeError(f"settings must be a TrainSettings, got {type(settings).__name__}")
    report = log or _silent
    if out is not None and importlib.util.find_spec("matplotlib") is None:
        raise ImportError("the pictures of a run need matplotlib: pip install 'chainrule[train]'")
    folder = prepare_run_folder(out, force) if out is not None else None
    try:
        run = _train(settings, settings.dataset, COSTS[settings.loss_name], progress, report)
        if folder is not None:
            run.files = _write_run(folder, run, report)
    except BaseException:
        if folder is not None:
            folder.discard()
        raise
    return run


def _silent(line: str) -> None:
    """A ``log`` that reports nothing."""


def _train(
    s: TrainSettings,
    dataset: DataSet,
    loss: Cost,
    progress: bool | None,
    report: Callable[[str], None],
) -> TrainingRun:
    """Steps 1 to 4 of the recipe, and the accuracies."""
    X, classes = dataset.make(s.samples, s.noise, s.seed)
    labels = [loss.encode(c) for c in classes]
    X_train, X_test, y_train, y_test = train_test_split(X, labels, s.test_fraction, seed=s.seed)
    sizes = s.layer_sizes()
    model = MLP(dataset.inputs, sizes, s.activations(), loss.output_activation, init=s.init, seed=s.seed)
    optimizer = _optimizer(s, model, len(X_train))
    report(
        f"data: {s.data}, {len(X_train)} training and {len(X_test)} test examples, "
        f"{dataset.classes} classes"
    )
    report(
        f"model: {model.nin} inputs -> {sizes}, {_hidden_names(model)} hidden, {loss.output_activation} "
        f"output, {len(model.parameters())} parameters; loss {loss.name}, {s.optimizer} lr {s.lr}"
    )
    history = fit(
        model, X_train, y_train, loss=loss.name, optimizer=optimizer, epochs=s.epochs,
        batch_size=s.batch_size, seed=s.seed, l2=s.l2, validation=(X_test, y_test),
        progress=progress,
    )
    run = TrainingRun(
        s, model, history, loss.name, X, classes,
        train_accuracy=evaluate(model, X_train, y_train).accuracy,
        test_accuracy=evaluate(model, X_test, y_test).accuracy,
    )
    report(
        f"final loss {history.loss[-1]:.4f}; train accuracy {100 * run.train_accuracy:.1f}%, "
        f"test accuracy {100 * run.test_accuracy:.1f}%"
    )
    return run


def _optimizer(s: TrainSettings, model: MLP, training_examples: int) -> Optimizer:
    """The optimizer of the settings over the model's parameters, with its schedule."""
    steps = s.epochs * math.ceil(training_examples / s.batch_size)
    schedule = linear_decay(steps) if s.schedule == "linear" else None
    return s.optimizer_record.build(model.parameters(), s.hyperparameters(), schedule=schedule)


def _write_run(folder: RunFolder, run: TrainingRun, report: Callable[[str], None]) -> list[Path]:
    """Step 5: every file of the run in memory, then the folder's run replaced by them, whole."""
    from chainrule.plots import plot_decision_boundary, plot_history, png_bytes

    title = (
        f"{run.settings.data}: MLP{[run.model.nin, *run.model.sizes]}, {run.loss}, "
        f"test accuracy {100 * run.test_accuracy:.1f}%"
    )
    files: dict[str, bytes | str] = {
        "model.json": serialize.model_json(run.model),  # ValueError when training diverged
        "history.csv": run.history.csv_text(),
        "loss.png": png_bytes(plot_history(run.history, title=title)),
    }
    if run.model.nin == 2:
        figure = plot_decision_boundary(run.model, run.examples, run.classes, title=title)
        files["decision_boundary.png"] = png_bytes(figure)
    written = folder.write_run(files)
    report(f"wrote {written[0]} and {written[1]}")
    report("pictures: " + "\n          ".join(str(path) for path in written[2:]))
    return written


def _hidden_names(model: MLP) -> str:
    """``relu`` when every hidden layer has it, ``swish,leaky_relu`` when each has its own."""
    names = model.hidden_activations
    return "no" if not names else names[0] if len(set(names)) == 1 else ",".join(names)
