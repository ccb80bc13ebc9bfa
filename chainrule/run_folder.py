r"""The output folder of a training run: checked before training, written after it.

A run writes the files of :data:`RUN_FILES` into its folder (``model.json``,
``history.csv``, ``loss.png`` and, for 2-D data, ``decision_boundary.png``),
each through :func:`autograd.files.write_atomic`.

The policy for a folder that already holds something: it is refused, unless
``force`` is given. With ``force``, the files a run writes are replaced and
every other file in the folder is left alone; the previous run's files are
removed only once training has finished and the new files are ready, so an
interrupted or failed training leaves the previous run whole (and never a
mixture of two runs' files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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

    def clear_previous_run(self) -> None:
        """Remove the files of :data:`RUN_FILES` present in the folder (and nothing else)."""
        for name in RUN_FILES:
            (self.path / name).unlink(missing_ok=True)

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
            in it will be replaced, any other file is kept.

    Returns:
        The :class:`RunFolder`.

    Raises:
        FileExistsError: ``out`` holds files and ``force`` is False.
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
    created = [parent for parent in (path, *path.parents) if not parent.exists()][::-1]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(f"cannot create the output folder {str(path)!r}: {error.strerror or error}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        RunFolder(path, created).discard()
        raise PermissionError(f"cannot write into the output folder {str(path)!r}: permission denied")
    return RunFolder(path, created)
