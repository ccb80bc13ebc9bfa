"""``chainrule train --force`` replaces a run only with a complete run (issue 17, item 1).

Each test makes a run, adds a file of the user's, takes a snapshot of every
byte in the folder (hidden files included), then makes the next run fail at
one moment: training diverges so the model cannot be saved, the disk fills up
while the files are written, Ctrl-C arrives while they are written or while
they are moved into place, or a folder sits where ``loss.png`` goes. The
snapshot afterwards must be the same, byte for byte, with no staging folder
left behind.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import chainrule.run_folder
from chainrule.cli import main
from chainrule.run_folder import RUN_FILES, prepare_run_folder

pytest.importorskip("matplotlib")

SHORT = ["--samples", "60", "--hidden", "4", "--epochs", "2", "--no-progress"]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (relative, hidden ones too) -> its bytes (None for a folder)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def previous_run(tmp_path, capsys) -> Path:
    """A folder holding a complete run and a file of the user's."""
    out = tmp_path / "run"
    assert main(["train", *SHORT, "--seed", "1", "--out", str(out)]) == 0
    (out / "notes.txt").write_text("my notes")
    capsys.readouterr()
    return out


def failing_writer(monkeypatch, on_call: int, error: BaseException) -> list[str]:
    """Make the run folder's writer raise ``error`` at its ``on_call``-th file; the names it was given."""
    real = chainrule.run_folder.write_atomic
    names: list[str] = []

    def write(path, data):
        names.append(Path(path).name)
        if len(names) == on_call:
            raise error
        return real(path, data)

    monkeypatch.setattr(chainrule.run_folder, "write_atomic", write)
    return names


def test_a_diverging_forced_run_keeps_the_previous_run_whole(previous_run, capsys):
    before = snapshot(previous_run)
    argv = ["train", "--l2", "1", "--lr", "2", "--epochs", "10", "--samples", "60", "--no-progress"]
    assert main([*argv, "--out", str(previous_run), "--force"]) == 2
    err = capsys.readouterr().err
    assert "cannot save a model whose parameter" in err and "is nan (training diverged?)" in err
    assert snapshot(previous_run) == before


@pytest.mark.parametrize("on_call", [1, 2, 3, 4])
def test_a_full_disk_at_any_file_of_a_forced_run_keeps_the_previous_run_whole(
    previous_run, capsys, monkeypatch, on_call
):
    before = snapshot(previous_run)
    disk_full = OSError(errno.ENOSPC, "No space left on device")
    names = failing_writer(monkeypatch, on_call, disk_full)
    assert main(["train", *SHORT, "--seed", "2", "--out", str(previous_run), "--force"]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert len(names) == on_call
    assert snapshot(previous_run) == before


def test_ctrl_c_while_the_files_are_written_keeps_the_previous_run_whole(previous_run, capsys, monkeypatch):
    before = snapshot(previous_run)
    failing_writer(monkeypatch, 3, KeyboardInterrupt())
    assert main(["train", *SHORT, "--seed", "2", "--out", str(previous_run), "--force"]) == 130
    assert capsys.readouterr().err.strip() == "chainrule train: interrupted"
    assert snapshot(previous_run) == before


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(errno.EIO, "Input/output error")])
@pytest.mark.parametrize("on_rename", [2, 5, 7])
def test_an_interruption_while_the_new_files_are_moved_in_moves_every_file_back(
    previous_run, monkeypatch, capsys, error, on_rename
):
    before = snapshot(previous_run)
    real_rename = os.rename
    renames: list[str] = []

    def rename(source, target):
        renames.append(os.path.basename(target))
        if len(renames) == on_rename:
            raise error
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    status = main(["train", *SHORT, "--seed", "2", "--out", str(previous_run), "--force"])
    assert status == (130 if isinstance(error, KeyboardInterrupt) else 2)
    assert len(renames) > on_rename  # the moves were undone
    assert snapshot(previous_run) == before


def test_a_folder_where_a_run_file_goes_is_refused_before_training(previous_run, capsys):
    (previous_run / "loss.png").unlink()
    (previous_run / "loss.png").mkdir()
    (previous_run / "loss.png" / "inside.txt").write_text("kept")
    before = snapshot(previous_run)
    assert main(["train", *SHORT, "--seed", "2", "--out", str(previous_run), "--force"]) == 2
    captured = capsys.readouterr()
    assert "holds 'loss.png', which is a folder: a run replaces only regular files" in captured.err
    assert "data:" not in captured.out  # refused before the data were made
    assert snapshot(previous_run) == before


def test_a_forced_run_replaces_the_run_files_keeps_the_users_and_leaves_no_staging_folder(previous_run, capsys):
    model = (previous_run / "model.json").read_bytes()
    assert main(["train", *SHORT, "--seed", "2", "--out", str(previous_run), "--force"]) == 0
    assert sorted(p.name for p in previous_run.iterdir()) == sorted([*RUN_FILES, "notes.txt"])
    assert (previous_run / "notes.txt").read_text() == "my notes"
    assert (previous_run / "model.json").read_bytes() != model


def test_write_run_from_python_keeps_the_previous_run_when_a_file_cannot_be_written(tmp_path, monkeypatch):
    folder = prepare_run_folder(tmp_path / "run")
    folder.write_run({"model.json": "old model", "history.csv": "old history"})
    before = snapshot(folder.path)
    failing_writer(monkeypatch, 2, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        folder.write_run({"model.json": "new model", "history.csv": "new history"})
    assert snapshot(folder.path) == before
    monkeypatch.undo()
    assert folder.write_run({"model.json": "new model"}) == [folder.path / "model.json"]
    assert snapshot(folder.path) == {"model.json": b"new model"}  # no stale history of the old run
