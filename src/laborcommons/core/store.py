"""Content-addressed object store: ``objects/sha256/ab/cd/<digest>``, written once.

Objects are immutable: identical content is stored once, and a write goes to a temp file
in the same filesystem first, then is renamed into place, so a crash never leaves a
half-written object under its final name. Temp files carry the writing node's token
(``staging/<token>/``, ``.<name>.<token>.<random>.partial``) so that a later start-up can
tell a dead node's leftovers from a live node's work (``core.leftovers``). Files are 0600
and directories 0700 (``core.private``).

Encrypted objects live in their own namespace, ``objects/enc/sha256/ab/cd/<digest>``
(still named by the digest of their plaintext), so the same content can be stored plain
for an open dataset and sealed for an internal one; ``SealedObject`` rows hold their
wrapped data keys.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from laborcommons.core.db import Base, UTCDateTime, utcnow
from laborcommons.core.private import FILE_MODE, make_private_dir, open_private

CHUNK = 1024 * 1024
STAGE_CHUNK = 4 * 1024 * 1024


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class SealedObject(Base):
    """An encrypted object: its data key wrapped under the master key (see core.crypto)."""

    __tablename__ = "sealed_objects"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    wrapped_key: Mapped[str] = mapped_column(Text)
    key_fingerprint: Mapped[str] = mapped_column(String(16), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass(frozen=True)
class StagedObject:
    """A copy made inside the store but not yet under its content address."""

    digest: str
    path: Path


class ObjectStore:
    """Files keyed by their sha256 under one root directory."""

    def __init__(self, root: Path, *, token: str | None = None) -> None:
        self.root = root
        self.token = token

    def partial_for(self, target: Path) -> Path:
        """A temp name beside ``target`` that says which node is writing it."""
        owner = f".{self.token}" if self.token else ""
        return target.with_name(f".{target.name}{owner}.{uuid.uuid4().hex}.partial")

    @property
    def staging_dir(self) -> Path:
        staging = self.root / "staging"
        return make_private_dir(staging / self.token if self.token else staging)

    def path_for(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / "sha256" / digest[:2] / digest[2:4] / digest

    def sealed_path_for(self, digest: str) -> Path:
        return self.root / "enc" / self.path_for(digest).relative_to(self.root)

    def exists(self, digest: str) -> bool:
        """Stored in either form, plain or sealed."""
        return self.path_for(digest).exists() or self.sealed_path_for(digest).exists()

    def write_sealed(
        self, digest: str, write: Callable[[BinaryIO], object], *, replace: bool = False
    ) -> bool:
        """Write the sealed form through ``write``; False when it was already there.

        ``replace``: the caller owns the digest's key row, so a file already there is a
        leftover made under another (lost) data key and is replaced."""
        return self._write_once(self.sealed_path_for(digest), write, replace=replace)

    def write_plain(self, digest: str, write: Callable[[BinaryIO], str]) -> bool:
        """Write the plain form through ``write``, which returns the sha256 it wrote; a
        mismatch is refused (nothing is stored). False when it was already there."""

        def checked(handle: BinaryIO) -> None:
            written = write(handle)
            if written != digest:
                raise ValueError(f"content of object {digest} hashes to {written}")

        return self._write_once(self.path_for(digest), checked)

    def delete_sealed(self, digest: str) -> None:
        self.sealed_path_for(digest).unlink(missing_ok=True)

    def put_file(
        self, source: Path, digest: str | None = None, *, move: bool = False
    ) -> tuple[str, bool]:
        """Copy (or, for our own temp files, move) ``source`` in; return (digest, created)."""
        digest = digest or sha256_of_file(source)
        target = self.path_for(digest)
        if target.exists():
            if move:
                source.unlink(missing_ok=True)
            return digest, False
        make_private_dir(target.parent)
        partial = self.partial_for(target)
        try:
            if move:
                shutil.move(source, partial)
                partial.chmod(FILE_MODE)
            else:
                with source.open("rb") as reader, open_private(partial) as writer:
                    shutil.copyfileobj(reader, writer, CHUNK)
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return digest, True

    def stage(self, source: Path) -> StagedObject:
        """Copy ``source`` in while hashing it: one read of the file instead of two."""
        partial = self.staging_dir / f"{uuid.uuid4().hex}.partial"
        digest = hashlib.sha256()
        try:
            with source.open("rb") as reader, open_private(partial) as writer:
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
        make_private_dir(target.parent)
        staged.path.replace(target)
        return True

    def discard(self, staged: StagedObject) -> None:
        staged.path.unlink(missing_ok=True)

    def open(self, digest: str) -> BinaryIO:
        return self.path_for(digest).open("rb")

    def delete(self, digest: str) -> None:
        self.path_for(digest).unlink(missing_ok=True)

    def _write_once(
        self, target: Path, write: Callable[[BinaryIO], object], *, replace: bool = False
    ) -> bool:
        """Write ``target`` through a partial file renamed into place; False if it exists."""
        if target.exists() and not replace:
            return False
        make_private_dir(target.parent)
        partial = self.partial_for(target)
        try:
            with open_private(partial) as handle:
                write(handle)
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return True

    def all_digests(self) -> list[str]:
        """Every stored object, plain or sealed, once."""
        return sorted(set(self.plain_digests()) | set(self.sealed_digests()))

    def plain_digests(self) -> list[str]:
        return self._digests_under(self.root / "sha256")

    def sealed_digests(self) -> list[str]:
        return self._digests_under(self.root / "enc" / "sha256")

    @staticmethod
    def _digests_under(base: Path) -> list[str]:
        if not base.exists():
            return []
        return sorted(p.name for p in base.glob("*/*/*") if not p.name.startswith("."))
