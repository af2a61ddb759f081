"""Column charts on the dataset page: the component's figure and table, facet links, and
nothing of the values for readers who may not read the rows."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.web.steps import sign_in, write_csv

CSV = "facility,country,workers,opened\n" + "".join(
    f"Facility {n:02},{'BD' if n % 3 else 'KH'},{n * 10},2024-{(n % 2) + 1:02}-10\n"
    for n in range(1, 13)
)


def figures(page: str) -> dict[str, dict[str, object]]:
    """Each chart's JSON data block by its caption."""
    found = re.findall(
        r'<figcaption id="[^"]+">([^<]+)</figcaption>.*?'
        r'<script type="application/json" class="chart-data">(.*?)</script>',
        page,
        flags=re.S,
    )
    return {html.unescape(caption): json.loads(data) for caption, data in found}


def chart_rows(page: str, caption: str) -> list[tuple[str, str, str]]:
    """(link, label, count) of the table in the figure captioned ``caption``."""
    start = page.index(f">{caption}</figcaption>")
    table = page[start : page.index("</table>", start)]
    return [
        (html.unescape(link), label, count)
        for link, label, count in re.findall(
            r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td class="num">(\d+)</td>', table
        )
    ]


@pytest.fixture
def wages(node: Node, owner: Member, tmp_path: Path) -> str:
    make_dataset(node, "wages", "garment-union", access="open", license="CC-BY-4.0")
    ingest(node, "wages", write_csv(tmp_path, CSV, "wages.csv"))
    return "wages"


def test_each_column_has_a_chart_with_its_numbers_as_a_table(client: TestClient, wages: str):
    page = client.get("/datasets/wages").text
    charts = figures(page)
    assert set(charts) == {
        "country: the most frequent values",
        "workers: how many rows fall in each range",
        "opened: rows per period",
    }  # every facility is unique: no chart
    country = charts["country: the most frequent values"]
    assert country["labels"] == ["BD", "KH"] and country["counts"] == [8, 4]
    assert chart_rows(page, "country: the most frequent values") == [
        ("?country=BD#preview", "BD", "8"),
        ("?country=KH#preview", "KH", "4"),
    ]
    workers = charts["workers: how many rows fall in each range"]
    assert sum(workers["counts"]) == 12 and workers["kind"] == "histogram"  # type: ignore[arg-type]
    assert workers["xLabel"] == "workers (range)" and workers["yLabel"] == "Rows"
    opened = chart_rows(page, "opened: rows per period")
    assert [(label, count) for _, label, count in opened] == [("2024-01", "6"), ("2024-02", "6")]
    assert '<script src="/static/charts.js" defer></script>' in page


def test_a_facet_link_filters_the_preview(client: TestClient, wages: str):
    page = client.get("/datasets/wages").text
    link, label, count = chart_rows(page, "workers: how many rows fall in each range")[0]
    filtered = client.get("/datasets/wages" + link.removesuffix("#preview")).text
    assert f"of {count} matching the filters" in filtered, label
    for _, label, count in chart_rows(page, "opened: rows per period"):
        month = client.get(f"/datasets/wages?opened__gte={label}-01&opened__lt={label}-28").text
        assert f"of {count} matching the filters" in month
    assert 'aria-label="Remove the filter opened__gte' in month
    kh = client.get("/datasets/wages?country=kh").text
    assert "of 4 matching the filters" in kh


def test_a_bad_range_on_the_page_is_a_400(client: TestClient, wages: str):
    response = client.get("/datasets/wages?workers__gte=lots")
    assert response.status_code == 400 and "workers" in response.text


@pytest.fixture
def case_files(node: Node, owner: Member, tmp_path: Path) -> str:
    """A named, discoverable dataset: outsiders see its metadata, never its rows."""
    make_dataset(node, "case-files", "garment-union", access="named", discoverable=True)
    ingest(node, "case-files", write_csv(tmp_path, CSV, "cases.csv"))
    make_dataset(node, "hidden-files", "garment-union")
    ingest(node, "hidden-files", write_csv(tmp_path, CSV, "hidden.csv"))
    return "case-files"


def test_a_reader_without_the_rows_gets_no_value_derived_chart(
    client: TestClient, node: Node, owner: Member, case_files: str
):
    for reader in ("anonymous", "outsider"):
        if reader == "outsider":
            make_org(node, "other-union")
            sign_in(client, make_member(node, "out@other.example", "other-union"))
        page = client.get("/datasets/case-files")
        assert page.status_code == 200
        assert "chart-data" not in page.text and "Facility 01" not in page.text
        assert "2024-01" not in page.text and "/static/charts.js" not in page.text
        assert client.get("/datasets/hidden-files").status_code == 404
    client.cookies.clear()
    sign_in(client, owner)
    for slug in ("case-files", "hidden-files"):
        shown = figures(client.get(f"/datasets/{slug}").text)
        assert shown["country: the most frequent values"]["counts"] == [8, 4]


def test_columns_named_like_the_charts_own_sql_are_charted(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
):
    # A published safe answer has a "value" column: GROUP BY value bound to it, not the
    # query's alias, and the dataset page was a 500.
    text = "facility,value,bin,period\n" + "".join(
        f"F{n},{'a' if n % 2 else 'b'},{n},2024-0{n % 3 + 1}-01\n" for n in range(1, 9)
    )
    make_dataset(node, "named", "garment-union", access="open", license="CC-BY-4.0")
    ingest(node, "named", write_csv(tmp_path, text, "named.csv"))
    response = client.get("/datasets/named")
    assert response.status_code == 200, response.text
    charts = figures(response.text)
    assert charts["value: the most frequent values"]["counts"] == [4, 4]
    assert sum(charts["bin: how many rows fall in each range"]["counts"]) == 8  # type: ignore[arg-type]
    assert sum(charts["period: rows per period"]["counts"]) == 8  # type: ignore[arg-type]
