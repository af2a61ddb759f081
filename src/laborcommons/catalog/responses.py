"""Shared HTTP response shapes of the catalog, used by the API routes and the web pages."""

from __future__ import annotations

from functools import partial

from fastapi import BackgroundTasks
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader
from laborcommons.catalog import service
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service import ENTITY_COLUMNS, Export, RowColumns
from laborcommons.core.node import Node

CELLS_ALTERED = "X-LaborCommons-Cells-Altered"  # the rule an export applied to cells, or none
EXPORT_REVISION = 1  # raise when an export's bytes change for the same version and format
OPEN_MAX_AGE = 86_400  # a day: a dataset made restricted leaves shared caches within it


def download_etag(
    version: DatasetVersion, fmt: str, *, safe: bool, added: RowColumns | None = None
) -> str:
    """The validator of a download, from the version's content hashes: a version never
    changes, so neither does its export. Strong, except XLSX, whose zip carries the time it
    was written (the same cells, not the same bytes). With ``added`` columns (the entity
    IDs, which change with links, merges and reviews, and depend on the reader) it also
    carries the digest of those columns as shown to this reader."""
    if fmt == "original":
        return f'"{version.sha256}"'
    if fmt == "parquet" and added is None:
        return f'"{version.parquet_sha256}"'
    tag = f"{version.parquet_sha256[:40]}-{fmt}{'' if safe else '-as-stored'}-r{EXPORT_REVISION}"
    if added is not None:
        tag += f"-{added.label}-{added.digest[:32]}"
    return f'W/"{tag}"' if fmt == "xlsx" else f'"{tag}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """``If-None-Match`` uses the weak comparison (RFC 9110 13.1.2): ``W/`` is ignored."""
    if not if_none_match:
        return False
    opaque = etag.removeprefix("W/")
    sent = [part.strip().removeprefix("W/") for part in if_none_match.split(",")]
    return "*" in sent or opaque in sent


def set_download_caching(
    response: Response, *, etag: str, level: str, per_reader: bool = False
) -> None:
    """ETag on every download; open rows may be cached by anyone for a day, restricted
    rows by no one (``keep_out_of_shared_caches``). A ``per_reader`` download (with entity
    IDs: they change and depend on the reader) is never immutable nor shared: the reader's
    own cache revalidates it every time."""
    response.headers["ETag"] = etag
    if per_reader:
        keep_per_reader(response)
    elif level in READABLE_BY_ANYONE:
        response.headers["Cache-Control"] = f"public, max-age={OPEN_MAX_AGE}, immutable"
    keep_out_of_shared_caches(response, level)


def keep_per_reader(response: Response) -> None:
    """A response shaped for its reader (what they may discover or download): their own
    cache revalidates it, no shared cache keeps it for another reader."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Authorization, Cookie"


def metadata_export(content: bytes, media_type: str, *, level: str | None = None) -> Response:
    """A catalog export (DCAT-AP): per reader; one describing restricted rows, never stored."""
    response = Response(content, media_type=media_type)
    keep_per_reader(response)
    if level is not None:
        keep_out_of_shared_caches(response, level)
    return response


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
    if_none_match: str | None = None,
    entities: bool = False,
) -> Response:
    """A version's rows in ``fmt``, or its uploaded file (``fmt="original"``): the API's and
    the web's downloads alike, behind the one access decision and its audit record. A
    client holding the current ETag gets 304 without the export being built (after the
    access decision: a hidden version never answers 304). ``entities`` adds the IDs each
    row was linked to, as this reader may see them (``ENTITY_COLUMNS``)."""
    details: dict[str, object] = {"format": fmt}
    if fmt != "original":
        details["safe"] = safe
    if entities:
        details["entities"] = True
    if via_api:
        details["via_api"] = True
    version = service.readable_version(
        slug, number, reader=reader, session=session, action="rows.download", details=details
    )
    level = version.dataset.access
    added = None
    if fmt != "original":
        service.check_export_format(version, fmt)
        if entities:
            added = service.added_row_columns(
                ENTITY_COLUMNS, version, reader=reader, session=session, action="rows.download"
            )
    etag = download_etag(version, fmt, safe=safe, added=added)
    caching = partial(set_download_caching, etag=etag, level=level, per_reader=added is not None)
    if etag_matches(if_none_match, etag):
        response = Response(status_code=304)
        caching(response)
        return response
    if fmt == "original":
        export = service.original_file(version, node=node)
    else:
        export = service.export_version(version, fmt, node=node, safe=safe, added=added)
    response = download_response(export, background, access=level)
    caching(response)
    return response
