"""The ``chainrule`` command line.

Subcommands:
    demo    the lecture's worked example, forward and backward, printed.
    train   train an MLP on a small data set; write the model, its history and pictures.
    draw    draw the computation graph of an expression, after backward (Graphviz).
    check   the engine's gradients beside the four equations of backpropagation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from autograd import Value
from nn.activations import ACTIVATIONS


def _version() -> str:
    try:
        return version("chainrule")
    except PackageNotFoundError:
        return "unknown (not installed)"


def run_demo(args: argparse.Namespace) -> int:
    """Print the micrograd lecture's expression L = (a*b + c) * f with every gradient."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    print("Worked example: L = (a*b + c) * f")
    print(f"forward:  e = a*b = {e.data:g}, d = e + c = {d.data:g}, L = d*f = {L.data:g}")
    print("backward (chain rule, node by node):")
    for node in (L, d, f, e, c, a, b):
        print(f"  dL/d{node.label} = {node.grad:g}")
    print(f"check: dL/da = f * b = {f.data * b.data:g}, dL/db = f * a = {f.data * a.data:g}")
    return 0


_TRAIN_DESCRIPTION = """\
Train a multilayer perceptron on a small data set with chainrule's scalar
engine (mini-batch gradient descent, every gradient by backward()), then
write into --out:
  model.json              the architecture and every weight (load it with nn.serialize.load)
  history.csv             loss and accuracy per epoch, on the training and the test set
  loss.png                those curves
  decision_boundary.png   the class regions over the plane (2-D data only)

The loss fixes the output layer and the label convention:
  hinge          one linear output, labels -1/+1 (max-margin)
  bce            one sigmoid output, labels 0/1 (binary cross-entropy on probabilities)
  bce_logits     one linear output (a logit), labels 0/1 (stable binary cross-entropy)
  mse            one sigmoid output, labels 0/1, mean squared error 1/m
  quadratic      one sigmoid output, labels 0/1, quadratic cost 1/(2m)
  cross_entropy  one linear output per class, labels 0..K-1 (softmax cross-entropy)
"""

_TRAIN_LOSS_SETUP = {
    # loss -> (output activation, label conversion from class 0/1)
    "hinge": ("linear", lambda c: 2 * c - 1),
    "bce": ("sigmoid", lambda c: c),
    "bce_logits": ("linear", lambda c: c),
    "mse": ("sigmoid", lambda c: c),
    "quadratic": ("sigmoid", lambda c: c),
}


def _hidden_sizes(text: str) -> list[int]:
    """``"16,16"`` -> ``[16, 16]`` (argparse type of ``--hidden``)."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()] if text.strip() else []
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected layer sizes like 16,16, got {text!r}") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be positive, got {text!r}")
    return sizes


def _positive(kind: type) -> Callable[[str], Any]:
    """An argparse type: a number of ``kind`` > 0."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a positive {kind.__name__}, got {text!r}"
            ) from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
        return value

    return parse


