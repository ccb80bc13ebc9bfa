"""The command line against careless and hostile use (issue 9, item 7 for train and check; item 8).

Each test is one reproduction: the clear message, the exit status (2 for a
usage error, as argparse; 130 for Ctrl-C) and, where it matters, that nothing
was trained or written.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys

import pytest

from chainrule.cli import main

pytest.importorskip("matplotlib")

SHORT = ["--samples", "60", "--hidden", "4", "--epochs", "2", "--no-progress"]


def exit_status(argv: list[str]) -> int:
    """``main(argv)``'s status, also when argparse exits by itself."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code)


def test_check_with_a_negative_seed_is_a_usage_error_not_a_numpy_traceback(capsys):
    assert exit_status(["check", "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert "argument --seed: expected an int >= 0, got '-1'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("hidden", [",,", "16,,16", "", "16,"])
def test_empty_hidden_layer_sizes_are_refused(tmp_path, capsys, hidden):
    assert exit_status(["train", *SHORT[:2], "--hidden", hidden, "--out", str(tmp_path / "run")]) == 2
    assert "a size is empty" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_check_refuses_empty_hidden_sizes_too(capsys):
    assert exit_status(["check", "--hidden", ",,"]) == 2
    assert "a size is empty" in capsys.readouterr().err


def test_no_hidden_layer_is_said_explicitly(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", *SHORT[:2], "--hidden", "none", "--epochs", "1", "--no-progress", "--out", str(out)]) == 0
    from nn.serialize import load

    assert load(out / "model.json").sizes == [1]


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--l2", "inf", "argument --l2: expected a finite number >= 0, got 'inf'"),
        ("--l2", "nan", "argument --l2: expected a finite number >= 0, got 'nan'"),
        ("--noise", "-0.1", "argument --noise: expected a finite number >= 0, got '-0.1'"),
        ("--lr", "inf", "argument --lr: expected a positive number, got 'inf'"),
    ],
)
def test_infinite_or_negative_settings_are_refused_before_training(tmp_path, capsys, option, value, message):
    assert exit_status(["train", *SHORT, option, value, "--out", str(tmp_path / "run")]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""  # no "data:" line: nothing was generated or trained
    assert not (tmp_path / "run").exists()


def test_unwritable_out_is_refused_before_training(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert exit_status(["train", *SHORT, "--out", str(blocker / "run")]) == 2
    captured = capsys.readouterr()
    assert f"cannot create the output folder {str(blocker / 'run')!r}: Not a directory" in captured.err
    assert captured.out == ""  # refused before the data and the model were made
    assert exit_status(["train", *SHORT, "--out", str(blocker)]) == 2
    assert f"the output folder {str(blocker)!r} is a file" in capsys.readouterr().err


def test_read_only_out_is_refused_before_training(tmp_path, capsys, monkeypatch):
    # os.access stands for a read-only folder (root may write into a chmod 500 one anyway)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    folder = tmp_path / "locked" / "run"
    assert exit_status(["train", *SHORT, "--out", str(folder)]) == 2
    captured = capsys.readouterr()
    assert f"cannot write into the output folder {str(folder)!r}" in captured.err and captured.out == ""
    assert not (tmp_path / "locked").exists()  # the folders made for the run are removed again


def test_rerun_into_a_used_out_is_refused_without_force(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", *SHORT, "--seed", "1", "--out", str(out)]) == 0
    model = (out / "model.json").read_bytes()
    capsys.readouterr()
    assert main(["train", *SHORT, "--seed", "2", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert f"the output folder {str(out)!r} is not empty" in captured.err and "--force" in captured.err
    assert captured.out == ""
    assert (out / "model.json").read_bytes() == model


def test_force_replaces_only_the_run_files_and_drops_stale_pictures(tmp_path, capsys):
    pytest.importorskip("sklearn")
    out = tmp_path / "run"
    assert main(["train", *SHORT, "--out", str(out)]) == 0  # moons: 2-D, draws a decision boundary
    (out / "notes.txt").write_text("mine")
    argv = ["train", "--data", "digits", "--hidden", "3", "--epochs", "1", "--no-progress", "--out", str(out)]
    assert main([*argv, "--force"]) == 0  # digits: 64-D, no decision boundary
    assert sorted(p.name for p in out.iterdir()) == ["history.csv", "loss.png", "model.json", "notes.txt"]
    assert (out / "notes.txt").read_text() == "mine"
    from nn.serialize import load

    assert load(out / "model.json").nin == 64


def test_a_hundred_million_samples_is_a_clear_limit_not_a_memory_error(tmp_path, capsys):
    assert exit_status(["train", "--samples", "100000000", "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "samples = 100000000 is more than max_samples = 100000" in err and "--max-samples" in err
    assert "MemoryError" not in err and not (tmp_path / "run").exists()


def test_max_samples_lifts_the_limit(tmp_path, capsys):
    argv = ["train", "--samples", "80", "--hidden", "4", "--epochs", "1", "--no-progress"]
    assert exit_status([*argv, "--max-samples", "79", "--out", str(tmp_path / "a")]) == 2
    assert "max_samples = 79" in capsys.readouterr().err
    assert main([*argv, "--max-samples", "80", "--out", str(tmp_path / "b")]) == 0


def test_a_huge_model_is_a_clear_limit(tmp_path, capsys):
    assert exit_status(["train", "--hidden", "100000,100000", "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "has 10000500001 parameters, more than max_parameters = 100000" in err
    assert "--max-parameters" in err


def test_every_run_file_is_written_by_renaming_a_complete_temporary_file(tmp_path, capsys, monkeypatch):
    renamed = []
    real_replace = os.replace

    def recording_replace(source, target):
        renamed.append((os.path.basename(source), os.path.basename(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", recording_replace)
    out = tmp_path / "run"
    assert main(["train", *SHORT, "--out", str(out)]) == 0
    targets = sorted(target for _, target in renamed)
    assert targets == ["decision_boundary.png", "history.csv", "loss.png", "model.json"]
    assert all(source.startswith(f".{target}.") and source.endswith(".tmp") for source, target in renamed)
    assert sorted(p.name for p in out.iterdir()) == targets  # no temporary file left behind


def test_ctrl_c_during_training_is_one_line_exit_130_and_writes_nothing(tmp_path):
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "chainrule", "train", "--samples", "3000", "--hidden", "16,16", "--epochs", "1000",
         "--no-progress", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        for line in process.stdout:  # the "model:" line is printed just before training starts
            if line.startswith("model:"):
                break
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chainrule train: interrupted")
    assert not out.exists()  # the folder made for the run is removed again: nothing written


def test_settings_are_checked_when_made_from_python():
    from chainrule.recipe import TrainSettings

    with pytest.raises(ValueError, match="l2 must be a finite number, got inf"):
        TrainSettings(l2=math.inf)
    with pytest.raises(ValueError, match="samples = 200000 is more than max_samples"):
        TrainSettings(samples=200_000)
    assert TrainSettings(samples=200_000, max_samples=200_000).samples == 200_000
    assert TrainSettings(data="digits", samples=10**9).samples == 10**9  # digits has a fixed size


def test_check_of_a_huge_model_or_batch_is_a_clear_limit(capsys):
    assert exit_status(["check", "--hidden", "300,300"]) == 2
    err = capsys.readouterr().err
    assert "MLP(3, [300, 300, 1]) has 91801 parameters; x 5 examples = 459005, more than --max-work 50000" in err
    assert exit_status(["check", "--batch", "100000000"]) == 2
    assert "x 100000000 examples" in capsys.readouterr().err
    assert main(["check", "--hidden", "30", "--batch", "20", "--max-work", str(151 * 20)]) == 0
    assert exit_status(["check", "--hidden", "30", "--batch", "20", "--max-work", str(151 * 20 - 1)]) == 2


def test_a_reader_that_goes_away_is_not_a_traceback():
    import subprocess
    import sys

    command = [sys.executable, "-m", "chainrule", "check", "--hidden", "4,3"]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # NOTE: closed before the child (still importing) can write a line, as `| true` does: had the
    # test read a line first, a fast child could finish writing everything before the close.
    writer.stdout.close()
    _, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 141 and b"Traceback" not in stderr
