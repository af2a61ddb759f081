"""HTTP routes of the catalog: parse, call one service, return its schema."""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response

from laborcommons.access.deps import ReaderDep
from laborcommons.catalog import service, standards
from laborcommons.catalog.licenses import (
    LICENSES,
    License,
    LicenseQuestions,
    LicenseRecommendation,
    choose_license,
)
from laborcommons.catalog.responses import (
    keep_out_of_shared_caches,
    metadata_export,
    version_download,
)
from laborcommons.catalog.schemas import (
    AccessLevel,
    Archetype,
    DatasetCreate,
    DatasetPage,
    DatasetPublic,
    DatasetUpdate,
    DataType,
    OrganizationCreate,
    OrganizationPage,
    OrganizationPublic,
    PublishingChecklist,
    RowsPage,
    VersionCreated,
    VersionDoi,
    VersionPublic,
)
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import BadRequest
from laborcommons.core.pagination import next_url
from laborcommons.core.query_params import FREE_QUERY

router = APIRouter()
RESERVED_ROW_PARAMS = {"_page", "_size", "_sort", "_desc", "entities"}
MAX_PAGE = 1_000_000  # far past any real dataset; keeps offsets inside 64-bit integers
ENTITIES_HELP = (
    "add lcid (the linked entity's stable ID), link_status and one column per identifier "
    "scheme (os_id, lei, ...), as this reader may see them (docs/entities.md)"
)


@router.get("/organizations", summary="List the organizations registry", tags=["organizations"])
def list_organizations(
    reader: ReaderDep,
    session: SessionDep,
    archetype: Archetype | None = None,
    data_type: DataType | None = None,
    country: str | None = None,
    q: str | None = None,
) -> OrganizationPage:
    return service.list_organizations(
        reader=reader,
        session=session,
        archetype=archetype,
        data_type=data_type,
        country=country,
        q=q,
    )


@router.post(
    "/organizations", status_code=201, summary="Register an organization", tags=["organizations"]
)
def create_organization(
    data: OrganizationCreate, reader: ReaderDep, session: SessionDep, node: NodeDep
) -> OrganizationPublic:
    organization = service.create_organization(
        data,
        reader=reader,
        session=session,
        require_approval=node.settings.require_org_approval,
    )
    return service.organization_public(organization, reader=reader, session=session)


@router.get("/organizations/{slug}", summary="One organization", tags=["organizations"])
def get_organization(slug: str, reader: ReaderDep, session: SessionDep) -> OrganizationPublic:
    organization = service.visible_organization(slug, reader=reader, session=session)
    return service.organization_public(organization, reader=reader, session=session)


Many = Annotated[list[str] | None, Query(description="repeatable: any of these values")]


