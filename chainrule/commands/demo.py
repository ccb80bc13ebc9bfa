"""``chainrule demo``: the lecture's worked example, forward and backward, printed."""

from __future__ import annotations

import argparse
from typing import Any

from chainrule.commands import COMMANDS


def add_parser(commands: Any) -> None:
    """Add the ``demo`` subcommand to the subparsers ``commands``."""
    demo = commands.add_parser("demo", help=COMMANDS["demo"], description=COMMANDS["demo"])
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Print the lecture's worked example (:func:`chainrule.lecture.chain_rule_example`)."""
    from chainrule.lecture import chain_rule_example

    print(chain_rule_example())
    return 0
