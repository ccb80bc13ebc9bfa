"""``chainrule check``: the engine's gradients beside the four equations of backpropagation.

:func:`run_check` builds a seeded MLP and a random batch and calls
:func:`nn.analytic.compare`, which Python code can call too. Needs NumPy (the
``train`` extra).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chainrule.arguments import (
    activations_argument,
    hidden_sizes_argument,
    non_negative_int_argument,
    positive_int_argument,
)
from chainrule.commands import COMMANDS
from nn.activations import ACTIVATIONS
from nn.costs import COSTS, Cost, array_costs
from nn.softmax import LAYERWISE


def _cost_help() -> str:
    """Each cost the equations know, with its batch convention, from its record."""
    return "; ".join(
        f"{name}: {COSTS[name].summary}"
        + (f" (needs a {COSTS[name].array_output} output)" if COSTS[name].on_arrays().pair_required else "")
        for name in array_costs()
    )


_DEFAULT_CLASSES = 3
"""K of a per-class cost (cross_entropy) when neither --classes nor --outputs gives it."""


def _outputs(args: argparse.Namespace, cost: Cost) -> int:
    """n_L: --classes K for a per-class cost (one output per class), else --outputs (default 1).

    Raises:
        ValueError: --classes with a one-output cost, or --classes and --outputs that differ.
    """
    if not cost.per_class:
        if args.classes is not None:
            raise ValueError(f"--classes is for a cost with one output per class (cross_entropy), not {cost.name}")
        return args.outputs or 1
    if args.classes is not None and args.outputs is not None and args.classes != args.outputs:
        raise ValueError(f"--classes {args.classes} and --outputs {args.outputs} differ: {cost.name} has one output per class")
    classes = args.classes or args.outputs or _DEFAULT_CLASSES
    if classes < 2:
        raise ValueError(f"{cost.name} needs at least 2 classes, got {classes}")
    return classes


def _output_layers(args: argparse.Namespace, cost: Cost, hidden: list[str]) -> tuple[str, str | None]:
    """The MLP's output activation and the layer-wise one on top of it (softmax), if any.

    Raises:
        ValueError: An output activation the cost cannot take.
    """
    wanted = args.output_activation or (cost.array_output if cost.on_arrays().pair_required else hidden[-1])
    if wanted in LAYERWISE:  # softmax over the logits of a linear output layer
        cost.check_output(wanted)
        return "linear", wanted
    cost.check_output(wanted)
    return wanted, None


_CHECK_MAX_WORK = 50_000
"""``chainrule check``'s default limit on parameters x batch (a few seconds, some 100 MB)."""


def add_parser(commands: Any) -> None:
    """Register ``chainrule check``: the engine beside the four equations of backpropagation."""
    check = commands.add_parser(
        "check",
        help=COMMANDS["check"],
        description=(
            "Build a seeded MLP and a random batch, compute every layer's delta = dC/dz, dC/dW "
            "and dC/db three ways (the scalar engine's backward(), the vectorized equations "
            "BP1-BP4, central finite differences) and print how far apart they are. Exits 1 "
            "on a mismatch."
        ),
    )
    check.add_argument(
        "--inputs", type=positive_int_argument, default=3, help="input size n_0 (default 3)"
    )
    check.add_argument(
        "--hidden",
        type=hidden_sizes_argument,
        default=[4, 3],
        help="hidden layer sizes, comma-separated, or none (default 4,3)",
    )
    check.add_argument(
        "--outputs", type=positive_int_argument, help="output size n_L (default 1; cross_entropy: --classes)"
    )
    check.add_argument(
        "--classes",
        type=positive_int_argument,
        metavar="K",
        help=f"classes K of cross_entropy: a softmax output layer of K outputs over the logits z^L, "
        f"one-hot labels (default {_DEFAULT_CLASSES})",
    )
    check.add_argument(
        "--activation",
        default="sigmoid",
        type=activations_argument,
        metavar="NAME[,NAME...]",
        help="activation of the hidden layers: one name, or one per hidden layer, comma separated "
        f"({', '.join(sorted(ACTIVATIONS))}; default sigmoid)",
    )
    check.add_argument(
        "--output-activation",
        choices=sorted([*ACTIVATIONS, *LAYERWISE]),
        help="activation of the output layer (default: the one the cost needs, sigmoid for bce, softmax "
        "for cross_entropy, else --activation); softmax goes over a linear layer's z^L with any cost",
    )
    check.add_argument(
        "--cost",
        default="quadratic",
        choices=array_costs(),
        help=f"{_cost_help()} (default quadratic)",
    )
    check.add_argument("--batch", type=positive_int_argument, default=5, help="batch size m (default 5)")
    check.add_argument(
        "--convention",
        choices=["averaged", "per_example"],
        default="averaged",
        help="how delta is shown: averaged, delta = dC/dZ of the batch's mean cost (the 1/m inside); "
        "per_example, dZ = dL/dZ of each example's own loss (m times larger; the 1/m then goes "
        "into dW and db). dC/dW and dC/db are the same in both (default averaged)",
    )
    check.add_argument(
        "--seed",
        type=non_negative_int_argument,
        default=0,
        help="seed of the weights and the batch, an int >= 0 (default 0)",
    )
    check.add_argument(
        "--max-work",
        type=positive_int_argument,
        default=_CHECK_MAX_WORK,
        metavar="N",
        help="the most parameters x batch examples accepted: the engine's graph holds a few nodes "
        "for each, and finite differences run 2 forward passes per parameter (default %(default)s)",
    )
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Print the comparison table; 0 when all methods agree, 1 on a mismatch."""
    try:
        from nn.analytic import compare, random_batch
    except ImportError as error:
        print(
            f"chainrule check: error: {error}; the analytic equations need NumPy: "
            "pip install 'chainrule[train]'",
            file=sys.stderr,
        )
        return 2
    from nn.layers import MLP, parameter_count

    hidden = [args.activation] if isinstance(args.activation, str) else args.activation
    cost = COSTS[args.cost]
    try:
        output_activation, layerwise = _output_layers(args, cost, hidden)
    except ValueError as error:
        print(f"chainrule check: error: {error} (--output-activation {cost.array_output})", file=sys.stderr)
        return 2
    try:
        outputs = _outputs(args, cost)
    except ValueError as error:
        print(f"chainrule check: error: {error}", file=sys.stderr)
        return 2
    sizes = [*args.hidden, outputs]
    work = parameter_count(args.inputs, sizes) * args.batch
    if work > args.max_work:
        print(
            f"chainrule check: error: MLP({args.inputs}, {sizes}) has "
            f"{parameter_count(args.inputs, sizes)} parameters; x {args.batch} examples = {work}, "
            f"more than --max-work {args.max_work}: raise --max-work to go further",
            file=sys.stderr,
        )
        return 2
    try:
        model = MLP(args.inputs, sizes, args.activation, output_activation, seed=args.seed)
        X, Y = random_batch(model, args.batch, args.cost, seed=args.seed)
        classes = f", {outputs} classes, one-hot Y" if cost.per_class else ""
        output = f"{layerwise} over the linear z^L{classes}" if layerwise else output_activation
        print(
            f"MLP({args.inputs}, {sizes}), activation {','.join(hidden)}, output {output}; "
            f"X is (n_0, m) = ({args.inputs}, {args.batch}), one example per column",
            flush=True,
        )
        report = compare(model, X, Y, args.cost, convention=args.convention, output_activation=layerwise)
    except (ValueError, TypeError) as error:
        print(f"chainrule check: error: {error}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1


