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
    assert r"$\frac{1}{$" in out and failures == [r"$\frac{1}{$"]
