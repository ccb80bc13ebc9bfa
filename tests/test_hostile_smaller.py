"""The smaller findings of issue 17, item 10: each reproduced, each a clear message or the right result.

A per-layer activation list with ``--given``; a given problem whose z
overflows to inf; error messages quoting megabytes of a file; a NUL in a
drawing's label; ``gradcheck(eps=nan)``; ``"version": true`` in a model file.
"""

from __future__ import annotations

import json
import math

import pytest

from chainrule.cli import main

pytest.importorskip("numpy")


@pytest.fixture
def answers(tmp_path, capsys):
    """The answers file of the default 2-2-2 worksheet, parsed, and its path."""
    path = tmp_path / "answers.json"
    assert main(["worksheet", "--answers", str(path)]) == 0
    capsys.readouterr()
    return json.loads(path.read_text()), path


def given_file(folder, data: dict, name: str = "given.json"):
    path = folder / name
    path.write_text(json.dumps(data))
    return path


def test_given_with_a_per_layer_activation_list_uses_one_per_layer(tmp_path, capsys, answers):
    _, path = answers
    out = tmp_path / "b.json"
    assert main(["worksheet", "--given", str(path), "--activation", "tanh,sigmoid", "--answers", str(out)]) == 0
    written = json.loads(out.read_text())
    assert written["activation"] == ["tanh", "sigmoid"]
    z = written["Z"][0][0][0]
    assert written["A"][0][0][0] == pytest.approx(math.tanh(z), rel=1e-15)  # layer 1 is tanh now
    z2 = written["Z"][1][0][0]
    assert written["A"][1][0][0] == pytest.approx(1 / (1 + math.exp(-z2)), rel=1e-15)


def test_a_given_problem_whose_z_overflows_is_refused_without_numpy_warnings(tmp_path, capsys, answers):
    data, _ = answers
    given = {key: data[key] for key in ("W", "b", "Y")}
    given["W"] = [[[1.7e308, 1.7e308], [1.0, 1.0]], data["W"][1]]
    given["X"] = [[1.0], [1.0]]
    path = given_file(tmp_path, given)
    sheet, key = tmp_path / "s.html", tmp_path / "b.json"
    assert main(["worksheet", "--given", str(path), "-o", str(sheet), "--answers", str(key)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"chainrule worksheet: error: given file {path}: Z^1 would hold inf: the given numbers overflow a "
        "float when combined; give the numbers of a hand calculation"
    ]  # one line: no RuntimeWarning of NumPy
    assert not sheet.exists() and not key.exists()


@pytest.mark.parametrize("field", ["activation", "cost", "unknown key"])
def test_an_error_message_does_not_echo_megabytes_of_the_file(tmp_path, capsys, answers, field):
    data, _ = answers
    huge = "x" * 1_800_000
    given = {key: data[key] for key in ("W", "b", "X", "Y")}
    if field == "unknown key":
        given[huge] = 1
    else:
        given[field] = huge
    path = given_file(tmp_path, given)
    assert main(["worksheet", "--given", str(path), "--answers", str(tmp_path / "b.json")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and len(err) < 500


def test_a_filled_file_for_another_problem_is_not_echoed_whole(tmp_path, capsys, answers):
    _, key = answers
    filled = given_file(tmp_path, {"cost": "c" * 900_000}, "filled.json")
    assert main(["worksheet", "--check", str(filled), "--against", str(key)]) == 2
    err = capsys.readouterr().err
    assert "the filled file is for another sheet: its cost is 'cccc" in err and len(err) < 500


def test_a_nul_and_other_control_characters_in_a_label_are_drawn_as_their_symbols():
    pytest.importorskip("graphviz")
    from autograd.render import draw_dot
    from autograd.value import Value

    x = Value(2.0, label="a\x00b\x07")
    y = x * x
    y.label = "y\x1b"
    y.backward()
    svg = draw_dot(y).pipe(format="svg").decode("utf-8")
    assert "a\u2400b\u2407" in svg and "y\u241b" in svg


def test_escape_text_keeps_printable_text_and_newlines_as_before():
    pytest.importorskip("graphviz")
    from autograd.dot_text import escape_text

    assert escape_text('tab\tand "quote" & \\N\nline\x7f') == 'tab\tand \\"quote\\" &amp; \\\\N\\nline\u2421'


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("eps", math.nan, "gradcheck eps must be a finite number, got nan"),
        ("eps", math.inf, "gradcheck eps must be a finite number, got inf"),
        ("eps", 0.0, "gradcheck eps must be > 0"),
        ("atol", math.nan, "gradcheck atol must be a finite number"),
        ("rtol", math.inf, "gradcheck rtol must be a finite number"),
        ("atol", -1e-5, "gradcheck atol must be >= 0"),
    ],
)
def test_gradcheck_refuses_a_step_or_tolerance_that_is_not_a_finite_number(keyword, value, message):
    from autograd.functional import gradcheck

    with pytest.raises(ValueError, match=message):
        gradcheck(lambda x: x * x, [1.0], **{keyword: value})


@pytest.mark.parametrize("version", [True, 1.0, "1"])
def test_a_model_file_version_that_is_not_the_int_1_is_refused(tmp_path, version):
    from nn.layers import MLP
    from nn.serialize import load, to_dict

    description = to_dict(MLP(2, [3, 1], seed=0))
    description["version"] = version
    path = tmp_path / "model.json"
    path.write_text(json.dumps(description))
    with pytest.raises(ValueError, match=f"unsupported version {version!r}"):
        load(path)
