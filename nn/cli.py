"""The ``chainrule`` command line.

Subcommands:
    demo    the lecture's worked example, forward and backward, printed.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Sequence

from autograd import Value


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
    print("forward:  e = a*b = {:g}, d = e + c = {:g}, L = d*f = {:g}".format(e.data, d.data, L.data))
    print("backward (chain rule, node by node):")
    for node in (L, d, f, e, c, a, b):
        print(f"  dL/d{node.label} = {node.grad:g}")
    print("check: dL/da = f * b = {:g}, dL/db = f * a = {:g}".format(f.data * b.data, f.data * a.data))
    return 0


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
