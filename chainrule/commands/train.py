"""``chainrule train``: its options, taken from the library's tables, and one call.

The options are the fields of :class:`chainrule.train_settings.TrainSettings` (with
``-`` for ``_``) and take their defaults from it; the choices of ``--data``,
``--loss``, ``--activation`` and ``--optimizer`` and the tables of the help are
:data:`nn.datasets.DATASETS`, :data:`nn.costs.COSTS`,
:data:`nn.activations.ACTIVATIONS` and :data:`nn.optim.OPTIMIZERS`; each
optimizer hyperparameter of :data:`nn.optim.OPTIMIZERS` is one option
(``--lr``, ``--momentum``, ``--beta1``, ...), checked by its record. :func:`run_train` builds the settings and
calls :func:`chainrule.recipe.train_classifier`, which does the work.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chainrule.arguments import (
    activations_argument,
    fraction_argument,
    hidden_sizes_argument,
    hyperparameter_argument,
    non_negative_float_argument,
    positive_int_argument,
)
from chainrule.commands import COMMANDS
from nn.activations import ACTIVATIONS


def _train_description() -> str:
    """``chainrule train --help``'s text, with the tables of data sets and losses."""
    from nn.costs import COSTS
    from nn.datasets import DATASETS

    data = "\n".join(
        f"  {d.name:<8} {d.summary}: {d.inputs} inputs, {d.classes} classes" for d in DATASETS.values()
    )
    losses = "\n".join(
        f"  {r.name:<14} "
        + ("one linear output per class" if r.per_class else f"one {r.output_activation} output")
        + f", labels {r.labels} ({r.summary})"
        for r in COSTS.values()
    )
    return f"""\
Train a multilayer perceptron on a small data set with chainrule's scalar
engine (mini-batch gradient descent, every gradient by backward()), then
write into --out:
  model.json              the architecture and every weight (load it with nn.serialize.load)
  history.csv             loss and accuracy per epoch, on the training and the test set
  loss.png                those curves
  decision_boundary.png   the class regions over the plane (2-D data only)

An --out folder that is not empty is refused unless --force is given; with
--force the files above are replaced (only after training has finished) and
any other file in the folder is kept. Every setting and the folder are
checked before training starts. Ctrl-C during training writes nothing.
From Python: chainrule.recipe.train_classifier(chainrule.recipe.TrainSettings(...), out).

The data sets:
{data}

The loss fixes the output layer and the label convention:
{losses}
"""


def add_parser(commands: Any) -> None:
    """Add the ``train`` subcommand to the subparsers ``commands``."""
    from chainrule.train_settings import TrainSettings

    train = commands.add_parser(
        "train",
        help=COMMANDS["train"],
        description=_train_description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    defaults = TrainSettings()
    _add_data_options(train.add_argument_group("data"), defaults)
    _add_model_options(train.add_argument_group("model"), defaults)
    _add_training_options(train.add_argument_group("training"), defaults)
    output = train.add_argument_group("output")
    output.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="folder for the results, created if needed; refused when not empty, unless --force "
        "(default: runs/DATA)",
    )
    output.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty: replace the files of a previous run, keep the rest",
    )
    output.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (it is also off when standard error is not a terminal)",
    )
    train.set_defaults(run=run_train)


def _add_data_options(group: Any, defaults: Any) -> None:
    """The options of the data: --data --samples --max-samples --noise --test-fraction."""
    from nn.datasets import DATASETS

    group.add_argument(
        "--data", choices=list(DATASETS), default=defaults.data,
        help="the data set, see above (default: %(default)s)",
    )
    group.add_argument(
        "--samples", type=positive_int_argument, default=defaults.samples,
        help="examples to generate, train and test together (default: %(default)s; ignored by digits)",
    )
    group.add_argument(
        "--max-samples", type=positive_int_argument, default=defaults.max_samples, metavar="N",
        help="the largest --samples accepted, a memory limit (default: %(default)s)",
    )
    group.add_argument(
        "--noise", type=non_negative_float_argument, default=defaults.noise,
        help="noise of the generated data (default: the generator's: 0.1 for moons)",
    )
    group.add_argument(
        "--test-fraction", type=fraction_argument, default=defaults.test_fraction, metavar="F",
        help="share of the examples held out for testing, in (0, 1) (default: 1/3)",
    )


def _add_model_options(group: Any, defaults: Any) -> None:
    """The options of the model: --hidden --activation --init --max-parameters."""
    from nn.layers import INITS

    group.add_argument(
        "--hidden", type=hidden_sizes_argument, default=defaults.hidden, metavar="N,N,...",
        help="sizes of the hidden layers, comma separated, or none "
        f"(default: {','.join(map(str, defaults.hidden))})",
    )
    group.add_argument(
        "--activation", type=activations_argument, default=defaults.activation, metavar="NAME[,NAME...]",
        help="activation of the hidden layers: one name for all, or one per hidden layer, "
        f"comma separated ({', '.join(ACTIVATIONS)}; default: %(default)s)",
    )
    group.add_argument(
        "--init", choices=INITS, default=defaults.init,
        help="weight initialisation (default: %(default)s, micrograd's U(-1, 1))",
    )
    group.add_argument(
        "--max-parameters", type=positive_int_argument, default=defaults.max_parameters, metavar="N",
        help="the most weights and biases accepted, a memory limit (default: %(default)s)",
    )


