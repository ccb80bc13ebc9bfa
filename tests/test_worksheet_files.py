"""The answers file reproduces its sheet; the student's template; checking without the answers; the formula sheet."""

from __future__ import annotations

import json

import numpy as np
import pytest

from chainrule.worksheet import answers_problem, make_worksheet
from tests.test_worksheet import QUANTITIES, chainrule, rounded

SETTINGS = ["--sizes", "2,3,2", "--activation", "tanh,sigmoid", "--examples", "2", "--seed", "3",
            "--lr", "0.25", "--decimals", "1", "--fixed-biases"]


def test_the_answers_file_records_every_setting_and_alone_reproduces_its_sheet(tmp_path):
    assert chainrule(*SETTINGS, "-o", str(tmp_path / "sheet.md"), "--answers", str(tmp_path / "a.json")) == 0
    answers = json.loads((tmp_path / "a.json").read_text())
    assert answers["version"] == 2
    assert {key: answers[key] for key in ("sizes", "activation", "cost", "lr", "fixed_biases", "decimals", "seed", "classes")} == {
        "sizes": [2, 3, 2], "activation": ["tanh", "sigmoid"], "cost": "quadratic", "lr": 0.25,
        "fixed_biases": True, "decimals": 1, "seed": 3, "classes": None,
    }
    problem, _ = answers_problem(answers)
    again = make_worksheet(problem, seed=answers["seed"])
    assert again.markdown() == (tmp_path / "sheet.md").read_text(encoding="utf-8")
    assert again.answers() == answers
    assert chainrule("--given", str(tmp_path / "a.json"), "-o", str(tmp_path / "again.md")) == 0
    assert (tmp_path / "again.md").read_text() == (tmp_path / "sheet.md").read_text()


def test_the_template_is_the_answers_files_shape_with_every_computed_number_null(tmp_path, capsys):
    assert chainrule(*SETTINGS, "--answers", str(tmp_path / "a.json"), "--template", str(tmp_path / "blank.json")) == 0
    answers = json.loads((tmp_path / "a.json").read_text())
    blank = json.loads((tmp_path / "blank.json").read_text())
    assert list(blank) == list(answers)
    for key in QUANTITIES:
        assert np.shape(blank[key] if key == "C" else blank[key][0]) == np.shape(answers[key] if key == "C" else answers[key][0])
        assert all(x is None for x in np.ravel(np.array(blank[key], dtype=object)) if not isinstance(x, list))
    assert {k: blank[k] for k in ("X", "W", "b", "Y", "sheet", "lr")} == {k: answers[k] for k in ("X", "W", "b", "Y", "sheet", "lr")}
    capsys.readouterr()
    assert chainrule("--check", str(tmp_path / "blank.json")) == 2  # filled with nothing
    assert "nothing to check" in capsys.readouterr().err


def test_a_student_checks_a_filled_template_without_the_answers_file(tmp_path, capsys):
    assert chainrule(*SETTINGS, "--answers", str(tmp_path / "a.json"), "--template", str(tmp_path / "blank.json")) == 0
    answers = json.loads((tmp_path / "a.json").read_text())
    mine = json.loads((tmp_path / "blank.json").read_text())
    mine.update({key: rounded(answers[key], 3) for key in ("Z", "A", "delta")})
    (tmp_path / "mine.json").write_text(json.dumps(mine))
    capsys.readouterr()
    assert chainrule("--check", str(tmp_path / "mine.json")) == 0
    assert "numbers given are right" in capsys.readouterr().out
    mine["delta"][0][1][0] *= -1
    (tmp_path / "mine.json").write_text(json.dumps(mine))
    assert chainrule("--check", str(tmp_path / "mine.json")) == 1
    out = capsys.readouterr().out
    assert "δ^1_{2,1}" in out and "sign" in out and f"{abs(mine['delta'][0][1][0]):.3f}"[1:] not in out
    assert chainrule("--check", str(tmp_path / "mine.json"), "--against", str(tmp_path / "a.json"), "--show-expected") == 1
    assert "expected" in capsys.readouterr().out


def test_a_file_made_for_another_sheet_is_refused(tmp_path, capsys):
    assert chainrule(*SETTINGS, "--answers", str(tmp_path / "a.json")) == 0
    other = [*SETTINGS[:-5], "--decimals", "1", "--seed", "4"]
    assert chainrule(*other, "--template", str(tmp_path / "other.json")) == 0
    data = json.loads((tmp_path / "other.json").read_text())
    data["C"] = 0.1
    (tmp_path / "other.json").write_text(json.dumps(data))
    capsys.readouterr()
    assert chainrule("--check", str(tmp_path / "other.json"), "--against", str(tmp_path / "a.json")) == 2
    assert "made for another sheet" in capsys.readouterr().err
    (tmp_path / "bare.json").write_text(json.dumps({"C": 0.1}))
    assert chainrule("--check", str(tmp_path / "bare.json")) == 2
    assert "does not carry its sheet's settings" in capsys.readouterr().err


def test_the_student_sheet_never_points_at_the_answers_file(tmp_path):
    assert chainrule(*SETTINGS, "--no-solutions", "-o", str(tmp_path / "s.md")) == 0
    text = (tmp_path / "s.md").read_text()
    assert "answers.json" not in text and "--against" not in text
    assert "chainrule worksheet --check yours.json" in text and "--template" in text


@pytest.mark.parametrize(("sizes", "activation", "cost"), [([2, 3, 2], "tanh,sigmoid", "quadratic"), ([3, 2, 1], "relu,sigmoid", "bce"), ([2, 1], "sigmoid", "mse")])
def test_the_formula_sheet_asks_for_the_formulas_and_its_solution_derives_them(tmp_path, sizes, activation, cost):
    argv = ["--sizes", ",".join(map(str, sizes)), "--activation", activation, "--cost", cost, "--ask", "formulas"]
    assert chainrule(*argv, "-o", str(tmp_path / "f.md")) == 0
    assert chainrule(*argv, "--no-solutions", "-o", str(tmp_path / "q.md")) == 0
    solved, asked = (tmp_path / "f.md").read_text(), (tmp_path / "q.md").read_text()
    L = len(sizes) - 1
    assert f"Question 1: δ^{L}" in asked and r"\underline{\qquad\qquad}" in asked
    assert ("Question 2: δ^" in asked) == (L > 1)
    assert r"\frac{\partial  C}{\partial  w^{" in asked
    for bp in ("(BP1)", "(BP2)", "(BP3)", "(BP4)"):
        assert bp in solved and bp not in asked
    chain = (
        rf"\frac{{\partial  C}}{{\partial  a^{{{L}}}_{{j}}}} \cdot  "
        rf"\frac{{\partial  a^{{{L}}}_{{j}}}}{{\partial  z^{{{L}}}_{{j}}}}"
    )
    assert chain in solved  # δ^L as its chain of factors
    if cost == "bce":
        assert r"\frac{a^{2}_{j} - y_{j}}{1}" not in solved and "a^{2}_{j} - y_{j}" in solved
    if L > 1:
        assert rf"w^{{{L}}}_{{1j}} \delta^{{{L}}}_{{1}}" in solved  # BP2: column j of W^L
    assert f"L = {L}" in solved
