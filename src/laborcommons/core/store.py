"""Content-addressed object store: ``objects/sha256/ab/cd/<digest>``, written once.

Objects are immutable: identical content is stored once, and a write goes to a temp file
in the same filesystem first, then is renamed into place, so a crash never leaves a
half-written object under its final name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


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

    def open(self, digest: str) -> BinaryIO:
        return self.path_for(digest).open("rb")

    def delete(self, digest: str) -> None:
        self.path_for(digest).unlink(missing_ok=True)

    def all_digests(self) -> list[str]:
        base = self.root / "sha256"
        if not base.exists():
            return []
        return sorted(p.name for p in base.glob("*/*/*") if not p.name.startswith("."))
