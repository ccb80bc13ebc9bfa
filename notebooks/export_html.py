r"""Execute the notebooks and write them as self-contained HTML, the mathematics as MathML.

``make notebooks`` runs this. nbconvert's HTML typesets the LaTeX of the
markdown cells with MathJax fetched from a CDN, which shows ``$\delta^l$`` as
source on a machine without the network; here each ``$...$`` and ``$$...$$``
of a markdown cell becomes MathML first (``latex2mathml``), which browsers
render natively, so the pages read the same offline.

latex2mathml mishandles a few constructs, which are repaired here:

* ``aligned`` / ``align`` blocks (it writes the ``&`` as a letter, on one
  line): each row and cell is converted alone and set in an ``mtable``
  aligned right then left at each ``&``;
* primes: ``f'`` becomes a tiny superscript; it is set as a prime after the
  base (``<mo>′</mo>``);
* under- and overbraces: the brace is made to stretch under its argument.

A formula it cannot convert, or converts with a stray ``&`` or backslash,
makes the export FAIL naming the notebook, the cell and the formula. Widget
outputs (a progress bar) need a live kernel: they are left out of the page.
Pictures and formulas are kept within the width of the page (CSS).

    python notebooks/export_html.py --out build/notebooks notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
ALIGNED = re.compile(r"\\begin\{(aligned|align\*?|gathered)\}(.*?)\\end\{\1\}", re.S)
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
PRIME = "\u2032"
BRACES = ("\u23df", "\u23de")  # under- and overbrace
WIDGET = "application/vnd.jupyter.widget-view+json"
FIT_THE_PAGE = """<style>
.jp-OutputArea-output img, .jp-OutputArea-output svg, .jp-RenderedHTMLCommon img { max-width: 100%; height: auto; }
math[display="block"] { display: block; max-width: 100%; overflow-x: auto; }
</style>
"""
"""Pictures scale down to the page's width; a long formula scrolls inside the page."""
MAX_NOTEBOOK_BYTES = 50 * 2**20
"""The largest notebook read (50 MiB), by the project's one reader ``autograd.files.read_limited``."""


class FormulaError(ValueError):
    """A formula of a notebook that could not be converted to MathML."""


def _inner(mathml: str) -> str:
    """The content of a ``<math>`` element, without the element."""
    return mathml[mathml.index(">") + 1 : mathml.rindex("</math>")]


def _aligned(body: str, display: str) -> str:
    """An ``aligned`` block as an ``mtable``: rows at ``\\\\``, cells at ``&``, right then left aligned."""
    from latex2mathml.converter import convert

    rows = [row for row in re.split(r"\\\\(?:\[[^\]]*\])?", body) if row.strip()]
    cells = [row.split("&") for row in rows]
    width = max(len(row) for row in cells)
    align = " ".join("right" if k % 2 == 0 else "left" for k in range(width))
    table = [f'<mtable columnalign="{align}" columnspacing="0em" rowspacing="0.5ex" displaystyle="true">']
    for row in cells:
        table.append("<mtr>")
        for k, cell in enumerate(row):
            text = ("{}" + cell) if k % 2 == 1 else cell  # "{}=" keeps the relation's spacing
            table.append(f"<mtd>{_inner(convert(text.strip() or '{}'))}</mtd>")
        table.append("</mtr>")
    table.append("</mtable>")
    return f'<math xmlns="{MATHML_NS}" display="{display}">{"".join(table)}</math>'


def _repair(mathml: str) -> str:
    """Primes set after their base, braces stretched (see the module docstring)."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", MATHML_NS)
    root = ET.fromstring(mathml)
    q = f"{{{MATHML_NS}}}"
    for element in root.iter():
        kids = list(element)
        if element.tag in (q + "msup", q + "msubsup") and kids and kids[-1].text == PRIME:
            prime = kids[-1]
            element.remove(prime)
            base = ET.Element(q + ("msub" if element.tag == q + "msubsup" else "mrow"))
            for kid in list(element):
                element.remove(kid)
                base.append(kid)
            element.tag = q + "mrow"
            element.append(base if base.tag == q + "msub" else base[0] if len(base) == 1 else base)
            element.append(ET.Element(q + "mo", {"lspace": "0em", "rspace": "0em"}))
            element[-1].text = PRIME
        if element.tag == q + "mo" and element.text in BRACES:
            element.set("stretchy", "true")
    return ET.tostring(root, encoding="unicode")


def convert_formula(latex: str, display: str) -> str:
    """One formula as MathML, repaired; FormulaError when it cannot be converted faithfully."""
    from latex2mathml.converter import convert

    latex = latex.strip()
    whole = ALIGNED.fullmatch(latex)
    try:
        if whole:
            mathml = _aligned(whole.group(2), display)
        elif ALIGNED.search(latex):
            raise FormulaError("an aligned block inside a larger formula")
        else:
            mathml = convert(latex, display=display)
        mathml = _repair(mathml)
    except FormulaError:
        raise
    except Exception as error:  # latex2mathml raises many kinds
        raise FormulaError(f"{type(error).__name__}: {error}") from None
    if re.search(r"<m[io][^>]*>(&amp;|\\\\|\\[a-zA-Z])", mathml) or "<merror" in mathml:
        raise FormulaError("a stray & or LaTeX command is left in the MathML")
    return mathml


def to_mathml(markdown: str, failures: list[str]) -> str:
    """``markdown`` with its formulas (outside code) replaced by MathML; ``failures`` gets the rest."""

    def replace(match: re.Match, display: str) -> str:
        try:
            return convert_formula(match.group(1), display)
        except FormulaError as error:
            failures.append(f"{match.group(0)} ({error})")
            return match.group(0)

    pieces = CODE.split(markdown)
    for i in range(0, len(pieces), 2):  # even pieces are outside code
        text = DISPLAY.sub(lambda m: "\n\n" + replace(m, "block") + "\n\n", pieces[i])
        pieces[i] = INLINE.sub(lambda m: replace(m, "inline"), text)
    return "".join(pieces)


def drop_widgets(notebook: Any) -> None:
    """Leave out outputs that only a live kernel can show (ipywidgets: a progress bar)."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET not in o.get("data", {})]


def convert_markdown(notebook: Any, name: str) -> None:
    """Every markdown cell's formulas as MathML; FormulaError naming the notebook, cell and formula."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            failures: list[str] = []
            cell.source = to_mathml(cell.source, failures)
            if failures:
                raise FormulaError(f"{name} cell {index}: cannot convert " + "; ".join(failures))


def export(path: Path, out: Path, timeout: int) -> None:
    """Execute ``path`` in its folder and write ``out/<name>.html``.

    Raises:
        FormulaError: A formula that cannot be converted (nothing is written).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    from autograd.files import read_limited, write_atomic

    notebook = nbformat.reads(read_limited(path, MAX_NOTEBOOK_BYTES, "notebook").decode("utf-8"), as_version=4)
    convert_markdown(notebook, path.name)  # fail before running anything
    notebook = nbformat.reads(read_limited(path, MAX_NOTEBOOK_BYTES, "notebook").decode("utf-8"), as_version=4)
    NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}).execute()
    drop_widgets(notebook)
    convert_markdown(notebook, path.name)
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    write_atomic(out / f"{path.stem}.html", html.replace("</head>", FIT_THE_PAGE + "</head>", 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/notebooks"))
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks:
        try:
            export(path, args.out, args.timeout)
        except FormulaError as error:
            print(f"export_html: {error}", file=sys.stderr)
            return 1
        print(f"wrote {args.out / (path.stem + '.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
