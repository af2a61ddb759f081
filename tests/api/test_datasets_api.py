"""The datasets API driven over HTTP: metadata, publishing rules, uploads, rows, downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from laborcommons.core.node import Node
from tests.factories import Member, make_member, make_org

CSV = (
    "facility,country,workers,audited,postcode\n"
    "Dhaka Knit Ltd,BD,1200,true,01234\n"
    '=HYPERLINK("http://evil"),KH,300,false,12000\n'
    "Saigon Apparel JSC,VN,850,true,70000\n"
)


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union")
    return make_member(node, "owner@union.example", "garment-union", "owner")


def create(client: TestClient, owner: Member, slug: str = "wages", **fields: object) -> dict:
    body = {
        "slug": slug,
        "organization": "garment-union",
        "title": "Wages",
        "data_type": "working-conditions",
        **fields,
    }
    response = client.post("/api/v1/datasets", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return response.json()


def upload(client: TestClient, owner: Member, slug: str, name: str, content: bytes, **form: str):
    return client.post(
        f"/api/v1/datasets/{slug}/versions",
        files={"file": (name, content)},
        data=form,
        headers=owner.headers,
    )


def test_create_defaults_to_internal_and_validates_coverage(client: TestClient, owner: Member):
    created = create(client, owner, coverage=["bd", "KHM"])
    assert created["access"] == "internal"
    assert created["coverage"] == ["BD", "KH"]
    bad = client.post(
        "/api/v1/datasets",
        json={
            "slug": "x1",
            "organization": "garment-union",
            "title": "X",
            "data_type": "other",
            "coverage": ["XX"],
        },
        headers=owner.headers,
    )
    assert bad.status_code == 422
    assert "ISO 3166" in bad.json()["error"]["message"]


def test_unlicensed_dataset_cannot_be_published(client: TestClient, owner: Member):
    create(client, owner)
    response = client.patch(
        "/api/v1/datasets/wages", json={"access": "public"}, headers=owner.headers
    )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "unlicensed" in message and "licenses choose" in message
    response = client.patch(
        "/api/v1/datasets/wages",
        json={"access": "open", "license": "CC-BY-NC-4.0"},
        headers=owner.headers,
    )
    assert response.status_code == 422
    assert "not open" in response.json()["error"]["message"]
    response = client.patch(
        "/api/v1/datasets/wages",
        json={"access": "public", "license": "cc-by-nc-4.0"},
        headers=owner.headers,
    )
    assert response.status_code == 200
    assert response.json()["license"]["id"] == "CC-BY-NC-4.0"
    assert response.json()["license"]["non_commercial"] is True


def test_upload_creates_an_immutable_version(client: TestClient, owner: Member, node: Node):
    create(client, owner)
    response = upload(client, owner, "wages", "facilities.csv", CSV.encode(), message="first")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 1 and body["row_count"] == 3 and body["created"] is True
    types = {c["name"]: c["type"] for c in body["columns"]}
    assert types == {
        "facility": "string",
        "country": "string",
        "workers": "integer",
        "audited": "boolean",
        "postcode": "string",
    }
    assert len(body["sha256"]) == 64 and body["message"] == "first"
    assert node.store.exists(body["sha256"]) and node.store.exists(body["parquet_sha256"])
    again = upload(client, owner, "wages", "same-content.csv", CSV.encode())
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["version"] == 1
    second = upload(
        client, owner, "wages", "facilities.csv", (CSV + "Extra,BD,1,true,1\n").encode()
    )
    assert second.status_code == 201 and second.json()["version"] == 2
    listed = client.get("/api/v1/datasets/wages/versions", headers=owner.headers).json()
    assert [v["version"] for v in listed] == [1, 2]
    dictionary = client.get("/api/v1/datasets/wages", headers=owner.headers).json()[
        "data_dictionary"
    ]
    # an internal dataset keeps counts and types only: no values of its rows are prefilled
    assert dictionary["country"]["allowed_values"] == []


def test_rejected_upload_leaves_nothing_behind(client: TestClient, owner: Member, node: Node):
    create(client, owner)
    before = node.store.all_digests()
    ragged = b"a,b\n1,2\n3,4,5\n"
    response = upload(client, owner, "wages", "ragged.csv", ragged)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid-input"
    issues = error["details"]["issues"]
    assert any(i["row"] == 3 and i["file"] == "ragged.csv" for i in issues)
    assert node.store.all_digests() == before
    assert client.get("/api/v1/datasets/wages/versions", headers=owner.headers).json() == []
    assert list(node.tmp_dir.iterdir()) == []


def test_file_level_refusals_have_their_status(client: TestClient, owner: Member, node: Node):
    create(client, owner)
    binary = upload(
        client, owner, "wages", "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50
    )
    assert binary.status_code == 415
    unknown = upload(client, owner, "wages", "notes.docx", b"hello")
    assert unknown.status_code == 415
    empty = upload(client, owner, "wages", "empty.csv", b"")
    assert empty.status_code == 422
    assert empty.json()["error"]["details"]["issues"][0]["type"] == "empty-file"
    node.settings.max_upload_bytes = 10
    too_big = upload(client, owner, "wages", "f.csv", CSV.encode())
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "payload-too-large"
    assert node.store.all_digests() == []


def test_rows_filter_sort_and_paginate(client: TestClient, owner: Member):
    create(client, owner)
    upload(client, owner, "wages", "f.csv", CSV.encode())
    url = "/api/v1/datasets/wages/versions/1/rows"
    page = client.get(
        url, params={"_size": 2, "_sort": "workers", "_desc": "true"}, headers=owner.headers
    ).json()
    assert [r["workers"] for r in page["rows"]] == [1200, 850]
    assert page["total"] == 3 and "_page=2" in page["next"]
    second = client.get(page["next"], headers=owner.headers).json()
    assert [r["workers"] for r in second["rows"]] == [300] and second["next"] is None
    filtered = client.get(url, params={"country": "VN"}, headers=owner.headers).json()
    assert filtered["total"] == 1 and filtered["rows"][0]["facility"] == "Saigon Apparel JSC"
    by_bool = client.get(url, params={"audited": "true"}, headers=owner.headers).json()
    assert by_bool["total"] == 2
    unknown = client.get(url, params={"nope": "1"}, headers=owner.headers)
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"]["message"]


def test_downloads_every_format_without_formula_injection(client: TestClient, owner: Member):
    create(client, owner)
    upload(client, owner, "wages", "f.csv", CSV.encode())
    base = "/api/v1/datasets/wages/versions/1/download"
    as_csv = client.get(base, params={"format": "csv"}, headers=owner.headers)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert rows[1]["facility"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["postcode"] == "01234"
    as_json = client.get(base, params={"format": "json"}, headers=owner.headers).json()
    assert as_json[0]["workers"] == 1200 and as_json[1]["facility"].startswith("=HYPERLINK")
    as_xlsx = client.get(base, params={"format": "xlsx"}, headers=owner.headers)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    cell = sheet.cell(row=3, column=1)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil")'
    as_parquet = client.get(base, params={"format": "parquet"}, headers=owner.headers)
    assert as_parquet.content[:4] == b"PAR1"
    bad = client.get(base, params={"format": "docx"}, headers=owner.headers)
    assert bad.status_code == 400


def test_schema_validation_reports_type_errors(client: TestClient, owner: Member):
    create(client, owner)
    schema = {
        "fields": [{"name": "facility", "type": "string"}, {"name": "workers", "type": "integer"}]
    }
    content = b"facility,workers\nA,10\nB,many\nC,30\n"
    response = upload(client, owner, "wages", "f.csv", content, schema=json.dumps(schema))
    assert response.status_code == 422
    issue = response.json()["error"]["details"]["issues"][0]
    assert (issue["type"], issue["row"], issue["column"]) == ("type-error", 3, "workers")
    bad_json = upload(client, owner, "wages", "f.csv", content, schema="{not json")
    assert bad_json.status_code == 400


def test_list_filters(client: TestClient, owner: Member):
    create(client, owner, slug="open-one", access="open", license="CC0-1.0", title="Open wages")
    create(
        client,
        owner,
        slug="nc-one",
        title="Grievance counts",
        access="public",
        license="CC-BY-NC-4.0",
        data_type="violations",
    )
    create(client, owner, slug="hidden", title="Hidden wages")
    anonymous = client.get("/api/v1/datasets").json()
    assert {d["slug"] for d in anonymous["items"]} == {"open-one", "nc-one"}
    assert anonymous["total"] == 2
    as_owner = client.get("/api/v1/datasets", params={"q": "wages"}, headers=owner.headers).json()
    assert {d["slug"] for d in as_owner["items"]} == {"open-one", "hidden"}
    assert [
        d["slug"]
        for d in client.get("/api/v1/datasets", params={"license": "cc0-1.0"}).json()["items"]
    ] == ["open-one"]
    by_type = client.get("/api/v1/datasets", params={"data_type": "violations"}).json()
    assert [d["slug"] for d in by_type["items"]] == ["nc-one"]
    paged = client.get("/api/v1/datasets", params={"page_size": 1}).json()
    assert paged["total"] == 2 and "page=2" in paged["next"]


def test_upload_xlsx_with_title_rows(client: TestClient, owner: Member, tmp_path: Path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Suppliers"
    sheet.append(["Supplier list, autumn 2025"])
    sheet.append([])
    sheet.append(["Name", "Country", "Workers"])
    sheet.append(["Dhaka Knit", "BD", 1200])
    path = tmp_path / "suppliers.xlsx"
    workbook.save(path)
    create(client, owner)
    response = upload(
        client, owner, "wages", "suppliers.xlsx", path.read_bytes(), sheet="Suppliers"
    )
    assert response.status_code == 201, response.text
    assert [c["name"] for c in response.json()["columns"]] == ["Name", "Country", "Workers"]
    missing = upload(client, owner, "wages", "suppliers.xlsx", path.read_bytes(), sheet="Nope")
    assert missing.status_code == 422


def test_absurd_page_numbers_are_refused_not_crashed(client: TestClient, owner: Member) -> None:
    """Found by the fuzzer: a page past 2**63 overflowed the database driver (500)."""
    create(client, owner)
    upload(client, owner, "wages", "f.csv", CSV.encode())
    huge = str(2**62)
    assert client.get("/api/v1/datasets", params={"page": huge}).status_code == 422
    rows = client.get(
        "/api/v1/datasets/wages/versions/1/rows", params={"_page": huge}, headers=owner.headers
    )
    assert rows.status_code == 422
    last = client.get(
        "/api/v1/datasets/wages/versions/1/rows",
        params={"_page": 1_000_000},
        headers=owner.headers,
    )
    assert last.status_code == 200 and last.json()["rows"] == []
