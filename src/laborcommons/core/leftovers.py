"""What a crash leaves in the home, and removing it without touching live work.

Files in transit carry the token of the node (process) that made them: ``tmp/<token>/``,
``objects/staging/<token>/`` and ``.<name>.<token>.<random>.partial`` beside an object.
Each open node holds an exclusive ``flock`` on ``run/<token>.lock`` for its life, which
the kernel releases when the process dies, even by ``kill -9``. A sweep removes what
belongs to tokens whose lock is free; files without a token (older nodes) only when no
other node has the home open.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from laborcommons.core.private import FILE_MODE, make_private_dir

TOKEN = re.compile(r"^[0-9]+-[0-9a-f]{12}$")
PARTIAL_TOKEN = re.compile(r"\.([0-9]+-[0-9a-f]{12})\.[0-9a-f]+\.partial$")


class ProcessClaim:
    """This node's token, held by a lock that ends with the process."""

    def __init__(self, run_dir: Path) -> None:
        make_private_dir(run_dir)
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.path = run_dir / f"{self.token}.lock"
        self._descriptor: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        fcntl.flock(self._descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self._descriptor is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._descriptor)  # closing drops the lock
        self._descriptor = None


def others_running(home: Path, *, own: str | None) -> bool:
    """Whether a node other than ``own`` has this home open (in any process)."""
    run = home / "run"
    locks = run.glob("*.lock") if run.exists() else []
    return any(lock.stem != own and _alive(lock) for lock in locks)


def _alive(lock: Path) -> bool:
    """Whether a node still holds ``lock`` (another process, or another node of ours)."""
    try:
        descriptor = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


@dataclass(frozen=True)
class Leftover:
    """One file (or a directory of them) left in transit, and whether its owner lives."""

    path: Path
    files: int
    live: bool


def _owner_token(path: Path, parent_kind: str) -> str | None:
    if parent_kind == "dir":
        return path.name if TOKEN.match(path.name) else None
    match = PARTIAL_TOKEN.search(path.name)
    return match.group(1) if match else None


def _file_count(path: Path) -> int:
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if not p.is_dir())
    return 1


def find_leftovers(
    home: Path, objects: Path, tmp: Path, *, own: str | None = None
) -> list[Leftover]:
    """Everything in transit: temp and staging entries and partial files, dot-files too.

    ``live`` is True when the owning node is running, or when the entry names no owner
    and a node other than ``own`` (the caller's token) has the home open.
    """
    run = home / "run"
    live_tokens = {p.stem for p in run.glob("*.lock")} if run.exists() else set()
    live_tokens = {t for t in live_tokens if _alive(run / f"{t}.lock")}
    entries: list[tuple[Path, str]] = []
    for directory in (tmp, objects / "staging"):
        if directory.exists():
            entries += [(p, "dir") for p in directory.iterdir()]
    if objects.exists():
        staging = objects / "staging"
        entries += [
            (p, "partial")
            for p in objects.rglob(".*")
            if p.is_file() and not p.is_relative_to(staging)
        ]
    others = live_tokens - {own}
    found = []
    for path, kind in entries:
        token = _owner_token(path, kind)
        live = token in live_tokens if token is not None else bool(others)
        found.append(Leftover(path, _file_count(path), live))
    return found


def sweep_leftovers(home: Path, objects: Path, tmp: Path, *, own: str | None = None) -> int:
    """Remove what nodes that are gone left in transit; how many files were removed."""
    removed = 0
    for leftover in find_leftovers(home, objects, tmp, own=own):
        if leftover.live:
            continue
        if leftover.path.is_dir():
            shutil.rmtree(leftover.path, ignore_errors=True)
        else:
            leftover.path.unlink(missing_ok=True)
        removed += leftover.files
    run = home / "run"
    for lock in run.glob("*.lock") if run.exists() else []:
        if not _alive(lock):
            lock.unlink(missing_ok=True)
    return removed
