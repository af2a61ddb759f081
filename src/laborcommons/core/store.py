"""Content-addressed object store: ``objects/sha256/ab/cd/<digest>``, written once.

Objects are immutable: identical content is stored once, and a write goes to a temp file
in the same filesystem first, then is renamed into place, so a crash never leaves a
half-written object under its final name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
STAGE_CHUNK = 4 * 1024 * 1024


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StagedObject:
    """A copy made inside the store but not yet under its content address."""

    digest: str
    path: Path


class ObjectStore:
    """Files keyed by their sha256 under one root directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / "sha256" / digest[:2] / digest[2:4] / digest

    def exists(self, digest: str) -> bool:
        return self.path_for(digest).exists()

    def put_file(
        self, source: Path, digest: str | None = None, *, move: bool = False
    ) -> tuple[str, bool]:
        """Copy (or, for our own temp files, move) ``source`` in; return (digest, created)."""
        digest = digest or sha256_of_file(source)
        target = self.path_for(digest)
        if target.exists():
            return digest, False
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{digest}.{os.getpid()}.partial")
        if move:
            shutil.move(source, partial)
        else:
            shutil.copyfile(source, partial)
        partial.replace(target)
        return digest, True

    def stage(self, source: Path) -> StagedObject:
        """Copy ``source`` in while hashing it: one read of the file instead of two."""
        staging = self.root / "staging"
        staging.mkdir(parents=True, exist_ok=True)
        partial = staging / f"{uuid.uuid4().hex}.partial"
        digest = hashlib.sha256()
        try:
            with source.open("rb") as reader, partial.open("wb") as writer:
                while chunk := reader.read(STAGE_CHUNK):
                    digest.update(chunk)
                    writer.write(chunk)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return StagedObject(digest.hexdigest(), partial)

    def commit(self, staged: StagedObject) -> bool:
        """Move a staged copy to its address; False when that content was already stored."""
        target = self.path_for(staged.digest)
        if target.exists():
            staged.path.unlink(missing_ok=True)
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.path.replace(target)
        return True

    def discard(self, staged: StagedObject) -> None:
        staged.path.unlink(missing_ok=True)

    def open(self, digest: str) -> BinaryIO:
        return self.path_for(digest).open("rb")

    def delete(self, digest: str) -> None:
        self.path_for(digest).unlink(missing_ok=True)

    def all_digests(self) -> list[str]:
        base = self.root / "sha256"
        if not base.exists():
            return []
        return sorted(p.name for p in base.glob("*/*/*") if not p.name.startswith("."))
