"""Shared HTTP response shapes of the catalog, used by the API routes and the web pages."""

from __future__ import annotations

from fastapi import BackgroundTasks
from fastapi.responses import FileResponse, Response

from laborcommons.catalog.service import Export


def download_response(export: Export, background: BackgroundTasks) -> Response:
    """Stream an export; a temporary file is deleted once it has been sent."""
    if export.content is not None or export.path is None:  # a sealed version's, in memory
        disposition = f'attachment; filename="{export.filename}"'
        return Response(export.content or b"", media_type=export.media_type,
                        headers={"Content-Disposition": disposition})  # fmt: skip
    if export.temporary:
        background.add_task(export.path.unlink, missing_ok=True)
    return FileResponse(export.path, media_type=export.media_type, filename=export.filename)
