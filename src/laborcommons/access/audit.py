"""The audit trail: append-only, keyed hash-chained records written in the caller's transaction.

Contract used by every domain:
``record(session, actor=reader, action="rows.read", dataset_id=..., version_id=...,
organization_id=..., level=..., purpose=..., outcome="ok", details={...})``.

Each record's hash is an HMAC-SHA256 (under the trail's key, see ``audit_key``) of its
fields and the hash of the record before it, so editing, deleting or reordering any record
breaks the chain (``verify`` finds where), and without the master key nobody can compute
a replacement chain. The head carries a keyed tag too, so it cannot be moved back to an
earlier record; ``checkpoint`` anchors the trail outside the database. Records written
before the chain was keyed keep their plain SHA-256 hashes (``legacy_seq``).

Appends are serialized by the single ``audit_head`` row: the first statement of an append
is an UPDATE of that row, which takes PostgreSQL's row lock (and SQLite's write lock)
before the previous hash is read, so concurrent writers queue instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from laborcommons.access.audit_key import (
    AuditKeys,
    create_keys,
    keys_for_append,
    load_keys,
)
from laborcommons.access.audit_key import wrapped_key_holders as wrapped_key_holders
from laborcommons.access.models import AuditHead, AuditRecord
from laborcommons.access.policy import NODE_ADMIN, Reader
from laborcommons.core.db import utcnow
from laborcommons.core.errors import CorruptObject

GENESIS = "0" * 64
PENDING = "laborcommons.audit.pending"
NO_KEY = "the trail holds"
HEAD_RESTORED = "audit.head-restored"
"""Written when an append finds the head row gone while records exist: evidence, forever."""
REDACTED = "[redacted]"
SECRET_KEYS = re.compile(r"token|secret|password|passwd|api[_-]?key|authorization|cookie", re.I)
SECRET_VALUES = re.compile(r"lct_[A-Za-z0-9_\-]{8,}|Bearer\s+\S+", re.I)
"""API tokens (``lct_…``) and bearer headers, wherever a caller lets one slip into text."""


def scrub(value: Any) -> Any:
    """Secrets out, JSON in: drop secret-looking keys and token-looking text."""
    if isinstance(value, dict):
        return {
            str(k): REDACTED if SECRET_KEYS.search(str(k)) else scrub(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return SECRET_VALUES.sub(REDACTED, value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))


def actor_name(reader: Reader) -> str:
    return reader.email or ("node-admin" if reader.is_admin else "anonymous")


def _payload(row: AuditRecord) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "created_at": row.created_at.astimezone(UTC).isoformat(),
        "actor": row.actor,
        "actor_user_id": row.actor_user_id,
        "action": row.action,
        "organization_id": row.organization_id,
        "dataset_id": row.dataset_id,
        "version_id": row.version_id,
        "level": row.level,
        "purpose": row.purpose,
        "outcome": row.outcome,
        "details": row.details,
    }


def compute_hash(row: AuditRecord, prev_hash: str, keys: AuditKeys | None = None) -> str:
    """HMAC-SHA256 under the chain key; plain SHA-256 (``keys`` None) for legacy records."""
    body = json.dumps(_payload(row), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = f"{prev_hash}\n{body}".encode()
    if keys is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(keys.chain, message, hashlib.sha256).hexdigest()


def head_tag(keys: AuditKeys, seq: int, hash_: str) -> str:
    return keys.tag(keys.head, f"head\n{seq}\n{hash_}")


def _bump_head(session: Session) -> tuple[int, str] | None:
    """Take the head row's lock and move it on: the new seq and the previous hash."""
    bump = (
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
    )
    head = session.execute(bump).first()
    return None if head is None else (int(head.seq), str(head.hash))


def _restore_head(session: Session) -> int:
    """Re-create a removed head row from the trail's last record; return that record's seq.

    Test databases are emptied between tests (no records: nothing to say). With records
    left, the removal itself is evidence, so the append writes a ``HEAD_RESTORED`` record.
    """
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    last = session.scalar(select(func.max(AuditRecord.seq))) or 0
    session.execute(
        insert(AuditHead)
        .values(id=1, seq=last, hash=_last_hash(session))
        .on_conflict_do_nothing(index_elements=["id"])
    )
    return int(last)


