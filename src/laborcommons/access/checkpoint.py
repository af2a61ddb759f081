"""Checkpoints: a signed copy of the trail's head that the owner keeps outside the node.

Whoever can write the database could delete the newest records and restore an older head
(and its tag) copied earlier. A checkpoint kept elsewhere defeats that: it names the count
and last hash at a moment, signed (HMAC-SHA256) under the trail's checkpoint key, and
``check`` proves every record up to that count is still there, unchanged.
"""

from __future__ import annotations

import hmac
import json
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import audit
from laborcommons.access.audit_key import AuditKeys, keys_for_append, load_keys
from laborcommons.access.models import AuditRecord
from laborcommons.core.db import utcnow
from laborcommons.core.errors import Conflict

FORMAT = "laborcommons-audit-checkpoint/v1"
SIGNED = ("format", "count", "hash", "created_at", "key_id")


def _signature(keys: AuditKeys, fields: dict[str, Any]) -> str:
    body = json.dumps({k: fields[k] for k in SIGNED}, sort_keys=True, separators=(",", ":"))
    return keys.tag(keys.checkpoint, body)


def make_checkpoint(*, session: Session) -> dict[str, Any]:
    """Sign the current head; refused when the trail does not verify (it would vouch for it)."""
    result = audit.verify(session)
    if not result.ok:
        raise Conflict(
            f"the audit trail does not verify ({result.problems[0]}): a checkpoint would "
            "vouch for it; run `laborcommons audit verify`"
        )
    keys = keys_for_append(session, trail_length=result.checked)
    last = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == result.head_seq))
    fields: dict[str, Any] = {
        "format": FORMAT,
        "count": result.head_seq,
        "hash": last or audit.GENESIS,
        "created_at": utcnow().astimezone(UTC).isoformat(),
        "key_id": keys.key_id,
    }
    return {**fields, "signature": _signature(keys, fields)}


def _parse(text: str) -> dict[str, Any] | str:
    try:
        data = json.loads(text)
    except ValueError:
        return "the checkpoint file is not JSON"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return f"the checkpoint file is not a {FORMAT} checkpoint"
    count, hash_ = data.get("count"), data.get("hash")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return "the checkpoint's count is not a whole number"
    if not all(isinstance(data.get(k), str) for k in ("hash", "created_at", "key_id")):
        return "the checkpoint lacks its hash, time or key id"
    if not isinstance(data.get("signature"), str) or not isinstance(hash_, str):
        return "the checkpoint is not signed"
    return data


def check_checkpoint(text: str, *, session: Session) -> list[str]:
    """Problems that the checkpoint in ``text`` proves; empty when the trail still holds it.

    Combined with ``audit.verify`` (every link intact), a matching hash at the checkpoint's
    count proves no record up to it was removed or rewritten.
    """
    data = _parse(text)
    if isinstance(data, str):
        return [data]
    keys = load_keys(session)
    if keys is None:
        return ["the node has no audit key: the trail was wiped or re-keyed since the checkpoint"]
    if data["key_id"] != keys.key_id:
        return [
            f"the checkpoint was signed by audit key {data['key_id']}, the node's is "
            f"{keys.key_id}: the trail was re-keyed (wiped?) since"
        ]
    if not hmac.compare_digest(data["signature"], _signature(keys, data)):
        return ["the checkpoint's signature is wrong: the file was altered or is not this node's"]
    count, expected = data["count"], data["hash"]
    if count == 0:
        return []
    found = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == count))
    if found is None:
        return [
            f"the checkpoint vouches for {count} records, the trail has no record at seq "
            f"{count}: records up to the checkpoint were deleted"
        ]
    if found != expected:
        return [
            f"the record at seq {count} does not have the checkpoint's hash: records up "
            "to the checkpoint were rewritten"
        ]
    return []
