"""Row pages: file order, stable sorts, filters and the page cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog import service
from laborcommons.catalog.schemas import RowsPage
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import BadRequest
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org


def rows_of(node: Node, slug: str, **options: object) -> RowsPage:
    with unit_of_work(node.sessions) as session:
        version = service.readable_version(slug, None, reader=NODE_ADMIN, session=session)
        return service.query_rows(version, node=node, **options)  # type: ignore[arg-type]


@pytest.fixture
def dataset(node: Node, tmp_path: Path) -> str:
    make_org(node, "union")
    make_dataset(node, "ties", "union")
    lines = ["id,group"] + [f"{i},{'ab'[i % 2]}" for i in range(250)]
    path = tmp_path / "ties.csv"
    path.write_text("\n".join(lines) + "\n")
    ingest(node, "ties", path)
    return "ties"


def test_pages_follow_file_order(node: Node, dataset: str) -> None:
    page = rows_of(node, dataset, page=3, page_size=100)
    assert [r["id"] for r in page.rows] == list(range(200, 250))
    assert page.total == 250


def test_sort_ties_keep_file_order(node: Node, dataset: str) -> None:
    page = rows_of(node, dataset, sort="group", descending=True, page=1, page_size=5)
    assert [r["id"] for r in page.rows] == [1, 3, 5, 7, 9]
    filtered = rows_of(node, dataset, filters={"group": "a"}, page=2, page_size=3)
    assert [r["id"] for r in filtered.rows] == [6, 8, 10] and filtered.total == 125


def test_cached_pages_are_identical(node: Node, dataset: str) -> None:
    first = rows_of(node, dataset, page=2, page_size=10)
    second = rows_of(node, dataset, page=2, page_size=10)
    assert first == second
    with pytest.raises(BadRequest):
        rows_of(node, dataset, sort="nope")


def test_a_column_named_like_the_row_number(node: Node, tmp_path: Path) -> None:
    make_org(node, "union")
    make_dataset(node, "odd", "union")
    path = tmp_path / "odd.csv"
    path.write_text("file_row_number,x\n10,a\n20,b\n")
    ingest(node, "odd", path)
    assert [r["file_row_number"] for r in rows_of(node, "odd").rows] == [10, 20]
