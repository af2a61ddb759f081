"""After a crash: remove what was in transit, put objects in their forms, drop orphans.

What a crash can leave (see docs/operations.md): temp, staging and partial files of a
node that is gone (``core.leftovers``), a plain copy of a restricted object whose removal
was to follow a commit, and objects no committed version references (an upload whose
transaction did not commit). ``keys reseal`` runs all three; opening a node runs the
first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy.orm import Session

from laborcommons.catalog.service.encryption import referenced_digests, reseal_all
from laborcommons.core.db import after_commit
from laborcommons.core.node import Node
from laborcommons.core.store import SealedObject


@dataclass(frozen=True)
class Repair:
    """What ``reseal_store`` did; ``others_running`` says why orphans may have been kept."""

    resealed: int
    leftovers_removed: int
    unreferenced_removed: int
    others_running: bool


def sweep_unreferenced(*, node: Node, session: Session) -> int:
    """Remove objects no version references (left by a crash or a rolled-back upload).

    Only when no other node has the home open: an upload in flight elsewhere holds
    objects its uncommitted version will reference. Removal waits for the commit.
    """
    if node.others_running():
        return 0
    used = set(referenced_digests(session))
    stale = [d for d in node.store.all_digests() if d not in used]
    for digest in stale:
        row = session.get(SealedObject, digest)
        if row is not None:
            session.delete(row)
        after_commit(session, partial(node.store.delete, digest))
        after_commit(session, partial(node.store.delete_sealed, digest))
    return len(stale)


def reseal_store(*, node: Node, session: Session) -> Repair:
    """Everything ``keys reseal`` promises, in one transaction (files go after commit)."""
    leftovers = node.sweep_leftovers()
    resealed = reseal_all(node=node, session=session)
    unreferenced = sweep_unreferenced(node=node, session=session)
    return Repair(resealed, leftovers, unreferenced, node.others_running())
