"""One record per optimizer: a throwaway optimizer registered here reaches the class's checks,
TrainSettings, ``chainrule train`` (its choice and its options) and a training run; every record's
steps match torch.optim in float64, and every interval is refused alike by the constructor, the
settings and the command line."""

import dataclasses
import math

import pytest

from autograd import Value
from chainrule.cli import main
from chainrule.train_settings import TrainSettings
from nn.hyperparameters import Hyperparameter
from nn.optim import EPS, LR, OPTIMIZERS, Optimizer, OptimizerRecord, Schedule
from nn.serialize import load

RHO = Hyperparameter("rho", "ρ", "decay rate of the running mean of g^2", default=0.99, high=1.0)


class RMSpropLite(Optimizer):
    r"""v ← ρ v + (1 - ρ) g², θ ← θ - α g / (√v + ε): ``torch.optim.RMSprop`` without momentum."""

    def __init__(
        self, params, lr: float, rho: float = RHO.default, eps: float = EPS.default,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(params, lr, schedule=schedule)
        self.rho, self.eps = RHO.check(rho), EPS.check(eps)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        lr, rho = self.current_lr, self.rho
        for i, (p, g) in enumerate(zip(self.params, self._gradients())):
            v = self.v[i] = rho * self.v[i] + (1.0 - rho) * g * g
            p.data -= lr * g / (math.sqrt(v) + self.eps)
        self.steps += 1


THROWAWAY = OptimizerRecord("rmsprop_lite", RMSpropLite, "RMSprop without momentum", (LR, RHO, EPS))
RECORDS = [*OPTIMIZERS.values(), THROWAWAY]

TORCH = {
    "sgd": lambda torch, ts, h: torch.optim.SGD(ts, lr=h["lr"], momentum=h["momentum"]),
    "adam": lambda torch, ts, h: torch.optim.Adam(ts, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
    "rmsprop_lite": lambda torch, ts, h: torch.optim.RMSprop(ts, lr=h["lr"], alpha=h["rho"], eps=h["eps"]),
}
"""Each record's torch.optim counterpart, built from the same hyperparameters."""

VALUES = {"lr": 0.03, "momentum": 0.8, "beta1": 0.85, "beta2": 0.99, "eps": 1e-6, "rho": 0.9}
"""A value inside each interval, away from its default, so a value lost on the way fails."""

GRADIENTS = [[0.5, -1.0, 2.0], [0.1, 0.3, -0.7], [-2.0, 0.05, 1.1], [0.4, 0.4, -0.4], [1.5, -0.2, 0.0]]
SHORT = ["--samples", "60", "--hidden", "4", "--epochs", "3", "--batch-size", "16", "--no-progress"]


@pytest.fixture
def throwaway(monkeypatch):
    """THROWAWAY registered for one test (the registry is restored afterwards)."""
    monkeypatch.setitem(OPTIMIZERS, THROWAWAY.name, THROWAWAY)
    return THROWAWAY


def outside(h: Hyperparameter) -> list[float]:
    """Values just outside each end of ``h``'s interval."""
    bad = [h.low if h.low_open else h.low - 0.5]
    if math.isfinite(h.high):
        bad.append(h.high if h.high_open else h.high + 0.5)
    return bad


CASES = [
    pytest.param(record, h, bad, id=f"{record.name}-{h.name}-{bad:g}")
    for record in RECORDS
    for h in record.hyperparameters
    for bad in outside(h)
]


def test_every_record_has_a_torch_counterpart_and_a_test_value():
    assert set(TORCH) == {record.name for record in RECORDS}
    for record in RECORDS:
        for h in record.hyperparameters:
            assert h.check(VALUES[h.name]) != h.default, h.name


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_each_record_builds_its_optimizer_whose_steps_match_torch_optim_in_float64(record):
    torch = pytest.importorskip("torch")
    values = {name: VALUES[name] for name in record.names}
    start = [1.0, -0.5, 0.25]
    ps = [Value(x) for x in start]
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start]
    optimizer, reference = record.build(ps, values), TORCH[record.name](torch, ts, values)
    assert isinstance(optimizer, record.cls)
    for grads in GRADIENTS:
        for p, t, g in zip(ps, ts, grads):
            p.grad = g
            t.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        reference.step()
        assert [p.data for p in ps] == pytest.approx([t.item() for t in ts], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("record, h, bad", CASES)
def test_a_value_outside_its_interval_is_refused_by_constructor_settings_and_option(
    throwaway, tmp_path, capsys, record, h, bad
):
    message = f"{h.name} must be {h.requirement}, got {bad!r}"
    make = record.make or record.cls
    values = {name: VALUES[name] for name in record.names}
    with pytest.raises(ValueError) as refused:
        make([Value(1.0)], **{**values, h.name: bad})  # the class itself, not only the record
    assert h.name in str(refused.value) and f"must be {h.requirement}, got {bad!r}" in str(refused.value)
    settings = {"lr": bad} if h.name == "lr" else {"optimizer_options": {h.name: bad}}
    with pytest.raises(ValueError) as refused:
        TrainSettings(optimizer=record.name, **settings)
    assert message in str(refused.value)
    with pytest.raises(SystemExit) as info:
        main(["train", "--optimizer", record.name, f"--{h.name}", repr(bad), "--out", str(tmp_path / "run")])
    assert info.value.code == 2
    assert f"argument --{h.name}: expected {h.expected}, got {repr(bad)!r}" in capsys.readouterr().err


def test_a_registered_optimizer_is_a_choice_of_chainrule_train_with_its_options(throwaway, capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    flat = " ".join(text.split())
    assert "--optimizer {" + ",".join(OPTIMIZERS) + "}" in text and "rmsprop_lite" in OPTIMIZERS
    assert "rmsprop_lite, RMSprop without momentum" in flat
    assert "--rho RHO ρ in [0, 1): decay rate of the running mean of g^2 (rmsprop_lite; default: 0.99)" in flat
    assert "--eps EPS ε > 0: added to sqrt(v) in the denominator of a step (adam, rmsprop_lite; default: 1e-08)" in flat
    assert "--momentum MOMENTUM μ in [0, 1): momentum, 0 for plain gradient descent (sgd; default: 0.9)" in flat


def test_a_registered_optimizer_trains_from_the_command_line_with_its_options(monkeypatch, tmp_path, capsys):
    built = []

    def spy(params, **values):
        built.append((RMSpropLite(params, **values), values))
        return built[-1][0]

    monkeypatch.setitem(OPTIMIZERS, THROWAWAY.name, dataclasses.replace(THROWAWAY, make=spy))
    out = tmp_path / "run"
    args = ["train", *SHORT, "--optimizer", "rmsprop_lite", "--lr", "0.02", "--rho", "0.5", "--out", str(out)]
    assert main(args) == 0
    [(optimizer, values)] = built
    assert values == {"lr": 0.02, "rho": 0.5, "eps": 1e-8, "schedule": None}
    assert optimizer.steps == 3 * math.ceil(40 / 16)  # 40 of the 60 examples train, 3 batches per epoch
    trained = load(out / "model.json")
    assert [p.data for p in trained.parameters()] == [p.data for p in optimizer.params]
    assert "loss hinge, rmsprop_lite lr 0.02" in capsys.readouterr().out


def test_train_settings_fill_a_registered_optimizers_defaults_and_refuse_foreign_options(throwaway):
    settings = TrainSettings(optimizer="rmsprop_lite", optimizer_options={"rho": 0.5})
    assert settings.hyperparameters() == {"lr": 0.05, "rho": 0.5, "eps": 1e-8}
    assert TrainSettings().hyperparameters() == {"lr": 0.05, "momentum": 0.9}  # the job's μ, not SGD's 0
    assert TrainSettings(optimizer="adam").hyperparameters() == {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    with pytest.raises(ValueError, match="optimizer rmsprop_lite takes no hyperparameter 'momentum'; it takes: lr, rho, eps"):
        TrainSettings(optimizer="rmsprop_lite", optimizer_options={"momentum": 0.5})
    with pytest.raises(ValueError, match="lr is a setting of its own"):
        TrainSettings(optimizer_options={"lr": 0.1})
    with pytest.raises(ValueError, match="optimizer_options must be a mapping"):
        TrainSettings(optimizer_options=[("momentum", 0.5)])


def test_an_option_of_another_optimizer_is_exit_2_naming_what_it_takes(tmp_path, capsys):
    code = main(["train", *SHORT, "--optimizer", "adam", "--momentum", "0.5", "--out", str(tmp_path / "run")])
    assert code == 2
    err = capsys.readouterr().err
    assert "optimizer adam takes no hyperparameter 'momentum'; it takes: lr, beta1, beta2, eps" in err
    assert "Traceback" not in err


def test_adam_options_reach_adam(monkeypatch, tmp_path):
    built = []
    record = OPTIMIZERS["adam"]

    def spy(params, **values):
        built.append(record.make(params, **values))
        return built[-1]

    monkeypatch.setitem(OPTIMIZERS, "adam", dataclasses.replace(record, make=spy))
    args = ["train", *SHORT, "--optimizer", "adam", "--beta1", "0.5", "--beta2", "0.75", "--eps", "0.001"]
    assert main([*args, "--out", str(tmp_path / "run")]) == 0
    [adam] = built
    assert (adam.lr, adam.betas, adam.eps) == (0.05, (0.5, 0.75), 0.001)


def test_two_optimizers_giving_one_name_two_intervals_is_an_error(monkeypatch):
    from nn.optim import hyperparameters_by_name

    wide = Hyperparameter("momentum", "μ", "momentum", default=0.0, high=2.0)
    monkeypatch.setitem(OPTIMIZERS, "wide", OptimizerRecord("wide", RMSpropLite, "wide", (LR, wide)))
    with pytest.raises(ValueError, match=r"momentum is in \[0, 1\) in one optimizer and in \[0, 2\) in wide"):
        hyperparameters_by_name()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Hyperparameter("beta-1", "β1", "x"), "must be a Python identifier"),
        (lambda: Hyperparameter("x", "x", "x", low=1.0, high=1.0), "need a finite low < high"),
        (lambda: Hyperparameter("x", "x", "x", default=2.0, high=1.0), r"the default of x must be in \[0, 1\)"),
        (lambda: OptimizerRecord("no_lr", RMSpropLite, "x", (RHO,)), "include lr"),
        (lambda: OptimizerRecord("twice", RMSpropLite, "x", (LR, RHO, RHO)), "must be distinct"),
    ],
)
def test_a_malformed_record_is_refused_when_made(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "h, requirement, expected, accepted, refused",
    [
        (LR, "> 0", "a positive number", [1e-12, 5.0], [0.0, -1.0]),
        (OPTIMIZERS["sgd"].hyperparameters[1], "in [0, 1)", "a number in [0, 1)", [0.0, 0.999], [1.0, -1e-9]),
        (Hyperparameter("w", "λ", "x", default=0.0), ">= 0", "a finite number >= 0", [0.0, 1e6], [-1e-9]),
        (Hyperparameter("p", "p", "x", default=0.5, high=1.0, low_open=True, high_open=False),
         "in (0, 1]", "a number in (0, 1]", [1e-9, 1.0], [0.0, 1.0000001]),
    ],
)
def test_an_interval_is_written_as_its_check_reads_it(h, requirement, expected, accepted, refused):
    assert (h.requirement, h.expected) == (requirement, expected)
    assert [h.check(x) for x in accepted] == accepted
    for x in refused:
        with pytest.raises(ValueError) as info:
            h.check(x, "it")
        assert str(info.value) == f"it must be {requirement}, got {x!r}"
    for bad in (math.nan, math.inf, True, "0.5"):
        with pytest.raises(ValueError, match="must be a finite number"):
            h.check(bad)
