"""The subcommands of ``chainrule``, one module each, imported only when that subcommand runs.

Each module of this package defines ``add_parser(commands)``, which adds its
subparser (named as in :data:`COMMANDS`, with its options) to argparse's
subparsers ``commands`` and sets ``run``, the function that does the work and
returns the exit status. :mod:`chainrule.cli` imports the module of the one
subcommand given on the command line, so ``chainrule --help``, ``demo`` and
``draw`` never import NumPy.
"""

COMMANDS: dict[str, str] = {
    "demo": "print the lecture's worked example of the chain rule",
    "train": "train an MLP on a small data set and write the model, its history and pictures",
    "draw": "draw the computation graph of an expression, with its gradients",
    "check": "compare the engine's gradients with the backpropagation equations BP1-BP4",
    "worksheet": "a backpropagation problem by hand, with its solution and an answer checker",
}
"""Subcommand -> its one-line help; the module is ``chainrule.commands.<name>``."""