def _fraction(text: str) -> float:
    """An argparse type: a number in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}") from None
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1), got {text!r}")
    return value


def add_train_command(commands: Any) -> None:
    """Add the ``train`` subcommand to the subparsers ``commands``."""
    from nn.activations import ACTIVATIONS
    from nn.datasets import DATASETS
    from nn.layers import INITS
    from nn.losses import LOSSES

    train = commands.add_parser(
        "train",
        help="train an MLP on a small data set; write the model, its history and pictures",
        description=_TRAIN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = train.add_argument_group("data")
    data.add_argument(
        "--data",
        choices=sorted(DATASETS),
        default="moons",
        help="the data set (default: %(default)s; digits: 8x8 images of 0s and 1s, needs the data extra)",
    )
    data.add_argument(
        "--samples",
        type=_positive(int),
        default=300,
        help="examples to generate, train and test together (default: %(default)s; ignored by digits)",
    )
    data.add_argument(
        "--noise",
        type=float,
        default=None,
        help="noise of the generated data (default: the generator's: 0.1 for moons)",
    )
    data.add_argument(
        "--test-fraction",
        type=_positive(float),
        default=1 / 3,
        metavar="F",
        help="share of the examples held out for testing, in (0, 1) (default: 1/3)",
    )
    model = train.add_argument_group("model")
    model.add_argument(
        "--hidden",
        type=_hidden_sizes,
        default=[16, 16],
        metavar="N,N,...",
        help="sizes of the hidden layers, comma separated (default: 16,16)",
    )
    model.add_argument(
        "--activation",
        choices=list(ACTIVATIONS),
        default="relu",
        help="activation of the hidden layers (default: %(default)s)",
    )
    model.add_argument(
        "--init",
        choices=INITS,
        default="uniform",
        help="weight initialisation (default: %(default)s, micrograd's U(-1, 1))",
    )
    optimisation = train.add_argument_group("training")
    optimisation.add_argument(
        "--loss",
        choices=list(LOSSES),
        default=None,
        help="the loss (default: hinge for two classes, cross_entropy for more)",
    )
    optimisation.add_argument(
        "--optimizer",
        choices=["sgd", "adam"],
        default="sgd",
        help="the optimizer (default: %(default)s)",
    )
    optimisation.add_argument(
        "--lr", type=_positive(float), default=0.05, help="learning rate (default: %(default)s)"
    )
    optimisation.add_argument(
        "--momentum",
        type=_fraction,
        default=0.9,
        help="SGD momentum in [0, 1) (default: %(default)s; 0 for plain SGD)",
    )
    optimisation.add_argument(
        "--schedule",
        choices=["constant", "linear"],
        default="constant",
        help="learning rate schedule: constant, or a linear decay to lr/10 (default: %(default)s)",
    )
    optimisation.add_argument(
        "--l2",
        type=float,
        default=0.0,
        help="strength of an L2 penalty on every parameter (default: %(default)s)",
    )
    optimisation.add_argument(
        "--epochs",
        type=_positive(int),
        default=40,
        help="passes over the training data (default: %(default)s)",
    )
    optimisation.add_argument(
        "--batch-size",
        type=_positive(int),
        default=32,
        help="examples per gradient step (default: %(default)s)",
    )
    optimisation.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the data, the weights and the shuffles (default: %(default)s)",
    )
    output = train.add_argument_group("output")
    output.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="directory for the results, created if needed (default: runs/DATA)",
    )
    output.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (it is also off when standard error is not a terminal)",
    )
    train.set_defaults(run=run_train)


def run_train(args: argparse.Namespace) -> int:
    """Run ``chainrule train``: data, model, training, files; 2 on bad input."""
    try:
        return _train(args)
    except (ValueError, TypeError, ImportError, OSError) as error:
        print(f"chainrule train: error: {error}", file=sys.stderr)
        return 2


def _train(args: argparse.Namespace) -> int:
    import math
    import os

    from nn import datasets, plots, serialize
    from nn.layers import MLP
    from nn.optim import SGD, Adam, Optimizer, linear_decay
    from nn.train import evaluate, fit

    if not args.test_fraction < 1:
        raise ValueError(f"--test-fraction must be in (0, 1), got {args.test_fraction}")
    if not args.l2 >= 0:
        raise ValueError(f"--l2 must be >= 0, got {args.l2}")
    generate = datasets.DATASETS[args.data]
    if args.data == "digits":
        X, classes = generate()
    else:
        options = (
            {} if args.noise is None else {"std" if args.data == "blobs" else "noise": args.noise}
        )
        X, classes = generate(args.samples, seed=args.seed, **options)
    k = max(classes) + 1
    loss = args.loss or ("hinge" if k == 2 else "cross_entropy")
    if loss == "cross_entropy":
        output_activation, sizes, labels = "linear", [*args.hidden, k], list(classes)
    elif k > 2:
        raise ValueError(
            f"--loss {loss} is for two classes; {args.data} has {k}: use --loss cross_entropy"
        )
    else:
        output_activation, convert = _TRAIN_LOSS_SETUP[loss]
        sizes, labels = [*args.hidden, 1], [convert(c) for c in classes]
    X_train, X_test, y_train, y_test = datasets.train_test_split(
        X, labels, args.test_fraction, seed=args.seed
    )
    model = MLP(
        len(X[0]), sizes, args.activation, output_activation, init=args.init, seed=args.seed
    )
    steps = args.epochs * math.ceil(len(X_train) / args.batch_size)
    schedule = linear_decay(steps) if args.schedule == "linear" else None
    optimizer: Optimizer
    if args.optimizer == "adam":
        optimizer = Adam(model.parameters(), lr=args.lr, schedule=schedule)
    else:
        optimizer = SGD(model.parameters(), lr=args.lr, momentum=args.momentum, schedule=schedule)
    out = args.out or os.path.join("runs", args.data)
    os.makedirs(out, exist_ok=True)
    print(
        f"data: {args.data}, {len(X_train)} training and {len(X_test)} test examples, {k} classes"
    )
    print(
        f"model: {model.nin} inputs -> {sizes}, {args.activation} hidden, {output_activation} output, "
        f"{len(model.parameters())} parameters; loss {loss}, {args.optimizer} lr {args.lr}"
    )
    history = fit(
        model,
        X_train,
        y_train,
        loss=loss,
        optimizer=optimizer,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
        l2=args.l2,
        validation=(X_test, y_test),
        progress=False if args.no_progress else None,
    )
    train_accuracy = evaluate(model, X_train, y_train).accuracy
    test_accuracy = evaluate(model, X_test, y_test).accuracy
    print(
        f"final loss {history.loss[-1]:.4f}; train accuracy {100 * train_accuracy:.1f}%, "
        f"test accuracy {100 * test_accuracy:.1f}%"
    )
    serialize.save(model, os.path.join(out, "model.json"))
    history.to_csv(os.path.join(out, "history.csv"))
    title = (
        f"{args.data}: MLP{[model.nin, *sizes]}, {loss}, test accuracy {100 * test_accuracy:.1f}%"
    )
    pictures = [os.path.join(out, "loss.png")]
    plots.plot_history(history, pictures[0], title=title)
    if len(X[0]) == 2:
        pictures.append(os.path.join(out, "decision_boundary.png"))
        plots.plot_decision_boundary(model, X, classes, pictures[1], title=title)
    print(f"wrote {os.path.join(out, 'model.json')} and {os.path.join(out, 'history.csv')}")
    print("pictures: " + "\n          ".join(pictures))
    return 0


_DRAW_DESCRIPTION = """\
Build the computation graph of an arithmetic expression, run backward() from
it and draw the graph: every value with its data and gradient, every operation
as a node, every edge labelled with its local derivative. The expression may use
numbers, the --var names, + - * / **, unary minus and the functions
exp log sqrt tanh sigmoid relu leaky_relu swish silu softplus sin cos abs.

  chainrule draw "x*y + tanh(x)" --var x=2.0 --var y=-3 -o graph.svg
  chainrule draw "sigmoid(w*x + b)" --var w=0.5 --var x=2 --var b=-1 --steps steps/

