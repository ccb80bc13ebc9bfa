"""``chainrule check``: the comparison table on the command line, and its exit status."""

from __future__ import annotations

import re

import pytest

from chainrule.cli import main
from nn import analytic


def test_check_prints_the_table_and_exits_0_when_all_three_agree(capsys):
    status = main(["check", "--hidden", "4,3", "--activation", "sigmoid", "--cost", "quadratic",
                   "--batch", "5", "--seed", "0"])
    out = capsys.readouterr().out
    assert status == 0
    rows = [line for line in out.splitlines() if re.match(r"\s+\d\s+(delta|dC/dW|dC/db)", line)]
    assert len(rows) == 9 and all(line.endswith("agree") for line in rows)
    relative = [float(line.split()[3]) for line in rows]
    assert max(relative) <= 1e-12
    assert "all three agree" in out


def test_check_exits_1_on_a_mismatch(capsys, monkeypatch):
    real = analytic.backpropagate

    def off_by_two(net, X, Y, cost):  # a wrong BP1: the 1/m vs 1/(2m) slip
        fp, grads = real(net, X, Y, cost)
        for g in grads:
            g.dW *= 2
        return fp, grads

    monkeypatch.setattr(analytic.comparison, "backpropagate", off_by_two)
    status = main(["check", "--hidden", "3", "--activation", "tanh", "--cost", "mse", "--batch", "4"])
    out = capsys.readouterr().out
    assert status == 1 and "MISMATCH" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "--cost", "bce", "--output-activation", "tanh"], "needs a sigmoid output layer"),
        (["check", "--cost", "hinge"], "invalid choice: 'hinge'"),
        (["check", "--hidden", "4,x"], "--hidden"),
        (["check", "--batch", "0"], "--batch"),
    ],
)
def test_check_refuses_bad_options_with_exit_2(argv, message, capsys):
    try:
        status = main(argv)
    except SystemExit as exit_:  # argparse's own errors
        status = exit_.code
    assert status == 2
    assert message in capsys.readouterr().err


def test_check_in_the_per_example_convention_shows_dz_m_times_larger_and_agrees(capsys):
    status = main(["check", "--hidden", "4,3", "--activation", "swish,tanh", "--cost", "bce",
                   "--batch", "4", "--convention", "per_example"])
    out = capsys.readouterr().out
    assert status == 0
    assert "activation swish,tanh, output sigmoid" in out
    assert "dZ = ∂ℓ/∂Z per example, m = 4 times ∂C/∂Z" in out and "all three agree" in out


@pytest.mark.parametrize("convention", ["averaged", "per_example"])
def test_check_of_cross_entropy_has_a_softmax_output_of_one_output_per_class(convention, capsys):
    status = main(["check", "--hidden", "4", "--activation", "tanh", "--cost", "cross_entropy",
                   "--classes", "4", "--batch", "6", "--convention", convention])
    out = capsys.readouterr().out
    assert status == 0
    assert "MLP(3, [4, 4]), activation tanh, output softmax over the linear z^L, 4 classes, one-hot Y" in out
    rows = [line for line in out.splitlines() if re.match(r"\s+\d\s+(delta|dC/dW|dC/db)", line)]
    assert len(rows) == 6 and all(line.endswith("agree") for line in rows)
    assert "all three agree" in out


def test_check_of_cross_entropy_exits_1_when_bp1_forgets_the_softmax(capsys, monkeypatch):
    def a_minus_y_of_the_logits(net, fp, Y, cost):  # the slip: δ^L = (z^L - y)/m, softmax left out
        return (fp.Z[-1] - Y) / Y.shape[1]

    monkeypatch.setattr(analytic.equations, "output_error", a_minus_y_of_the_logits)
    status = main(["check", "--hidden", "3", "--cost", "cross_entropy", "--classes", "3", "--batch", "4"])
    assert status == 1 and "MISMATCH" in capsys.readouterr().out


def test_check_puts_softmax_over_any_cost_with_output_activation(capsys):
    status = main(["check", "--hidden", "4", "--cost", "quadratic", "--output-activation", "softmax",
                   "--outputs", "3", "--batch", "4"])
    out = capsys.readouterr().out
    assert status == 0 and "output softmax over the linear z^L;" in out and "all three agree" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--cost", "bce", "--classes", "3"], "--classes is for a cost with one output per class (cross_entropy), not bce"),
        (["--cost", "cross_entropy", "--classes", "3", "--outputs", "2"], "--classes 3 and --outputs 2 differ"),
        (["--cost", "cross_entropy", "--classes", "1"], "cross_entropy needs at least 2 classes, got 1"),
        (["--cost", "cross_entropy", "--output-activation", "sigmoid"], "needs a softmax output layer"),
    ],
)
def test_check_refuses_classes_that_do_not_fit_the_cost(argv, message, capsys):
    assert main(["check", *argv]) == 2
    assert message in capsys.readouterr().err
