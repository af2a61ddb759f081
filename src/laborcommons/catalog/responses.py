"""Shared HTTP response shapes of the catalog, used by the API routes and the web pages."""

from __future__ import annotations

from fastapi import BackgroundTasks
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader
from laborcommons.catalog import service
from laborcommons.catalog.service import Export
from laborcommons.core.node import Node

CELLS_ALTERED = "X-LaborCommons-Cells-Altered"  # the rule an export applied to cells, or none


def keep_out_of_shared_caches(response: Response, level: str) -> None:
    """Restricted rows are per reader: no proxy or browser cache may keep or share them.

    The one owner of this header: API rows and downloads, the web page with its row
    preview and web downloads all call it with the dataset's access level.
    """
    if level not in READABLE_BY_ANYONE:
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Vary"] = "Authorization, Cookie"


def download_response(export: Export, background: BackgroundTasks, *, access: str) -> Response:
    """Stream an export (kept out of shared caches unless anyone may read it); a temporary
    file is deleted once it has been sent."""
    response: Response
    if export.content is not None or export.path is None:  # a sealed version's, in memory
        disposition = f'attachment; filename="{export.filename}"'
        response = Response(
            export.content or b"",
            media_type=export.media_type,
            headers={"Content-Disposition": disposition},
        )
    else:
        if export.temporary:
            background.add_task(export.path.unlink, missing_ok=True)
        response = FileResponse(export.path, media_type=export.media_type, filename=export.filename)
    # Cells are never altered without the response saying so (docs/api.md).
    response.headers[CELLS_ALTERED] = export.altered
    keep_out_of_shared_caches(response, access)
    return response


def version_download(
    slug: str,
    number: int,
    fmt: str,
    *,
    safe: bool = True,
    reader: Reader,
    session: Session,
    node: Node,
    background: BackgroundTasks,
    via_api: bool,
) -> Response:
    """A version's rows in ``fmt``, or its uploaded file (``fmt="original"``): the API's and
    the web's downloads alike, behind the one access decision and its audit record."""
    details: dict[str, object] = {"format": fmt}
    if fmt != "original":
        details["safe"] = safe
    if via_api:
        details["via_api"] = True
    version = service.readable_version(
        slug, number, reader=reader, session=session, action="rows.download", details=details
    )
    if fmt == "original":
        export = service.original_file(version, node=node)
    else:
        export = service.export_version(version, fmt, node=node, safe=safe)
    return download_response(export, background, access=version.dataset.access)
