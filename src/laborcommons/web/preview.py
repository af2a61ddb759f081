"""The row preview on a dataset page: one page of rows plus the links that move through them.

Query parameters mirror the rows API (``?column=value`` and ``?column__gte=value``
filters, ``_page``, ``_sort``, ``_desc``), so the page's preview and its JSON twin take the
same URL query. ``version`` picks the version to preview (the API has it in the path); a
column named ``version`` can be filtered through the API but gets no filter box on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog import service
from laborcommons.catalog.schemas import RowsPage
from laborcommons.core.node import Node
from laborcommons.core.pagination import next_page
from laborcommons.ingest import ColumnProfile
from laborcommons.web.charts import Chart, column_charts
from laborcommons.web.rendering import query_string

RESERVED = frozenset({"_page", "_sort", "_desc", "version"})
PREVIEW_SIZE = 20
ANCHOR = "#preview"


@dataclass(frozen=True)
class PreviewQuery:
    filters: dict[str, str]
    sort: str | None
    descending: bool
    page: int
    version: int | None = None  # as asked for: None previews the latest

    def link(self, **changes: Any) -> str:
        """This query with some parts changed, as a relative link to the preview.

        The version stays in every link, so sorting or paging an old version stays on it.
        """
        query = replace(self, **changes)
        params: dict[str, object] = {"version": query.version, **query.filters}
        params.update(_sort=query.sort, _desc="true" if query.sort and query.descending else "")
        params["_page"] = query.page if query.page > 1 else ""
        return query_string(params) + ANCHOR


@dataclass(frozen=True)
class Preview:
    version: int
    rows: RowsPage
    query: PreviewQuery
    sort_links: dict[str, str]
    previous: str | None
    next: str | None
    clear: str
    filterable: list[ColumnProfile]
    api: str
    charts: list[Chart]

    @property
    def ranges(self) -> dict[str, str]:
        """Filters with an operator (``__gte``, ``__contains``): no box shows them."""
        names = {c.name for c in self.filterable}
        return {k: v for k, v in self.query.filters.items() if k not in names}

    def without(self, name: str) -> str:
        """The preview with one filter removed."""
        kept = {k: v for k, v in self.query.filters.items() if k != name}
        return self.query.link(filters=kept, page=1)


def preview_query(
    request: Request, page: int, sort: str | None, descending: bool, version: int | None
) -> PreviewQuery:
    """Filters are the non-reserved, non-empty parameters (an empty filter box means none)."""
    filters = {k: v for k, v in request.query_params.items() if k not in RESERVED and v != ""}
    return PreviewQuery(
        filters=filters, sort=sort or None, descending=descending, page=page, version=version
    )


def build_preview(
    slug: str, query: PreviewQuery, *, reader: Reader, session: Session, node: Node
) -> Preview:
    version = service.readable_version(
        slug,
        query.version,
        reader=reader,
        session=session,
        action="rows.preview",
        details={"page": query.page},
    )
    rows = service.query_rows(
        version,
        node=node,
        filters=query.filters,
        sort=query.sort,
        descending=query.descending,
        page=query.page,
        page_size=PREVIEW_SIZE,
    )
    sort_links = {
        column.name: query.link(
            sort=column.name,
            descending=query.sort == column.name and not query.descending,
            page=1,
        )
        for column in rows.columns
    }
    api_params: dict[str, object] = {**query.filters, "_sort": query.sort}
    api_params.update(
        _desc="true" if query.descending else "",
        _page=query.page if query.page > 1 else "",
        _size=PREVIEW_SIZE,
    )
    after = next_page(query.page, PREVIEW_SIZE, rows.total)
    charts = column_charts(
        service.column_distributions(version, node=node),
        link=lambda chosen: query.link(filters={**query.filters, **chosen}, page=1),
    )
    return Preview(
        version=version.number,
        rows=rows,
        query=query,
        sort_links=sort_links,
        previous=query.link(page=query.page - 1) if query.page > 1 else None,
        next=query.link(page=after) if after else None,
        clear=query.link(filters={}, sort=None, page=1),
        filterable=[column for column in rows.columns if column.name not in RESERVED],
        api=f"/api/v1/datasets/{slug}/versions/{version.number}/rows" + query_string(api_params),
        charts=charts,
    )
