"""chainrule worksheet: the textbook example, PyTorch float64 as the oracle, the checker, the command's exits."""

from __future__ import annotations

import argparse
import copy
import json

import numpy as np
import pytest

from chainrule.commands.worksheet import add_parser, run_worksheet
from chainrule.worksheet import (
    answers_problem,
    check_answers,
    load_given,
    make_worksheet,
    random_problem,
)
from tests.worked_examples import TEXTBOOK

QUANTITIES = ("Z", "A", "C", "delta", "dW", "db", "W_next", "b_next")


def chainrule(*argv: str) -> int:
    """Run ``chainrule worksheet ARGV`` through a parser holding only this subcommand."""
    parser = argparse.ArgumentParser(prog="chainrule")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["worksheet", *argv])
    return run_worksheet(args)


def rounded(value, decimals: int):
    """Every float of a nested list rounded, as a student writes it."""
    if isinstance(value, list):
        return [rounded(v, decimals) for v in value]
    return round(value, decimals) if isinstance(value, float) else value


def filled_from(answers: dict, decimals: int) -> dict:
    return {key: rounded(answers[key], decimals) for key in QUANTITIES}


# -- the widely used hand-worked 2-2-2 example ------------------------------------------------


def test_textbook_example_from_given_file_reproduces_the_published_numbers(tmp_path):
    assert (
        chainrule(
            "--given",
            str(TEXTBOOK),
            "-o",
            str(tmp_path / "s.md"),
            "--answers",
            str(tmp_path / "a.json"),
        )
        == 0
    )
    answers = json.loads((tmp_path / "a.json").read_text())
    assert answers["C"] == pytest.approx(0.298371109, abs=5e-10)  # E_total = Σ ½(target − out)²
    assert answers["W_next"][1][0][0] == pytest.approx(0.35891648, abs=5e-9)  # w5 = 0.40
    assert answers["W_next"][0][0][0] == pytest.approx(0.149780716, abs=5e-10)  # w1 = 0.15
    assert answers["A"][1][0][0] == pytest.approx(0.75136507, abs=5e-9)  # out_o1
    assert (
        answers["b_next"] == answers["b"] == [[0.35, 0.35], [0.6, 0.6]]
    )  # the example keeps its biases
    sheet = (tmp_path / "s.md").read_text()
    for shown in (
        "0.15 \\cdot  0.05 + 0.20 \\cdot  0.10 + 0.35",
        "= 0.3775",
        "= 0.2984",
        "= 0.3589",
        "= 0.1498",
    ):
        assert shown in sheet
    assert "held fixed" in sheet


def test_textbook_example_updates_its_biases_unless_they_are_fixed():
    moving = make_worksheet(load_given(TEXTBOOK, fixed_biases=False))
    # ∂C/∂b^2_1 = δ^2_1 = 0.138498562, so b^2_1 = 0.60 − 0.5 · 0.138498562
    assert moving.solution.b_next[1][0] == pytest.approx(0.60 - 0.5 * 0.138498562, abs=1e-9)
    assert moving.solution.W_next[1][0, 0] == pytest.approx(
        0.35891648, abs=5e-9
    )  # weights as before


# -- random networks against PyTorch float64 ---------------------------------------------------

CASES = [
    ([2, 2, 2], ["sigmoid"], "quadratic", 1),
    ([3, 4, 2], ["tanh", "sigmoid"], "mse", 3),
    ([2, 3, 3, 1], ["relu", "swish", "sigmoid"], "bce", 4),
    ([4, 2, 2], ["leaky_relu", "linear"], "quadratic", 2),
    ([2, 6, 6, 6, 2], ["tanh"], "mse", 4),
    ([3, 2, 2], ["swish", "sigmoid"], "bce", 2),
]


def torch_numbers(answers: dict) -> dict:
    """Every number of the answers file recomputed with torch float64 (autograd, retain_grad on z)."""
    torch = pytest.importorskip("torch")
    t = lambda x: torch.tensor(x, dtype=torch.float64)
    Ws = [t(W).requires_grad_() for W in answers["W"]]
    bs = [t(b).requires_grad_() for b in answers["b"]]
    a = t(answers["X"])
    Y = t(answers["Y"])
    m = Y.shape[1]
    modules = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "swish": torch.nn.functional.silu,
        "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
        "linear": lambda z: z,
    }
    Z, A = [], []
    for W, b, name in zip(Ws, bs, answers["activation"]):
        z = W @ a + b[:, None]
        z.retain_grad()
        a = modules[name](z)
        Z.append(z)
        A.append(a)
    if answers["cost"] == "quadratic":
        C = ((a - Y) ** 2).sum() / (2 * m)
    elif answers["cost"] == "mse":
        C = torch.nn.functional.mse_loss(a, Y)
    else:
        C = torch.nn.functional.binary_cross_entropy(a, Y, reduction="sum") / m
    C.backward()
    lr = answers["lr"]
    return {
        "Z": [z.detach().tolist() for z in Z],
        "A": [x.detach().tolist() for x in A],
        "C": C.item(),
        "delta": [z.grad.tolist() for z in Z],
        "dW": [W.grad.tolist() for W in Ws],
        "db": [b.grad.tolist() for b in bs],
        "W_next": [(W - lr * W.grad).tolist() for W in Ws],
        "b_next": [(b - lr * b.grad).tolist() for b in bs],
    }


