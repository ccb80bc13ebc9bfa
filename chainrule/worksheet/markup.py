r"""A small language for the sheet's equations, written out as MathML (the HTML sheet) and LaTeX (Markdown).

An equation is a left-hand side and rows, each row a relation (``=``, ``←``,
or none for a continued line) and a sequence of nodes:

* :class:`Sym`, a symbol of the curriculum: base, superscript (the layer l)
  and subscript (the neuron indices jk, and the example i when m > 1):
  ``Sym("w", "1", "12")`` is w^1_12, ``Sym("z", "2", "1,3")`` is z^2_{1,3};
* :class:`Num`, a number shown with a fixed number of decimals (negative
  numbers in a product are put in parentheses by :func:`factor`);
* :class:`Op`, an operator or a bracket (``+``, ``−``, ``·``, ``(``);
* :class:`Call`, a function applied to arguments: σ(0.3775), f′(z^1_1);
* :class:`Frac`, a fraction (∂C/∂w, (a − y)/m);
* :class:`Text`, words inside an equation ("since z > 0");
* :class:`Blank`, the space a student fills in.

Nothing here knows the network: :mod:`chainrule.worksheet.steps` builds the nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Sym:
    """A symbol ``base^sup_sub`` (sub: digits, with a comma before the example index)."""

    base: str
    sup: str = ""
    sub: str = ""


@dataclass(frozen=True)
class Num:
    """A number shown with ``decimals`` decimals, or more to show ``significant`` significant digits."""

    value: float
    decimals: int
    significant: int = 0


@dataclass(frozen=True)
class Op:
    """An operator or a bracket, shown as it is."""

    text: str


@dataclass(frozen=True)
class Call:
    """``name(args)``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Frac:
    """``num / den`` as a fraction."""

    num: tuple[Node, ...]
    den: tuple[Node, ...]


@dataclass(frozen=True)
class Text:
    """Words inside an equation."""

    text: str


@dataclass(frozen=True)
class Blank:
    """The space left for a student's answer."""


Node = Sym | Num | Op | Call | Frac | Text | Blank
Row = tuple[Node, ...]


@dataclass(frozen=True)
class Equation:
    """``lhs`` followed by rows ``(relation, nodes)``; a continued row has the relation ``""``."""

    lhs: Row
    rows: tuple[tuple[str, Row], ...]


SIGNIFICANT = 3
"""Significant digits of a small computed number (|x| < 0.01 at 4 decimals shows 0.000439, not 0.0004)."""
MORE_DECIMALS = 4
"""At most this many decimals are added to show the significant digits."""


def shown_decimals(value: float, decimals: int, significant: int = 0) -> int:
    """The decimals ``value`` is shown with: ``decimals``, or more (up to :data:`MORE_DECIMALS` more) for its significant digits."""
    if not significant or value == 0 or not math.isfinite(value):
        return decimals
    needed = significant - 1 - math.floor(math.log10(abs(value)))
    return max(decimals, min(needed, decimals + MORE_DECIMALS))


def number_text(value: float, decimals: int, significant: int = 0) -> str:
    """``value`` rounded for the sheet (see :func:`shown_decimals`), a true minus sign; a 0 shows no sign."""
    text = f"{value:.{shown_decimals(value, decimals, significant)}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def factor(value: float, decimals: int, significant: int = 0) -> Row:
    """A number as a factor of a product: in parentheses when it is negative."""
    num = Num(value, decimals, significant)
    return (
        (Op("("), num, Op(")"))
        if number_text(value, decimals, significant).startswith("−")
        else (num,)
    )


def joined(terms: Sequence[Row], sep: str = "+") -> Row:
    """``terms`` joined by the operator ``sep``."""
    out: list[Node] = []
    for n, term in enumerate(terms):
        if n:
            out.append(Op(sep))
        out.extend(term)
    return tuple(out)


