"""The exercise-check machinery (chainrule.course): exact answers, the audit's leak search, and notebooks 0-2's checks.

The notebooks' own audit runs in a kernel (``tests/test_exercises.py``, slow);
these run the same checks on answers written here, in a second.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from chainrule.course import EXERCISES, ExerciseFailed, audit, check, exercise, require
from chainrule.course.diagnose import NUMERICAL


@pytest.fixture
def scratch_keys():
    """Exercises registered by a test under keys of a notebook that does not exist, removed afterwards."""
    keys: list[str] = []
    yield keys
    for key in keys:
        EXERCISES.pop(key, None)


def central(func, x, h=1e-6):
    return (func(x + h) - func(x - h)) / (2 * h)


def test_an_exact_answer_passes_and_a_finite_difference_of_it_is_named_numerical():
    x = 0.7
    exact = math.exp(math.sin(x)) * math.cos(x)
    require("h", exact, exact, equation="h'", exact=True)
    for h in (1e-3, 1e-5, 1e-7):
        with pytest.raises(ExerciseFailed, match=NUMERICAL):
            require("h", central(lambda t: math.exp(math.sin(t)), x, h), exact, equation="h'", exact=True)
    with pytest.raises(ExerciseFailed) as off:
        require("h", exact * 1.01, exact, equation="h'", exact=True)
    assert NUMERICAL not in str(off.value)
    require("h", central(lambda t: math.exp(math.sin(t)), x), exact, equation="h'")  # not asked exact: passes


def test_the_audit_finds_a_reference_a_check_prints_even_for_a_function_answer(scratch_keys):
    scratch_keys.append("98.1")

    @exercise("98.1", answers=("g",), slips={})
    def _(ns):
        points = (0.3, 0.6)
        expected, got = [math.exp(x) for x in points], [ns["g"](x) for x in points]
        if not np.allclose(got, expected):
            raise ExerciseFailed(f"g(0.3) should be {expected[0]:.4f}")  # the slip the audit is for
        require("g(x)", got, expected, equation="e^x")

    report = audit("98.1", {"g": math.exp})
    assert not report.ok
    assert report.leaks and f"{math.exp(0.3):.4f}" in report.leaks[0]


def test_the_audit_reports_a_check_that_crashes_or_misnames_a_slip(scratch_keys):
    scratch_keys.append("98.2")

    @exercise("98.2", answers=("v",), slips={"the named slip": lambda ns: {"v": [-v for v in ns["v"]]}})
    def _(ns):
        ns["v"].count(1.5)  # a list method: the audit's constants are arrays, and crash it
        require("v", ns["v"], [1.5, 1.5, 1.5], equation="v")

    report = audit("98.2", {"v": [1.5, 1.5, 1.5]})
    text = str(report)
    assert "v = the constant 0.0 crashes the check: AttributeError" in text
    assert "the slip 'the named slip' is told" in text


def test_a_failed_check_names_its_exercise_and_a_missing_answer_asks_for_the_solution_cell():
    with pytest.raises(ExerciseFailed, match=r"^exercise 0\.3: h_prime\(x\) .*" + NUMERICAL):
        check("0.3", {"h_prime": lambda x: central(lambda t: math.exp(math.sin(t)), x)})
    with pytest.raises(ExerciseFailed, match="h_prime is not defined: run the solution cell above first"):
        check("0.3", {})


def test_notebook_0s_checks_pass_right_answers_and_audit_clean():
    ns = {
        "central_difference": lambda func, x, h=1e-5: (func(x + h) - func(x - h)) / (2 * h),
        "dfdx": 2 * 1.0 * 2.0,
        "dfdy": 1.0 + math.cos(2.0),
        "h_prime": lambda x: math.cos(x) * math.exp(math.sin(x)),
    }
    for key in ("0.1", "0.2", "0.3"):
        check(key, ns)
        report = audit(key, ns)
        assert report.ok, str(report)
        assert report.trials >= 2 + len(EXERCISES[key].slips)


def test_a_central_difference_that_ignores_its_step_or_divides_by_h_is_named():
    with pytest.raises(ExerciseFailed, match="the step h passed in is not used"):
        check("0.1", {"central_difference": lambda func, x, h=1e-5: central(func, x, 1e-5)})
    with pytest.raises(ExerciseFailed, match="divide by 2h, not by h"):
        check("0.1", {"central_difference": lambda func, x, h=1e-5: (func(x + h) - func(x - h)) / h})


def test_notebook_2s_layer_check_uses_the_notebooks_W_and_x0_and_names_a_transposed_answer():
    W = np.array([[0.2, -0.5, 1.0], [0.7, 0.1, -0.3]])
    x0 = np.array([1.0, 2.0, -1.0])
    right = np.diag(1 - np.tanh(W @ x0) ** 2) @ W
    ns = {"W": W, "x0": x0, "J_layer": right, "tanh_jacobian": lambda x: np.diag(1 - np.tanh(x) ** 2),
          "J": [[4.0, 1.0], [5.0, math.cos(2.0)]]}
    for key in ("2.1", "2.2", "2.3"):
        check(key, ns)
        assert audit(key, ns).ok, str(audit(key, ns))
    with pytest.raises(ExerciseFailed, match="transposed"):
        check("2.3", {**ns, "J_layer": right.T})
    with pytest.raises(ExerciseFailed):
        check("2.3", {**ns, "W": 2 * W})  # the reference follows the notebook's W
