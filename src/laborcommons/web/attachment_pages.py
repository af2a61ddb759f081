"""An answer's attachments on the web: the list, the upload form, the downloads.

The same service as the API (``evidence.service``): exactly who sees the answer sees its
files, a hidden answer answers 404 like a missing one, every download of a non-open
dataset's file is audited, and the page and the files are never kept in shared caches.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.evidence import service
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.evidence_pages import per_reader
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
ATTACHMENTS = "/answers/{answer_id}/attachments"


@router.get(ATTACHMENTS)
def attachments(
    request: Request, answer_id: int, reader: PageReaderDep, session: SessionDep
) -> Response:
    """The answer, the files backing it, and (signed in) a form to attach one more."""
    answer = service.get_answer(answer_id, reader=reader, session=session)
    files = service.list_attachments(answer_id, reader=reader, session=session)
    context = {"answer": answer, "files": files, "signed_in": not reader.is_anonymous}
    return per_reader(render(request, "evidence/attachments.html", context, reader=reader))


@router.post(ATTACHMENTS)
def attach(
    request: Request,
    answer_id: int,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    content = file.file.read(service.MAX_ATTACHMENT_BYTES + 1)
    made = service.attach_file(
        answer_id,
        content,
        filename=file.filename,
        comment=comment,
        reader=reader,
        session=session,
        node=node,
    )
    add_flash(request, f"Attached {made.filename}.")
    return RedirectResponse(f"/answers/{answer_id}/attachments", status_code=303)


@router.get(f"{ATTACHMENTS}/{{attachment_id}}")
def download(
    answer_id: int, attachment_id: int, reader: PageReaderDep, session: SessionDep, node: NodeDep
) -> Response:
    name, content, _level = service.attachment_file(
        answer_id, attachment_id, reader=reader, session=session, node=node
    )
    response = Response(content, media_type="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return per_reader(response)
