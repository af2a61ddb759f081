"""Frictionless Data Package and DataCite 4.5 metadata per version, and a version's DOI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import frictionless
import pytest
from datacite import schema45
from fastapi.testclient import TestClient
from lxml import etree

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org

API = "/api/v1/datasets"
CSV = (
    "id,name,workers,wage,unionized,audited,seen,note\n"
    '1,"Acme, Ltd.",120,3.5,true,2021-01-02,2021-01-02T03:04:05,"said ""no"""\n'
    "2,Ünïcode 工厂,,4.25,false,,,=SUM(1+1)\n"
    "3,Bolt,40,,true,2021-02-03,2021-02-03T10:00:00,\n"
)
SCHEMA = {
    "primaryKey": "id",
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "name"},
        {"name": "workers", "type": "integer"},
        {"name": "wage", "type": "number"},
        {"name": "unionized", "type": "boolean"},
        {"name": "audited", "type": "date"},
        {"name": "seen", "type": "datetime"},
        {"name": "note"},
    ],
}


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "union")
    return make_member(node, "owner@union.example", "union")


def upload(node: Node, tmp_path: Path, slug: str, **fields: Any) -> None:
    fields.setdefault("access", "open")
    fields.setdefault("license", "CC-BY-4.0" if fields["access"] == "open" else "CC-BY-NC-4.0")
    make_dataset(node, slug, "union", **fields)
    path = tmp_path / f"{slug}.csv"
    path.write_text(CSV, encoding="utf-8")
    ingest(node, slug, path, table_schema=SCHEMA)


