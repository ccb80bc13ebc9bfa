"""The ``chainrule`` command line.

Subcommands:
    demo    the lecture's worked example, forward and backward, printed
            (nn.lecture.chain_rule_example).
    train   train an MLP on a small data set; write the model, its history and pictures
            (nn.recipe.train_classifier).
    draw    draw the computation graph of an expression, after backward (Graphviz).
    check   the engine's gradients beside the four equations of backpropagation
            (nn.analytic.compare).

Each subcommand parses its options and calls the library function named above,
which Python code can call too. Exit status: 0 done, 1 a mismatch found by
check, 2 a usage error, 130 interrupted (Ctrl-C). Run it as ``chainrule`` or
``python -m nn``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from nn.activations import ACTIVATIONS
from nn.cli_arguments import (
    activations_argument,
    hidden_sizes_argument,
    non_negative_int_argument,
    positive_int_argument,
)
from nn.cli_train import add_train_command
from nn.worksheet.cli import add_worksheet_command


def _version() -> str:
    try:
        return version("chainrule")
    except PackageNotFoundError:
        return "unknown (not installed)"


def run_demo(args: argparse.Namespace) -> int:
    """Print the lecture's worked example (:func:`nn.lecture.chain_rule_example`)."""
    from nn.lecture import chain_rule_example

    print(chain_rule_example())
    return 0


_DRAW_DESCRIPTION = """\
Build the computation graph of an arithmetic expression, run backward() from
it and draw the graph: every value with its data and gradient, every operation
as a node, every edge labelled with its local derivative. The expression may use
numbers, the --var names, + - * / **, unary minus and the functions
{functions}.

  chainrule draw "x*y + tanh(x)" --var x=2.0 --var y=-3 -o graph.svg
  chainrule draw "sigmoid(w*x + b)" --var w=0.5 --var x=2 --var b=-1 --steps steps/

The format is taken from the extension of -o: .svg, .png, .pdf or .dot.
An expression starting with a minus sign goes last, after --:
  chainrule draw --var x=3 -o graph.svg -- "-x*x"
Variable names are read as Python reads them (Unicode NFKC: the fullwidth x is
x), and each may be given once.
--steps DIR writes one SVG per step of backward and steps.html, a page with a
slider to walk through them (it needs no network). Frames of an earlier, longer
step-through in DIR (step_<digits>.svg) are removed; no other file is touched.

Limits (each error names the option that lifts it): a drawing of at most
--max-nodes nodes; Graphviz stopped after --timeout seconds (for all frames of a
step-through together); at most --max-frames frames and --max-bytes bytes
written by a step-through.
"""

def _variable(text: str) -> tuple[str, float]:
    """``"x=2.0"`` -> ``("x", 2.0)`` (argparse type of ``--var``)."""
    from autograd.expression import ExpressionError, check_variable_name

    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep:
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}")
    try:
        check_variable_name(name)
    except ExpressionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    try:
        return name, float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{name}: expected a number, got {number.strip()!r}"
        ) from None