def _last_hash(session: Session) -> str:
    last = session.scalar(select(AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1))
    return last or GENESIS


def record(
    session: Session,
    *,
    actor: Reader,
    action: str,
    organization_id: int | None = None,
    dataset_id: int | None = None,
    version_id: int | None = None,
    level: str | None = None,
    purpose: str | None = None,
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record to the trail in ``session``'s transaction."""
    fields = _fields(
        actor,
        action=action,
        organization_id=organization_id,
        dataset_id=dataset_id,
        version_id=version_id,
        level=level,
        purpose=purpose,
        outcome=outcome,
        details=details,
    )
    return _append(session, fields)


def record_at_commit(
    session: Session,
    *,
    actor: Reader,
    action: str,
    organization_id: int | None = None,
    dataset_id: int | None = None,
    version_id: int | None = None,
    level: str | None = None,
    purpose: str | None = None,
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> None:
    """Like ``record``, but appended just before ``session`` commits (same transaction).

    For reads of rows: the head lock is then held only for the commit, not while a long
    query or export runs. A rollback drops the pending records with everything else.
    """
    fields = _fields(
        actor,
        action=action,
        organization_id=organization_id,
        dataset_id=dataset_id,
        version_id=version_id,
        level=level,
        purpose=purpose,
        outcome=outcome,
        details=details,
    )
    pending: list[dict[str, Any]] = session.info.setdefault(PENDING, [])
    if not pending:
        event.listen(session, "before_commit", _append_pending, once=True)
        event.listen(session, "after_rollback", _drop_pending, once=True)
    pending.append(fields)


def refusal(
    actor: Reader,
    *,
    action: str,
    organization_id: int,
    dataset_id: int,
    level: str,
    status: int,
    details: dict[str, Any] | None = None,
) -> Callable[[Session], None]:
    """The record of a refused read (outcome ``refused``), for ``LaborCommonsError.audit``.

    The refusing service attaches it to its 403/404; the edge's unit of work writes it in
    a fresh transaction after the rollback, so the owner sees the attempt in the trail.
    Only for datasets that exist (there is nothing to audit about a missing one).
    """
    fields = _fields(
        actor,
        action=action,
        organization_id=organization_id,
        dataset_id=dataset_id,
        version_id=None,
        level=level,
        purpose=None,
        outcome="refused",
        details={**(details or {}), "status": status},
    )

    def write(session: Session) -> None:
        _append(session, dict(fields))

    return write


def _append_pending(session: Session) -> None:
    for fields in session.info.pop(PENDING, []):
        _append(session, fields)


def _drop_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def _fields(
    actor: Reader, *, purpose: str | None, details: dict[str, Any] | None, **fields: Any
) -> dict[str, Any]:
    """Everything but the chain, fixed when the action happens; secrets scrubbed."""
    return {
        **fields,
        "created_at": utcnow(),
        "actor": scrub(actor_name(actor)),
        "actor_user_id": actor.user_id,
        "purpose": scrub(purpose) if purpose is not None else None,
        "details": json.loads(json.dumps(scrub(details or {}), sort_keys=True)),
    }


def _append(session: Session, fields: dict[str, Any]) -> AuditRecord:
    head = _bump_head(session)
    restored = 0
    if head is None:
        restored = _restore_head(session)
        head = _bump_head(session)
        assert head is not None
    keys = keys_for_append(session, trail_length=head[0] - 1)
    if restored:
        evidence = _fields(
            NODE_ADMIN,
            action=HEAD_RESTORED,
            outcome="tampered",
            purpose=None,
            details={"last_seq_found": restored},
        )
        _chain(session, keys, head, evidence)
        head = _bump_head(session)
        assert head is not None
    return _chain(session, keys, head, fields)


def _chain(
    session: Session, keys: AuditKeys, head: tuple[int, str], fields: dict[str, Any]
) -> AuditRecord:
    seq, prev_hash = head
    row = AuditRecord(seq=seq, **fields)
    row.prev_hash = prev_hash
    row.hash = compute_hash(row, prev_hash, keys)
    session.add(row)
    tag = head_tag(keys, seq, row.hash)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=row.hash, tag=tag))
    session.flush()
    return row


