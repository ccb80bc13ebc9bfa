r"""``chainrule worksheet``: make a worksheet (a problem and its worked solution), or check a student's answers.

Register it in the command's parser with :func:`add_parser`;
argparse then calls :func:`run_worksheet`. Exit status: 0 done (or every
checked number right), 1 a wrong number (or the engine disagreeing with the
equations, which writes nothing), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chainrule.arguments import argument_type
from chainrule.commands import COMMANDS
from nn.checks import positive_int, positive_number
from nn.costs import COSTS, array_costs

MAX_DECIMALS = 6
"""As :data:`chainrule.worksheet.problem.MAX_DECIMALS` (checked there)."""


def _sizes(text: str) -> list[int]:
    try:
        sizes = [positive_int(int(part), "a layer size") for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected layer sizes n_0,n_1,...,n_L like 2,2,2, got {text!r}"
        ) from None
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError(
            f"expected at least two sizes (inputs and outputs), got {text!r}"
        )
    return sizes


def _typed(convert: Any, check: Any, expected: str, **options: Any) -> Any:
    """An argparse type: ``convert(text)`` accepted by ``check`` (see :func:`chainrule.arguments.argument_type`)."""
    return argument_type(check, convert, expected, **options)


def add_parser(commands: Any) -> None:
    """Add the ``worksheet`` subcommand to the argparse subparsers ``commands``."""
    sheet = commands.add_parser(
        "worksheet",
        help=COMMANDS["worksheet"],
        description=(
            "Write a worksheet: a small network with given weights, inputs and targets, and its solution "
            "step by step (forward pass, cost, BP1-BP4, one step of gradient descent), every number "
            "computed by the four equations and checked against the engine's graph; --ask formulas asks for "
            "the formulas instead. Or, with --check, check a student's filled file (the template of "
            "--template, filled in): the first wrong number, its equation and the kind of slip, never the "
            "right number unless --show-expected. Exit 1 names the first wrong number."
        ),
    )
    problem = sheet.add_argument_group("the problem (drawn at random, or --given)")
    problem.add_argument("--sizes", type=_sizes, help="layer sizes n_0,n_1,...,n_L (default 2,2,2)")
    problem.add_argument(
        "--activation",
        help="one activation for every layer, or one per layer 1..L: tanh,sigmoid (default sigmoid)",
    )
    problem.add_argument(
        "--cost",
        choices=array_costs(),
        help=", ".join(f"{name} {COSTS[name].on_arrays().batch}" for name in array_costs())
        + " (default quadratic)",
    )
    problem.add_argument(
        "--classes",
        type=_typed(int, positive_int, "a positive int"),
        metavar="K",
        help="classes K of cross_entropy: a softmax output layer of K outputs, one-hot labels "
        "(every class appears when --examples >= K); sets n_L (default: the last of --sizes)",
    )
    problem.add_argument(
        "--lr",
        type=_typed(float, positive_number, "a positive number"),
        help="learning rate (default 0.5)",
    )
    problem.add_argument(
        "--examples",
        type=_typed(int, positive_int, "a positive int"),
        help="examples m (default 1)",
    )
    problem.add_argument(
        "--seed",
        type=_typed(int, positive_number, "an int >= 0", allow_zero=True),
        help="seed (default 0)",
    )
    problem.add_argument(
        "--decimals",
        type=_typed(int, positive_int, "a positive int"),
        help=f"decimals of the given numbers, at most {MAX_DECIMALS}; computed ones get two more (default 2)",
    )
    problem.add_argument(
        "--fixed-biases", action="store_true", default=None, help="do not update the biases"
    )
    problem.add_argument(
        "--given", metavar="GIVEN.json", help="a textbook's problem: W, b, X, Y (and settings)"
    )
    out = sheet.add_argument_group("what to write")
    out.add_argument("-o", "--output", metavar="SHEET", help="the sheet, .html or .md")
    out.add_argument(
        "--no-solutions", action="store_true", help="the student's version: results left blank"
    )
    out.add_argument(
        "--ask",
        choices=("numbers", "formulas"),
        default="numbers",
        help="numbers: every z, a, δ, gradient and update (default); formulas: δ^L, one δ^l and "
        "one ∂C/∂w^l_jk as formulas, the solution their chains of factors and BP1-BP4 derived",
    )
    out.add_argument(
        "--answers",
        metavar="ANSWERS.json",
        help="every setting and number (the teacher's; it alone reproduces the sheet)",
    )
    out.add_argument(
        "--template",
        metavar="BLANK.json",
        help="the student's file to fill: the settings and given numbers, every computed number null",
    )
    check = sheet.add_argument_group("checking a student's answers")
    check.add_argument(
        "--check",
        metavar="FILLED.json",
        help="the student's filled template (any subset of the numbers); checked against the "
        "solution recomputed from its settings, or --against the answers file",
    )
    check.add_argument(
        "--against", metavar="ANSWERS.json", help="the sheet's answers file (the teacher's check)"
    )
    check.add_argument(
        "--convention",
        choices=("auto", "averaged", "per_example"),
        default="auto",
        help="δ averaged (1/m inside δ) or per example (1/m in ∂C/∂W and ∂C/∂b); auto finds which (default)",
    )
    check.add_argument(
        "--show-expected",
        action="store_true",
        help="the teacher's voice: show the expected number of the first wrong one",
    )
    sheet.set_defaults(run=run_worksheet)


def _usage_error(args: argparse.Namespace) -> str:
    """What is wrong with the combination of options, or ``""``."""
    if args.check or args.against:
        if not args.check:
            return "--against ANSWERS.json goes with --check FILLED.json"
        if args.output or args.answers or args.template:
            return "--check checks a filled file; make the sheet and its files in another run"
        return ""
    if args.show_expected or args.convention != "auto":
        return "--show-expected and --convention go with --check FILLED.json"
    if not (args.output or args.answers or args.template):
        return (
            "nothing to write: give -o SHEET.html|.md, --answers ANSWERS.json and/or "
            "--template BLANK.json (or --check)"
        )
    if args.given and (args.sizes or args.examples or args.seed is not None or args.classes):
        return "--given gives the sizes and the examples: leave out --sizes, --examples, --seed and --classes"
    return _classes_error(args)


def _classes_error(args: argparse.Namespace) -> str:
    """What is wrong with --classes (a per-class cost, at least 2, the last of --sizes), or ``""``."""
    if args.classes is None:
        return ""
    if not COSTS[args.cost or "quadratic"].per_class:
        return f"--classes is for a cost with one output per class (--cost cross_entropy), not {args.cost or 'quadratic'}"
    if args.classes < 2:
        return f"--classes must be at least 2, got {args.classes}"
    if args.sizes and args.sizes[-1] != args.classes:
        return f"--classes {args.classes} is n_L, but --sizes ends in {args.sizes[-1]}: one output per class"
    return ""


def _problem(args: argparse.Namespace) -> Any:
    from chainrule.worksheet.given import load_given
    from chainrule.worksheet.problem import random_problem

    settings = {
        "activation": args.activation,
        "cost": args.cost,
        "lr": args.lr,
        "fixed_biases": args.fixed_biases,
    }
    if args.given:
        return load_given(args.given, decimals=args.decimals, **settings)
    sizes = args.sizes or [2, 2, 2]
    return random_problem(
        [*sizes[:-1], args.classes or sizes[-1]],
        (args.activation or "sigmoid").split(","),
        args.cost or "quadratic",
        0.5 if args.lr is None else args.lr,
        args.examples or 1,
        args.seed or 0,
        args.decimals or 2,
        bool(args.fixed_biases),
    )


def run_worksheet(args: argparse.Namespace) -> int:
    """Make the worksheet or check answers; print what was done. Returns the exit status."""
    try:
        from chainrule.worksheet.sheet import check_files, make_worksheet
        from chainrule.worksheet.solution import EngineDisagreement
    except ImportError as error:
        print(
            f"chainrule worksheet: error: {error}; worksheets need NumPy: pip install 'chainrule[train]'",
            file=sys.stderr,
        )
        return 2
    problem_text = _usage_error(args)
    if problem_text:
        print(f"chainrule worksheet: error: {problem_text}", file=sys.stderr)
        return 2
    try:
        if args.check:
            report = check_files(
                args.check,
                args.against,
                convention=args.convention,
                show_expected=args.show_expected,
            )
            print(report)
            return 0 if report.ok else 1
        seed = None if args.given else (args.seed or 0)
        sheet = make_worksheet(_problem(args), seed=seed, ask=args.ask)
        if args.output:
            print(f"wrote {sheet.write(args.output, solutions=not args.no_solutions)}")
        if args.answers:
            print(f"wrote {sheet.write_answers(args.answers)}")
        if args.template:
            print(f"wrote {sheet.write_template(args.template)}")
    except EngineDisagreement as error:
        print(f"chainrule worksheet: {error}", file=sys.stderr)
        return 1
    except (ValueError, TypeError, OSError) as error:
        print(f"chainrule worksheet: error: {error}", file=sys.stderr)
        return 2
    return 0
