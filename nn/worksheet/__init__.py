r"""Worked examples of backpropagation on demand: a problem, its solution step by step, and a checker.

A teacher's loop::

    chainrule worksheet --sizes 2,2,2 --activation tanh,sigmoid --seed 0 -o sheet.html --answers answers.json
    chainrule worksheet --sizes 2,2,2 --activation tanh,sigmoid --seed 0 -o exercise.html --no-solutions
    chainrule worksheet --check filled.json --against answers.json

Modules, in the order the numbers flow:

* :mod:`nn.worksheet.problem` / :mod:`nn.worksheet.given`: the network and
  its given numbers (drawn at random, or a textbook's from a given file);
* :mod:`nn.worksheet.solution`: every number from the equations of
  :mod:`nn.analytic`, checked against the engine's graph;
* :mod:`nn.worksheet.steps` (with :mod:`~nn.worksheet.forward_steps`,
  :mod:`~nn.worksheet.backward_steps`, :mod:`~nn.worksheet.derivatives`,
  :mod:`~nn.worksheet.notation`, :mod:`~nn.worksheet.markup`): the solution
  step by step in the curriculum's notation;
* :mod:`nn.worksheet.render_html`, :mod:`nn.worksheet.render_md`,
  :mod:`nn.worksheet.drawing`: the sheet;
* :mod:`nn.worksheet.answers`, :mod:`nn.worksheet.checker`: the answers file
  and the check of a student's;
* :mod:`nn.worksheet.sheet`: all of it together; :mod:`nn.worksheet.cli`: the command.
"""

from nn.worksheet.answers import answers_dict, answers_problem, load_answers
from nn.worksheet.checker import CheckReport, Mistake, check_answers
from nn.worksheet.given import load_given, problem_from_given
from nn.worksheet.problem import MAX_EXAMPLES, MAX_LAYERS, MAX_NEURONS, Problem, random_problem
from nn.worksheet.sheet import Worksheet, check_files, make_worksheet
from nn.worksheet.solution import EngineDisagreement, Solution, engine_check, solve, worked_solution

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
