"""The ``chainrule`` command line: ``chainrule COMMAND [options]`` or ``python -m chainrule``.

Subcommands (:data:`chainrule.commands.COMMANDS`), one module each in
:mod:`chainrule.commands`, imported only when that subcommand runs:

    demo       the lecture's worked example, forward and backward, printed
               (chainrule.lecture.chain_rule_example).
    train      train an MLP on a small data set; write the model, its history and
               pictures (chainrule.recipe.train_classifier).
    draw       draw the computation graph of an expression, after backward
               (autograd.expression_drawing.draw_expression).
    check      the engine's gradients beside the four equations of backpropagation
               (nn.analytic.compare).
    worksheet  a backpropagation problem by hand with its worked solution, or a
               check of a student's answers (chainrule.worksheet).

Each subcommand parses its options and calls the library function named above,
which Python code can call too. Exit status: 0 done, 1 a mismatch found by
``check`` or a wrong number found by ``worksheet --check``, 2 a usage error
(argparse's code too), 130 interrupted (Ctrl-C), 141 the reader of standard
output went away.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from chainrule.commands import COMMANDS


def _version() -> str:
    try:
        return version("chainrule")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option), or None."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``chainrule``, with the options of ``command`` only.

    The other subcommands are listed with their help line but their modules
    are not imported; ``command=None`` lists them all that way (``--help``).
    """
    parser = argparse.ArgumentParser(
        prog="chainrule",
        description="chainrule: a scalar reverse-mode autodiff engine for learning backpropagation.",
    )
    parser.add_argument("--version", action="version", version=f"chainrule {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_line in COMMANDS.items():
        if name == command:
            importlib.import_module(f"chainrule.commands.{name}").add_parser(commands)
        else:
            commands.add_parser(name, help=help_line)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``chainrule`` console script and of ``python -m chainrule``.

    Returns the exit status: 0 done, 1 a mismatch (``check``, ``worksheet
    --check``), 2 a usage error (argparse's code too), 130 interrupted by Ctrl-C
    (one line, no traceback), 141 when the reader of standard output went away
    (``chainrule check | head``), as a shell's SIGPIPE.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _chosen(argv)
    try:
        parser = build_parser(command)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"chainrule {command or ''}: interrupted".replace(" :", ":"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # NOTE: point stdout at /dev/null so that Python's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