The format is taken from the extension of -o: .svg, .png, .pdf or .dot.
An expression starting with a minus sign goes last, after --:
  chainrule draw --var x=3 -o graph.svg -- "-x*x"
--steps DIR writes one SVG per step of backward and steps.html, a page with a
slider to walk through them (it needs no network).
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
    draw = commands.add_parser(
        "draw",
        help="draw the computation graph of an expression, with its gradients",
        description=_DRAW_DESCRIPTION,
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
    draw.set_defaults(run=run_draw)


def run_draw(args: argparse.Namespace) -> int:
    """Run ``chainrule draw``: parse, backward, write; 2 with a message on bad input."""
    import graphviz

    from autograd.expression import ExpressionError, evaluate_expression
    from autograd.render import draw_dot, write_graph
    from autograd.steps import save_steps

    try:
        if args.output is None and args.steps is None:
            raise ValueError("nothing to write: give -o FILE and/or --steps DIR")
        names = [name for name, _ in args.var]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"--var given more than once for: {', '.join(repeated)}")
        variables = {name: Value(number, label=name) for name, number in args.var}
        root = evaluate_expression(args.expression, variables)
        if not root.label:
            root.label = "out"
        root.backward()
        edge_labels = not args.no_edge_labels
        if args.output is not None:
            graph = draw_dot(root, rankdir=args.rankdir, edge_labels=edge_labels)
            written = write_graph(graph, args.output)
            print(f"wrote {written}")
        if args.steps is not None:
            saved = save_steps(
                root,
                args.steps,
                title=f"Backward through {args.expression}",
                rankdir=args.rankdir,
                edge_labels=edge_labels,
            )
            print(f"wrote {len(saved.svgs)} steps and {saved.html}")
    except graphviz.ExecutableNotFound:
        print(
            "chainrule draw: error: Graphviz's dot program is not installed "
            "(Debian/Ubuntu: apt-get install graphviz)",
            file=sys.stderr,
        )
        return 2
    except (ExpressionError, ValueError, TypeError, OSError) as error:
        print(f"chainrule draw: error: {error}", file=sys.stderr)
        return 2
    print(f"{root.label} = {root.data:g}")
    for name, value in variables.items():
        print(f"  d{root.label}/d{name} = {value.grad:g}")
    return 0


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
        "--inputs", type=_positive(int), default=3, help="input size n_0 (default 3)"
    )
    check.add_argument(
        "--hidden",
        type=_hidden_sizes,
        default=[4, 3],
        help="hidden layer sizes, comma-separated (default 4,3)",
    )
    check.add_argument(
        "--outputs", type=_positive(int), default=1, help="output size n_L (default 1; bce needs 1)"
    )
    check.add_argument(
        "--activation",
        default="sigmoid",
        choices=sorted(ACTIVATIONS),
        help="activation of the hidden layers (default sigmoid)",
    )
    check.add_argument(
        "--output-activation",
        choices=sorted(ACTIVATIONS),
        help="activation of the output layer (default: sigmoid for bce, else --activation)",
    )
    check.add_argument(
        "--cost",
        default="quadratic",
        choices=("quadratic", "mse", "bce"),
        help="quadratic: 1/(2m) sum ||y - a||^2; mse: 1/(m n_L) sum (y - a)^2; "
        "bce: binary cross-entropy on a sigmoid output (default quadratic)",
    )
    check.add_argument("--batch", type=_positive(int), default=5, help="batch size m (default 5)")
    check.add_argument(
        "--seed", type=int, default=0, help="seed of the weights and the batch (default 0)"
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
    from nn.layers import MLP

    output_activation = args.output_activation or (
        "sigmoid" if args.cost == "bce" else args.activation
    )
    if args.cost == "bce" and (output_activation != "sigmoid" or args.outputs != 1):
        print(
            "chainrule check: error: --cost bce needs one sigmoid output "
            "(--outputs 1 --output-activation sigmoid)",
            file=sys.stderr,
        )
        return 2
    model = MLP(
        args.inputs,
        [*args.hidden, args.outputs],
        activation=args.activation,
        output_activation=output_activation,
        seed=args.seed,
    )
    X, Y = random_batch(model, args.batch, args.cost, seed=args.seed)
    print(
        f"MLP({args.inputs}, {[*args.hidden, args.outputs]}), activation {args.activation}, "
        f"output {output_activation}; X is (n_0, m) = ({args.inputs}, {args.batch}), one example per column"
    )
    report = compare(model, X, Y, args.cost)
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
    demo = commands.add_parser("demo", help="print a worked example of the chain rule")
    demo.set_defaults(run=run_demo)
    add_train_command(commands)
    add_draw_command(commands)
    add_check_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``chainrule`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
