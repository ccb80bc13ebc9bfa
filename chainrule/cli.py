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

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

# NOTE: this module imports nothing else at import time: the console script and
# ``python -m chainrule`` import it before main() runs, outside its handling of
# Ctrl-C; everything else is imported inside main().


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chainrule")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option), or None."""
    from chainrule.commands import COMMANDS

    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``chainrule``, with the options of ``command`` only.

    The other subcommands are listed with their help line but their modules
    are not imported; ``command=None`` lists them all that way (``--help``).
    """
    import argparse
    import importlib

    from chainrule.commands import COMMANDS

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
    --check``), 2 a usage error (argparse's code too) or a number too large
    for a float wherever it comes from, 130 interrupted by Ctrl-C (one line, no
    traceback; the imports of the subcommand are inside this function, so an
    interruption while they load is caught too), 141 when the reader of
    standard output went away (``chainrule check | head``), as a shell's SIGPIPE.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    command: str | None = None
    try:
        command = _chosen(argv)
        parser = build_parser(command)
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"chainrule {command or ''}: interrupted".replace(" :", ":"), file=sys.stderr)
        return 130
    except OverflowError as error:  # a number too large for a float that no check caught
        print(f"chainrule {command or ''}: error: a number is too large: {error}".replace(" :", ":"), file=sys.stderr)
        return 2
    except BrokenPipeError:
        import os

        # NOTE: point stdout at /dev/null so that Python's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
