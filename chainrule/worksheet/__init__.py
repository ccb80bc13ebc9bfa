r"""Worked examples of backpropagation on demand: a problem, its solution step by step, and a checker.

A teacher's loop::

    chainrule worksheet --sizes 2,2,2 --activation tanh,sigmoid --seed 0 -o sheet.html --answers answers.json
    chainrule worksheet --sizes 2,2,2 --activation tanh,sigmoid --seed 0 -o exercise.html --no-solutions --template blank.json
    chainrule worksheet --check filled.json                                  # the student: no answers needed
    chainrule worksheet --check filled.json --against answers.json --show-expected   # the teacher

Modules, in the order the numbers flow:

* :mod:`chainrule.worksheet.problem` / :mod:`chainrule.worksheet.given`: the network and
  its given numbers (drawn at random, or a textbook's from a given file);
* :mod:`chainrule.worksheet.solution`: every number from the equations of
  :mod:`nn.analytic`, checked against the engine's graph;
* :mod:`chainrule.worksheet.steps` (with :mod:`~chainrule.worksheet.forward_steps`,
  :mod:`~chainrule.worksheet.backward_steps`, :mod:`~chainrule.worksheet.derivatives`,
  :mod:`~chainrule.worksheet.notation`, :mod:`~chainrule.worksheet.markup`): the solution
  step by step in the curriculum's notation;
* :mod:`chainrule.worksheet.render_html`, :mod:`chainrule.worksheet.render_md`,
  :mod:`chainrule.worksheet.drawing`: the sheet;
* :mod:`chainrule.worksheet.answers`, :mod:`chainrule.worksheet.checker` (with
  :mod:`~chainrule.worksheet.laws` and :mod:`~chainrule.worksheet.slips`): the answers file,
  the student's template, and the check of a student's file;
* :mod:`chainrule.worksheet.formulas`: the formula sheet (``--ask formulas``);
* :mod:`chainrule.worksheet.sheet`: all of it together; :mod:`chainrule.commands.worksheet`: the command.
"""

from chainrule.worksheet.answers import answers_dict, answers_problem, load_answers
from chainrule.worksheet.checker import CheckReport, Mistake, check_answers
from chainrule.worksheet.given import load_given, problem_from_given
from chainrule.worksheet.problem import (
    MAX_EXAMPLES,
    MAX_LAYERS,
    MAX_NEURONS,
    Problem,
    random_problem,
)
from chainrule.worksheet.sheet import Worksheet, check_files, make_worksheet
from chainrule.worksheet.solution import (
    EngineDisagreement,
    Solution,
    engine_check,
    solve,
    worked_solution,
)

__all__ = [
    "MAX_EXAMPLES",
    "MAX_LAYERS",
    "MAX_NEURONS",
    "CheckReport",
    "EngineDisagreement",
    "Mistake",
    "Problem",
    "Solution",
    "Worksheet",
    "answers_dict",
    "answers_problem",
    "check_answers",
    "check_files",
    "engine_check",
    "load_answers",
    "load_given",
    "make_worksheet",
    "problem_from_given",
    "random_problem",
    "solve",
    "worked_solution",
]