@pytest.mark.parametrize(("sizes", "activation", "cost", "m"), CASES)
def test_answers_file_of_a_random_network_agrees_with_pytorch_float64(
    tmp_path, sizes, activation, cost, m
):
    out = tmp_path / "a.json"
    code = chainrule(
        "--sizes",
        ",".join(map(str, sizes)),
        "--activation",
        ",".join(activation),
        "--cost",
        cost,
        "--examples",
        str(m),
        "--seed",
        "5",
        "--lr",
        "0.3",
        "--answers",
        str(out),
    )
    assert code == 0
    answers = json.loads(out.read_text())
    assert answers["sizes"] == sizes and answers["X"] and len(answers["X"][0]) == m
    reference = torch_numbers(answers)
    for key in QUANTITIES:
        np.testing.assert_allclose(
            np.concatenate([np.ravel(v) for v in answers[key]]) if key != "C" else answers[key],
            np.concatenate([np.ravel(v) for v in reference[key]]) if key != "C" else reference[key],
            rtol=1e-12,
            atol=1e-14,
            err_msg=key,
        )


def test_given_numbers_are_drawn_with_the_requested_decimals():
    problem = random_problem([3, 2, 1], "tanh", examples=2, seed=1, decimals=1)
    for array in (*problem.W, *problem.b, problem.X):
        np.testing.assert_array_equal(array, np.round(array, 1))
    assert problem.shown_decimals == 3


# -- the checker ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheet():
    worksheet = make_worksheet(
        random_problem([3, 3, 2], ["tanh", "sigmoid"], "quadratic", examples=2, seed=2)
    )
    answers = json.loads(json.dumps(worksheet.answers()))
    problem, solution = answers_problem(answers)
    return answers, problem, solution


def test_checker_accepts_every_number_rounded_to_the_sheets_decimals(sheet):
    answers, problem, solution = sheet
    report = check_answers(filled_from(answers, problem.shown_decimals), problem, solution)
    assert report.ok, str(report)
    assert report.checked == sum(
        np.size(answers[key]) if key == "C" else sum(np.size(v) for v in answers[key])
        for key in QUANTITIES
    )


def _entries(value, path=()):
    if isinstance(value, list):
        for n, v in enumerate(value):
            yield from _entries(v, (*path, n))
    else:
        yield path


@pytest.mark.parametrize("key", ["X", "Y", "W", "b", *QUANTITIES])
def test_checker_points_at_a_single_changed_number_in_each_quantity(sheet, key):
    answers, problem, solution = sheet
    filled = filled_from(answers, problem.shown_decimals)
    if key in ("X", "Y", "W", "b"):
        filled[key] = copy.deepcopy(answers[key])
    for n, path in enumerate(_entries(filled[key])):
        if n % 3:  # every third entry of the quantity, each changed alone
            continue
        changed = copy.deepcopy(filled)
        if not path:
            changed[key] += 0.05
        else:
            holder = changed[key]
            for index in path[:-1]:
                holder = holder[index]
            holder[path[-1]] += 0.05
        report = check_answers(changed, problem, solution)
        assert not report.ok
        assert (report.mistake.key, report.mistake.index) == (key, path), str(report)


def test_a_wrong_delta_that_comes_from_a_wrong_z_is_reported_at_z(sheet):
    answers, problem, solution = sheet
    filled = filled_from(answers, 6)
    wrong_z = filled["Z"][1][0][0] + 0.3  # z^2_1 of example 1, a slip in the forward pass
    filled["Z"][1][0][0] = wrong_z
    a = 1 / (1 + np.exp(-wrong_z))
    filled["A"][1][0][0] = round(a, 6)  # the student carries the slip on, consistently:
    filled["delta"][1][0][0] = round(
        (a - answers["Y"][0][0]) / 2 * a * (1 - a), 6
    )  # BP1 from that z
    del filled["C"]
    report = check_answers(filled, problem, solution)
    assert report.mistake is not None
    assert (report.mistake.key, report.mistake.index) == ("Z", (1, 0, 0))
    assert report.mistake.expected == pytest.approx(answers["Z"][1][0][0], abs=1e-5)
    assert "forward pass" in str(report)
    only_delta = {"delta": filled["delta"]}  # without the z, the δ itself is wrong
    only = check_answers(only_delta, problem, solution).mistake
    assert (only.key, only.index) == ("delta", (1, 0, 0))


