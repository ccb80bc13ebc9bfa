r"""A worksheet as a whole: a problem, its solution checked by the engine, and the files written from it.

Typical use, in a notebook::

    from chainrule.worksheet import random_problem, make_worksheet
    sheet = make_worksheet(random_problem([2, 2, 2], ["tanh", "sigmoid"], seed=0))
    sheet.write("sheet.html")                       # problem and worked solution
    sheet.write("exercise.html", solutions=False)   # the student's version
    sheet.write_answers("answers.json")             # every number, for the checker
    print(check_files("filled.json", "answers.json"))
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd.files import write_atomic
from chainrule.worksheet.answers import answers_dict, answers_json, load_answers
from chainrule.worksheet.checker import CheckReport, check_answers
from chainrule.worksheet.given import read_json
from chainrule.worksheet.notation import Section
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.solution import Solution, worked_solution
from chainrule.worksheet.steps import worked_steps

SHEET_SUFFIXES = (".html", ".md")
"""What :meth:`Worksheet.write` writes: an HTML page or Markdown with LaTeX."""


@dataclass
class Worksheet:
    """A problem with its solution (every number agreed by the equations and the engine) and its steps."""

    problem: Problem
    solution: Solution
    sections: list[Section]

    def html(self, solutions: bool = True) -> str:
        """The self-contained HTML page (:func:`chainrule.worksheet.render_html.sheet_html`)."""
        from chainrule.worksheet.render_html import sheet_html  # Graphviz only when a page is drawn

        return sheet_html(self.problem, self.sections, solutions=solutions)

    def markdown(self, solutions: bool = True) -> str:
        """The sheet as Markdown with LaTeX (:func:`chainrule.worksheet.render_md.sheet_markdown`)."""
        from chainrule.worksheet.render_md import sheet_markdown

        return sheet_markdown(self.problem, self.sections, solutions=solutions)

    def answers(self) -> dict[str, Any]:
        """Every number in the answers schema (:func:`chainrule.worksheet.answers.answers_dict`)."""
        return answers_dict(self.problem, self.solution)

    def write(self, path: str | os.PathLike[str], solutions: bool = True) -> Path:
        """Write the sheet to ``path``: ``.html`` or ``.md`` (atomically).

        Raises:
            ValueError: Another suffix.
        """
        suffix = Path(path).suffix.lower()
        if suffix not in SHEET_SUFFIXES:
            raise ValueError(f"a worksheet is written as .html or .md, got {str(path)!r}")
        text = self.html(solutions) if suffix == ".html" else self.markdown(solutions)
        return write_atomic(path, text)

    def write_answers(self, path: str | os.PathLike[str]) -> Path:
        """Write every number to the JSON file ``path`` (atomically)."""
        return write_atomic(path, answers_json(self.problem, self.solution))


def make_worksheet(problem: Problem) -> Worksheet:
    """The worksheet of ``problem``; raises :class:`chainrule.worksheet.solution.EngineDisagreement` if the engine disagrees."""
    solution = worked_solution(problem)
    return Worksheet(problem, solution, worked_steps(problem, solution))


def check_files(
    filled: str | os.PathLike[str], against: str | os.PathLike[str], decimals: int | None = None
) -> CheckReport:
    """Check the student's file ``filled`` against the answers file ``against`` (see :mod:`chainrule.worksheet.checker`).

    Raises:
        ValueError: A file that cannot be read, is not the schema, or does not fit the answers.
    """
    problem, solution = load_answers(against)
    data = read_json(filled, "filled file")
    try:
        return check_answers(data, problem, solution, decimals)
    except ValueError as error:
        raise ValueError(f"filled file {filled}: {error}") from None
