"""Every DCAT-AP output conforms to the official DCAT-AP 3.0.1 shapes (pyshacl)."""

from __future__ import annotations

from functools import cache

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import Graph

from tests.catalog.standards.conftest import Catalog
from tests.conftest import shared_data

# The README of the shapes: shapes.ttl (mandatory), range.ttl (the classes of values) and
# the controlled vocabularies; imports*.ttl only name ontologies to fetch (no network here).
SHAPE_FILES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
# rdflib's own JSON-LD parser still builds a ConjunctiveGraph (its deprecation, not ours).
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


@cache
def _shapes(*paths: str) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def shapes() -> Graph:
    return _shapes(*(str(shared_data(f"standards/dcat-ap-3.0.1/{name}")) for name in SHAPE_FILES))


def check(text: str, ext: str) -> None:
    data = Graph().parse(data=text, format=PARSERS[ext])
    # Warnings are advice, not conformance: the mdr shapes warn that a publisher is not an
    # EU corporate body, which a node run by a union never is.
    conforms, _, report = validate(data, shacl_graph=shapes(), allow_warnings=True)
    assert conforms is True, report


@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf"])
def test_catalog_conforms(client: TestClient, catalog: Catalog, ext: str) -> None:
    response = client.get(f"/catalog.{ext}")
    assert response.status_code == 200, response.text
    check(response.text, ext)


@pytest.mark.parametrize("slug", ["open-wages", "nc-wages", "case-index"])
def test_each_dataset_conforms(client: TestClient, catalog: Catalog, slug: str) -> None:
    for ext in ("ttl", "jsonld", "rdf"):
        response = client.get(f"/datasets/{slug}.{ext}")
        assert response.status_code == 200, response.text
        check(response.text, ext)


def test_the_owners_catalog_conforms(client: TestClient, catalog: Catalog) -> None:
    response = client.get("/catalog.ttl", headers=catalog.owner.headers)
    check(response.text, "ttl")
