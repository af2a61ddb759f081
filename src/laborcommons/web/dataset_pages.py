"""Dataset search, the dataset page (metadata, versions, preview) and session downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader, may_edit
from laborcommons.access.deps import PageReaderDep
from laborcommons.answers import service as answers
from laborcommons.catalog import service, standards
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.responses import keep_out_of_shared_caches, version_download
from laborcommons.catalog.schemas import DatasetPage, DatasetPublic
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.pagination import next_query, previous_query
from laborcommons.entities import service as entity_service
from laborcommons.evidence import service as evidence
from laborcommons.web.preview import build_preview, preview_query
from laborcommons.web.rendering import query_string, render

router = APIRouter()
PAGE_SIZE = 20


def download_url(
    dataset: DatasetPublic, number: int, fmt: str, *, safe: bool = True, entities: bool = False
) -> str:
    """Rows anyone may read link to the API; restricted rows to the session-backed route,
    because a browser holds a session cookie, not the API's bearer token. ``original`` is
    the uploaded file; ``safe=False`` the cells exactly as stored; ``entities`` adds the
    IDs the rows were linked to."""
    prefix = "/api/v1" if dataset.access in READABLE_BY_ANYONE else ""
    base = f"{prefix}/datasets/{dataset.slug}/versions/{number}"
    if fmt == "original":
        return f"{base}/original"
    query = "" if safe else "&safe=false"
    return f"{base}/download?format={fmt}{query}" + ("&entities=true" if entities else "")


def has_row_links(slug: str, number: int | None, *, reader: Reader, session: Session) -> bool:
    """Whether rows of this version were linked to entities (a download with IDs helps)."""
    if number is None:
        return False
    version = service.get_version(slug, number, reader=reader, session=session)
    return bool(entity_service.linked_versions([version.id], session=session))


SERVICE_NAMES = {"license": "license_code"}  # the page's parameter -> the service's keyword
FACET_TITLES = {
    "data_type": "Data type",
    "access": "Access",
    "license": "License",
    "country": "Country",
    "organization": "Organization",
    "archetype": "Holder",
    "period": "Year",
}


def facet_links(
    result: DatasetPage, filters: dict[str, str]
) -> list[tuple[str, list[tuple[str, int, str, bool]]]]:
    """Each facet as (title, [(label, count, link, chosen)]): a link sets that filter
    (or clears it when already chosen), keeping the others."""
    shown = []
    for name, title in FACET_TITLES.items():
        entries = [
            (
                entry.label,
                entry.count,
                query_string({**filters, name: "" if filters[name] == entry.value else entry.value})
                or "?",
                filters[name] == entry.value,
            )
            for entry in result.facets.get(name, [])
        ]
        if entries:
            shown.append((title, entries))
    return shown


@router.get("/datasets")
def datasets(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    q: str = "",
    data_type: str = "",
    organization: str = "",
    license: str = "",
    access: str = "",
    country: str = "",
    archetype: str = "",
    period: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    filters = {
        "q": q,
        "data_type": data_type,
        "organization": organization,
        "license": license,
        "access": access,
        "country": country,
        "archetype": archetype,
        "period": period,
    }
    chosen = {SERVICE_NAMES.get(name, name): value or None for name, value in filters.items()}
    result = service.list_datasets(
        reader=reader, session=session, page=page, page_size=PAGE_SIZE, facets=True, **chosen
    )
    context = {
        "result": result,
        "filters": filters,
        "facets": facet_links(result, filters),
        "organization_options": [
            (org.slug, org.name)
            for org in service.list_organizations(reader=reader, session=session).items
        ],
        "previous": previous_query(filters, page=page),
        "next": next_query(filters, page=page, page_size=PAGE_SIZE, total=result.total),
        "may_create": any(may_edit(reader, owner_id=org_id) for org_id in reader.roles),
    }
    api = "/api/v1/datasets" + query_string({**filters, "page": page if page > 1 else ""})
    return render(request, "datasets.html", context, reader=reader, alternate=api)


def _linked(dataset: Dataset, *, session: Session) -> bool:
    """Whether the latest version has rows linked to entities (so columns can be mapped)."""
    latest = max(dataset.versions, key=lambda v: v.number, default=None)
    return latest is not None and bool(evidence.linked_kinds(latest.id, session=session))


def _json_ld(
    request: Request, found: Dataset, public: DatasetPublic, *, reader: Reader, session: Session
) -> Markup:
    """schema.org ``Dataset`` for search engines, escaped for the ``<script>`` it sits in."""
    base = str(request.base_url).rstrip("/")
    doc = standards.dataset_json_ld(
        standards.describe(found, reader=reader, session=session),
        base=base,
        download_url=lambda number, fmt: base + download_url(public, number, fmt),
    )
    return Markup(standards.script_json(doc))  # noqa: S704 - escaped by script_json


@router.get("/datasets/{slug}")
def dataset(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    page: Annotated[int, Query(alias="_page", ge=1)] = 1,
    sort: Annotated[str | None, Query(alias="_sort")] = None,
    desc: Annotated[bool, Query(alias="_desc")] = False,
    version: int | None = None,
) -> Response:
    """The page of ``version`` (default the latest): its preview and downloads; the
    metadata, versions and dictionary belong to the dataset and stay the same."""
    found = service.get_dataset(slug, reader=reader, session=session)
    public = service.dataset_public(found, reader=reader)
    if version is not None:  # an unknown number is a 404, whether or not rows are readable
        service.get_version(slug, version, reader=reader, session=session)
    preview = None
    editor = may_edit(reader, owner_id=found.organization_id)
    versions = service.list_versions(slug, reader=reader, session=session, node=None)[::-1]
    # A grant may cover some versions only: links follow each version's own decision.
    readable = {
        v.version for v in versions if service.rows_readable(reader, found, version=v.version)
    }
    shown = version if version is not None else max(readable, default=public.latest_version)
    if shown is not None and shown in readable:
        pinned = None if shown == public.latest_version and version is None else shown
        query = preview_query(request, page, sort, desc, pinned)
        preview = build_preview(slug, query, reader=reader, session=session, node=node)
    context = {
        "dataset": public,
        "versions": versions,
        "readable_versions": readable,
        "shown_version": shown,
        "preview": preview,
        "may_edit": editor,
        "mappable": editor and _linked(found, session=session),
        "checklist": service.publishing_checklist(slug, reader=reader, session=session)
        if editor
        else None,
        "download_url": download_url,
        "with_entity_ids": shown in readable
        and has_row_links(slug, shown, reader=reader, session=session),
        "column_types": {c.name: c.type for c in versions[0].columns} if versions else {},
        "questions": answers.list_questions(slug, reader=reader, session=session),
        "json_ld": _json_ld(request, found, public, reader=reader, session=session),
    }
    api = f"/api/v1/datasets/{slug}"
    response = render(request, "dataset.html", context, reader=reader, alternate=api)
    if preview is not None:  # the page carries rows
        keep_out_of_shared_caches(response, found.access)
    return response


@router.get("/datasets/{slug}/versions/{number}/download")
def download(
    slug: str,
    number: int,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    background: BackgroundTasks,
    format: str = "csv",
    safe: bool = True,
    entities: bool = False,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The API's download for signed-in readers; the same access decision and export."""
    return version_download(
        slug,
        number,
        format,
        safe=safe,
        entities=entities,
        reader=reader,
        session=session,
        node=node,
        background=background,
        via_api=False,
        if_none_match=if_none_match,
    )


@router.get("/datasets/{slug}/versions/{number}/original")
def download_original(
    slug: str,
    number: int,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    background: BackgroundTasks,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The file uploaded for a version, for signed-in readers of its rows."""
    return version_download(
        slug,
        number,
        "original",
        reader=reader,
        session=session,
        node=node,
        background=background,
        via_api=False,
        if_none_match=if_none_match,
    )
