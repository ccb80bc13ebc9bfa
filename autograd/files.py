"""Writing files so that nothing is ever half-written: the project's one writer.

Every file chainrule writes (a model, a history, a picture, a drawing, a frame,
a page) goes through :func:`write_atomic`: the bytes go to a temporary file
beside the target, are flushed to disk, and the temporary file is then renamed
over the target (``os.replace``, atomic on POSIX). An interrupted write (Ctrl-C,
``kill -9``, a full disk) leaves the old file or none, never a truncated one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    The temporary file is created like any new file (mode 0666 less the umask),
    so the result has the usual permissions. On any error, or an interruption,
    the temporary file is removed and the target is left as it was.

    Args:
        path: The final file name; its folder must exist.
        data: The contents; a ``str`` is written as UTF-8.

    Returns:
        The target as a :class:`~pathlib.Path`.

    Raises:
        OSError: The folder is missing or not writable (nothing is written).
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
