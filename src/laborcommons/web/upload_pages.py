"""Upload a file as a dataset's next version; a file that fails validation shows its report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.catalog.schemas import DatasetPublic, VersionCreated
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from laborcommons.core.node import Node
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, editable_dataset
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
FORM_ERRORS = (BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMediaType)
CHUNK = 1024 * 1024


def report_of(error: Exception) -> dict[str, Any] | None:
    """The validation report an ingest failure carries, if it carries one."""
    details = getattr(error, "details", None)
    return details if isinstance(details, dict) and "issues" in details else None


def upload_page(
    request: Request,
    dataset: DatasetPublic,
    *,
    reader: Reader,
    status: int = 200,
    **context: Any,
) -> Response:
    values = {
        "error": None,
        "report": None,
        "message": "",
        "sheet": "",
        "page": "",
        "table": "",
        **context,
    }
    return render(
        request, "upload.html", {"dataset": dataset, **values}, reader=reader, status=status
    )


@router.get("/datasets/{slug}/upload")
def upload_form(
    request: Request, slug: str, reader: PageReaderDep, session: SessionDep
) -> Response:
    found = editable_dataset(slug, reader=reader, session=session)
    return upload_page(request, service.dataset_public(found, reader=reader), reader=reader)


def ingest_upload(
    slug: str,
    file: UploadFile,
    choice: dict[str, str],
    message: str,
    *,
    reader: Reader,
    session: Session,
    node: Node,
) -> VersionCreated:
    path = service.save_upload(file.file, file.filename, node=node)
    try:
        return service.add_version(
            slug,
            path,
            original_name=file.filename or "upload",
            reader=reader,
            node=node,
            session=session,
            sheet=choice["sheet"] or None,
            page=_page_number(choice["page"]),
            table=choice["table"] or None,
            message=message,
        )
    finally:
        path.unlink(missing_ok=True)


def _page_number(text: str) -> int | None:
    """The form's page field: empty for none, else a whole number (strict, as the API)."""
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput(f"page must be a whole number, not {text!r}")
    return int(text)


@router.post("/datasets/{slug}/upload")
def upload(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile | None, File()] = None,
    sheet: Annotated[str, Form()] = "",
    page: Annotated[str, Form()] = "",
    table: Annotated[str, Form()] = "",
    message: Annotated[str, Form()] = "",
) -> Response:
    found = editable_dataset(slug, reader=reader, session=session)
    public = service.dataset_public(found, reader=reader)
    choice = {"sheet": sheet.strip(), "page": page.strip(), "table": table.strip()}
    kept = {"message": message, **choice}
    if file is None or not file.filename:
        return upload_page(
            request, public, reader=reader, status=422, error="Choose a file to upload.", **kept
        )
    try:
        created = ingest_upload(
            slug, file, choice, message, reader=reader, session=session, node=node
        )
    except FORM_ERRORS as error:
        discard_changes(session, error)
        return upload_page(
            request,
            public,
            reader=reader,
            status=error.status_code,
            error=error.message,
            report=report_of(error),
            **kept,
        )
    if created.created:
        add_flash(request, f"Version {created.version}: {created.row_count} rows")
    else:
        add_flash(request, f"Identical content, no new version (same as version {created.version})")
    return RedirectResponse(f"/datasets/{slug}", status_code=303)