def described(client: TestClient, slug: str, **kwargs: Any) -> dict[str, Any]:
    response = client.get(f"{API}/{slug}/versions/1/datapackage.json", **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_data_package_is_valid_and_reads_the_served_csv_exactly(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    upload(node, tmp_path, "wages", description="Wages in 2021", keywords=["wages", "garments"])
    package = described(client, "wages")
    assert frictionless.Package.validate_descriptor(package).valid  # the official profile
    resource = package["resources"][0]
    assert resource["path"] == (
        "http://testserver/api/v1/datasets/union~wages/versions/1/download?format=csv&safe=false"
    )
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    assert (package["name"], package["version"], package["keywords"]) == (
        "wages",
        "1",
        ["wages", "garments"],
    )
    schema = resource["schema"]
    assert schema["primaryKey"] == ["id"]
    assert schema["missingValues"] == [""]
    types = {field["name"]: field["type"] for field in schema["fields"]}
    assert types == {
        "id": "integer",
        "name": "string",
        "workers": "integer",
        "wage": "number",
        "unionized": "boolean",
        "audited": "date",
        "seen": "datetime",
        "note": "string",
    }
    required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
    assert required == {"id", "name", "unionized"}  # the columns with no empty cell

    served = client.get(resource["path"].removeprefix("http://testserver"))
    assert served.status_code == 200
    (tmp_path / "data.csv").write_bytes(served.content)
    local = {**package, "resources": [{**resource, "path": "data.csv"}]}
    report = frictionless.validate(local, basepath=str(tmp_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = frictionless.Package(local, basepath=str(tmp_path)).resources[0].read_rows()
    assert [row["note"] for row in rows] == ['said "no"', "=SUM(1+1)", None]  # not '=SUM
    assert rows[1]["name"] == "Ünïcode 工厂" and rows[0]["name"] == "Acme, Ltd."


def test_a_duplicate_key_in_the_served_rows_would_be_reported(tmp_path: Path) -> None:
    """The check above can fail: frictionless reads the primaryKey the descriptor states."""
    (tmp_path / "data.csv").write_text("id\n1\n1\n")
    resource = {
        "name": "d",
        "path": "data.csv",
        "profile": "tabular-data-resource",
        "schema": {"fields": [{"name": "id", "type": "integer"}], "primaryKey": ["id"]},
    }
    report = frictionless.validate({"resources": [resource]}, basepath=str(tmp_path))
    assert not report.valid


def test_restricted_discoverable_dataset_describes_its_schema_not_its_rows(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    upload(node, tmp_path, "cases", access="group", discoverable=True)
    package = described(client, "union~cases")
    resource = package["resources"][0]
    assert resource["laborcommons:rows_readable"] is False
    assert [field["name"] for field in resource["schema"]["fields"]][:2] == ["id", "name"]
    assert client.get(resource["path"].removeprefix("http://testserver")).status_code in (401, 403)
    assert described(client, "cases", headers=owner.headers)["resources"][0][
        "laborcommons:rows_readable"
    ]


ROUTES = ["datapackage.json", "datacite.json", "datacite.xml"]


@pytest.mark.parametrize("route", ROUTES)
def test_hidden_dataset_answers_like_a_missing_one(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, route: str
) -> None:
    upload(node, tmp_path, "secret", access="internal", license=None)
    make_org(node, "other")
    outsider = make_member(node, "x@other.example", "other")
    missing = client.get(f"{API}/nothing/versions/1/{route}")
    for headers in ({}, outsider.headers):
        hidden = client.get(f"{API}/secret/versions/1/{route}", headers=headers)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["error"]["message"] == missing.json()["error"]["message"].replace(
            "nothing", "secret"
        )
    assert client.get(f"{API}/secret/versions/1/{route}", headers=owner.headers).status_code == 200


def test_datacite_json_is_valid_4_5_and_the_xml_says_the_same(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    upload(
        node,
        tmp_path,
        "wages",
        description="Wages in 2021",
        methodology="Payslips",
        keywords=["wages"],
        coverage=["BD", "VN"],
        period_start="2021-01-01",
        period_end="2021-12-31",
    )
    data = client.get(f"{API}/wages/versions/1/datacite.json").json()
    assert schema45.validate(data), list(schema45.validator.iter_errors(data))
    assert "doi" not in data  # a draft until a DOI is recorded
    assert data["creators"] == [{"name": "Union", "nameType": "Organizational"}]
    assert {"date": "2021-01-01/2021-12-31", "dateType": "Collected"} in data["dates"]
    assert data["rightsList"][0]["rightsIdentifier"] == "cc-by-4.0"
    assert data["geoLocations"] == [
        {"geoLocationPlace": "Bangladesh"},
        {"geoLocationPlace": "Viet Nam"},
    ]
    assert [d["descriptionType"] for d in data["descriptions"]] == ["Abstract", "Methods"]
    xml = client.get(f"{API}/wages/versions/1/datacite.xml")
    assert xml.headers["content-type"].startswith("application/xml")
    # the datacite package's own JSON-to-XML writer gives the same elements and texts
    assert _elements(xml.content) == _elements(schema45.tostring(data).encode())


def _elements(document: bytes) -> list[tuple[str, str, list[tuple[str, str]]]]:
    root = etree.fromstring(document)
    return sorted(
        (str(e.tag), (e.text or "").strip(), sorted((str(k), str(v)) for k, v in e.attrib.items()))
        for e in root.iter()
        if e is not root
    )


def test_owner_records_a_doi_shown_in_citation_and_datacite(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
) -> None:
    upload(node, tmp_path, "wages")
    url = f"{API}/wages/versions/1/doi"
    refused = client.post(url, json={"doi": "not-a-doi"}, headers=owner.headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == {"field": "doi"}
    make_org(node, "other")
    outsider = make_member(node, "x@other.example", "other")
    assert (
        client.post(url, json={"doi": "10.5281/zenodo.1"}, headers=outsider.headers).status_code
        == 403
    )
    assert client.post(url, json={"doi": "10.5281/zenodo.1"}).status_code == 401
    done = client.post(url, json={"doi": "https://doi.org/10.5281/zenodo.1"}, headers=owner.headers)
    assert done.status_code == 200, done.text
    assert done.json()["doi"] == "10.5281/zenodo.1"
    version = client.get(f"{API}/wages/versions/1").json()
    assert version["citation"].endswith("https://doi.org/10.5281/zenodo.1")
    data = client.get(f"{API}/wages/versions/1/datacite.json").json()
    assert data["doi"] == "10.5281/zenodo.1" and schema45.validate(data)
    xml = etree.fromstring(client.get(f"{API}/wages/versions/1/datacite.xml").content)
    identifier = xml.find("{http://datacite.org/schema/kernel-4}identifier")
    assert identifier is not None and identifier.text == "10.5281/zenodo.1"
    page = client.get("/datasets/wages")
    assert 'href="https://doi.org/10.5281/zenodo.1"' in page.text
    cleared = client.post(url, json={"doi": None}, headers=owner.headers)
    assert cleared.json()["doi"] is None
    assert json.dumps(client.get(f"{API}/wages/versions/1/datacite.json").json()).count("doi") == 0
