"""The audit trail: append-only, hash-chained records written in the caller's transaction.

Contract used by every domain:
``record(session, actor=reader, action="rows.read", dataset_id=..., version_id=...,
organization_id=..., level=..., purpose=..., outcome="ok", details={...})``.

Each record's hash covers its fields and the hash of the record before it, so editing,
deleting or reordering any record breaks the chain (``verify`` finds where). Appends are
serialized by the single ``audit_head`` row: the first statement of an append is an
UPDATE of that row, which takes PostgreSQL's row lock (and SQLite's write lock) before the
previous hash is read, so concurrent writers queue instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from laborcommons.access.models import AuditHead, AuditRecord
from laborcommons.access.policy import Reader
from laborcommons.core.db import utcnow

GENESIS = "0" * 64
PENDING = "laborcommons.audit.pending"
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


def compute_hash(row: AuditRecord, prev_hash: str) -> str:
    body = json.dumps(_payload(row), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _lock_head(session: Session) -> tuple[int, str]:
    """Take the head row's lock and move it on: the new seq and the previous hash.

    One ``UPDATE … RETURNING`` round trip; if a wipe removed the head row, it is re-created
    from the trail's last record first.
    """
    bump = (
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
    )
    head = session.execute(bump).first()
    if head is None:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        last = session.scalar(select(func.max(AuditRecord.seq))) or 0
        session.execute(
            insert(AuditHead)
            .values(id=1, seq=last, hash=_last_hash(session))
            .on_conflict_do_nothing(index_elements=["id"])
        )
        head = session.execute(bump).one()
    return int(head.seq), str(head.hash)


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
        actor, action=action, organization_id=organization_id, dataset_id=dataset_id,
        version_id=version_id, level=level, purpose=purpose, outcome=outcome, details=details,
    )  # fmt: skip
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
        actor, action=action, organization_id=organization_id, dataset_id=dataset_id,
        version_id=version_id, level=level, purpose=purpose, outcome=outcome, details=details,
    )  # fmt: skip
    pending: list[dict[str, Any]] = session.info.setdefault(PENDING, [])
    if not pending:
        event.listen(session, "before_commit", _append_pending, once=True)
        event.listen(session, "after_rollback", _drop_pending, once=True)
    pending.append(fields)


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
    seq, prev_hash = _lock_head(session)
    row = AuditRecord(seq=seq, **fields)
    row.prev_hash = prev_hash
    row.hash = compute_hash(row, prev_hash)
    session.add(row)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=row.hash))
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


def verify(session: Session) -> Verification:
    """Recompute every hash in sequence order and compare with the stored chain and head."""
    problems: list[str] = []
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    rows = session.scalars(select(AuditRecord).order_by(AuditRecord.seq, AuditRecord.id))
    for row in rows.yield_per(1000):
        checked += 1
        where = f"record id {row.id} (seq {row.seq})"
        if row.seq != expected_seq:
            problems.append(f"{where}: expected seq {expected_seq}; records missing or moved")
        if row.prev_hash != expected_prev:
            problems.append(f"{where}: does not follow the record before it (deleted/reordered)")
        if compute_hash(row, row.prev_hash) != row.hash:
            problems.append(f"{where}: content does not match its hash (edited)")
        expected_prev, expected_seq = row.hash, row.seq + 1
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    head_seq = int(head.seq) if head else 0
    if head is None and checked:
        problems.append("the head row is missing: the trail was tampered with")
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        problems.append(
            f"the head says the last record is seq {head.seq}, the trail ends at seq "
            f"{expected_seq - 1}: records at the end were deleted or edited"
        )
    return Verification(checked=checked, head_seq=head_seq, problems=problems)
