"""chainrule.recipe.train_classifier: the command line's training, from Python, with the same numbers."""

from __future__ import annotations

import pytest

from chainrule.recipe import TrainSettings, train_classifier
from chainrule.train_settings import parse_sizes
from nn.datasets import moons, train_test_split
from nn.layers import MLP
from nn.optim import SGD
from nn.serialize import load
from nn.train import accuracy, fit


def test_the_recipe_is_the_hand_written_training_of_the_readme():
    settings = TrainSettings(samples=90, hidden=(8,), epochs=3, batch_size=16, seed=4)
    run = train_classifier(settings)
    X, y = moons(90, seed=4)
    X_train, X_test, y_train, y_test = train_test_split(X, [2 * c - 1 for c in y], 1 / 3, seed=4)
    model = MLP(2, [8, 1], "relu", "linear", seed=4)
    history = fit(model, X_train, y_train, loss="hinge", optimizer=SGD(model.parameters(), lr=0.05, momentum=0.9),
                  epochs=3, batch_size=16, seed=4, validation=(X_test, y_test), progress=False)
    assert run.model.state_dict() == model.state_dict()
    assert run.history == history and run.loss == "hinge" and run.files == []
    assert run.test_accuracy == accuracy(model, X_test, y_test)
    assert (run.examples, run.classes) == (X, y)


@pytest.mark.slow
def test_the_recipe_and_the_command_line_write_the_same_model(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from chainrule.cli import main

    assert main(["train", "--data", "xor", "--samples", "60", "--hidden", "5", "--loss", "bce", "--epochs", "2",
                 "--seed", "3", "--no-progress", "--out", str(tmp_path / "cli")]) == 0
    lines = []
    run = train_classifier(TrainSettings(data="xor", samples=60, hidden=(5,), loss="bce", epochs=2, seed=3),
                           tmp_path / "py", log=lines.append)
    assert load(tmp_path / "cli" / "model.json").state_dict() == run.model.state_dict()
    assert (tmp_path / "cli" / "history.csv").read_text() == (tmp_path / "py" / "history.csv").read_text()
    assert [p.name for p in run.files] == ["model.json", "history.csv", "loss.png", "decision_boundary.png"]
    printed = capsys.readouterr().out.replace(str(tmp_path / "cli"), str(tmp_path / "py"))
    assert "\n".join(lines) + "\n" == printed  # the command prints the recipe's report


def test_the_output_layer_and_sizes_follow_the_loss_and_the_data_set():
    assert TrainSettings(data="spiral").layer_sizes() == [16, 16, 3]  # cross_entropy by default
    assert TrainSettings(data="blobs", hidden=()).layer_sizes() == [3]
    assert TrainSettings(data="digits", hidden=(4,)).parameter_count() == 4 * 65 + 1 * 5
    with pytest.raises(ValueError, match="spiral: loss 'mse' is for two classes"):
        TrainSettings(data="spiral", loss="mse")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"data": "mnist"}, "data must be one of: moons, circles"),
        ({"activation": "gelu"}, "activation must be one of"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of: sgd, adam"),
        ({"epochs": 0}, "epochs must be a positive int"),
        ({"test_fraction": 1.0}, r"test_fraction must be in \(0, 1\)"),
        ({"optimizer_options": {"momentum": 1.0}}, r"momentum must be in \[0, 1\)"),
        ({"hidden": (4, 0)}, "a hidden layer size must be a positive int"),
        ({"hidden": "16,16"}, "hidden must be a sequence"),
        ({"seed": 1.5}, "seed must be an int"),
        ({"noise": float("nan")}, "noise must be a finite number"),
    ],
)
def test_every_setting_is_checked_when_the_settings_are_made(changes, message):
    with pytest.raises(ValueError, match=message):
        TrainSettings(**changes)


def test_parse_sizes():
    assert parse_sizes("16, 8") == (16, 8) and parse_sizes("none") == ()
    for bad, message in ((",,", "a size is empty"), ("4,x", "expected layer sizes"), ("4,-1", "positive")):
        with pytest.raises(ValueError, match=message):
            parse_sizes(bad)
