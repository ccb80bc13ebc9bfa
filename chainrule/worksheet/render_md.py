r"""The worksheet as Markdown with LaTeX (``$$ ... $$``), for notebooks and repositories.

The drawing is not embedded (Markdown renderers differ in what they accept):
write the HTML sheet for it. Equations are ``aligned`` blocks, one per step.
"""

from __future__ import annotations

import numpy as np

from chainrule.worksheet.markup import SIGNIFICANT, Sym, equation_latex, node_latex, number_text
from chainrule.worksheet.notation import Section
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.sheet_text import given_rows, heading, instructions, task_text


def matrix_latex(name: Sym, array: np.ndarray, decimals: int) -> str:
    """``name = \\begin{bmatrix} ... \\end{bmatrix}``."""
    rows = r" \\ ".join(
        " & ".join(number_text(float(x), decimals).replace("−", "-") for x in row)
        for row in np.atleast_2d(array)
    )
    return node_latex(name) + r" = \begin{bmatrix} " + rows + r" \end{bmatrix}"


def _section_md(section: Section, decimals: int, solved: bool) -> str:
    parts = [f"### {section.title}", "", section.text, ""]
    for equation in section.formulas:
        parts += ["$$", equation_latex(equation), "$$", ""]
    for step in section.steps:
        parts += ["$$", equation_latex(step.equation(decimals, solved)), "$$", ""]
    return "\n".join(parts)


def sheet_markdown(
    problem: Problem, sections: list[Section], *, solutions: bool = True, ask: str = "numbers"
) -> str:
    """The whole sheet as Markdown (``solutions=False``: every result left blank)."""
    D = problem.shown_decimals
    given = r" \qquad ".join(matrix_latex(name, array, d) for name, array, d in given_rows(problem))
    parts = [
        f"# {heading(problem)}{'' if solutions else ' (exercise)'}",
        "",
        task_text(problem),
        "",
        "## The problem",
        "",
        "$$",
        given,
        "$$",
        "",
        instructions(problem, ask),
        "",
        f"## {'Solution' if solutions else 'Your solution'}",
        "",
        *(_section_md(section, D, solutions) for section in sections),
        "---",
        "",
        "Every number of this sheet was computed by the four equations of backpropagation (nn.analytic) "
        "and checked against the scalar engine's graph (autograd: backward()) before the sheet was "
        f"written. Computed numbers are rounded to {D} decimals ({SIGNIFICANT} significant digits when smaller).",
        "",
    ]
    return "\n".join(parts)