ROW_CHARACTERS = 48
"""Characters of plain text a row of a sum may hold (one row of the numbers fits an A4 page's width)."""


def chunked(
    relation: str, terms: Sequence[Row], per_row: int = 4, sep: str = "+"
) -> list[tuple[str, Row]]:
    """Rows of at most ``per_row`` terms and about :data:`ROW_CHARACTERS` characters each.

    A long sum is broken over lines so that it fits a printed page; each row
    after the first starts with ``sep``.
    """
    groups: list[list[Row]] = [[]]
    width = 0
    for term in terms:
        size = len(row_text(term)) + 3
        if groups[-1] and (len(groups[-1]) == per_row or width + size > ROW_CHARACTERS):
            groups.append([])
            width = 0
        groups[-1].append(term)
        width += size
    rows: list[tuple[str, Row]] = []
    for n, group in enumerate(groups):
        part = joined(group, sep)
        rows.append((relation, part) if n == 0 else ("", (Op(sep), *part)))
    return rows


# -- MathML ---------------------------------------------------------------------------------


def _index_mathml(text: str) -> str:
    parts = [
        f"<mn>{escape(p)}</mn>" if p.isdigit() else f"<mi>{escape(p)}</mi>" for p in text.split(",")
    ]
    return "<mrow>" + '<mo separator="true">,</mo>'.join(parts) + "</mrow>"


def node_mathml(node: Node) -> str:
    """One node as MathML."""
    if isinstance(node, Sym):
        base = f"<mi>{escape(node.base)}</mi>"
        if node.sup and node.sub:
            return f"<msubsup>{base}{_index_mathml(node.sub)}{_index_mathml(node.sup)}</msubsup>"
        if node.sub:
            return f"<msub>{base}{_index_mathml(node.sub)}</msub>"
        return f"<msup>{base}{_index_mathml(node.sup)}</msup>" if node.sup else base
    if isinstance(node, Num):
        return f"<mn>{number_text(node.value, node.decimals, node.significant)}</mn>"
    if isinstance(node, Op):
        return f"<mo>{escape(node.text)}</mo>"
    if isinstance(node, Call):
        return f"<mi>{escape(node.name)}</mi><mo>(</mo>{row_mathml(node.args)}<mo>)</mo>"
    if isinstance(node, Frac):
        return (
            f"<mfrac><mrow>{row_mathml(node.num)}</mrow><mrow>{row_mathml(node.den)}</mrow></mfrac>"
        )
    if isinstance(node, Text):
        return f"<mtext>\u00a0{escape(node.text)}\u00a0</mtext>"
    return '<mspace class="blank" width="5em" height="0.2em" depth="0.3em"></mspace>'


def row_mathml(row: Row) -> str:
    """A sequence of nodes as MathML (no enclosing element)."""
    return "".join(node_mathml(node) for node in row)


def equation_mathml(equation: Equation) -> str:
    """A ``<math display="block">`` element: a table, the left-hand side in the first row only."""
    lines = []
    for n, (relation, row) in enumerate(equation.rows):
        lhs = row_mathml(equation.lhs) if n == 0 else ""
        rel = f"<mo>{escape(relation)}</mo>" if relation else '<mspace width="1em"></mspace>'
        lines.append(
            f'<mtr><mtd class="lhs">{lhs}</mtd><mtd class="rhs">{rel}{row_mathml(row)}</mtd></mtr>'
        )
    return f'<math class="equation"><mtable>{"".join(lines)}</mtable></math>'


# -- LaTeX ----------------------------------------------------------------------------------

LATEX = {
    "δ": r"\delta ",
    "σ": r"\sigma",
    "η": r"\eta ",
    "∂": r"\partial ",
    "·": r"\cdot ",
    "−": "-",
    "←": r"\leftarrow ",
    "Σ": r"\sum ",
    "′": "'",
    "²": "^{2}",
    "⊙": r"\odot ",
    "ln": r"\ln",
    "tanh": r"\tanh",
    "max": r"\max",
}
"""Unicode of the sheet -> LaTeX."""


