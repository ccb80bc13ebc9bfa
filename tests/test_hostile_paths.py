"""Paths that are not regular files, given to the one reader and the one writer (issue 17, items 3 and 4).

``autograd.files.read_limited`` reads every file a user gives (model files,
worksheet --given/--check/--against files, notebooks): a regular file only,
refused by type before a byte is read, and at most a limit of bytes counted as
they are read. ``autograd.files.write_atomic`` writes every file: a target
that exists and is not a regular file is refused and left as it was; a
symbolic link is followed only to a regular file, which is replaced while the
link is kept.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from autograd.files import NotARegularFile, read_limited, write_atomic
from chainrule.cli import main

needs_dev = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero and /dev/urandom")


# -- the reader ------------------------------------------------------------------------------


@needs_dev
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_by_its_type(device):
    with pytest.raises(NotARegularFile, match=f"the given file '{device}' is a character device"):
        read_limited(device, 10**9, "given file")


def test_a_directory_is_refused_by_its_type(tmp_path):
    with pytest.raises(NotARegularFile, match="is a directory, not a regular file"):
        read_limited(tmp_path, 1000, "model file")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result: list[BaseException] = []
    reader = threading.Thread(target=lambda: result.append(_raised(read_limited, fifo, 1000, "filled file")))
    reader.start()
    reader.join(timeout=30)
    if reader.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        reader.join()
        pytest.fail("reading a FIFO waited for a writer")
    assert isinstance(result[0], NotARegularFile) and "is a FIFO (named pipe)" in str(result[0])


def _raised(function, *args) -> BaseException | None:
    try:
        function(*args)
    except BaseException as error:  # the test inspects it
        return error
    return None


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_the_byte_limit_counts_the_bytes_read_not_the_stat_size():
    data = Path("/proc/self/status").read_bytes()
    assert os.stat("/proc/self/status").st_size == 0 < len(data)
    with pytest.raises(ValueError, match="larger than the limit of 10 bytes"):
        read_limited("/proc/self/status", 10, "given file")
    assert read_limited("/proc/self/status", 10**6).startswith(b"Name:")


def test_a_regular_file_and_a_link_to_one_are_read_up_to_the_limit(tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(b"x" * 100)
    (tmp_path / "link.json").symlink_to(path)
    assert read_limited(path, 100) == b"x" * 100
    assert read_limited(tmp_path / "link.json", 100) == b"x" * 100
    with pytest.raises(ValueError, match="larger than the limit of 99 bytes"):
        read_limited(path, 99)


@needs_dev
@pytest.mark.parametrize("option", ["--given", "--check", "--against"])
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_worksheet_files_that_are_devices_are_one_line_exit_2(tmp_path, capsys, option, device):
    answers = tmp_path / "a.json"
    assert main(["worksheet", "--answers", str(answers)]) == 0
    capsys.readouterr()
    argv = {
        "--given": ["--given", device, "--answers", str(tmp_path / "b.json")],
        "--check": ["--check", device, "--against", str(answers)],
        "--against": ["--check", str(answers), "--against", device],
    }[option]
    assert main(["worksheet", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(f"'{device}' is a character device, not a regular file")
    assert len(err.splitlines()) == 1


def test_a_worksheet_file_that_is_a_fifo_is_one_line_exit_2(tmp_path, capsys):
    fifo = tmp_path / "filled.json"
    os.mkfifo(fifo)
    answers = tmp_path / "a.json"
    assert main(["worksheet", "--answers", str(answers)]) == 0
    capsys.readouterr()
    assert main(["worksheet", "--check", str(fifo), "--against", str(answers)]) == 2
    assert "is a FIFO (named pipe), not a regular file" in capsys.readouterr().err


# -- the writer ------------------------------------------------------------------------------


def test_the_writer_refuses_a_fifo_and_leaves_it(tmp_path):
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="is a FIFO \\(named pipe\\); only a regular file is replaced"):
        write_atomic(fifo, "{}")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json"]  # no temporary file left


def test_the_writer_refuses_a_directory_and_leaves_it(tmp_path):
    (tmp_path / "sheet.html").mkdir()
    with pytest.raises(NotARegularFile, match="is a directory"):
        write_atomic(tmp_path / "sheet.html", "<p>")
    assert (tmp_path / "sheet.html").is_dir()


@needs_dev
def test_the_writer_refuses_a_link_to_a_device_and_keeps_link_and_device(tmp_path):
    link = tmp_path / "answers.json"
    link.symlink_to("/dev/null")
    with pytest.raises(NotARegularFile, match="symbolic link to a character device, '/dev/null'"):
        write_atomic(link, "{}")
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_the_writer_refuses_a_link_to_standard_output(tmp_path):
    link = tmp_path / "answers.json"
    link.symlink_to("/proc/self/fd/1")
    with pytest.raises(NotARegularFile):
        write_atomic(link, "{}")
    assert link.is_symlink()


def test_the_writer_refuses_a_dangling_link(tmp_path):
    link = tmp_path / "model.json"
    link.symlink_to(tmp_path / "nowhere" / "model.json")
    with pytest.raises(NotARegularFile, match="which does not exist"):
        write_atomic(link, "{}")
    assert link.is_symlink()


def test_the_writer_follows_a_link_to_a_regular_file_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "answers.json"
    real.write_text("old")
    link = tmp_path / "answers.json"
    link.symlink_to(real)
    assert write_atomic(link, "new") == link
    assert link.is_symlink() and real.read_text() == "new"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["answers.json"]


@needs_dev
def test_worksheet_answers_naming_a_link_to_a_device_is_one_line_exit_2(tmp_path, capsys):
    link = tmp_path / "answers.json"
    link.symlink_to("/dev/null")
    assert main(["worksheet", "--answers", str(link)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "symbolic link to a character device" in err
    assert link.is_symlink()


def test_a_failed_write_names_the_target_not_the_hidden_temporary_file(tmp_path, capsys):
    missing = tmp_path / "missing" / "answers.json"
    assert main(["worksheet", "--answers", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and ".tmp" not in err
