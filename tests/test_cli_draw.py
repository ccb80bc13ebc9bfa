"""``chainrule draw``: files written in a temporary directory, errors as messages with exit status 2."""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from chainrule.cli import main
from tests.dot_reader import svg_texts


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_draw_svg_runs_backward_and_labels_edges(in_tmp, capsys):
    status = main(["draw", "x*y + tanh(x)", "--var", "x=2.0", "--var", "y=-3", "-o", "graph.svg"])
    assert status == 0
    texts = svg_texts((in_tmp / "graph.svg").read_bytes())
    # d/dx (xy + tanh x) = y + 1 - tanh(x)^2, d/dy = x
    dx = -3 + 1 - math.tanh(2.0) ** 2
    assert "x" in texts and "y" in texts
    assert f"grad {dx:.4f}" in texts and "grad 2.0000" in texts
    assert f"{1 - math.tanh(2.0) ** 2:.4f}" in texts  # the edge label of tanh
    out = capsys.readouterr().out
    assert "wrote graph.svg" in out and f"dout/dx = {dx:g}" in out
    assert sorted(p.name for p in in_tmp.iterdir()) == ["graph.svg"]


def test_draw_png_pdf_and_dot_by_extension(in_tmp):
    for name in ("g.png", "g.pdf", "g.dot", "G.PNG"):
        assert main(["draw", "exp(a) / a", "--var", "a=1.5", "-o", name]) == 0
    png = (in_tmp / "g.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24])[0] > 100
    assert (in_tmp / "g.pdf").read_bytes().startswith(b"%PDF")
    source = (in_tmp / "g.dot").read_text()
    assert source.startswith("digraph") and "label=\"/\"" in source
    assert (in_tmp / "G.PNG").read_bytes()[:4] == b"\x89PNG"


def test_draw_steps_writes_frames_and_page(in_tmp, capsys):
    assert main(["draw", "sigmoid(w*x + b)", "--var", "w=0.5", "--var", "x=2", "--var", "b=-1",
                 "--steps", "steps"]) == 0
    files = sorted(p.name for p in (in_tmp / "steps").iterdir())
    # values: w, x, w*x, b, w*x + b, sigmoid: six steps
    assert files == [f"step_00{k}.svg" for k in range(1, 7)] + ["steps.html"]
    for name in files[:-1]:
        ET.parse(in_tmp / "steps" / name)
    page = (in_tmp / "steps" / "steps.html").read_text()
    assert "http://" not in page and "https://" not in page and "//" not in page
    assert "Backward through sigmoid(w*x + b)" in page
    assert "wrote 6 steps" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["draw", "x.y", "--var", "x=1", "-o", "g.svg"], "attribute access is not allowed: 'x.y'"),
    (["draw", "x + z", "--var", "x=1", "-o", "g.svg"], "unknown name 'z'"),
    (["draw", "x", "--var", "x=1", "-o", "g.gif"], "cannot tell the format from 'g.gif'"),
    (["draw", "x", "--var", "x=1", "-o", "g"], "the file name must end in .svg, .png, .pdf, .dot"),
    (["draw", "x", "--var", "x=1", "-o", "missing/g.svg"], "directory 'missing' does not exist"),
    (["draw", "log(x)", "--var", "x=-1", "-o", "g.svg"], "evaluating 'log(x)' failed"),
    (["draw", "x", "--var", "x=1", "--var", "x=2", "-o", "g.svg"], "variable given more than once: 'x' (as 'x', 'x')"),
    (["draw", "x", "--var", "x=1"], "nothing to write: give an output picture (-o FILE) and/or a steps folder (--steps DIR)"),
])
def test_bad_input_is_a_message_and_exit_status_2(in_tmp, capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.err.startswith("chainrule draw: error: ")
    assert "Traceback" not in captured.err
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize("var, message", [
    ("x", "expected NAME=NUMBER, got 'x'"),
    ("x=abc", "x: expected a number, got 'abc'"),
    ("exp=1", "variable name 'exp' is the name of a function"),
    ("2x=1", "not a Python identifier"),
])
def test_bad_var_is_an_argparse_error(in_tmp, capsys, var, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["draw", "x", "--var", var, "-o", "g.svg"])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_console_script_exits_2_without_traceback(tmp_path):
    script = Path(sys.executable).with_name("chainrule")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "chainrule.cli"]
    bad = subprocess.run([*command, "draw", "__import__('os')", "-o", "g.svg"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert "unknown function '__import__'" in bad.stderr and "Traceback" not in bad.stderr
    good = subprocess.run([*command, "draw", "--var", "x=3", "-o", "g.svg", "--", "-x*x"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert "dout/dx = -6" in good.stdout  # d/dx (-x^2) = -2x
    assert [p.name for p in tmp_path.iterdir()] == ["g.svg"]
