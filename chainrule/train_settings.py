r"""The settings of a training run (:func:`chainrule.recipe.train_classifier`), checked when made.

Each field is an option of ``chainrule train`` (``batch_size`` is
``--batch-size``), with the same default; the command line takes its
defaults and choices from here. The optimizer's hyperparameters other than
``lr`` are one field, ``optimizer_options`` (``--momentum``, ``--beta1``, ...:
one option per hyperparameter of :data:`nn.optim.OPTIMIZERS`), each checked by
its record. Every check runs when a :class:`TrainSettings`
is made, before any data are generated or any training starts, and a bad
setting is a ``ValueError`` naming it, its value and what was expected.

Two limits keep a run's memory bounded, each raised by a setting:

* ``max_samples`` (100,000): the examples of the data set (``--max-samples``);
* ``max_parameters`` (100,000): the model's weights and biases
  (``--max-parameters``); every example of a batch builds a graph of a few
  ``Value`` nodes per parameter (about 0.5 kB per parameter per example).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nn.activations import ACTIVATIONS, per_hidden_layer
from nn.checks import positive_int, positive_number
from nn.costs import COSTS
from nn.datasets import DATASETS, DataSet
from nn.layers import INITS, parameter_count
from nn.optim import OPTIMIZERS, OptimizerRecord

HYPERPARAMETER_DEFAULTS = {"momentum": 0.9}
"""This job's defaults that differ from the library's: SGD with momentum μ = 0.9
(:class:`nn.optim.SGD` defaults to PyTorch's μ = 0). Every other hyperparameter
defaults to its record's default (:data:`nn.optim.OPTIMIZERS`)."""

SCHEDULES = ("constant", "linear")
"""Learning rate schedules: constant, or a linear decay to lr/10 over the run."""


def parse_sizes(text: str) -> tuple[int, ...]:
    """Hidden layer sizes from text: ``"16,16"`` -> ``(16, 16)``; ``"none"`` -> ``()``.

    Raises:
        ValueError: An empty size (``"16,,16"``, ``",,"``, ``""``), a part that is
            not an int, or a size below 1.
    """
    if text.strip().lower() == "none":
        return ()
    parts = [part.strip() for part in text.split(",")]
    if not all(parts):
        raise ValueError(
            f"expected layer sizes like 16,16 (or none for no hidden layer), got {text!r}: "
            "a size is empty"
        )
    try:
        sizes = tuple(int(part) for part in parts)
    except ValueError:
        raise ValueError(f"expected layer sizes like 16,16, got {text!r}") from None
    if any(n < 1 for n in sizes):
        raise ValueError(f"layer sizes must be positive, got {text!r}")
    return sizes


def _choice(value: object, choices: Any, what: str) -> None:
    if value not in choices:
        raise ValueError(f"{what} must be one of: {', '.join(choices)}; got {value!r}")


@dataclass(frozen=True)
class TrainSettings:
    r"""Every setting of a training run; see ``chainrule train --help`` for each.

    Attributes:
        data: A data set of :data:`nn.datasets.DATASETS`.
        samples: Examples generated (training and test together; ignored by digits).
        noise: The generator's noise, or None for its default.
        test_fraction: Share of the examples held out for testing, in (0, 1).
        hidden: Sizes of the hidden layers (``()``: none).
        activation: f of the hidden layers: a name of :data:`nn.activations.ACTIVATIONS`
            for all of them, or a tuple of names, one per hidden layer.
        init: Weight initialisation, one of :data:`nn.layers.INITS`.
        loss: A loss of :data:`nn.costs.COSTS`, or None: hinge for two
            classes, cross_entropy for more.
        optimizer: A name of :data:`nn.optim.OPTIMIZERS`.
        lr: The learning rate α > 0 (every optimizer has one).
        optimizer_options: The optimizer's other hyperparameters by name
            (``{"momentum": 0.5}``, ``{"beta2": 0.99}``); one not given takes
            :data:`HYPERPARAMETER_DEFAULTS`' value, else its record's default.
        schedule: One of :data:`SCHEDULES`.
        l2: Strength λ >= 0 of an L2 penalty λ Σ θ² on every parameter.
        epochs: Passes over the training examples.
        batch_size: Examples per gradient step.
        seed: Seed of the data, the split, the weights and the shuffles.
        max_samples: The most examples allowed (a memory limit).
        max_parameters: The most model parameters allowed (a memory limit).
    """

    data: str = "moons"
    samples: int = 300
    noise: float | None = None
    test_fraction: float = 1 / 3
    hidden: tuple[int, ...] = (16, 16)
    activation: str | tuple[str, ...] = "relu"
    init: str = "uniform"
    loss: str | None = None
    optimizer: str = "sgd"
    lr: float = 0.05
    optimizer_options: Mapping[str, float] = field(default_factory=dict, hash=False)
    schedule: str = "constant"
    l2: float = 0.0
    epochs: int = 40
    batch_size: int = 32
    seed: int = 0
    max_samples: int = 100_000
    max_parameters: int = 100_000

    def __post_init__(self) -> None:
        _choice(self.data, DATASETS, "data")
        if isinstance(self.activation, list):  # one per hidden layer, kept as a tuple (frozen)
            object.__setattr__(self, "activation", tuple(self.activation))
        names = (self.activation,) if isinstance(self.activation, str) else self.activation
        for name in names:
            _choice(name, ACTIVATIONS, "activation")
        if not isinstance(self.activation, str):
            per_hidden_layer(list(self.activation), len(self.hidden))
        _choice(self.init, INITS, "init")
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        self._check_optimizer_options()
        _choice(self.schedule, SCHEDULES, "schedule")
        if self.loss is not None:
            _choice(self.loss, COSTS, "loss")
        for name in ("samples", "epochs", "batch_size", "max_samples", "max_parameters"):
            positive_int(getattr(self, name), name)
        if self.noise is not None:
            positive_number(self.noise, "noise", allow_zero=True)
        if not positive_number(self.test_fraction, "test_fraction") < 1:
            raise ValueError(f"test_fraction must be in (0, 1), got {self.test_fraction!r}")
        positive_number(self.l2, "l2", allow_zero=True)
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise ValueError(f"seed must be an int, got {self.seed!r}")
        if isinstance(self.hidden, (str, bytes)):
            raise ValueError(f"hidden must be a sequence of layer sizes, got {self.hidden!r}")
        object.__setattr__(self, "hidden", tuple(positive_int(n, "a hidden layer size") for n in self.hidden))
        self._check_limits()

    @property
    def dataset(self) -> DataSet:
        """The :class:`nn.datasets.DataSet` record of :attr:`data`."""
        return DATASETS[self.data]

    @property
    def optimizer_record(self) -> OptimizerRecord:
        """The :class:`nn.optim.OptimizerRecord` of :attr:`optimizer`."""
        return OPTIMIZERS[self.optimizer]

    def hyperparameters(self) -> dict[str, float]:
        """Every hyperparameter of the optimizer: :attr:`lr`, :attr:`optimizer_options`, then the defaults.

        Raises:
            ValueError: A hyperparameter the optimizer does not take, or a value
                outside its interval (the record's check).
        """
        record = self.optimizer_record
        defaults = {name: x for name, x in HYPERPARAMETER_DEFAULTS.items() if name in record.names}
        return record.values({**defaults, **self.optimizer_options, "lr": self.lr})

    def _check_optimizer_options(self) -> None:
        if not isinstance(self.optimizer_options, Mapping):
            raise ValueError(
                f"optimizer_options must be a mapping of hyperparameter names to numbers, got {self.optimizer_options!r}"
            )
        object.__setattr__(self, "optimizer_options", dict(self.optimizer_options))
        if "lr" in self.optimizer_options:
            raise ValueError("lr is a setting of its own (lr=...), not one of optimizer_options")
        self.hyperparameters()

    @property
    def loss_name(self) -> str:
        """:attr:`loss`, or its default for the data set: hinge for 2 classes, else cross_entropy."""
        if self.loss is not None:
            return self.loss
        return "hinge" if self.dataset.classes == 2 else "cross_entropy"

    def layer_sizes(self) -> list[int]:
        """``[n_1, ..., n_L]``: the hidden sizes, then the outputs the loss needs.

        Raises:
            ValueError: A one-output loss for a data set of more than two classes.
        """
        try:
            outputs = COSTS[self.loss_name].output_size(self.dataset.classes)
        except ValueError as error:
            raise ValueError(f"{self.data}: {error}") from None
        return [*self.hidden, outputs]

    def activations(self) -> str | list[str]:
        """The activation as ``MLP(activation=...)`` takes it: one name, or a list per hidden layer."""
        return self.activation if isinstance(self.activation, str) else list(self.activation)

    def parameter_count(self) -> int:
        """Weights and biases of the model (:func:`nn.layers.parameter_count`)."""
        return parameter_count(self.dataset.inputs, self.layer_sizes())

    def _check_limits(self) -> None:
        if self.dataset.sized and self.samples > self.max_samples:
            raise ValueError(
                f"samples = {self.samples} is more than max_samples = {self.max_samples}, the "
                "limit that keeps the data and a training epoch within memory and minutes; "
                "raise it with max_samples (--max-samples N) to go further"
            )
        count = self.parameter_count()
        if count > self.max_parameters:
            raise ValueError(
                f"the model {[self.dataset.inputs, *self.layer_sizes()]} has {count} parameters, "
                f"more than max_parameters = {self.max_parameters} (each example of a batch "
                "builds about 0.5 kB of graph per parameter); raise it with max_parameters "
                "(--max-parameters N) to go further"
            )
