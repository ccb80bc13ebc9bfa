"""A throwaway activation and a throwaway cost, registered from this file, reach every consumer.

Softplus, f(z) = ln(1 + e^z) with f'(z) = σ(z), and the log-cosh cost,
L_i = Σ_j ln cosh(a_ji - y_ji) with ∂L_i/∂a_i = tanh(a_i - y_i), are defined
here as one record each and registered for one test at a time. Each then has
to work in training (``fit``), the equations (``compare``,
``check_derivation``), ``chainrule check``, the PyTorch bridge and
``chainrule worksheet`` (the sheet, its answers and the answer checker): a
consumer that kept its own table of activations or costs would not know them.
The numbers are checked against independent oracles: PyTorch in float64,
central finite differences (inside ``compare``), and formulas written here.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from autograd import Value
from chainrule.cli import main
from chainrule.worksheet.derivatives import derivative_rows
from chainrule.worksheet.markup import Sym
from nn.activations import ACTIVATIONS, Activation, register, unregister
from nn.analytic import backpropagate, check_derivation, compare, random_batch
from nn.analytic.equations import Network
from nn.costs import COSTS, Cost, CostArrays, register_cost, unregister_cost
from nn.layers import MLP
from nn.optim import SGD
from nn.torch_bridge import from_torch, to_torch
from nn.train import fit

torch = pytest.importorskip("torch")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


SOFTPLUS = Activation(
    "softplus",
    lambda z: z.softplus(),
    lambda z, xp: xp.logaddexp(0.0, z),
    lambda z, xp: 1.0 / (1.0 + xp.exp(-z)),
    "Softplus",
    "softplus",
    "softplus",
    lambda t, z: (t.Call("ln", (t.Num(1, 0), t.Op("+"), t.Sym("e", "z"))),),
    lambda t, z, a: t.apply("sigmoid", z),
    (0.0, math.inf),
)


def _log_cosh_on_values(outputs, targets):
    """C = 1/m Σ_i Σ_j ln cosh(a_ji - y_ji), with ln cosh d = d + softplus(-2d) - ln 2."""
    terms = [
        (a - y) + ((a - y) * -2.0).softplus() - math.log(2.0)
        for output, target in zip(outputs, targets)
        for a, y in zip(output, target)
    ]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total * (1.0 / len(outputs))


def _difference(t, a, y):
    return (t.Op("("), *a, t.Op("−"), *y, t.Op(")"))


LOG_COSH = Cost(
    "log_cosh",
    _log_cosh_on_values,
    "linear",
    "real",
    lambda c: c,
    False,
    "log-cosh cost 1/m",
    arrays=CostArrays(
        "1/m",
        lambda A, Y, xp: xp.sum(xp.logaddexp(A - Y, Y - A) - math.log(2.0), axis=0),
        lambda A, Y, xp: xp.tanh(A - Y),
        "the log-cosh cost C = 1/m Σ_i Σ_j ln cosh(a^L_j,i − y_j,i)",
        lambda t, m, n_L: (t.Frac((t.Num(1, 0),), (t.Num(m, 0),)),),
        lambda t, a, y: (t.Call("ln cosh", _difference(t, a, y)[1:-1]),),
        lambda t, a, y, m, n_L: (t.Frac((t.Call("tanh", _difference(t, a, y)[1:-1]),), (t.Num(m, 0),)),),
    ),
)


@pytest.fixture
def softplus():
    register(SOFTPLUS)
    yield SOFTPLUS
    unregister("softplus")


@pytest.fixture
def log_cosh():
    register_cost(LOG_COSH)
    yield LOG_COSH
    unregister_cost("log_cosh")


def _torch_twin(model: MLP):
    """The model in PyTorch float64 (independent of chainrule's gradients)."""
    return to_torch(model)


# -- the activation ----------------------------------------------------------------------------


def test_a_registered_activation_trains_with_fit_as_pytorch_does(softplus):
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8], [0.1, -0.3]]
    y = [0.2, 0.9, 0.4, 0.6]
    model = MLP(2, [3, 1], activation="softplus", output_activation="sigmoid", seed=2)
    twin = _torch_twin(model)
    assert [type(m).__name__ for m in twin] == ["Linear", "Softplus", "Linear", "Sigmoid"]
    fit(model, X, y, loss="quadratic", optimizer=SGD(model.parameters(), lr=0.5), epochs=1,
        batch_size=4, progress=False)
    out = twin(torch.tensor(X, dtype=torch.float64)).squeeze(1)
    loss = 0.5 * ((out - torch.tensor(y, dtype=torch.float64)) ** 2).mean()  # 1/(2m) Σ (a - y)^2
    loss.backward()
    with torch.no_grad():
        for p in twin.parameters():
            p -= 0.5 * p.grad
    assert np.allclose(model.weights()[0], twin[0].weight.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert np.allclose(model.weights()[1], twin[2].weight.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_a_registered_activation_goes_through_compare_and_matches_pytorch(softplus):
    model = MLP(3, [4, 2], activation="softplus", output_activation="softplus", seed=5)
    X, Y = random_batch(model, 5, "quadratic", seed=1)
    report = compare(model, X, Y, "quadratic")
    assert report.ok and not report.fd_at_kink, str(report)
    _, grads = backpropagate(Network.from_mlp(model), X, Y, "quadratic")
    twin = _torch_twin(model)
    out = twin(torch.tensor(X.T, dtype=torch.float64))
    (0.5 * ((out - torch.tensor(Y.T, dtype=torch.float64)) ** 2).sum() / X.shape[1]).backward()
    assert np.allclose(grads[0].dW, twin[0].weight.grad.numpy(), rtol=1e-10, atol=1e-14)
    assert np.allclose(grads[1].dW, twin[2].weight.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_check_derivation_knows_a_registered_derivative_and_never_takes_it_as_one(softplus):
    model = MLP(2, [3, 1], activation="softplus", output_activation="sigmoid", seed=3)
    X, Y = random_batch(model, 4, "bce", seed=2)

    def backprop(d, f_prime):
        dZ2 = (d.A[2] - d.Y) / d.m
        dZ1 = (d.W[1].T @ dZ2) * f_prime(d.Z[0])
        return {"dZ2": dZ2, "dZ1": dZ1, "dW1": dZ1 @ d.A[0].T}

    assert check_derivation(lambda d: backprop(d, _sigmoid), model, X, Y, "bce").ok
    wrong = check_derivation(lambda d: backprop(d, np.ones_like), model, X, Y, "bce")
    assert not wrong.ok and wrong.key == "dZ1"


def test_chainrule_check_takes_a_registered_activation(softplus, capsys):
    assert main(["check", "--activation", "softplus", "--hidden", "3", "--outputs", "2", "--batch", "3"]) == 0
    out = capsys.readouterr().out
    assert "activation softplus, output softplus" in out and "all three agree" in out


def test_the_torch_bridge_round_trips_a_registered_activation(softplus):
    model = MLP(2, [3, 2], activation="softplus", output_activation="softplus", seed=7)
    back = from_torch(to_torch(model))
    x = [0.3, -1.2]
    assert [v.data for v in back(x)] == [v.data for v in model(x)]
    assert back.hidden_activations == ["softplus"]
    out = to_torch(model)(torch.tensor([x], dtype=torch.float64))[0]
    assert out.tolist() == pytest.approx([v.data for v in model(x)], rel=1e-13)


def test_a_worksheet_with_a_registered_activation_writes_and_checks_it(softplus, tmp_path, capsys):
    sheet, key = tmp_path / "sheet.md", tmp_path / "answers.json"
    argv = ["worksheet", "--sizes", "2,2,1", "--activation", "softplus", "--examples", "2"]
    assert main([*argv, "-o", str(sheet), "--answers", str(key)]) == 0
    text = sheet.read_text(encoding="utf-8")
    assert "softplus in every layer" in text and r"\operatorname{softplus}'" in text
    answers = json.loads(key.read_text())
    W = [np.array(w) for w in answers["W"]]
    Z1, A1 = np.array(answers["Z"][0]), np.array(answers["A"][0])
    assert np.allclose(A1, np.log1p(np.exp(Z1)), rtol=1e-12)  # f = ln(1 + e^z)
    delta1, delta2 = np.array(answers["delta"][0]), np.array(answers["delta"][1])
    assert np.allclose(delta1, (W[1].T @ delta2) * _sigmoid(Z1), rtol=1e-10)  # BP2 with f' = σ
    filled = tmp_path / "filled.json"
    filled.write_text(json.dumps({"delta": answers["delta"]}))
    assert main(["worksheet", "--check", str(filled), "--against", str(key)]) == 0
    filled.write_text(json.dumps({"delta": [(delta1 * 1.5).tolist(), answers["delta"][1]]}))
    assert main(["worksheet", "--check", str(filled), "--against", str(key)]) == 1
    assert "BP2" in capsys.readouterr().out


def test_an_unregistered_activation_is_refused_everywhere_not_given_f_prime_one(tmp_path, capsys):
    assert "softplus" not in ACTIVATIONS
    assert main(["worksheet", "--activation", "softplus", "-o", str(tmp_path / "s.md")]) == 2
    assert "unknown activation 'softplus'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:  # argparse's own error
        main(["check", "--activation", "softplus"])
    assert exit_.value.code == 2 and "unknown activation 'softplus'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):  # the sheet reads the registry, never a default f' = 1
        derivative_rows("softplus", Sym("z"), Sym("a"), 0.5, 0.9, 4)


def test_registration_refuses_a_taken_name_and_a_built_in_removal():
    with pytest.raises(ValueError, match="already registered"):
        register(ACTIVATIONS["tanh"])
    with pytest.raises(ValueError, match="not an activation added with register"):
        unregister("tanh")
    with pytest.raises(ValueError, match="already registered"):
        register_cost(COSTS["mse"])
    with pytest.raises(ValueError, match="not a cost added with register_cost"):
        unregister_cost("bce")


# -- the cost --------------------------------------------------------------------------------------


def test_a_registered_cost_on_values_matches_pytorch(log_cosh):
    a = [[Value(0.3), Value(-1.2)], [Value(2.0), Value(0.5)], [Value(-0.4), Value(0.0)]]
    y = [[0.1, 0.4], [-0.5, 0.5], [1.0, -2.0]]
    C = COSTS["log_cosh"](a, y)
    C.backward()
    ta = torch.tensor([[v.data for v in row] for row in a], dtype=torch.float64, requires_grad=True)
    theirs = torch.log(torch.cosh(ta - torch.tensor(y, dtype=torch.float64))).sum() / 3
    theirs.backward()
    assert C.data == pytest.approx(theirs.item(), rel=1e-13)
    assert [v.grad for row in a for v in row] == pytest.approx(ta.grad.flatten().tolist(), rel=1e-12)
    A, Y = np.array([[v.data for v in row] for row in a]).T, np.array(y).T
    assert log_cosh.arrays.value(A, Y, np) == pytest.approx(theirs.item(), rel=1e-13)


def test_a_registered_cost_goes_through_compare_and_check_derivation(log_cosh):
    model = MLP(3, [4, 2], activation="tanh", output_activation="linear", seed=4)
    X, Y = random_batch(model, 5, "log_cosh", seed=3)
    report = compare(model, X, Y, "log_cosh")
    assert report.ok, str(report)
    dA = lambda d: {"dA2": np.tanh(d.A[2] - d.Y) / d.m}
    assert check_derivation(dA, model, X, Y, "log_cosh", convention="averaged").ok
    as_quadratic = lambda d: {"dA2": (d.A[2] - d.Y) / d.m}
    assert not check_derivation(as_quadratic, model, X, Y, "log_cosh", convention="averaged").ok


def test_chainrule_check_takes_a_registered_cost(log_cosh, capsys):
    assert main(["check", "--cost", "log_cosh", "--activation", "tanh", "--hidden", "3", "--batch", "3"]) == 0
    out = capsys.readouterr().out
    assert "cost log_cosh" in out and "all three agree" in out


def test_a_worksheet_with_a_registered_cost_writes_and_checks_it(log_cosh, tmp_path):
    sheet, key = tmp_path / "sheet.md", tmp_path / "answers.json"
    argv = ["worksheet", "--sizes", "2,2,2", "--activation", "tanh,linear", "--cost", "log_cosh"]
    assert main([*argv, "--examples", "2", "-o", str(sheet), "--answers", str(key)]) == 0
    assert "the log-cosh cost C = 1/m" in sheet.read_text(encoding="utf-8")
    answers = json.loads(key.read_text())
    A2, Y = np.array(answers["A"][1]), np.array(answers["Y"])
    assert answers["C"] == pytest.approx(np.sum(np.log(np.cosh(A2 - Y))) / 2, rel=1e-12)
    assert np.allclose(answers["delta"][1], np.tanh(A2 - Y) / 2, rtol=1e-12)  # linear output: f' = 1
    filled = tmp_path / "filled.json"
    filled.write_text(json.dumps({"C": answers["C"] + 0.01}))
    assert main(["worksheet", "--check", str(filled), "--against", str(key)]) == 1
