"""The project's one writer and one reader of files.

Every file chainrule writes (a model, a history, a picture, a drawing, a frame,
a page, a worksheet) goes through :func:`write_atomic`: the bytes go to a
temporary file beside the target, are flushed to disk, and the temporary file
is then renamed over the target (``os.replace``, atomic on POSIX). An
interrupted write (Ctrl-C, ``kill -9``, a full disk) leaves the old file or
none, never a truncated one. The target must be a regular file or nothing: a
directory, a device, a FIFO or a socket there is refused, never replaced; a
symbolic link is followed when it leads to a regular file (the file it names
is replaced and the link kept), and refused otherwise.

Every file a user gives chainrule to read (a model, a worksheet's given,
answers or filled file, a notebook) goes through :func:`read_limited`: a
regular file only (a directory, a device such as ``/dev/zero``, a FIFO are
refused by their type, before a byte is read), and never more than a limit of
bytes, counted as they are read (a file's size as ``stat`` reports it is not
trusted: it is 0 for ``/proc`` files and devices).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


class NotARegularFile(OSError, ValueError):
    """A path that chainrule reads or writes names something other than a regular file.

    An ``OSError`` (a problem with a path) and a ``ValueError`` (a problem with
    what the user gave), as :class:`io.UnsupportedOperation` is both.
    """


def _kind(mode: int) -> str:
    """``"a directory"``, ``"a character device"``, ... for a ``st_mode``."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def writable_target(path: str | os.PathLike[str]) -> Path:
    """The file :func:`write_atomic` would replace for ``path``, after the target rule.

    ``path`` itself when nothing is there or a regular file is; the file a
    symbolic link leads to when that is a regular file.

    Raises:
        NotARegularFile: ``path`` is (or a link at it leads to) a directory, a
            device, a FIFO or a socket, or is a link leading nowhere.
    """
    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    if stat.S_ISLNK(mode):
        resolved = Path(os.path.realpath(target))
        try:
            final = os.stat(resolved).st_mode
        except OSError:
            raise NotARegularFile(
                f"refusing to write {str(target)!r}: it is a symbolic link to {str(resolved)!r}, "
                "which does not exist (a link is followed only to a regular file)"
            ) from None
        if not stat.S_ISREG(final):
            raise NotARegularFile(
                f"refusing to write {str(target)!r}: it is a symbolic link to {_kind(final)}, "
                f"{str(resolved)!r}; only a regular file is replaced"
            )
        return resolved
    if not stat.S_ISREG(mode):
        raise NotARegularFile(
            f"refusing to write {str(target)!r}: it is {_kind(mode)}; only a regular file is replaced"
        )
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    The temporary file is created like any new file (mode 0666 less the umask),
    so the result has the usual permissions. On any error, or an interruption,
    the temporary file is removed and the target is left as it was. The target
    rule of the module docstring applies (:func:`writable_target`).

    Args:
        path: The final file name; its folder must exist.
        data: The contents; a ``str`` is written as UTF-8.

    Returns:
        ``path`` as a :class:`~pathlib.Path` (the link, when ``path`` is one).

    Raises:
        NotARegularFile: The target is a directory, a device, a FIFO, a socket
            or a link to none of a regular file (nothing is written).
        OSError: The folder is missing or not writable (nothing is written).
    """
    target = writable_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _naming(error, path) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Path(path)


def _naming(error: OSError, path: str | os.PathLike[str]) -> OSError:
    """``error`` naming ``path``, the file asked for, rather than the hidden temporary file."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, os.fspath(path))


def read_limited(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    The type is checked before the file is opened (so a FIFO is not waited on
    and a device is not opened) and again on the open file; the limit is
    checked on the bytes read, ``max_bytes + 1`` at most.

    Args:
        path: The file (a symbolic link is followed).
        max_bytes: The largest file accepted.
        what: What the file is, for the messages (``"model file"``).

    Raises:
        FileNotFoundError, PermissionError: As ``open`` raises them.
        NotARegularFile: ``path`` is a directory, a device, a FIFO or a socket.
        ValueError: The file holds more than ``max_bytes`` bytes.
    """
    source = str(path)

    def refuse(mode: int) -> NotARegularFile:
        return NotARegularFile(f"the {what} {source!r} is {_kind(mode)}, not a regular file")

    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise refuse(mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced between the two looks
            raise refuse(mode)
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"the {what} {source!r} is larger than the limit of {max_bytes:,} bytes")
    return data
