"""``chainrule demo`` and ``python -m chainrule``: the lecture's worked example, by the chain rule."""

from __future__ import annotations

import subprocess
import sys

from chainrule.cli import main
from chainrule.lecture import chain_rule_example


def test_demo_prints_every_gradient_of_the_worked_example(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out == chain_rule_example() + "\n"
    # L = (a*b + c) * f at a=2, b=-3, c=10, f=-2, differentiated by hand:
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    d = a * b + c
    expected = {"L": 1, "d": f, "f": d, "e": f, "c": f, "a": f * b, "b": f * a}
    for name, gradient in expected.items():
        assert f"  dL/d{name} = {gradient:g}\n" in out
    assert f"L = d*f = {d * f:g}" in out


def test_python_dash_m_nn_runs_the_command_line():
    result = subprocess.run([sys.executable, "-m", "chainrule", "demo"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == chain_rule_example() + "\n"
    usage = subprocess.run([sys.executable, "-m", "chainrule", "check", "--seed", "x"], capture_output=True, text=True,
                           timeout=60)
    assert usage.returncode == 2 and "usage: chainrule check" in usage.stderr