def _latex_text(text: str) -> str:
    if text in LATEX:
        return LATEX[text]
    return "".join(LATEX.get(c, c) for c in text)


def node_latex(node: Node) -> str:
    """One node as LaTeX."""
    if isinstance(node, Sym):
        out = _latex_text(node.base).strip()
        if node.sup:
            out += "^{" + _latex_text(node.sup) + "}"
        return out + ("_{" + node.sub + "}" if node.sub else "")
    if isinstance(node, Num):
        return number_text(node.value, node.decimals, node.significant).replace("−", "-")
    if isinstance(node, Op):
        return {"(": r"\left(", ")": r"\right)"}.get(node.text, _latex_text(node.text))
    if isinstance(node, Call):
        base, prime = (node.name[:-1], "'") if node.name.endswith("′") else (node.name, "")
        name = _latex_text(base)
        if len(name) > 1 and name.isalpha() and not name.startswith("\\"):
            name = r"\operatorname{" + name + "}"
        return name + prime + r"\left(" + row_latex(node.args) + r"\right)"
    if isinstance(node, Frac):
        return r"\frac{" + row_latex(node.num) + "}{" + row_latex(node.den) + "}"
    if isinstance(node, Text):
        return r"\text{ " + node.text + " }"
    return r"\underline{\qquad\qquad}"


def row_latex(row: Row) -> str:
    """A sequence of nodes as LaTeX."""
    return " ".join(node_latex(node) for node in row)


def equation_latex(equation: Equation) -> str:
    """An ``aligned`` block: ``lhs &= row \\ &= row ...``."""
    lines = []
    for n, (relation, row) in enumerate(equation.rows):
        lhs = row_latex(equation.lhs) if n == 0 else ""
        rel = _latex_text(relation) if relation else r"\quad"
        lines.append(f"{lhs} &{rel} {row_latex(row)}")
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"


# -- plain text, for messages ---------------------------------------------------------------


def node_text(node: Node) -> str:
    """One node as plain text: ``z^1_1``, ``w^2_12``, ``δ^2_{1,3}``, ``σ(z^1_1)``."""
    if isinstance(node, Sym):
        sub = node.sub if "," not in node.sub else "{" + node.sub + "}"
        return node.base + (f"^{node.sup}" if node.sup else "") + (f"_{sub}" if sub else "")
    if isinstance(node, Num):
        return number_text(node.value, node.decimals, node.significant)
    if isinstance(node, Op):
        return node.text
    if isinstance(node, Call):
        return f"{node.name}({row_text(node.args)})"
    if isinstance(node, Frac):
        num, den = row_text(node.num), row_text(node.den)
        return f"{_grouped(num)}/{_grouped(den)}"
    if isinstance(node, Text):
        return node.text
    return "____"


def _grouped(text: str) -> str:
    return f"({text})" if " " in text else text


def row_text(row: Row) -> str:
    """A sequence of nodes as plain text, operators spaced, a product of symbols written with a space."""
    out = ""
    for n, node in enumerate(row):
        piece = node_text(node)
        if isinstance(node, Op) and piece in ("+", "−", "·", "=", "←", ">", "≤"):
            piece = f" {piece} "
        elif (
            n
            and isinstance(row[n - 1], (Sym, Num, Text))
            and isinstance(node, (Sym, Num, Text, Call))
        ) or (n and isinstance(row[n - 1], Text) and piece == "("):
            piece = " " + piece
        out += piece
    return out.replace("  ", " ").strip()


def equation_text(equation: Equation) -> str:
    """An equation on one line of plain text."""
    parts = [row_text(equation.lhs)]
    for relation, row in equation.rows:
        parts.append(f" {relation} {row_text(row)}" if relation else f" {row_text(row)}")
    return "".join(parts)
