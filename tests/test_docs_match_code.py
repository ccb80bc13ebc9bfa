"""Lists written out in docstrings and the README name everything the code's tables hold.

A list of functions or commands typed into prose goes stale when a row is
added to the table it describes; each test here reads the table and looks
for every name in the prose.
"""

from __future__ import annotations

import re

import autograd.expression
import chainrule.cli
from autograd.expression import FUNCTIONS, SLOPED
from chainrule.commands import COMMANDS
from tests.import_graph import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CALLABLE = [*FUNCTIONS, *SLOPED]


def test_the_expression_parsers_docstring_lists_every_function_it_accepts():
    listed = re.search(r"today ``([^`]+)``", autograd.expression.__doc__ or "")
    assert listed is not None
    assert sorted(listed.group(1).split()) == sorted(CALLABLE)


def test_the_readme_lists_every_function_chainrule_draw_accepts():
    listed = re.search(r"functions of the table, `([^`]+)`", README)
    assert listed is not None
    assert sorted(listed.group(1).split()) == sorted(CALLABLE)


def test_the_command_lines_docstring_describes_every_subcommand_once():
    described = re.findall(r"^    (\w+) {2,}", chainrule.cli.__doc__ or "", re.M)
    assert described == list(COMMANDS)
