"""The audit trail's key: a random secret wrapped under the master key, keys derived from it.

Why a wrapped secret rather than a key derived from the master key itself: a master key
rotation only re-wraps the secret (like every data key), so the chain keeps verifying
with no epochs and no old keys kept around. The secret never leaves memory unwrapped;
the master key never sits in the database, so whoever can write the database alone
cannot compute a record's hash, the head's tag or a checkpoint's signature.

Three keys come from the secret (HKDF-SHA256, fixed labels), one per use, so no value
made for one use (a record's hash) is valid for another (the head's tag).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access.models import AuditKey
from laborcommons.core.crypto import (
    MasterKey,
    ensure_key_file,
    new_data_key,
    unwrap_key,
    wrap_key,
)
from laborcommons.core.db import utcnow
from laborcommons.core.errors import AuditUnavailable, CorruptObject
from laborcommons.core.node import node_of
from laborcommons.core.store import SealedObject

CHAIN_INFO = b"laborcommons/audit-chain/v1"
HEAD_INFO = b"laborcommons/audit-head/v1"
CHECKPOINT_INFO = b"laborcommons/audit-checkpoint/v1"
WRAP_CONTEXT = b"laborcommons/audit-secret/v1"
CACHE = "laborcommons.audit.keys"


@dataclass(frozen=True)
class AuditKeys:
    """The derived keys, and how many records before them are plain SHA-256."""

    chain: bytes = field(repr=False)
    head: bytes = field(repr=False)
    checkpoint: bytes = field(repr=False)
    legacy_seq: int
    key_id: str

    def tag(self, key: bytes, message: str) -> str:
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _context(legacy_seq: int) -> bytes:
    """``legacy_seq`` is bound into the wrapping: raising it breaks the unwrap."""
    return WRAP_CONTEXT + b"\x00legacy=" + str(legacy_seq).encode("ascii")


def _keys(secret: bytes, legacy_seq: int) -> AuditKeys:
    checkpoint = _derive(secret, CHECKPOINT_INFO)
    key_id = hmac.new(checkpoint, b"key-id", hashlib.sha256).hexdigest()[:16]
    return AuditKeys(
        chain=_derive(secret, CHAIN_INFO),
        head=_derive(secret, HEAD_INFO),
        checkpoint=checkpoint,
        legacy_seq=legacy_seq,
        key_id=key_id,
    )


def load_keys(session: Session) -> AuditKeys | None:
    """The trail's keys, or None before the first keyed record.

    Raises ``KeyUnavailable`` when the master key file is missing or another key, and
    ``CorruptObject`` when the stored secret (or its legacy count) was altered.
    """
    row = session.scalar(select(AuditKey).where(AuditKey.id == 1))
    if row is None:
        return None
    cached = session.info.get(CACHE)
    if isinstance(cached, tuple) and cached[0] == (row.wrapped_key, row.legacy_seq):
        keys: AuditKeys = cached[1]
        return keys
    master = node_of(session).master_key()
    try:
        secret = unwrap_key(master, row.wrapped_key.encode("ascii"), _context(row.legacy_seq))
    except CorruptObject:
        raise CorruptObject(
            "the audit key does not authenticate under the master key: it (or the count of "
            "records before the keyed chain) was altered"
        ) from None
    keys = _keys(secret, row.legacy_seq)
    session.info[CACHE] = ((row.wrapped_key, row.legacy_seq), keys)
    return keys


def _master_for_new_key(session: Session) -> MasterKey:
    """A node that sealed nothing yet makes its master key now (as ``keys init`` would)."""
    node = node_of(session)
    if session.scalar(select(SealedObject.digest).limit(1)) is None:
        return ensure_key_file(node.settings.key_file)[0]
    return node.master_key()


def create_keys(session: Session, *, legacy_seq: int) -> AuditKeys:
    """Make the trail's secret; the caller holds the head lock (no second secret races)."""
    secret = new_data_key()
    wrapped = wrap_key(_master_for_new_key(session), secret, _context(legacy_seq))
    session.add(
        AuditKey(
            id=1, wrapped_key=wrapped.decode("ascii"), legacy_seq=legacy_seq, created_at=utcnow()
        )
    )
    session.flush()
    return _keys(secret, legacy_seq)


def keys_for_append(session: Session, *, trail_length: int) -> AuditKeys:
    """The keys a new record is chained with; made on the first record of an empty trail.

    A trail with records but no key was either written before keyed chains (then
    ``laborcommons init`` adopts it, once, on purpose) or had its key deleted: writing on
    would launder whatever was done to it, so appends stop with ``AuditUnavailable``.
    """
    keys = load_keys(session)
    if keys is not None:
        return keys
    if trail_length:
        raise AuditUnavailable(
            f"the audit trail holds {trail_length} records but has no audit key: run "
            "`laborcommons audit verify`; after an upgrade, `laborcommons init` adopts them"
        )
    return create_keys(session, legacy_seq=0)


def wrapped_key_holders(session: Session) -> list[tuple[AuditKey, str]]:
    """What a master key rotation must re-wrap here: (row, attribute) pairs."""
    return [(row, "wrapped_key") for row in session.scalars(select(AuditKey))]