def add_draw_command(commands: Any) -> None:
    """Add the ``draw`` subcommand to the subparsers ``commands``."""
    from autograd.draw_options import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT
    from autograd.expression import FUNCTIONS, SLOPED
    from autograd.steps import DEFAULT_MAX_BYTES, DEFAULT_MAX_FRAMES

    draw = commands.add_parser(
        "draw",
        help="draw the computation graph of an expression, with its gradients",
        description=_DRAW_DESCRIPTION.format(functions=" ".join([*FUNCTIONS, *SLOPED])),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    draw.add_argument("expression", metavar="EXPR", help='the expression, e.g. "x*y + tanh(x)"')
    draw.add_argument(
        "--var",
        type=_variable,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable and its value (repeat for each variable)",
    )
    draw.add_argument(
        "-o", "--output", metavar="FILE", help="the picture to write: .svg, .png, .pdf or .dot"
    )
    draw.add_argument(
        "--steps",
        metavar="DIR",
        help="also write the step-through of backward into DIR (SVGs and steps.html)",
    )
    draw.add_argument(
        "--rankdir",
        choices=["LR", "TB"],
        default="LR",
        help="layout: left to right or top to bottom (default: %(default)s)",
    )
    draw.add_argument(
        "--no-edge-labels", action="store_true", help="do not label edges with local derivatives"
    )
    limits = [
        ("--max-nodes", int, DEFAULT_MAX_NODES, "N", "refuse drawings of more nodes"),
        ("--timeout", float, DEFAULT_TIMEOUT, "SECONDS", "stop Graphviz after this long"),
        ("--max-frames", int, DEFAULT_MAX_FRAMES, "N", "refuse step-throughs of more frames"),
        ("--max-bytes", int, DEFAULT_MAX_BYTES, "N", "refuse step-throughs writing more bytes"),
    ]
    for flag, kind, default, metavar, text in limits:
        draw.add_argument(
            flag, type=kind, default=default, metavar=metavar, help=text + " (default: %(default)s)"
        )
    draw.set_defaults(run=run_draw)


def run_draw(args: argparse.Namespace) -> int:
    """Run ``chainrule draw`` through :func:`autograd.expression_drawing.draw_expression`.

    Returns 0, or 2 with a message on bad input or a limit reached.
    """
    import graphviz

    from autograd.expression_drawing import draw_expression

    try:
        drawn = draw_expression(
            args.expression,
            args.var,
            output=args.output,
            steps=args.steps,
            rankdir=args.rankdir,
            edge_labels=not args.no_edge_labels,
            max_nodes=args.max_nodes,
            timeout=args.timeout,
            max_frames=args.max_frames,
            max_bytes=args.max_bytes,
            progress=True,
        )
    except graphviz.ExecutableNotFound:
        print(
            "chainrule draw: error: Graphviz's dot program is not installed "
            "(Debian/Ubuntu: apt-get install graphviz)",
            file=sys.stderr,
        )
        return 2
    except (ValueError, TypeError, OSError, RuntimeError) as error:
        print(f"chainrule draw: error: {error}", file=sys.stderr)
        return 2
    if drawn.picture is not None:
        print(f"wrote {drawn.picture}")
    if drawn.steps is not None:
        print(f"wrote {len(drawn.steps.svgs)} steps and {drawn.steps.html}")
    root = drawn.root
    print(f"{root.label} = {root.data:g}")
    for name, value in drawn.variables.items():
        print(f"  d{root.label}/d{name} = {value.grad:g}")
    return 0

def _costs() -> tuple[str, ...] | None:
    """The costs of ``nn.analytic`` (None when NumPy is missing: ``run_check`` says so)."""
    try:
        from nn.analytic import COSTS
    except ImportError:
        return None
    return tuple(COSTS)


_CHECK_MAX_WORK = 50_000
"""``chainrule check``'s default limit on parameters x batch (a few seconds, some 100 MB)."""


def add_check_command(commands: Any) -> None:
    """Register ``chainrule check``: the engine beside the four equations of backpropagation."""
    check = commands.add_parser(
        "check",
        help="compare the engine's gradients with the backpropagation equations BP1-BP4",
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
        "--outputs", type=positive_int_argument, default=1, help="output size n_L (default 1; bce needs 1)"
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
        choices=sorted(ACTIVATIONS),
        help="activation of the output layer (default: sigmoid for bce, else --activation)",
    )
    check.add_argument(
        "--cost",
        default="quadratic",
        choices=_costs(),
        help="quadratic: 1/(2m) sum ||y - a||^2; mse: 1/(m n_L) sum (y - a)^2; "
        "bce: binary cross-entropy on a sigmoid output (default quadratic)",
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
    output_activation = args.output_activation or ("sigmoid" if args.cost == "bce" else hidden[-1])
    if args.cost == "bce" and (output_activation != "sigmoid" or args.outputs != 1):
        print(
            "chainrule check: error: --cost bce needs one sigmoid output "
            "(--outputs 1 --output-activation sigmoid)",
            file=sys.stderr,
        )
        return 2
    sizes = [*args.hidden, args.outputs]
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
        print(
            f"MLP({args.inputs}, {sizes}), activation {','.join(hidden)}, output {output_activation}; "
            f"X is (n_0, m) = ({args.inputs}, {args.batch}), one example per column",
            flush=True,
        )
        report = compare(model, X, Y, args.cost, convention=args.convention)
    except (ValueError, TypeError) as error:
        print(f"chainrule check: error: {error}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``chainrule`` command."""
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="chainrule: a scalar reverse-mode autodiff engine for learning backpropagation.",
    )
    parser.add_argument("--version", action="version", version=f"chainrule {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="print the lecture's worked example of the chain rule")
    demo.set_defaults(run=run_demo)
    add_train_command(commands)
    add_draw_command(commands)
    add_check_command(commands)
    add_worksheet_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``chainrule`` console script and of ``python -m nn``.

    Returns the exit status: 0 done, 1 ``check`` found a mismatch, 2 a usage
    error (argparse's code too), 130 interrupted by Ctrl-C (one line, no
    traceback), 141 when the reader of standard output went away
    (``chainrule check | head``), as a shell's SIGPIPE.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"chainrule {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # NOTE: point stdout at /dev/null so that Python's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
