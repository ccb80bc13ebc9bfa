"""``chainrule draw``: the computation graph of an expression, after backward (Graphviz).

:func:`run_draw` calls :func:`autograd.expression_drawing.draw_expression`, which
Python code can call too. Needs no NumPy.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chainrule.arguments import argument_type, bounded_number, positive_int_argument
from chainrule.commands import COMMANDS

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


def add_parser(commands: Any) -> None:
    """Add the ``draw`` subcommand to the subparsers ``commands``."""
    from autograd.draw_options import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT, MAX_TIMEOUT
    from autograd.expression import FUNCTIONS, SLOPED
    from autograd.steps import DEFAULT_MAX_BYTES, DEFAULT_MAX_FRAMES

    draw = commands.add_parser(
        "draw",
        help=COMMANDS["draw"],
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
    seconds = argument_type(
        bounded_number, float, f"seconds in (0, {MAX_TIMEOUT:,.0f}]", high=MAX_TIMEOUT
    )
    limits = [
        ("--max-nodes", positive_int_argument, DEFAULT_MAX_NODES, "N", "refuse drawings of more nodes"),
        ("--timeout", seconds, DEFAULT_TIMEOUT, "SECONDS", "stop Graphviz after this long"),
        ("--max-frames", positive_int_argument, DEFAULT_MAX_FRAMES, "N", "refuse step-throughs of more frames"),
        ("--max-bytes", positive_int_argument, DEFAULT_MAX_BYTES, "N", "refuse step-throughs writing more bytes"),
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

