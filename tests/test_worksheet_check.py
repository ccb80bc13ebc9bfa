"""The worksheet checker in the student's voice: each kind of slip is named, and no expected number is shown."""

from __future__ import annotations

import json

import numpy as np
import pytest

from chainrule.worksheet import check_answers, make_worksheet, random_problem
from chainrule.worksheet.markup import number_text

M = 3  # m = 3 examples, so that the factors m, 2 and their inverses are all different


@pytest.fixture(scope="module")
def sheet():
    sheet = make_worksheet(random_problem([2, 2, 2], ["tanh", "sigmoid"], "quadratic", examples=M, seed=4))
    answers = json.loads(json.dumps(sheet.answers()))
    return sheet, answers


def exact(answers: dict) -> dict:
    """The computed quantities of the answers file as arrays (per layer)."""
    out = {key: [np.array(v) for v in answers[key]] for key in ("Z", "A", "delta", "dW", "db", "W_next", "b_next")}
    out["X"], out["Y"] = np.array(answers["X"]), np.array(answers["Y"])
    out["W"] = [np.array(W) for W in answers["W"]]
    return out


def filled(**quantities) -> dict:
    """A student's file: the quantities given, rounded to 6 decimals."""
    return {key: [np.round(v, 6).tolist() for v in value] for key, value in quantities.items()}


def printed_forms(answers: dict, decimals: int) -> set[str]:
    """How every number of the key (δ in both conventions) is printed, at the sheet's decimals and more."""
    forms = set()
    values = []
    for key in ("Z", "A", "delta", "dW", "db", "W_next", "b_next"):
        values += list(np.ravel(np.concatenate([np.ravel(v) for v in answers[key]])))
    values += [answers["C"]] + [M * x for x in np.concatenate([np.ravel(v) for v in answers["delta"]])]
    for x in values:
        for d in (decimals, decimals + 1, decimals + 2):
            forms.add(number_text(float(x), d, 3).lstrip("−"))
            forms.add(f"{abs(x):.{d}f}")
    return {form for form in forms if any(c in form for c in "123456789")}


def message(sheet, answers, student, **options) -> str:
    report = check_answers(student, sheet.problem, sheet.solution, **options)
    assert not report.ok, str(report)
    text = str(report)
    leaked = [form for form in printed_forms(answers, sheet.problem.shown_decimals) if form in text]
    assert not leaked, f"the message shows expected numbers {leaked}: {text}"
    return text


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_a_sign_slip_in_bp1_is_named_without_the_expected_number(sheet):
    s, answers = sheet
    e = exact(answers)
    delta2 = e["delta"][1].copy()
    delta2[0, 0] = -delta2[0, 0]  # y − a for a − y in one entry
    text = message(s, answers, filled(Z=e["Z"], A=e["A"], delta=[e["delta"][0] * np.nan, delta2]))
    assert "δ^2_{1,1}" in text and "BP1" in text and "sign" in text


def test_a_step_along_the_gradient_is_named_a_sign_slip(sheet):
    s, answers = sheet
    e = exact(answers)
    W_next = [W + s.problem.lr * dW for W, dW in zip(e["W"], e["dW"])]
    text = message(s, answers, filled(dW=e["dW"], W_next=W_next))
    assert "w^1_11" in text and "gradient descent" in text and "sign slip" in text


@pytest.mark.parametrize(
    ("factor", "words"),
    [
        (1 / M, "1/m = 1/3"),  # the 1/m applied twice
        (2.0, "twice"),  # 1/m where the cost has 1/(2m)
        (-1.0, "opposite sign"),
    ],
)
def test_a_factor_on_the_output_error_is_named_with_its_cause(sheet, factor, words):
    s, answers = sheet
    e = exact(answers)
    text = message(s, answers, filled(Z=e["Z"], A=e["A"], delta=[e["delta"][0] * np.nan, factor * e["delta"][1]]))
    assert "δ^2" in text and "factor" in text and words in text


def test_a_factor_m_on_delta_is_the_per_example_convention_when_the_averaged_one_is_insisted_on(sheet):
    s, answers = sheet
    e = exact(answers)
    student = filled(Z=e["Z"], A=e["A"], delta=[M * d for d in e["delta"]])
    text = message(s, answers, student, convention="averaged")
    assert "m = 3 times" in text and "per-example" in text