def test_check_command_exits_0_1_2_and_names_the_equation_and_only_the_teacher_sees_the_expected_value(
    tmp_path, capsys
):
    key = tmp_path / "answers.json"
    assert chainrule("--given", str(TEXTBOOK), "--answers", str(key)) == 0
    answers = json.loads(key.read_text())
    filled = {
        "Z": rounded(answers["Z"], 4),
        "A": rounded(answers["A"], 4),
        "W_next": rounded(answers["W_next"], 4),
    }
    good = tmp_path / "good.json"
    good.write_text(json.dumps(filled))
    assert chainrule("--check", str(good), "--against", str(key)) == 0
    assert "all 16 numbers given are right" in capsys.readouterr().out
    filled["W_next"][1][0][0] = 0.3689  # w5 after the step: a slip of one digit
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(filled))
    assert chainrule("--check", str(bad), "--against", str(key)) == 1
    out = capsys.readouterr().out
    assert "w^2_11 (W_next: layer 2, row 1, column 1) is wrong" in out
    assert "0.3589" not in out and "0.3689" not in out
    assert "gradient descent" in out and "w^2_11 ← w^2_11 − η · ∂C/∂w^2_11" in out
    assert chainrule("--check", str(bad), "--against", str(key), "--show-expected") == 1
    assert "you wrote 0.3689, expected 0.3589" in capsys.readouterr().out
    assert chainrule("--check", str(bad)) == 2
    (tmp_path / "typo.json").write_text(json.dumps({"detla": []}))
    assert chainrule("--check", str(tmp_path / "typo.json"), "--against", str(key)) == 2
    assert "unknown key 'detla'" in capsys.readouterr().err


# -- the command ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--sizes", "2,2,2,2,2,2"], "too large"),
        (["--sizes", "2,7,1"], "too large"),
        (["--examples", "5"], "too large"),
        (["--activation", "tanh,tanh,tanh"], "activation has 3 names for 2 layers"),
        (["--activation", "tanh", "--cost", "bce"], "needs a sigmoid output layer"),
        (["--decimals", "9"], "decimals must be at most 6"),
    ],
)
def test_worksheet_beyond_its_limits_is_a_usage_error(tmp_path, capsys, argv, message):
    assert chainrule(*argv, "-o", str(tmp_path / "s.html")) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "s.html").exists()


def test_a_disagreement_between_engine_and_equations_writes_no_sheet(tmp_path, monkeypatch, capsys):
    import chainrule.worksheet.solution as solve_module

    real = solve_module.backpropagate

    def slipped(*args):
        fp, grads = real(*args)
        grads[0].dW[0, 0] += 1e-6  # one number of BP4 off
        return fp, grads

    monkeypatch.setattr(solve_module, "backpropagate", slipped)
    assert (
        chainrule(
            "--seed", "1", "-o", str(tmp_path / "s.html"), "--answers", str(tmp_path / "a.json")
        )
        == 1
    )
    assert "disagree on dW of layer 1 at (0, 0)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_student_version_leaves_every_result_blank(tmp_path):
    assert chainrule("--given", str(TEXTBOOK), "--no-solutions", "-o", str(tmp_path / "s.md")) == 0
    sheet = (tmp_path / "s.md").read_text()
    assert "z^{1}_{1} &= w^{1}_{11} x_{1} + w^{1}_{12} x_{2} + b^{1}_{1}" in sheet
    assert sheet.count(r"\underline{\qquad\qquad}") > 30
    for result in ("0.3775", "0.5933", "0.2984", "0.3589"):
        assert result not in sheet


def test_answers_file_that_is_not_its_own_solution_is_refused(tmp_path):
    worksheet = make_worksheet(load_given(TEXTBOOK))
    answers = worksheet.answers()
    answers["delta"][0][0][0] += 0.001
    with pytest.raises(ValueError, match="delta is not the solution"):
        answers_problem(answers)


def test_command_settings_match_the_libraries():
    from chainrule.commands import worksheet as cli
    from chainrule.worksheet import problem

    assert cli.MAX_DECIMALS == problem.MAX_DECIMALS


def test_the_chainrule_command_has_the_worksheet_subcommand(tmp_path, capsys):
    from chainrule.cli import main

    sheet = tmp_path / "sheet.md"
    assert main(["worksheet", "--sizes", "2,2,1", "--seed", "3", "-o", str(sheet)]) == 0
    assert sheet.read_text(encoding="utf-8").startswith("# Backpropagation by hand: a 2-2-1 network")


@pytest.mark.parametrize(
    ("output", "low", "high"),
    [("sigmoid", 0.05, 0.95), ("tanh", -0.9, 0.9), ("linear", -1.0, 1.0), ("relu", 0.05, 1.0)],
)
def test_targets_are_drawn_where_the_output_activation_reaches(output, low, high):
    from chainrule.worksheet.problem import target_interval

    assert target_interval(output) == pytest.approx((low, high))
    problem = random_problem([2, 2, 3], ["tanh", output], examples=4, seed=1)
    assert low <= problem.Y.min() and problem.Y.max() <= high
