r"""Execute the notebooks and write them as self-contained HTML, the mathematics as MathML.

``make notebooks`` runs this. nbconvert's HTML typesets the LaTeX of the
markdown cells with MathJax fetched from a CDN, which shows ``$\delta^l$`` as
source on a machine without the network; here each ``$...$`` and ``$$...$$``
of a markdown cell becomes MathML first (``latex2mathml``), which browsers
render natively, so the pages read the same offline. A formula it cannot
convert stays as written and is listed on standard error.

    python notebooks/export_html.py --out build/notebooks notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
MAX_NOTEBOOK_BYTES = 50 * 2**20
"""The largest notebook read (50 MiB), by the project's one reader ``autograd.files.read_limited``."""


def to_mathml(markdown: str, failures: list[str]) -> str:
    """``markdown`` with its formulas (outside code) replaced by MathML."""
    from latex2mathml.converter import convert

    def replace(match: re.Match, display: str) -> str:
        try:
            return convert(match.group(1).strip(), display=display)
        except Exception:  # latex2mathml raises many kinds; keep the source
            failures.append(match.group(0))
            return match.group(0)

    pieces = CODE.split(markdown)
    for i in range(0, len(pieces), 2):  # even pieces are outside code
        text = DISPLAY.sub(lambda m: "\n\n" + replace(m, "block") + "\n\n", pieces[i])
        pieces[i] = INLINE.sub(lambda m: replace(m, "inline"), text)
    return "".join(pieces)


def export(path: Path, out: Path, timeout: int) -> list[str]:
    """Execute ``path`` in its folder and write ``out/<name>.html``; return the formulas left as LaTeX."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    from autograd.files import read_limited, write_atomic

    notebook = nbformat.reads(read_limited(path, MAX_NOTEBOOK_BYTES, "notebook").decode("utf-8"), as_version=4)
    NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}).execute()
    failures: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = to_mathml(cell.source, failures)
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    write_atomic(out / f"{path.stem}.html", html)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/notebooks"))
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.notebooks:
        failures = export(path, args.out, args.timeout)
        print(f"wrote {args.out / (path.stem + '.html')}")
        for formula in failures:
            print(f"  {path.name}: left as LaTeX: {formula[:80]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
