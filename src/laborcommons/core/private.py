"""Files and directories of the node readable by its owner only, whatever the umask.

The home holds the database, the master key (by default), the objects and uploads in
transit: directories are 0700 and files 0600, set explicitly rather than left to the
umask of whoever started the process.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import BinaryIO

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_private_dir(path: Path) -> Path:
    """``path`` and every missing parent made 0700 (an existing directory is tightened)."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made concurrently
            directory.mkdir(mode=DIR_MODE)
        directory.chmod(DIR_MODE)
    if path.stat().st_mode & 0o777 != DIR_MODE and not missing:
        tighten(path, DIR_MODE)
    return path


def tighten(path: Path, mode: int) -> None:
    """Narrow an existing path's mode; one owned by someone else (a mount point) stays."""
    with contextlib.suppress(PermissionError):
        path.chmod(mode)


def open_private(path: Path, *, exclusive: bool = True) -> BinaryIO:
    """A new file opened for writing with mode 0600 (never wider, even for a moment)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # os.open's mode is filtered by the umask
    return os.fdopen(descriptor, "wb")


def make_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is missing; tighten it if it exists."""
    try:
        open_private(path).close()
    except FileExistsError:
        tighten(path, FILE_MODE)
