"""Shared HTTP response shapes of the catalog, used by the API routes and the web pages."""

from __future__ import annotations

from fastapi import BackgroundTasks
from fastapi.responses import FileResponse, Response

from laborcommons.access import READABLE_BY_ANYONE
from laborcommons.catalog.service import Export


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
    keep_out_of_shared_caches(response, access)
    return response
