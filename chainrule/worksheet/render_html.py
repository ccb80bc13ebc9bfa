r"""The worksheet as one self-contained HTML page: the problem, its drawing, and the solution in MathML.

Nothing is fetched: the stylesheet is inline, the drawing is inline SVG (from
Graphviz), the equations are MathML, which browsers render natively, and the
page has no script. A print stylesheet lays it out on A4 paper: equations are
broken into rows of at most four terms (:func:`chainrule.worksheet.markup.chunked`),
and no step is split across two pages.
"""

from __future__ import annotations

import re
from html import escape

import numpy as np

from chainrule.worksheet.drawing import network_svg, weight_table
from chainrule.worksheet.markup import (
    SIGNIFICANT,
    Equation,
    Sym,
    equation_mathml,
    node_mathml,
    number_text,
)
from chainrule.worksheet.notation import Section
from chainrule.worksheet.problem import Problem
from chainrule.worksheet.sheet_text import given_rows, heading, instructions, task_text

STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Serif", Georgia, serif; margin: 0; color: #111; background: #fff; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
p { line-height: 1.45; margin: .4rem 0; }
figure.network { margin: 1rem 0; text-align: center; }
figure.network svg { max-width: 100%; height: auto; }
figure.network { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; justify-content: center; }
.weights { columns: 6 7rem; column-gap: 1rem; font-size: .85rem; width: 100%; text-align: left; }
.weights div { break-inside: avoid; white-space: nowrap; }
.given { display: flex; flex-wrap: wrap; gap: .6rem 2rem; align-items: center; }
.formulas { color: #444; }
.step { margin: .35rem 0 .35rem 1rem; break-inside: avoid; page-break-inside: avoid; }
math { font-family: "DejaVu Math TeX Gyre", "STIX Two Math", "Latin Modern Math", "Cambria Math", math; }
math, mtable, mtd { math-style: normal; }
math.equation { display: inline math; }
mtd.lhs { text-align: right; padding-right: .2em; }
mtd.rhs { text-align: left; }
mtable.matrix mtd { padding: .05em .35em; text-align: right; }
mspace.blank { border-bottom: 1px solid #333; }
footer { margin-top: 2.5rem; font-size: .85rem; color: #555; border-top: 1px solid #ccc; padding-top: .5rem; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure.network { break-inside: avoid; page-break-inside: avoid; }
  figure.network svg { max-height: 120mm; }
}
"""
"""The page's only stylesheet (inline)."""


def matrix_mathml(name: Sym, array: np.ndarray, decimals: int) -> str:
    """``name = [entries]`` as MathML: a bracketed table, one row per row of ``array``."""
    rows = "".join(
        "<mtr>"
        + "".join(f"<mtd><mn>{number_text(float(x), decimals)}</mn></mtd>" for x in row)
        + "</mtr>"
        for row in np.atleast_2d(array)
    )
    return (
        f'<math display="inline">{node_mathml(name)}<mo>=</mo>'
        f'<mrow><mo>[</mo><mtable class="matrix">{rows}</mtable><mo>]</mo></mrow></math>'
    )


SYMBOL = re.compile(
    r"(?<!\w)([A-Za-zδΣ])(?:\^([A-Za-z0-9]+))?(?:_([A-Za-z0-9]+(?:,[A-Za-z0-9]+)?))?"
)
"""A symbol written in the sheet's words: ``w^l_jk``, ``δ^l``, ``y_i``, ``a^L_j,i``."""


def prose_html(text: str) -> str:
    """``text`` escaped, `code` in backticks as <code>, each symbol with an index (``w^l_jk``) as inline MathML."""
    parts = text.split("`")
    return "".join(
        f"<code>{escape(part)}</code>" if n % 2 else _symbols_html(part)
        for n, part in enumerate(parts)
    )


def _symbols_html(text: str) -> str:
    out, position = [], 0
    for match in SYMBOL.finditer(text):
        base, sup, sub = match.groups()
        if sup is None and sub is None:
            continue
        out.append(escape(text[position : match.start()]))
        out.append(f"<math>{node_mathml(Sym(base, sup or '', sub or ''))}</math>")
        position = match.end()
    return "".join(out) + escape(text[position:])


def _weights_html(problem: Problem) -> str:
    """The table beside the drawing of the weights it does not label, keyed by w^l_jk ("" when it labels all)."""
    rows = weight_table(problem)
    if not rows:
        return ""
    cells = "".join(
        f"<div><math>{node_mathml(Sym('w', key[2:key.index('_')], key[key.index('_') + 1:]))}"
        f"<mo>=</mo><mn>{value}</mn></math></div>"
        for key, value in rows
    )
    return f'<div class="weights" role="table" aria-label="weights">{cells}</div>'


def _math(equation: Equation) -> str:
    return equation_mathml(equation)


def _section_html(section: Section, decimals: int, solved: bool) -> str:
    parts = [f"<h3>{prose_html(section.title)}</h3>", f"<p>{prose_html(section.text)}</p>"]
    parts += [f'<div class="step formulas">{_math(f)}</div>' for f in section.formulas]
    parts += [
        f'<div class="step">{_math(step.equation(decimals, solved))}</div>'
        for step in section.steps
    ]
    return "\n".join(parts)


def sheet_html(
    problem: Problem, sections: list[Section], *, solutions: bool = True, ask: str = "numbers"
) -> str:
    """The whole page (see the module docstring).

    Args:
        problem: The problem.
        sections: Its worked steps (:func:`chainrule.worksheet.steps.worked_steps`).
        solutions: False for the student's version: every result left blank.
    """
    D = problem.shown_decimals
    given = "".join(
        f"<div>{matrix_mathml(name, array, decimals)}</div>"
        for name, array, decimals in given_rows(problem)
    )
    title = heading(problem) + ("" if solutions else " (exercise)")
    body = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{prose_html(task_text(problem))}</p>",
        "<h2>The problem</h2>",
        f'<figure class="network">{network_svg(problem)}{_weights_html(problem)}</figure>',
        f'<div class="given">{given}</div>',
        f"<p>{prose_html(instructions(problem, ask))}</p>",
        f"<h2>{'Solution' if solutions else 'Your solution'}</h2>",
        *(_section_html(section, D, solutions) for section in sections),
        "<footer>Every number of this sheet was computed by the four equations of backpropagation "
        "(nn.analytic) and checked against the scalar engine's graph (autograd: backward()) before "
        f"the sheet was written. Computed numbers are rounded to {D} decimals "
        f"({SIGNIFICANT} significant digits when smaller).</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
