"""Standard documents at the web's root: DCAT-AP catalogs (``/catalog.ttl`` …, per dataset
``/datasets/{slug}.ttl`` …), ``/sitemap.xml`` and ``/robots.txt``.

Mounted before the dataset pages, so ``/datasets/x.ttl`` is this export, never the page of
a dataset named ``x.ttl`` (a slug holds no dot: ``core.schemas.SLUG``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from laborcommons.access.deps import TokenOrSessionReaderDep
from laborcommons.catalog import standards
from laborcommons.catalog.responses import metadata_export
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.query_params import reject_unknown_query_params

CRAWLER_MAX_AGE = 3600  # the anonymous view: the same for everyone, so shared caches may keep it
router = APIRouter(dependencies=[Depends(reject_unknown_query_params)])


ExportReaderDep = TokenOrSessionReaderDep  # harvesters send a token, a browser its cookie


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _catalog_route(ext: str, media_type: str) -> Callable[..., Response]:
    def catalog(
        request: Request,
        reader: ExportReaderDep,
        session: SessionDep,
        node: NodeDep,
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ) -> Response:
        content = standards.catalog_document(
            ext,
            page=page,
            reader=reader,
            session=session,
            publisher=standards.node_publisher(base_url(request), node.settings),
        )
        return metadata_export(content, media_type)

    return catalog


def _dataset_route(ext: str, media_type: str) -> Callable[..., Response]:
    def dataset(
        request: Request, slug: str, reader: ExportReaderDep, session: SessionDep
    ) -> Response:
        content, level = standards.dataset_document(
            slug, ext, reader=reader, session=session, base=base_url(request)
        )
        return metadata_export(content, media_type, level=level)

    return dataset


for _ext, (_, _media) in standards.RDF_FORMATS.items():
    router.add_api_route(
        f"/catalog.{_ext}",
        _catalog_route(_ext, _media),
        methods=["GET"],
        summary=f"The DCAT-AP catalog ({_ext}), paged with Hydra",
    )
    router.add_api_route(
        f"/datasets/{{slug}}.{_ext}",
        _dataset_route(_ext, _media),
        methods=["GET"],
        summary=f"One dataset in DCAT-AP ({_ext})",
    )


@router.get("/sitemap.xml", summary="Every page an anonymous crawler may find")
def sitemap(request: Request, session: SessionDep) -> Response:
    urls = standards.sitemap_urls(base=base_url(request), session=session)
    response = Response(standards.sitemap_xml(urls), media_type="application/xml")
    response.headers["Cache-Control"] = f"public, max-age={CRAWLER_MAX_AGE}"
    return response


@router.get("/robots.txt", summary="What crawlers may index, and where the sitemap is")
def robots(request: Request) -> Response:
    response = Response(standards.robots_txt(base_url(request)), media_type="text/plain")
    response.headers["Cache-Control"] = f"public, max-age={CRAWLER_MAX_AGE}"
    return response