def _add_training_options(group: Any, defaults: Any) -> None:
    """The options of training: --loss --optimizer, its hyperparameters, --schedule --l2 --epochs ..."""
    from chainrule.train_settings import SCHEDULES
    from nn.costs import COSTS

    group.add_argument(
        "--loss", choices=list(COSTS), default=defaults.loss,
        help="the loss, see above (default: hinge for two classes, cross_entropy for more)",
    )
    _add_optimizer_options(group, defaults)
    group.add_argument(
        "--schedule", choices=SCHEDULES, default=defaults.schedule,
        help="learning rate schedule: constant, or a linear decay to lr/10 (default: %(default)s)",
    )
    group.add_argument(
        "--l2", type=non_negative_float_argument, default=defaults.l2,
        help="strength of an L2 penalty on every parameter (default: %(default)s)",
    )
    group.add_argument(
        "--epochs", type=positive_int_argument, default=defaults.epochs,
        help="passes over the training data (default: %(default)s)",
    )
    group.add_argument(
        "--batch-size", type=positive_int_argument, default=defaults.batch_size,
        help="examples per gradient step (default: %(default)s)",
    )
    group.add_argument(
        "--seed", type=int, default=defaults.seed,
        help="seed of the data, the weights and the shuffles (default: %(default)s)",
    )


def _add_optimizer_options(group: Any, defaults: Any) -> None:
    """--optimizer and one option per hyperparameter of :data:`nn.optim.OPTIMIZERS`.

    A hyperparameter that is a field of the settings (``lr``) takes its default
    from there; the others default to None (not given) and go into
    ``optimizer_options`` (:func:`_settings`).
    """
    import dataclasses

    from nn.optim import OPTIMIZERS, hyperparameters_by_name

    fields = {f.name for f in dataclasses.fields(defaults)}

    group.add_argument(
        "--optimizer", choices=list(OPTIMIZERS), default=defaults.optimizer,
        help="the optimizer: " + "; ".join(f"{r.name}, {r.summary}" for r in OPTIMIZERS.values())
        + " (default: %(default)s)",
    )
    for name, h in hyperparameters_by_name().items():
        takers = [r.name for r in OPTIMIZERS.values() if name in r.names]
        whose = "" if len(takers) == len(OPTIMIZERS) else f"{', '.join(takers)}; "
        group.add_argument(
            f"--{name.replace('_', '-')}", type=hyperparameter_argument(h),
            default=getattr(defaults, name) if name in fields else None,
            help=f"{h.symbol} {h.requirement}: {h.help} ({whose}default: {_default_text(name, takers, defaults)})",
        )


def _default_text(name: str, takers: list[str], defaults: Any) -> str:
    """The default of a hyperparameter in a run with each optimizer that takes it:
    ``0.9``, or ``adam 1e-08, rmsprop 1e-06`` when they differ."""
    import dataclasses

    found = {}
    for taker in takers:
        try:
            found[taker] = str(dataclasses.replace(defaults, optimizer=taker).hyperparameters()[name])
        except ValueError:
            found[taker] = "none, must be given"
    if len(set(found.values())) == 1:
        return found[takers[0]]
    return ", ".join(f"{taker} {value}" for taker, value in found.items())


def _settings(args: argparse.Namespace) -> Any:
    """The :class:`~chainrule.train_settings.TrainSettings` of the parsed options."""
    import dataclasses

    from chainrule.recipe import TrainSettings
    from nn.optim import hyperparameters_by_name

    names = [f.name for f in dataclasses.fields(TrainSettings) if f.name != "optimizer_options"]
    options = {
        name: getattr(args, name)
        for name in hyperparameters_by_name()
        if name not in names and getattr(args, name) is not None
    }
    return TrainSettings(**{name: getattr(args, name) for name in names}, optimizer_options=options)


def run_train(args: argparse.Namespace) -> int:
    """Run ``chainrule train`` (:func:`chainrule.recipe.train_classifier`); 2 on bad input, 130 on Ctrl-C."""
    import os

    from chainrule.recipe import train_classifier
    from nn.train import TrainingInterrupted

    try:
        train_classifier(
            _settings(args),
            args.out or os.path.join("runs", args.data),
            force=args.force,
            progress=False if args.no_progress else None,
            log=_print_now,
        )
    except TrainingInterrupted as stop:
        done = len(stop.history.loss)
        print(
            f"chainrule train: interrupted in epoch {done + 1} of {stop.epochs}; nothing written",
            file=sys.stderr,
        )
        return 130
    except (ValueError, TypeError, ImportError, OSError) as error:
        print(f"chainrule train: error: {error}", file=sys.stderr)
        return 2
    return 0


def _print_now(line: str) -> None:
    """Print a line of a run's report at once (the report comes before a long training)."""
    print(line, flush=True)