@dataclass(frozen=True)
class Verification:
    """The result of walking the chain: ``problems`` is empty when it is intact."""

    checked: int
    head_seq: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _keys_or_problem(session: Session, problems: list[str], checked: int) -> AuditKeys | None:
    """The trail's keys; a missing key (with records) or an altered one is a problem."""
    try:
        keys = load_keys(session)
    except CorruptObject as error:
        problems.append(error.message)
        return None
    if keys is None and checked:
        problems.append(
            f"{NO_KEY} {checked} records but no audit key: the key was deleted (or the "
            "node was upgraded without running `laborcommons init`)"
        )
    return keys


def verify(session: Session) -> Verification:
    """Recompute every hash in sequence order and compare with the stored chain and head.

    Raises ``KeyUnavailable`` when the trail is keyed and the master key cannot be read.
    """
    problems: list[str] = []
    keys = _keys_or_problem(
        session, problems, session.scalar(select(func.count(AuditRecord.id))) or 0
    )
    legacy = keys.legacy_seq if keys is not None else None
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    rows = session.scalars(select(AuditRecord).order_by(AuditRecord.seq, AuditRecord.id))
    for row in rows.yield_per(1000):
        checked += 1
        where = f"record id {row.id} (seq {row.seq})"
        if row.seq != expected_seq:
            problems.append(f"{where}: expected seq {expected_seq}; records missing or moved")
        if row.prev_hash != expected_prev:
            problems.append(f"{where}: does not follow the record before it (deleted/reordered)")
        keyed = keys if legacy is not None and row.seq > legacy else None
        if compute_hash(row, row.prev_hash, keyed) != row.hash:
            problems.append(f"{where}: content does not match its hash (edited or re-hashed)")
        if row.action == HEAD_RESTORED:
            problems.append(f"{where}: the head row had been removed (newest records deleted?)")
        expected_prev, expected_seq = row.hash, row.seq + 1
    head_seq = _verify_head(session, keys, expected_seq - 1, expected_prev, problems, checked)
    return Verification(checked=checked, head_seq=head_seq, problems=problems)


def _verify_head(
    session: Session,
    keys: AuditKeys | None,
    last_seq: int,
    last_hash: str,
    problems: list[str],
    checked: int,
) -> int:
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash, AuditHead.tag).where(AuditHead.id == 1)
    ).first()
    if head is None:
        if checked:
            problems.append("the head row is missing: the trail was tampered with")
        return 0
    if head.seq != last_seq or head.hash != last_hash:
        problems.append(
            f"the head says the last record is seq {head.seq}, the trail ends at seq "
            f"{last_seq}: records at the end were deleted or edited"
        )
    elif keys is not None and not hmac.compare_digest(
        head.tag or "", head_tag(keys, int(head.seq), str(head.hash))
    ):
        problems.append(
            f"the head (seq {head.seq}) does not carry the audit key's tag: it was moved "
            "back after the newest records were deleted"
        )
    return int(head.seq)


def adopt_legacy_trail(session: Session) -> int | None:
    """Key a trail written before keyed chains: its records stay plain SHA-256, anchored
    by the first keyed record after them. Returns how many were adopted (None: keyed).

    Only ``laborcommons init`` calls this (an operator's deliberate upgrade step): adopting
    on a plain append would launder a trail whose key had been deleted.
    """
    if load_keys(session) is not None:
        return None
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq))
    result = verify(session)
    problems = [p for p in result.problems if not p.startswith(NO_KEY)]
    if problems:
        raise CorruptObject(
            f"the audit trail written before keyed chains does not verify ({problems[0]}); "
            "investigate before keying it (`laborcommons audit verify`)"
        )
    keys = create_keys(session, legacy_seq=result.checked)
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(tag=head_tag(keys, result.head_seq, _last_hash(session)))
    )
    return result.checked