def test_a_per_example_file_with_correct_gradients_passes_and_is_told_its_convention(sheet):
    s, answers = sheet
    e = exact(answers)
    # the per-example convention: δ^L = (a^L − y) ⊙ σ′(z^L) per example, dW = (1/m) δ Aᵀ, db = (1/m) Σ δ
    A1, A2, Z1, Z2 = e["A"][0], e["A"][1], e["Z"][0], e["Z"][1]
    d2 = (A2 - e["Y"]) * A2 * (1 - A2)
    d1 = (e["W"][1].T @ d2) * (1 - A1**2)
    dW = [d1 @ e["X"].T / M, d2 @ A1.T / M]
    db = [d1.sum(axis=1) / M, d2.sum(axis=1) / M]
    np.testing.assert_allclose(dW[1], e["dW"][1], rtol=1e-12)  # the same gradients as the sheet's
    student = filled(Z=[Z1, Z2], A=[A1, A2], delta=[d1, d2], dW=dW, db=db)
    report = check_answers(student, s.problem, s.solution)
    assert report.ok and report.convention == "per_example", str(report)
    assert "per-example convention" in str(report)
    averaged = check_answers(filled(delta=e["delta"], dW=e["dW"]), s.problem, s.solution)
    assert averaged.ok and averaged.convention == "averaged"
    with pytest.raises(ValueError, match="unknown convention"):
        check_answers(student, s.problem, s.solution, convention="summed")


def test_a_per_example_delta_with_the_1_over_m_missing_from_dW_is_named(sheet):
    s, answers = sheet
    e = exact(answers)
    d = [M * x for x in e["delta"]]
    dW = [d[0] @ e["X"].T, d[1] @ e["A"][0].T]  # per-example δ, but dW = δ Aᵀ without the 1/m
    text = message(s, answers, filled(Z=e["Z"], A=e["A"], delta=d, dW=dW))
    assert "1/m is missing" in text and "per-example convention" in text


def test_a_transposed_index_in_bp4_is_named(sheet):
    s, answers = sheet
    e = exact(answers)
    text = message(s, answers, filled(delta=e["delta"], dW=[e["dW"][0], e["dW"][1].T]))
    assert "∂C/∂w^2_12" in text and "transposed index" in text


def test_a_transposed_weight_matrix_in_the_forward_pass_is_named(sheet):
    s, answers = sheet
    e = exact(answers)
    Z1 = e["W"][0].T @ e["X"] + np.array(answers["b"][0])[:, None]
    text = message(s, answers, filled(Z=[Z1, e["Z"][1] * np.nan]))
    assert "transposed index" in text and "forward pass" in text


@pytest.mark.parametrize("layer", [1, 2])
def test_sigma_where_sigma_prime_was_due_is_named(sheet, layer):
    s, answers = sheet
    e = exact(answers)
    A2, Z2 = e["A"][1], e["Z"][1]
    if layer == 2:  # BP1 with σ(z^L) for σ′(z^L)
        wrong = [e["delta"][0] * np.nan, (A2 - e["Y"]) / M * sigmoid(Z2)]
        name = "σ where σ′ was due"
    else:  # BP2 with tanh(z^1) for tanh′(z^1)
        wrong = [(e["W"][1].T @ e["delta"][1]) * np.tanh(e["Z"][0]), e["delta"][1]]
        name = "tanh where tanh′ was due"
    text = message(s, answers, filled(Z=e["Z"], A=e["A"], delta=wrong))
    assert name in text and f"BP{1 if layer == 2 else 2}" in text


def test_a_value_carried_from_a_wrong_number_left_out_of_the_file_is_named(sheet):
    s, answers = sheet
    e = exact(answers)
    z = e["Z"][1] + 0.3  # a slip in z^2 that the file does not show
    a = sigmoid(z)
    text = message(s, answers, filled(delta=[e["delta"][0] * np.nan, (a - e["Y"]) / M * a * (1 - a)]))
    assert "carried from a wrong earlier number" in text and "z^2" in text


def test_numbers_that_carry_a_wrong_number_on_correctly_are_counted_not_blamed(sheet):
    s, answers = sheet
    e = exact(answers)
    Z2 = e["Z"][1].copy()
    Z2[0, 0] += 0.3
    A2 = sigmoid(Z2)
    text = message(s, answers, filled(Z=[e["Z"][0], Z2], A=[e["A"][0], A2]))
    assert "z^2_{1,1}" in text and "1 later number carries it on correctly" in text
