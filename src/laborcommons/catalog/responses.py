"""Shared HTTP response shapes of the catalog, used by the API routes and the web pages."""

from __future__ import annotations

from fastapi import BackgroundTasks
from fastapi.responses import FileResponse

from laborcommons.catalog.service import Export


def download_response(export: Export, background: BackgroundTasks) -> FileResponse:
    """Stream an export; a temporary file is deleted once it has been sent."""
    if export.temporary:
        background.add_task(export.path.unlink, missing_ok=True)
    return FileResponse(export.path, media_type=export.media_type, filename=export.filename)
