r"""The output folder of a training run: checked before training, replaced whole after it.

A run writes the files of :data:`RUN_FILES` into its folder (``model.json``,
``history.csv``, ``loss.png`` and, for 2-D data, ``decision_boundary.png``).

The policy for a folder that already holds something: it is refused, unless
``force`` is given. With ``force``, the previous run's files are replaced and
every other file in the folder is left where it is, untouched. **A run is
replaced only by a complete run** (:meth:`RunFolder.write_run`):

1. every new file is written (:func:`autograd.files.write_atomic`) into a
   hidden staging folder made inside the run folder, ``.chainrule-new-XXXX``;
2. only when all of them are written, the previous run's files are moved
   into a second hidden folder, ``.chainrule-old-XXXX``, and the new ones
   moved into the run folder: each move is a rename within one file system;
3. the two hidden folders are removed.

An error or Ctrl-C in step 1 (a model that cannot be saved because training
diverged, a full disk, a file that cannot be written) removes the staging
folder and leaves the previous run as it was; one in step 2 moves every file
back first. The folder never holds two runs' files mixed; only ``kill -9``
during the renames of step 2 (milliseconds) can stop it half way, and then
the previous run's files are in ``.chainrule-old-XXXX``. A run's file name
that is not a regular file in the folder (a folder named ``loss.png``, a
link, a device) is refused before training.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograd.files import write_atomic

RUN_FILES = ("model.json", "history.csv", "loss.png", "decision_boundary.png")
"""The files a training run writes into its folder."""


@dataclass
class RunFolder:
    """A checked output folder, made ready by :func:`prepare_run_folder`.

    Attributes:
        path: The folder.
        created: The folders :func:`prepare_run_folder` made (deepest last), which
            :meth:`discard` removes again while they are empty.
    """

    path: Path
    created: list[Path] = field(default_factory=list)

    def write_run(self, files: Mapping[str, bytes | str]) -> list[Path]:
        """Replace the run in the folder by ``files`` (names of :data:`RUN_FILES` -> contents), whole.

        Steps 1 to 3 of the module docstring: the previous run is replaced only
        once every new file is written, and kept as it was on any error.

        Returns:
            The files written, in the order of ``files``.

        Raises:
            OSError: A file cannot be written (the previous run is kept).
        """
        unknown = [name for name in files if name not in RUN_FILES]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a file of a run ({', '.join(RUN_FILES)})")
        staging = Path(tempfile.mkdtemp(prefix=".chainrule-new-", dir=self.path))
        backup: Path | None = None
        try:
            for name, data in files.items():
                write_atomic(staging / name, data)
            backup = Path(tempfile.mkdtemp(prefix=".chainrule-old-", dir=self.path))
            _swap(self.path, staging, backup, list(files))
        finally:
            for folder in (staging, backup):
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
        return [self.path / name for name in files]

    def discard(self) -> None:
        """Remove the folders this run created, deepest first, as long as they are empty."""
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                return


def prepare_run_folder(out: str | os.PathLike[str], force: bool = False) -> RunFolder:
    """Check (and create) the output folder of a run, before any training.

    Args:
        out: The folder; created with its parents when missing.
        force: Allow a folder that is not empty; the files of :data:`RUN_FILES`
            in it will be replaced (by :meth:`RunFolder.write_run`), any other
            file is kept.

    Returns:
        The :class:`RunFolder`.

    Raises:
        FileExistsError: ``out`` holds files and ``force`` is False, or a run
            file's name in it is not a regular file (a folder ``loss.png``).
        NotADirectoryError: ``out`` (or a parent) is a file.
        OSError: The folder cannot be created or written into.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"the output folder {str(path)!r} is a file, not a folder")
    if path.is_dir():
        present = sorted(entry.name for entry in path.iterdir())
        if present and not force:
            shown = ", ".join(present[:4]) + (", ..." if len(present) > 4 else "")
            raise FileExistsError(
                f"the output folder {str(path)!r} is not empty ({shown}): choose another "
                "folder, or give --force (force=True) to replace the files a run writes in it"
            )
        _check_run_files(path)
    created = [parent for parent in (path, *path.parents) if not parent.exists()][::-1]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(f"cannot create the output folder {str(path)!r}: {error.strerror or error}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        RunFolder(path, created).discard()
        raise PermissionError(f"cannot write into the output folder {str(path)!r}: permission denied")
    return RunFolder(path, created)


def _swap(folder: Path, staging: Path, backup: Path, names: list[str]) -> None:
    """Step 2: the previous run's files into ``backup``, the new ones from ``staging`` into ``folder``.

    On any error or interruption every file moved so far is moved back, so
    ``folder`` holds the previous run again.
    """
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for name in RUN_FILES:
            if os.path.lexists(folder / name):
                os.rename(folder / name, backup / name)
                moved_out.append(name)
        for name in names:
            os.rename(staging / name, folder / name)
            moved_in.append(name)
    except BaseException:
        for name in reversed(moved_in):
            os.rename(folder / name, staging / name)
        for name in reversed(moved_out):
            os.rename(backup / name, folder / name)
        raise


def _check_run_files(path: Path) -> None:
    """A FileExistsError unless every run file name present in ``path`` is a regular file."""
    for name in RUN_FILES:
        try:
            mode = os.lstat(path / name).st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a link" if stat.S_ISLNK(mode) else "not a regular file"
            raise FileExistsError(
                f"the output folder {str(path)!r} holds {name!r}, which is {kind}: a run replaces "
                "only regular files; move it away or choose another folder"
            )