@router.get("/datasets", summary="Search datasets", tags=["datasets"])
def list_datasets(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    q: Annotated[str | None, Query(description="words, all required; ranked")] = None,
    data_type: Annotated[list[DataType] | None, Query(description="repeatable")] = None,
    organization: Many = None,
    license: Annotated[list[str] | None, Query(description="SPDX id, repeatable")] = None,
    access: Annotated[list[AccessLevel] | None, Query(description="repeatable")] = None,
    country: Annotated[list[str] | None, Query(description="ISO code or name, repeatable")] = None,
    archetype: Annotated[
        list[Archetype] | None, Query(description="the holder's archetype, repeatable")
    ] = None,
    period: Annotated[list[str] | None, Query(description="a year the period overlaps")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> DatasetPage:
    result = service.list_datasets(
        reader=reader,
        session=session,
        q=q,
        data_type=data_type,
        organization=organization,
        license_code=license,
        access=access,
        country=country,
        archetype=archetype,
        period=period,
        page=page,
        page_size=page_size,
        facets=True,
    )
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    return result


@router.post("/datasets", status_code=201, summary="Create a dataset", tags=["datasets"])
def create_dataset(data: DatasetCreate, reader: ReaderDep, session: SessionDep) -> DatasetPublic:
    dataset = service.create_dataset(data, reader=reader, session=session)
    return service.dataset_public(dataset, reader=reader)


@router.get("/datasets/{slug}", summary="One dataset's metadata", tags=["datasets"])
def get_dataset(slug: str, reader: ReaderDep, session: SessionDep) -> DatasetPublic:
    return service.dataset_metadata(slug, reader=reader, session=session)


@router.patch("/datasets/{slug}", summary="Edit a dataset's metadata", tags=["datasets"])
def update_dataset(
    slug: str, data: DatasetUpdate, reader: ReaderDep, session: SessionDep
) -> DatasetPublic:
    dataset = service.update_dataset(slug, data, reader=reader, session=session)
    return service.dataset_public(dataset, reader=reader)


@router.get(
    "/datasets/{slug}/checklist",
    summary="What a dataset lacks before it is made public or open (editors)",
    tags=["datasets"],
)
def publishing_checklist(
    slug: str,
    reader: ReaderDep,
    session: SessionDep,
    level: Annotated[
        Literal["public", "open"] | None,
        Query(description="the level to check for; default its own, or `open` until published"),
    ] = None,
) -> PublishingChecklist:
    return service.publishing_checklist(slug, reader=reader, session=session, level=level)


@router.get("/datasets/{slug}/versions", summary="A dataset's versions", tags=["versions"])
def list_versions(
    slug: str, reader: ReaderDep, session: SessionDep, node: NodeDep
) -> list[VersionPublic]:
    return service.list_versions(slug, reader=reader, session=session, node=node)


def parse_table_schema(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadRequest(f"schema is not valid JSON: {error}") from None
    if not isinstance(descriptor, dict):
        raise BadRequest("schema must be a JSON object (a Table Schema descriptor)")
    return descriptor


@router.post(
    "/datasets/{slug}/versions",
    status_code=201,
    summary="Upload a file as a new version",
    tags=["versions"],
    response_model=VersionCreated,
    responses={200: {"description": "identical content: the existing version"}},
)
def add_version(
    slug: str,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    file: Annotated[
        UploadFile, File(description="CSV, XLSX, XLS, ODS, JSON, JSON Lines, XML, PDF or HTML")
    ],
    sheet: Annotated[str | None, Form(description="spreadsheets: sheet name")] = None,
    page: Annotated[int | None, Form(description="PDF: page whose table to read")] = None,
    table: Annotated[
        str | None, Form(description="PDF/HTML: table number, or HTML table id")
    ] = None,
    message: Annotated[str, Form()] = "",
    table_schema_text: Annotated[
        str | None, Form(alias="schema", description="Table Schema JSON")
    ] = None,
) -> Any:
    table_schema = parse_table_schema(table_schema_text)
    path = service.save_upload(file.file, file.filename, node=node)
    try:
        created = service.add_version(
            slug,
            path,
            original_name=file.filename or "upload",
            reader=reader,
            node=node,
            session=session,
            sheet=sheet,
            page=page,
            table=table,
            message=message,
            table_schema=table_schema,
        )
    finally:
        path.unlink(missing_ok=True)
    if not created.created:
        return JSONResponse(created.model_dump(mode="json"), status_code=200)
    return created


@router.get("/datasets/{slug}/versions/{number}", summary="One version", tags=["versions"])
def get_version(
    slug: str, number: int, reader: ReaderDep, session: SessionDep, node: NodeDep
) -> VersionPublic:
    return service.version_metadata(slug, number, reader=reader, session=session, node=node)


@router.get(
    "/datasets/{slug}/versions/{number}/rows",
    summary="Rows of a version (filters: ?column=value, ?column__gte=; _page, _size, _sort, _desc)",
    tags=["versions"],
    openapi_extra={
        FREE_QUERY: "column filters: ?column=value (case-insensitive for text), "
        "?column__contains=, ranges ?column__gte=, __gt=, __lte=, __lt= on numbers and dates; "
        "unknown columns are refused"
    },
)
def get_rows(
    request: Request,
    response: Response,
    slug: str,
    number: int,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    page: Annotated[int, Query(alias="_page", ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(alias="_size", ge=1, le=1000)] = 50,
    sort: Annotated[str | None, Query(alias="_sort")] = None,
    desc: Annotated[bool, Query(alias="_desc")] = False,
    entities: Annotated[bool, Query(description=ENTITIES_HELP)] = False,
) -> RowsPage:
    filters = {k: v for k, v in request.query_params.items() if k not in RESERVED_ROW_PARAMS}
    details: dict[str, Any] = {"page": page, "page_size": size, "filtered_on": sorted(filters)}
    if entities:
        details["entities"] = True
    version = service.readable_version(
        slug, number, reader=reader, session=session, action="rows.read", details=details
    )
    keep_out_of_shared_caches(response, version.dataset.access)
    added = None
    if entities:  # entity IDs change with links and depend on the reader
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Vary"] = "Authorization, Cookie"
        added = partial(
            service.added_row_columns,
            service.ENTITY_COLUMNS,
            version,
            reader=reader,
            session=session,
            action="rows.read",
        )
    result = service.query_rows(
        version,
        node=node,
        filters=filters,
        sort=sort,
        descending=desc,
        page=page,
        page_size=size,
        added=added,
    )
    result.next = next_url(request, page=page, page_size=size, total=result.total, key="_page")
    return result


@router.get(
    "/datasets/{slug}/versions/{number}/download",
    summary="Download a version as csv, tsv, json, jsonl, xlsx or parquet",
    tags=["versions"],
    response_class=FileResponse,
)
def download_version(
    slug: str,
    number: int,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    background: BackgroundTasks,
    format: str = "csv",
    safe: Annotated[
        bool,
        Query(
            description="CSV/TSV: prefix text cells a spreadsheet would evaluate with an "
            "apostrophe (default); false gives cells exactly as stored, which a spreadsheet "
            "may run as formulas"
        ),
    ] = True,
    entities: Annotated[bool, Query(description=ENTITIES_HELP)] = False,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
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
        via_api=True,
        if_none_match=if_none_match,
    )


@router.get(
    "/datasets/{slug}/versions/{number}/original",
    summary="Download the file uploaded for a version, byte for byte",
    tags=["versions"],
    response_class=FileResponse,
)
def download_original(
    slug: str,
    number: int,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    background: BackgroundTasks,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    return version_download(
        slug,
        number,
        "original",
        reader=reader,
        session=session,
        node=node,
        background=background,
        via_api=True,
        if_none_match=if_none_match,
    )


@router.get(
    "/datasets/{slug}/versions/{number}/datapackage.json",
    summary="A version as a Frictionless tabular Data Package (docs/standards.md)",
    tags=["versions"],
)
def get_data_package(
    request: Request, slug: str, number: int, reader: ReaderDep, session: SessionDep
) -> dict[str, Any]:
    base = str(request.base_url)
    return service.data_package(slug, number, reader=reader, session=session, base_url=base)


@router.get(
    "/datasets/{slug}/versions/{number}/datacite.json",
    summary="A version's DataCite 4.5 metadata (JSON attributes, ready to mint a DOI)",
    tags=["versions"],
)
def get_datacite_json(
    slug: str, number: int, reader: ReaderDep, session: SessionDep
) -> dict[str, Any]:
    return service.datacite_json(slug, number, reader=reader, session=session)


@router.get(
    "/datasets/{slug}/versions/{number}/datacite.xml",
    summary="A version's DataCite 4.5 metadata (kernel-4 XML)",
    tags=["versions"],
    response_class=Response,
)
def get_datacite_xml(slug: str, number: int, reader: ReaderDep, session: SessionDep) -> Response:
    content = service.datacite_xml(slug, number, reader=reader, session=session)
    return Response(content, media_type="application/xml")


@router.post(
    "/datasets/{slug}/versions/{number}/doi",
    summary="Record the DOI minted for a version (owners and editors)",
    tags=["versions"],
)
def set_version_doi(
    slug: str,
    number: int,
    data: VersionDoi,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
) -> VersionPublic:
    version = service.set_doi(slug, number, data.doi, reader=reader, session=session)
    return service.version_public(version, reader=reader, node=node)


@router.get(
    "/catalog",
    summary="The DCAT-AP catalog, paged with Hydra (docs/standards.md)",
    tags=["catalog"],
    response_class=Response,
    responses={200: {"content": {media: {} for _, media in standards.RDF_FORMATS.values()}}},
)
def catalog_export(
    request: Request,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    format: Literal["ttl", "jsonld", "rdf"] = "ttl",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    """The same document as ``/catalog.{format}`` (whose page links it carries)."""
    base = str(request.base_url).rstrip("/")
    content = standards.catalog_document(
        format,
        page=page,
        reader=reader,
        session=session,
        publisher=standards.node_publisher(base, node.settings),
    )
    return metadata_export(content, standards.RDF_FORMATS[format][1])


@router.get("/licenses", summary="Licenses and what each allows", tags=["licenses"])
def list_licenses() -> list[License]:
    return list(LICENSES.values())


@router.post("/licenses/choose", summary="Recommend a license from four answers", tags=["licenses"])
def choose(answers: LicenseQuestions) -> LicenseRecommendation:
    return choose_license(answers)
