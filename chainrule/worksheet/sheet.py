r"""A worksheet as a whole: a problem, its solution checked by the engine, and the files written from it.

Typical use, in a notebook::

    from chainrule.worksheet import random_problem, make_worksheet
    sheet = make_worksheet(random_problem([2, 2, 2], ["tanh", "sigmoid"], seed=0))
    sheet.write("sheet.html")                       # problem and worked solution
    sheet.write("exercise.html", solutions=False)   # the student's version
    sheet.write_answers("answers.json")             # every setting and number: the teacher's
    sheet.write_template("blank.json")              # the settings, given numbers and nulls: the student's
    print(check_files("filled.json"))               # the student's check: recomputed from its settings
    print(check_files("filled.json", "answers.json", show_expected=True))  # the teacher's

The student needs no answers file to check: the template carries the sheet's
settings and given numbers (which the sheet prints anyway), and the checker
recomputes the solution from them. The answers file stays with the teacher.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd.files import write_atomic
from chainrule.worksheet.answers import (
    answers_dict,
    answers_json,
    has_problem,
    json_text,
    load_answers,
    problem_of,
    template_dict,
)
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
    seed: int | None = None
    ask: str = "numbers"

    def html(self, solutions: bool = True) -> str:
        """The self-contained HTML page (:func:`chainrule.worksheet.render_html.sheet_html`)."""
        from chainrule.worksheet.render_html import sheet_html  # Graphviz only when a page is drawn

        return sheet_html(self.problem, self._sections(solutions), solutions=solutions, ask=self.ask)

    def markdown(self, solutions: bool = True) -> str:
        """The sheet as Markdown with LaTeX (:func:`chainrule.worksheet.render_md.sheet_markdown`)."""
        from chainrule.worksheet.render_md import sheet_markdown

        return sheet_markdown(
            self.problem, self._sections(solutions), solutions=solutions, ask=self.ask
        )

    def _sections(self, solutions: bool) -> list[Section]:
        """The sections to write: a formula sheet's student version has its formulas blank."""
        if self.ask == "formulas" and not solutions:
            from chainrule.worksheet.formulas import formula_sections

            return formula_sections(self.problem, solved=False)
        return self.sections

    def answers(self) -> dict[str, Any]:
        """Every number in the answers schema (:func:`chainrule.worksheet.answers.answers_dict`)."""
        return answers_dict(self.problem, self.solution, self.seed)

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
        return write_atomic(path, answers_json(self.problem, self.solution, self.seed))

    def write_template(self, path: str | os.PathLike[str]) -> Path:
        """Write the student's blank answers file to ``path``: settings and given numbers, every computed number null."""
        return write_atomic(path, json_text(template_dict(self.problem, self.seed)))


ASKS = ("numbers", "formulas")
"""What a sheet asks for: every number, or δ^L, one δ^l and one ∂C/∂w^l_jk as formulas."""


def make_worksheet(problem: Problem, seed: int | None = None, ask: str = "numbers") -> Worksheet:
    """The worksheet of ``problem``; raises :class:`chainrule.worksheet.solution.EngineDisagreement` if the engine disagrees.

    Args:
        problem: The network and its given numbers.
        seed: The seed they were drawn with, recorded in the answers file (None: given numbers).
        ask: ``"numbers"`` (the worked solution) or ``"formulas"`` (:mod:`chainrule.worksheet.formulas`).
    """
    if ask not in ASKS:
        raise ValueError(f"a worksheet asks for one of: {', '.join(ASKS)}; got {ask!r}")
    solution = worked_solution(problem)
    if ask == "formulas":
        from chainrule.worksheet.formulas import formula_sections

        return Worksheet(problem, solution, formula_sections(problem), seed, ask)
    return Worksheet(problem, solution, worked_steps(problem, solution), seed, ask)


def check_files(
    filled: str | os.PathLike[str],
    against: str | os.PathLike[str] | None = None,
    decimals: int | None = None,
    *,
    convention: str = "auto",
    show_expected: bool = False,
) -> CheckReport:
    """Check the student's file ``filled`` (see :mod:`chainrule.worksheet.checker`).

    Against the answers file ``against`` (the teacher's), or, without it, against the
    solution recomputed from the settings and given numbers the filled file carries
    (a template's), checked by the engine as the sheet's were.

    Raises:
        ValueError: A file that cannot be read, is not the schema, does not say which sheet
            it is for, or does not fit the answers.
    """
    data = read_json(filled, "filled file")
    if against is not None:
        problem, solution = load_answers(against)
    try:
        if against is None:
            if not isinstance(data, dict) or not has_problem(data):
                raise ValueError(
                    "it does not carry its sheet's settings and given numbers: fill in the sheet's "
                    "template (--template), or check it --against the sheet's answers file"
                )
            problem = problem_of(data, "the filled file")
            solution = worked_solution(problem)
        return check_answers(
            data, problem, solution, decimals, convention=convention, show_expected=show_expected
        )
    except ValueError as error:
        raise ValueError(f"filled file {filled}: {error}") from None
