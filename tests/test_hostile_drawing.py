"""Drawings a careless or hostile user can ask for: each finishes bounded and correct, or is refused clearly.

Reproductions from issue 9 (runaway ``chainrule draw``, huge numbers, look-alike
variable names, an empty ``--steps``, stale frames, files written whole). No
assertion is on time: the limits, counts and messages are checked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from autograd import Value, topological_order
from autograd.expression import evaluate_expression
from autograd.expression_drawing import draw_expression, normalized_variables
from autograd.render import DrawingTimeout, draw_dot, render_bytes
from autograd.steps import DEFAULT_MAX_FRAMES, FRAME_NAME, save_steps
from chainrule.cli import main
from tests.dot_reader import parse_dot, svg_texts

FAN_OUT = "+".join(["x"] * 100)
CHAIN = "x" + "*1.0001" * 300


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fan_out(terms: int = 100) -> tuple[Value, Value]:
    x = Value(2.0, label="x")
    out = evaluate_expression("+".join(["x"] * terms), {"x": x})
    out.label = "out"
    out.backward()
    return x, out


def levels(root: Value) -> dict[Value, int]:
    """0 for a leaf, else 1 + the highest level of the operands (computed here, independently)."""
    level: dict[Value, int] = {}
    for node in topological_order(root):
        level[node] = 1 + max((level[p] for p in node.parents), default=-1)
    return level


# ---------------------------------------------------------------------------
# Fan-out: one value used by 100 operations
# ---------------------------------------------------------------------------


def test_fan_out_of_100_is_drawn_with_short_edges_and_the_gradient_still_reads_off_it():
    x, out = fan_out(100)
    order = topological_order(out)
    node_id = {v: f"n{i}" for i, v in enumerate(order)}
    by_id = {i: v for v, i in node_id.items()}
    dot = parse_dot(draw_dot(out, edge_labels=True, number_format=".17g").source)
    level = levels(out)
    x_edges = [(t, h, a) for t, h, a in dot.edges if t == node_id[x] or t.startswith(node_id[x] + "_ref")]
    assert len(x_edges) == 100  # x + x counts twice, then once per further +
    direct = [by_id[h[:-3]] for t, h, _ in x_edges if t == node_id[x]]
    nearest = min(level[v] for v in direct)
    assert all(level[v] - nearest <= 4 for v in direct)  # max_edge_span: 4 levels
    references = {t for t, _, _ in x_edges if t != node_id[x]}
    assert len(references) == 100 - len(direct)
    for ref in references:  # a dashed copy showing x's own record
        assert dot.label(ref) == dot.label(node_id[x])
        assert "dashed" in dot.nodes[ref]["style"]
    # dout/dx = Σ over x's edges of (local derivative) · dout/d(consumer) = 100 · 1 · 1
    assert sum(float(a["label"]) for _, _, a in x_edges) == 100.0 == x.grad
    assert len(dot.nodes) == 100 + 99 + len(references)  # linear in the size of the graph


def test_fan_out_of_100_from_the_command_line_writes_a_correct_svg(in_tmp, capsys):
    assert main(["draw", FAN_OUT, "--var", "x=2", "-o", "o.svg"]) == 0
    texts = svg_texts((in_tmp / "o.svg").read_bytes())
    assert "grad 100.0000" in texts and "data 200.0000" in texts
    assert "dout/dx = 100" in capsys.readouterr().out


def test_dot_running_past_the_timeout_is_stopped_with_a_message_naming_the_option():
    _, out = fan_out(100)
    slow = draw_dot(out, edge_labels=True, max_edge_span=None)  # > 100 s in dot, without references
    with pytest.raises(DrawingTimeout) as error:
        render_bytes(slow, "svg", timeout=1)
    message = str(error.value)
    assert "took longer than timeout=1 s" in message
    assert "timeout=" in message and "--timeout SECONDS" in message
    assert isinstance(error.value, OSError)  # TimeoutError: the command line reports it, exit 2


def test_step_through_past_the_timeout_writes_nothing(tmp_path):
    _, out = fan_out(100)
    with pytest.raises(DrawingTimeout, match=r"0 of 100 frames drawn\) and was stopped; nothing was written"):
        save_steps(out, tmp_path / "steps", max_edge_span=None, timeout=1)
    assert not (tmp_path / "steps").exists()


# ---------------------------------------------------------------------------
# The step-through of a 300-factor chain: refused at once, by frames then by bytes
# ---------------------------------------------------------------------------


def test_step_through_of_a_300_factor_chain_is_refused_by_max_frames(in_tmp, capsys):
    assert main(["draw", CHAIN, "--var", "x=2", "--steps", "st"]) == 2
    err = capsys.readouterr().err
    # x, 300 constants and 300 products: 601 values, one frame each
    assert f"601 frames (one per value), above max_frames={DEFAULT_MAX_FRAMES}" in err
    assert "--max-frames 601" in err and "max_frames=601" in err
    assert "Traceback" not in err
    assert list(in_tmp.iterdir()) == []


def test_step_through_with_frames_allowed_is_refused_by_max_bytes_after_one_frame(in_tmp, capsys):
    assert main(["draw", CHAIN, "--var", "x=2", "--steps", "st", "--max-frames", "700"]) == 2
    err = capsys.readouterr().err
    assert "would write about" in err and "601 frames" in err
    assert "above max_bytes=50000000" in err and "--max-bytes N" in err
    assert list(in_tmp.iterdir()) == []


def test_the_chain_itself_draws_as_one_picture(in_tmp):
    drawn = draw_expression(CHAIN, {"x": 2.0}, output="chain.svg")
    assert drawn.picture == Path("chain.svg")
    assert drawn.variables["x"].grad == pytest.approx(1.0001**300, rel=1e-12)
    assert f"grad {1.0001 ** 300:.4f}" in svg_texts((in_tmp / "chain.svg").read_bytes())


def test_max_nodes_from_the_command_line(in_tmp, capsys):
    assert main(["draw", "x*x + x", "--var", "x=1", "-o", "g.svg", "--max-nodes", "3"]) == 2
    err = capsys.readouterr().err
    assert "nodes to draw, above max_nodes=3" in err and "--max-nodes N" in err
    assert list(in_tmp.iterdir()) == []


# ---------------------------------------------------------------------------
# Numbers, names and paths
# ---------------------------------------------------------------------------


def test_a_401_digit_number_is_a_message_not_an_overflow_traceback(in_tmp, capsys):
    assert main(["draw", "x*1" + "0" * 400, "--var", "x=1", "-o", "o.svg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule draw: error: ") and "too large for a float" in err
    assert "Traceback" not in err and "OverflowError" not in err
    assert list(in_tmp.iterdir()) == []
    with pytest.raises(ValueError, match="too large for a float"):
        normalized_variables({"x": 10**400})


def test_a_fullwidth_name_is_the_same_variable_as_python_reads_it(in_tmp, capsys):
    assert main(["draw", "x+ｘ", "--var", "x=1", "--var", "ｘ=5", "-o", "o.svg"]) == 2
    err = capsys.readouterr().err
    assert "variable given more than once: 'x' (as 'x', 'ｘ')" in err and "NFKC" in err
    assert list(in_tmp.iterdir()) == []
    # one value, given in either spelling, serves both spellings in the expression: 1 + 1
    drawn = draw_expression("x+ｘ", [("ｘ", 1.0)], output="o.dot")
    assert drawn.root.data == 2.0 and list(drawn.variables) == ["x"]
    assert drawn.variables["x"].grad == 2.0
    assert normalized_variables({"ｘ１": 3}) == {"x1": 3.0}


def test_an_empty_steps_folder_is_refused(in_tmp, capsys):
    assert main(["draw", "x*2", "--var", "x=1", "--steps", ""]) == 2
    assert "the steps folder must not be empty" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []
    with pytest.raises(ValueError, match="must not be empty"):
        save_steps(Value(1.0), "")


def test_stale_frames_of_a_longer_step_through_are_removed_and_nothing_else(in_tmp):
    folder = in_tmp / "st"
    folder.mkdir()
    for k in range(1, 11):
        (folder / f"step_{k:03d}.svg").write_text("old")
    (folder / "step_0042.svg").write_text("old, other width")
    keep = ["notes.txt", "step_1.png", "step_x.svg", "my_step_001.svg"]
    for name in keep:
        (folder / name).write_text("mine")
    drawn = draw_expression("sigmoid(w*x + b)", {"w": 0.5, "x": 2, "b": -1}, steps=folder)
    frames = sorted(p.name for p in folder.iterdir() if FRAME_NAME.fullmatch(p.name))
    assert frames == [f"step_00{k}.svg" for k in range(1, 7)] == [p.name for p in drawn.steps.svgs]
    assert all((folder / f).read_text() != "old" for f in frames)
    for name in keep:
        assert (folder / name).read_text() == "mine"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*frames, "steps.html", *keep])


def test_every_file_a_drawing_writes_is_written_by_rename(in_tmp, monkeypatch):
    renamed: list[str] = []
    real_replace = os.replace

    def recording_replace(source, target):
        renamed.append(Path(target).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", recording_replace)
    assert main(["draw", "tanh(w*x)", "--var", "w=0.5", "--var", "x=2", "-o", "g.png", "--steps", "st"]) == 0
    written = sorted(p.name for p in in_tmp.iterdir() if p.is_file())
    written += sorted(p.name for p in (in_tmp / "st").iterdir())
    assert written == ["g.png", "step_001.svg", "step_002.svg", "step_003.svg", "step_004.svg", "steps.html"]
    assert sorted(renamed) == sorted(written)
    assert not [p for p in in_tmp.rglob("*.tmp")]


# ---------------------------------------------------------------------------
# Progress while drawing many frames (tqdm is optional)
# ---------------------------------------------------------------------------


def test_many_frames_show_progress_and_no_tqdm_still_works(tmp_path, capsys, monkeypatch):
    pytest.importorskip("tqdm")
    out = Value(0.5, label="x")
    for _ in range(21):
        out = out.tanh()  # 22 values, 22 frames: above PROGRESS_FROM (20)
    saved = save_steps(out, tmp_path / "a", progress=True)
    assert len(saved.svgs) == len(topological_order(out)) == 22
    assert "drawing steps" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now fails
    saved = save_steps(out, tmp_path / "b", progress=True)
    assert len(saved.svgs) == 22
    assert "drawing steps" not in capsys.readouterr().err
