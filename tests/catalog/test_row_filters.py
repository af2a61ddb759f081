"""The rows API's filters: case-insensitive text, ``__contains`` and ranges, validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org

CSV = (
    "facility,country,workers,opened\n"
    "Dhaka Knit Ltd,BD,1200,2019-03-04\n"
    "Phnom Penh Sewing,KH,300,2021-07-01\n"
    "Saigon Apparel,VN,850,2022-01-15\n"
    "Chittagong Denim,bd,40,2022-02-28\n"
)
ROWS = "/api/v1/datasets/wages/versions/1/rows"


@pytest.fixture
def wages(node: Node, tmp_path: Path) -> str:
    make_org(node, "garment-union")
    make_dataset(node, "wages", "garment-union", access="open", license="CC-BY-4.0")
    path = tmp_path / "wages.csv"
    path.write_text(CSV)
    ingest(node, "wages", path)
    return "wages"


def facilities(client: TestClient, query: str) -> list[str]:
    response = client.get(f"{ROWS}?{query}")
    assert response.status_code == 200, response.text
    return [row["facility"] for row in response.json()["rows"]]


def test_text_equality_ignores_case(client: TestClient, wages: str):
    assert facilities(client, "country=bd") == ["Dhaka Knit Ltd", "Chittagong Denim"]
    assert facilities(client, "country=BD") == ["Dhaka Knit Ltd", "Chittagong Denim"]
    assert facilities(client, "workers=300") == ["Phnom Penh Sewing"]  # numbers as before


def test_contains_finds_part_of_the_text_in_any_case(client: TestClient, wages: str):
    assert facilities(client, "facility__contains=SEW") == ["Phnom Penh Sewing"]
    assert facilities(client, "facility__contains=%25") == []  # no LIKE wildcards
    assert facilities(client, "facility__contains=d") == ["Dhaka Knit Ltd", "Chittagong Denim"]


def test_ranges_on_numbers_and_dates(client: TestClient, wages: str):
    assert facilities(client, "workers__gte=300&workers__lt=1200") == [
        "Phnom Penh Sewing",
        "Saigon Apparel",
    ]
    assert facilities(client, "workers__gt=300&workers__lte=1200") == [
        "Dhaka Knit Ltd",
        "Saigon Apparel",
    ]
    assert facilities(client, "opened__gte=2022-01-01&opened__lt=2022-02-01") == ["Saigon Apparel"]
    assert facilities(client, "opened__lte=2021-07-01&country=bd") == ["Dhaka Knit Ltd"]
    total = client.get(f"{ROWS}?workers__gte=100&_sort=workers&_desc=true").json()
    assert [r["workers"] for r in total["rows"]] == [1200, 850, 300] and total["total"] == 3


@pytest.mark.parametrize(
    ("query", "column", "words"),
    [
        ("country__gte=A", "country", "string column, not a number or date"),
        ("workers__lte=many", "workers", "'many' is not a number"),
        ("workers__gte=nan", "workers", "'nan' is not a number"),
        ("opened__gte=2022-13-01", "opened", "is not a date"),
        ("workers__between=1", "workers", "unknown operator 'between'"),
        ("salary__gte=1", "salary__gte", "no such column"),
    ],
)
def test_bad_filters_are_a_400_naming_column_and_reason(
    client: TestClient, wages: str, query: str, column: str, words: str
):
    response = client.get(f"{ROWS}?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert words in error["message"] and column in error["message"]
    assert error["details"]["column"] == column


def test_each_filter_has_its_own_cached_page(client: TestClient, wages: str, node: Node):
    """Pages are cached by their filters: a range must not be served another's rows."""
    assert facilities(client, "workers__gte=800") == ["Dhaka Knit Ltd", "Saigon Apparel"]
    assert facilities(client, "workers__lte=800") == ["Phnom Penh Sewing", "Chittagong Denim"]
    assert facilities(client, "workers__gte=800") == ["Dhaka Knit Ltd", "Saigon Apparel"]
