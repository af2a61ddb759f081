"""What the DCAT-AP exports say, and to whom: only what the reader may discover appears,
and download URLs only where the reader may read the rows."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from laborcommons.catalog.standards import documents
from tests.catalog.standards.conftest import HIDDEN_TITLE, Catalog

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"
BASE = "http://testserver"


def graph(response: object) -> Graph:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    return Graph().parse(data=response.text, format="turtle")  # type: ignore[attr-defined]


def dataset(slug: str) -> URIRef:
    return URIRef(f"{BASE}/datasets/union~{slug}#dataset")


def download_urls(g: Graph, slug: str) -> set[str]:
    return {
        str(u)
        for d in g.objects(dataset(slug), DCAT.distribution)
        for u in g.objects(d, DCAT.downloadURL)
    }


@pytest.mark.parametrize("who", ["anonymous", "outsider", "owner"])
def test_the_catalog_lists_what_the_reader_may_discover(
    client: TestClient, catalog: Catalog, who: str
) -> None:
    headers = {
        "anonymous": {},
        "outsider": catalog.outsider.headers,
        "owner": catalog.owner.headers,
    }
    response = client.get("/catalog.ttl", headers=headers[who])
    listed = {str(d) for d in graph(response).objects(URIRef(f"{BASE}/catalog.ttl"), DCAT.dataset)}
    shown = {str(dataset(s)) for s in ("open-wages", "nc-wages", "case-index")}
    if who == "owner":
        shown.add(str(dataset("hidden-cases")))
    assert listed == shown
    assert (HIDDEN_TITLE in response.text) is (who == "owner")


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf"])
def test_a_hidden_dataset_answers_like_a_missing_one(
    client: TestClient, catalog: Catalog, who: str, ext: str
) -> None:
    headers = catalog.outsider.headers if who == "outsider" else {}
    hidden = client.get(f"/datasets/hidden-cases.{ext}", headers=headers)
    missing = client.get(f"/datasets/no-such-cases.{ext}", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("hidden-cases", "no-such-cases") == missing.text
    assert HIDDEN_TITLE not in hidden.text
    owner = client.get(f"/datasets/hidden-cases.{ext}", headers=catalog.owner.headers)
    assert owner.status_code == 200 and HIDDEN_TITLE in owner.text


def test_download_urls_only_where_rows_are_readable(client: TestClient, catalog: Catalog) -> None:
    anonymous = graph(client.get("/catalog.ttl"))
    api = f"{BASE}/api/v1/datasets/union~open-wages/versions/1/download"
    assert download_urls(anonymous, "open-wages") == {
        f"{api}?format={fmt}" for fmt in ("csv", "json", "xlsx", "parquet")
    }
    assert download_urls(anonymous, "case-index") == set()
    described = list(anonymous.objects(dataset("case-index"), DCAT.distribution))
    assert described  # still described, reachable through the page
    access = {str(u) for d in described for u in anonymous.objects(d, DCAT.accessURL)}
    assert access == {f"{BASE}/datasets/union~case-index?version=1"}
    owner = graph(client.get("/catalog.ttl", headers=catalog.owner.headers))
    assert len(download_urls(owner, "case-index")) == 4
    for fmt in ("csv", "parquet"):  # the link works for whoever it was given to
        url = f"/api/v1/datasets/union~open-wages/versions/1/download?format={fmt}"
        assert client.get(url).status_code == 200


def test_licenses_rights_coverage_and_versions(client: TestClient, catalog: Catalog) -> None:
    g = graph(client.get("/catalog.ttl"))
    assert g.value(dataset("open-wages"), DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
    assert g.value(dataset("nc-wages"), DCTERMS.license) == URIRef(EU + "licence/CC_BYNC_4_0")
    rights = {s: g.value(dataset(s), DCTERMS.accessRights) for s in ("open-wages", "case-index")}
    assert rights == {
        "open-wages": URIRef(EU + "access-right/PUBLIC"),
        "case-index": URIRef(EU + "access-right/NON_PUBLIC"),
    }
    places = set(g.objects(dataset("open-wages"), DCTERMS.spatial))
    assert places == {URIRef(EU + "country/BGD"), URIRef(EU + "country/VNM")}
    period = g.value(dataset("open-wages"), DCTERMS.temporal)
    assert str(g.value(period, DCAT.startDate)) == "2024-01-01"
    version = URIRef(f"{BASE}/datasets/union~open-wages?version=1#dataset")
    assert g.value(dataset("open-wages"), DCAT.hasVersion) == version
    assert str(g.value(version, DCAT.version)) == "1"
    publisher = g.value(dataset("open-wages"), DCTERMS.publisher)
    assert (publisher, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in g


def test_the_node_publishes_the_catalog(client: TestClient, catalog: Catalog) -> None:
    g = graph(client.get("/catalog.ttl"))
    node = g.value(URIRef(f"{BASE}/catalog.ttl"), DCTERMS.publisher)
    assert node == URIRef(f"{BASE}/#node")
    assert str(g.value(node, URIRef("http://xmlns.com/foaf/0.1/name"))) == "LaborCommons node"


def test_pages_link_with_hydra(
    client: TestClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "CATALOG_PAGE_SIZE", 2)
    first = graph(client.get("/catalog.ttl"))
    view = URIRef(f"{BASE}/catalog.ttl?page=1")
    assert (view, RDF.type, HYDRA.PartialCollectionView) in first
    assert first.value(view, HYDRA.next) == URIRef(f"{BASE}/catalog.ttl?page=2")
    assert first.value(view, HYDRA.last) == URIRef(f"{BASE}/catalog.ttl?page=2")
    assert first.value(view, HYDRA.previous) is None
    second = graph(client.get("/catalog.ttl?page=2"))
    listed = set(second.objects(URIRef(f"{BASE}/catalog.ttl"), DCAT.dataset))
    assert len(listed) == 1
    assert second.value(URIRef(f"{BASE}/catalog.ttl?page=2"), HYDRA.previous) == view
    assert client.get("/catalog.ttl?page=3").status_code == 404


def test_exports_are_per_reader(client: TestClient, catalog: Catalog) -> None:
    for url in ("/catalog.ttl", "/datasets/open-wages.jsonld"):
        response = client.get(url)
        assert response.headers["cache-control"] == "private, no-cache"
        assert {"Authorization", "Cookie"} <= {
            v.strip() for v in response.headers["vary"].split(",")
        }
    restricted = client.get("/datasets/case-index.rdf")
    assert restricted.headers["cache-control"] == "private, no-store"
    assert restricted.headers["content-type"].startswith("application/rdf+xml")


def test_the_export_is_not_the_dataset_page(client: TestClient, catalog: Catalog) -> None:
    response = client.get("/datasets/open-wages.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    assert client.get("/datasets/open-wages").headers["content-type"].startswith("text/html")
    assert client.get("/catalog.ttl?pag=2").status_code == 400  # an unknown parameter


def test_the_api_serves_the_same_catalog(client: TestClient, catalog: Catalog) -> None:
    api = client.get("/api/v1/catalog?format=jsonld", headers=catalog.owner.headers)
    assert api.status_code == 200, api.text
    assert api.headers["content-type"].startswith("application/ld+json")
    assert HIDDEN_TITLE in api.text  # the token's reader: the owner
    assert HIDDEN_TITLE not in client.get("/api/v1/catalog?format=jsonld").text
    refused = client.get("/api/v1/catalog?format=csv")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"]
