"""The master key's life: rotation (re-wrap every wrapped key) and its status.

See ``encryption`` for what is sealed; this module only moves wrapped keys between master
keys, never touching the sealed data itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborcommons.access import audit
from laborcommons.core.crypto import (
    MasterKey,
    read_key_file,
    rewrap_key,
    wrapped_fingerprint,
    write_key_file,
)
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import KeyUnavailable
from laborcommons.core.leftovers import find_leftovers
from laborcommons.core.node import Node
from laborcommons.core.store import SealedObject
from laborcommons.privacy.models import PseudonymDomain


@dataclass(frozen=True)
class Rotation:
    old_fingerprint: str
    new_fingerprint: str
    objects: int
    other_keys: int


def _other_wrapped_keys(session: Session) -> Iterator[tuple[Any, str]]:
    """Key material of other domains wrapped under the master key (pseudonym keys).

    Every kind of wrapped key is listed here once: rotation re-wraps them and recovery
    of an interrupted rotation decides from them (``wrapping_fingerprints``).
    """
    for domain in session.scalars(select(PseudonymDomain)):
        yield domain, "wrapped_key"
    yield from audit.wrapped_key_holders(session)  # the audit trail's secret


def wrapping_fingerprints(session: Session) -> set[str]:
    """The master keys that the wrapped keys in the database are wrapped under."""
    found = set(session.scalars(select(SealedObject.key_fingerprint).distinct()))
    for holder, attribute in _other_wrapped_keys(session):
        found.add(wrapped_fingerprint(getattr(holder, attribute).encode("ascii")))
    return found


def rewrap_all(old: MasterKey, new: MasterKey, *, session: Session) -> tuple[int, int]:
    """Re-wrap every data key (and other wrapped keys) from ``old`` to ``new``."""
    objects = 0
    for row in session.scalars(select(SealedObject)):
        row.wrapped_key = rewrap_key(old, new, row.wrapped_key.encode("ascii")).decode("ascii")
        row.key_fingerprint = new.fingerprint
        objects += 1
    others = 0
    for holder, attribute in _other_wrapped_keys(session):
        wrapped = getattr(holder, attribute).encode("ascii")
        setattr(holder, attribute, rewrap_key(old, new, wrapped).decode("ascii"))
        others += 1
    session.flush()
    return objects, others


def _finish_interrupted(node: Node, pending: Path) -> None:
    """A rotation that committed but did not rename its key file: finish it.

    Decided from every wrapped key (data keys and pseudonym-domain keys): if any is
    wrapped under the pending key, the rotation committed and that file is the only key
    that opens them. A pending key nothing is wrapped under did not commit: removed.
    """
    candidate = read_key_file(pending)
    with unit_of_work(node.sessions) as session:
        in_use = wrapping_fingerprints(session)
    if candidate.fingerprint not in in_use:
        pending.unlink()
        return
    if len(in_use) > 1:
        raise KeyUnavailable(
            f"wrapped keys are under several master keys ({', '.join(sorted(in_use))}); "
            f"keep both {node.settings.key_file} and {pending} and see docs/encryption.md"
        )
    pending.replace(node.settings.key_file)


def rotate_master_key(*, node: Node) -> Rotation:
    """A new master key re-wraps every data key; data is not re-encrypted.

    Atomic: the new key is written beside the old one (``<key file>.new``), the wrapped
    keys change in one transaction, and only after its commit does the new file replace
    the old. A failure before the commit leaves the old key working and nothing changed.
    This use case owns its transaction because the file swap must follow the commit.
    """
    key_file = node.settings.key_file
    pending = key_file.with_name(key_file.name + ".new")
    if pending.exists():
        _finish_interrupted(node, pending)
        pending.unlink(missing_ok=True)
    old = node.master_key()
    new = write_key_file(pending)
    try:
        with unit_of_work(node.sessions) as session:
            objects, others = rewrap_all(old, new, session=session)
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    pending.replace(key_file)
    return Rotation(old.fingerprint, new.fingerprint, objects, others)


@dataclass(frozen=True)
class KeyStatus:
    key_file: str
    exists: bool
    fingerprint: str | None
    private: bool | None
    problem: str | None
    sealed_objects: dict[str, int]
    plain_objects: int
    leftover_files: int
    in_transit_files: int


def key_status(*, node: Node, session: Session) -> KeyStatus:
    """Where the key is, whether it matches what the data is sealed under, and counts.

    ``leftover_files``: temp, staging and partial files (dot-files too) of nodes that are
    gone, removed by the next start or ``keys reseal``; ``in_transit_files``: those of
    running nodes (work in progress).
    """
    path = node.settings.key_file
    fingerprint, private, problem = None, None, None
    try:
        fingerprint = node.master_key().fingerprint
        private = (path.stat().st_mode & 0o077) == 0
    except KeyUnavailable as error:
        problem = error.message
    counts = session.execute(
        select(SealedObject.key_fingerprint, func.count()).group_by(SealedObject.key_fingerprint)
    ).all()
    settings, own = node.settings, node.claim.token if node.claim else None
    leftovers = find_leftovers(settings.home, settings.objects_dir, settings.tmp_dir, own=own)
    return KeyStatus(
        key_file=str(path),
        exists=path.exists(),
        fingerprint=fingerprint,
        private=private,
        problem=problem,
        sealed_objects={str(fp): int(n) for fp, n in counts},
        plain_objects=len(node.store.plain_digests()),
        leftover_files=sum(f.files for f in leftovers if not f.live),
        in_transit_files=sum(f.files for f in leftovers if f.live),
    )
