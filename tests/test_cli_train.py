"""``chainrule train``: a short run writes every file; bad input is a clear error with exit code 2."""

import csv
import subprocess
import sys

import pytest

from chainrule.cli import main
from nn.serialize import load

pytest.importorskip("matplotlib")

SHORT = ["--samples", "60", "--hidden", "4", "--epochs", "3", "--no-progress"]


def test_train_writes_model_history_and_pictures(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", "--data", "moons", *SHORT, "--loss", "hinge", "--seed", "1", "--out", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0
    assert {p.name for p in out.iterdir()} == {"model.json", "history.csv", "loss.png", "decision_boundary.png"}
    assert "train accuracy" in stdout and "test accuracy" in stdout
    assert str(out / "decision_boundary.png") in stdout and str(out / "loss.png") in stdout
    rows = list(csv.DictReader((out / "history.csv").open()))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
    assert set(rows[0]) == {"epoch", "loss", "accuracy", "lr", "val_loss", "val_accuracy"}
    model = load(out / "model.json")
    assert model.sizes == [4, 1] and model.output_activation == "linear"
    for name in ("loss.png", "decision_boundary.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reported_test_accuracy_is_that_of_the_saved_model(tmp_path, capsys):
    from nn.datasets import moons, train_test_split
    from nn.train import accuracy

    out = tmp_path / "run"
    main(["train", *SHORT, "--seed", "2", "--out", str(out)])
    stdout = capsys.readouterr().out
    X, y = moons(60, seed=2)
    _, X_test, _, y_test = train_test_split(X, [2 * c - 1 for c in y], 1 / 3, seed=2)
    expected = accuracy(load(out / "model.json"), X_test, y_test)
    assert f"test accuracy {100 * expected:.1f}%" in stdout


@pytest.mark.parametrize(
    "args, activation, size",
    [
        (["--data", "spiral"], "linear", 3),
        (["--data", "circles", "--loss", "bce"], "sigmoid", 1),
        (["--data", "xor", "--loss", "quadratic", "--optimizer", "adam", "--schedule", "linear"], "sigmoid", 1),
    ],
)
def test_loss_decides_the_output_layer(tmp_path, capsys, args, activation, size):
    out = tmp_path / "run"
    assert main(["train", *SHORT, *args, "--out", str(out)]) == 0
    model = load(out / "model.json")
    assert model.output_activation == activation and model.sizes[-1] == size
    assert (out / "decision_boundary.png").exists()


@pytest.mark.slow
def test_digits_have_no_decision_boundary_picture(tmp_path, capsys):
    pytest.importorskip("sklearn")
    out = tmp_path / "run"
    assert main(["train", "--data", "digits", "--hidden", "3", "--epochs", "1", "--no-progress", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"model.json", "history.csv", "loss.png"}
    assert load(out / "model.json").nin == 64


OPTIONS = ["--data", "--samples", "--max-samples", "--noise", "--test-fraction", "--hidden", "--activation",
           "--init", "--max-parameters", "--loss", "--optimizer", "HYPERPARAMETERS", "--schedule", "--l2",
           "--epochs", "--batch-size", "--seed", "--out", "--force", "--no-progress"]


def test_help_documents_every_option(capsys):
    from nn.optim import hyperparameters_by_name

    hyperparameters = [f"--{name.replace('_', '-')}" for name in hyperparameters_by_name()]
    assert hyperparameters[:2] == ["--lr", "--momentum"] and {"--beta1", "--beta2", "--eps"} <= set(hyperparameters)
    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    documented = [line.split()[0] for line in text.splitlines() if line.startswith("  --")]
    at = OPTIONS.index("HYPERPARAMETERS")
    assert documented == [*OPTIONS[:at], *hyperparameters, *OPTIONS[at + 1:]]
    for word in ("model.json", "history.csv", "loss.png", "decision_boundary.png", "hinge", "default"):
        assert word in text


def test_help_lists_the_data_sets_losses_and_activations_of_the_library_tables(capsys):
    from nn.activations import ACTIVATIONS
    from nn.costs import COSTS
    from nn.datasets import DATASETS

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    for record in DATASETS.values():
        assert f"  {record.name:<8} {record.summary}: {record.inputs} inputs, {record.classes} classes" in text
    for record in COSTS.values():
        assert f"  {record.name:<14} " in text and f"labels {record.labels} ({record.summary})" in text
    assert " ".join(", ".join(ACTIVATIONS).split()) in " ".join(text.split())
    assert "{" + ",".join(COSTS) + "}" in text and "{" + ",".join(DATASETS) + "}" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--hidden", "16,x"], "expected layer sizes"),
        (["--epochs", "0"], "expected a positive int"),
        (["--lr", "-1"], "expected a positive number"),
        (["--data", "mnist"], "invalid choice"),
        (["--test-fraction", "1.5"], "--test-fraction"),
        (["--data", "spiral", "--loss", "hinge"], "use the loss 'cross_entropy'"),
        (["--momentum", "1"], "[0, 1)"),
    ],
)
def test_bad_input_is_a_message_and_exit_code_2(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as info:
        code = main(["train", *SHORT, *args, "--out", str(tmp_path / "run")])
        raise SystemExit(code)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unwritable_out_is_exit_2_without_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = subprocess.run(
        [sys.executable, "-m", "chainrule.cli", "train", *SHORT, "--out", str(blocker / "run")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "chainrule train: error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_train_takes_one_activation_per_hidden_layer(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", "--samples", "60", "--hidden", "4,3", "--activation", "swish,leaky_relu",
                 "--epochs", "2", "--no-progress", "--out", str(out)])
    assert code == 0
    assert "swish,leaky_relu hidden" in capsys.readouterr().out
    model = load(out / "model.json")
    assert model.hidden_activations == ["swish", "leaky_relu"] and model.sizes == [4, 3, 1]


def test_train_says_how_many_activations_are_needed(tmp_path, capsys):
    assert main(["train", "--hidden", "4,3", "--activation", "swish,leaky_relu,tanh", "--out", str(tmp_path / "r")]) == 2
    assert "activation has 3 names for 2 hidden layers: give one name, or 2" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
