"""make notebooks: the markdown's LaTeX becomes MathML, code spans stay as written."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("latex2mathml")
SPEC = importlib.util.spec_from_file_location(
    "export_html", Path(__file__).resolve().parent.parent / "notebooks" / "export_html.py"
)
export_html = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(export_html)


def test_inline_and_display_formulas_become_mathml_and_code_stays():
    failures: list[str] = []
    text = "The error $\\delta^l_j$ is\n\n$$\\frac{\\partial C}{\\partial z^l_j}$$\n\nand `cost = $5` stays."
    out = export_html.to_mathml(text, failures)
    assert out.count("<math") == 2 and 'display="block"' in out and 'display="inline"' in out
    assert "<mfrac>" in out and "`cost = $5` stays." in out and "$" not in out.replace("`cost = $5`", "")
    assert failures == []


def test_a_formula_that_cannot_be_converted_is_kept_and_reported():
    failures: list[str] = []
    out = export_html.to_mathml(r"broken $\frac{1}{$ here", failures)
    assert r"$\frac{1}{$" in out and len(failures) == 1 and failures[0].startswith(r"$\frac{1}{$ (")


def test_an_aligned_block_becomes_a_table_of_rows_aligned_at_the_ampersands():
    mathml = export_html.convert_formula(r"\begin{aligned} Z^l &= W^l A^{l-1} + b^l \\ A^l &= f(Z^l) \end{aligned}", "block")
    assert mathml.count("<mtr>") == 2 and mathml.count("<mtd>") == 4
    assert 'columnalign="right left"' in mathml and "&amp;" not in mathml and "\\" not in mathml


def test_a_prime_follows_its_base_instead_of_a_superscript():
    mathml = export_html.convert_formula(r"\sigma'(z) = f_L'(z)", "inline")
    assert "<msup>" not in mathml and "<msubsup>" not in mathml
    assert mathml.count("\u2032</mo>") == 2 and "<msub><mi>f</mi><mi>L</mi></msub>" in mathml


def test_an_underbrace_stretches_under_its_argument():
    mathml = export_html.convert_formula(r"\underbrace{a + b}_{\text{two}}", "block")
    assert 'stretchy="true">\u23df</mo>' in mathml


def test_an_unconvertible_formula_fails_the_export_naming_the_notebook_cell_and_formula():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("fine $x$"),
                                         nbformat.v4.new_markdown_cell(r"bad $\frac{1}{$")])
    with pytest.raises(export_html.FormulaError, match=r"05_x.ipynb cell 1: cannot convert \$\\frac\{1\}\{\$"):
        export_html.convert_markdown(nb, "05_x.ipynb")


def test_widget_outputs_are_left_out_of_the_page():
    import nbformat

    cell = nbformat.v4.new_code_cell("fit(progress=True)")
    cell.outputs = [nbformat.v4.new_output("display_data", {export_html.WIDGET: {"model_id": "1"}, "text/plain": "0%"}),
                    nbformat.v4.new_output("stream", name="stdout", text="done\n")]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["widgets"] = {"state": {}}
    export_html.drop_widgets(nb)
    assert [o.output_type for o in nb.cells[0].outputs] == ["stream"] and "widgets" not in nb.metadata


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_every_formula_of_every_notebook_converts(path):
    import nbformat

    export_html.convert_markdown(nbformat.read(path, as_version=4), path.name)
