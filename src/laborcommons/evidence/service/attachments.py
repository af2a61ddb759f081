"""Files attached to an answer as its evidence (a payslip photo, an audit report page).

An attachment is shown to exactly those who may see its answer (``reading``: the reader
may read the answer's rows); a hidden answer's attachment answers 404 like a missing one,
and every download from a non-open dataset is audited. The file is stored sealed in the
object store whatever the dataset's level (``catalog.seal_attachment``), received and
encrypted in memory, so no plaintext copy is written; any signed-in reader who sees the
answer may attach one (with a comment, like a flag), within ``MAX_BYTES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import Dataset
from laborcommons.core.deps import MAX_DB_ID
from laborcommons.core.errors import InvalidInput, NotAuthenticated, NotFound, PayloadTooLarge
from laborcommons.core.node import Node
from laborcommons.evidence.models import Attachment
from laborcommons.evidence.schemas import AttachmentPublic
from laborcommons.evidence.service.reading import Row, get_answer_row

MAX_BYTES = 10 * 1024 * 1024
SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def _public(row: Attachment) -> AttachmentPublic:
    return AttachmentPublic(
        id=row.id,
        answer_id=row.answer_id,
        filename=row.filename,
        size_bytes=row.size_bytes,
        comment=row.comment,
        created_by=row.created_by,
        created_at=row.created_at,
        url=f"/api/v1/answers/{row.answer_id}/attachments/{row.id}",
    )


def safe_filename(name: str | None) -> str:
    """The file's own name, without a path and with only plain characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    cleaned = SAFE_NAME.sub("_", base).strip(" .")[:200]
    return cleaned or "attachment"


def attach_file(
    answer_id: int,
    content: bytes,
    *,
    filename: str | None,
    comment: str = "",
    reader: Reader,
    session: Session,
    node: Node,
) -> AttachmentPublic:
    row = get_answer_row(answer_id, reader=reader, session=session)  # 404 when hidden
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to attach evidence to an answer")
    if not content:
        raise InvalidInput(f"{safe_filename(filename)}: the file is empty")
    if len(content) > MAX_BYTES:
        raise PayloadTooLarge(f"{safe_filename(filename)}: over the {MAX_BYTES}-byte limit")
    if len(comment) > 5000:
        raise InvalidInput("a comment has at most 5000 characters")
    digest = catalog.seal_attachment(content, node=node, session=session)
    attachment = Attachment(
        answer_id=row.answer.id,
        digest=digest,
        filename=safe_filename(filename),
        size_bytes=len(content),
        comment=comment,
        created_by=reader.email or "node-admin",
    )
    session.add(attachment)
    session.flush()
    dataset = session.get_one(Dataset, row.dataset_id)
    _audit(audit.record, "evidence.attach", dataset, row, attachment, reader, session)
    return _public(attachment)


def _audit(
    write: Callable[..., object],
    action: str,
    dataset: Dataset,
    row: Row,
    attachment: Attachment,
    reader: Reader,
    session: Session,
) -> None:
    write(
        session,
        actor=reader,
        action=action,
        organization_id=dataset.organization_id,
        dataset_id=dataset.id,
        version_id=row.answer.source_version_id,
        level=dataset.access,
        details={"answer": row.answer.id, "attachment": attachment.id, "slug": dataset.slug},
    )


def list_attachments(answer_id: int, *, reader: Reader, session: Session) -> list[AttachmentPublic]:
    get_answer_row(answer_id, reader=reader, session=session)
    query = select(Attachment).where(Attachment.answer_id == answer_id).order_by(Attachment.id)
    return [_public(a) for a in session.scalars(query)]


def attachment_file(
    answer_id: int, attachment_id: int, *, reader: Reader, session: Session, node: Node
) -> tuple[str, bytes, str]:
    """(filename, bytes, the dataset's level) of an attachment the reader may see."""
    row = get_answer_row(answer_id, reader=reader, session=session)
    fits = 1 <= attachment_id <= MAX_DB_ID  # a larger id can name nothing (32-bit ids)
    attachment = session.get(Attachment, attachment_id) if fits else None
    if attachment is None or attachment.answer_id != row.answer.id:
        raise NotFound(f"answer {answer_id} has no attachment {attachment_id}")
    dataset = session.get_one(Dataset, row.dataset_id)
    if dataset.access != "open":
        read = audit.record_at_commit
        _audit(read, "evidence.attachment.read", dataset, row, attachment, reader, session)
    content = catalog.attachment_bytes(attachment.digest, node=node, session=session)
    return attachment.filename, content, dataset.access
