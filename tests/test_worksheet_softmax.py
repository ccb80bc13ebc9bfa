"""Worksheets with cross-entropy on a softmax output (one output per class), and labels that cover the classes.

The answers of a 2-3-3 softmax sheet with m = 3 are recomputed in PyTorch
float64 from the answers file's given numbers alone: the logits z^L, softmax,
``CrossEntropyLoss`` on the logits, every δ as the gradient of its z, every
gradient of W and b, and the step of gradient descent.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from chainrule.commands.worksheet import add_parser, run_worksheet
from chainrule.worksheet import make_worksheet, random_problem
from chainrule.worksheet.solution import engine_numbers, solve

torch = pytest.importorskip("torch")

QUANTITIES = ("Z", "A", "C", "delta", "dW", "db", "W_next", "b_next")


def chainrule(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="chainrule")
    add_parser(parser.add_subparsers(dest="command"))
    return run_worksheet(parser.parse_args(["worksheet", *argv]))


def pytorch_answers(answers: dict) -> dict:
    """Every number of a softmax cross-entropy sheet in PyTorch float64 (rows = examples for the loss)."""
    def t(x):
        return torch.tensor(x, dtype=torch.float64)

    Ws = [t(W).requires_grad_() for W in answers["W"]]
    bs = [t(b).requires_grad_() for b in answers["b"]]
    a, Y = t(answers["X"]), np.array(answers["Y"])
    hidden = {"sigmoid": torch.sigmoid, "tanh": torch.tanh}
    Z, A = [], []
    for W, b, name in zip(Ws, bs, answers["activation"]):
        z = W @ a + b[:, None]
        z.retain_grad()
        a = torch.softmax(z, dim=0) if name == "softmax" else hidden[name](z)
        Z.append(z)
        A.append(a)
    C = torch.nn.CrossEntropyLoss()(Z[-1].T, torch.tensor(Y.argmax(axis=0)))
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


def flat(value) -> np.ndarray:
    return np.concatenate([np.ravel(v) for v in value]) if isinstance(value, list) else np.array([value])


@pytest.mark.parametrize(("hidden", "seed"), [("sigmoid", 0), ("tanh", 3), ("sigmoid", 11)])
def test_a_softmax_sheet_2_3_3_with_m_3_and_its_answers_agree_with_pytorch(tmp_path, hidden, seed):
    answers_file, sheet_file = tmp_path / "answers.json", tmp_path / "sheet.md"
    code = chainrule("--sizes", "2,3,3", "--activation", hidden, "--cost", "cross_entropy", "--examples", "3",
                     "--seed", str(seed), "--answers", str(answers_file), "-o", str(sheet_file))
    assert code == 0
    answers = json.loads(answers_file.read_text())
    assert answers["activation"] == [hidden, "softmax"] and answers["cost"] == "cross_entropy"
    Y = np.array(answers["Y"])
    assert sorted(Y.argmax(axis=0)) == [0, 1, 2] and np.array_equal(Y.sum(axis=0), [1, 1, 1])
    reference = pytorch_answers(answers)
    for key in QUANTITIES:
        np.testing.assert_allclose(flat(answers[key]), flat(reference[key]), rtol=1e-12, atol=1e-14, err_msg=key)
    np.testing.assert_allclose(  # BP1 of the pair, written out on the sheet as (a − y)/m
        np.array(answers["delta"][-1]), (np.array(answers["A"][-1]) - Y) / 3, rtol=1e-13
    )
    sheet = sheet_file.read_text()
    exp = [f"\\operatorname{{exp}}\\left(z^{{2}}_{{{k},1}}\\right)" for k in (1, 2, 3)]
    softmax = f"\\frac{{{exp[0]}}}{{{exp[0]} + {exp[1]} + {exp[2]}}}"
    assert "a^{2}_{1,1} &= " + softmax in sheet  # softmax over the layer's z
    assert "δ^L = (a^L − y)/m" in sheet and "\\delta^{2}_{1,1} &= \\frac{a^{2}_{1,1} - y_{1,1}}{3}" in sheet


def test_the_answers_of_a_softmax_sheet_pass_their_own_check(tmp_path, capsys):
    answers = tmp_path / "answers.json"
    assert chainrule("--cost", "cross_entropy", "--classes", "3", "--examples", "3", "--answers", str(answers)) == 0
    assert chainrule("--check", str(answers), "--against", str(answers)) == 0
    filled = json.loads(answers.read_text())
    filled["A"][1][2][0] += 0.01  # a softmax output off by 0.01
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({key: filled[key] for key in QUANTITIES}))
    assert chainrule("--check", str(wrong), "--against", str(answers)) == 1
    assert "a^2_{3,1} (A: layer 2, row 3, column 1) is wrong" in capsys.readouterr().out  # counted from 1


def test_the_engine_graph_of_a_softmax_sheet_takes_the_logits_and_agrees_with_the_equations():
    problem = random_problem([2, 3, 3], "tanh", "cross_entropy", examples=3, seed=4)
    assert problem.activations == ["tanh", "softmax"]
    equations, engine = solve(problem), engine_numbers(problem)
    for key in QUANTITIES:
        np.testing.assert_allclose(flat(getattr(engine, key)), flat(getattr(equations, key)), rtol=1e-12, atol=1e-15)
    make_worksheet(problem)  # the engine check inside passes


@pytest.mark.parametrize(("K", "m"), [(2, 2), (3, 3), (3, 4), (4, 4)])
def test_a_softmax_sheet_with_m_at_least_K_has_every_class(K, m):
    for seed in range(100):
        Y = random_problem([2, 2, K], "sigmoid", "cross_entropy", examples=m, seed=seed).Y
        assert set(Y.argmax(axis=0)) == set(range(K)), (seed, Y)


@pytest.mark.parametrize(("outputs", "m"), [(1, 2), (1, 3), (2, 2), (2, 4)])
def test_binary_labels_of_a_sheet_cover_both_classes_whenever_m_is_at_least_2(outputs, m):
    for seed in range(100):
        Y = random_problem([2, 2, outputs], "sigmoid", "bce", examples=m, seed=seed).Y
        for row in Y:
            assert set(row) == {0.0, 1.0}, (seed, Y)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--classes", "3"], "--classes is for a cost with one output per class (--cost cross_entropy), not quadratic"),
        (["--cost", "cross_entropy", "--classes", "3", "--sizes", "2,2,2"], "--classes 3 is n_L, but --sizes ends in 2"),
        (["--cost", "cross_entropy", "--activation", "tanh,sigmoid"], "needs a softmax output layer"),
        (["--cost", "quadratic", "--activation", "tanh,softmax"], "only with the cost cross_entropy, not quadratic"),
        (["--cost", "cross_entropy", "--activation", "softmax,softmax"], "unknown activation 'softmax'"),
    ],
)
def test_softmax_settings_that_do_not_fit_are_usage_errors(tmp_path, capsys, argv, message):
    assert chainrule(*argv, "--answers", str(tmp_path / "a.json")) == 2
    assert message in capsys.readouterr().err
