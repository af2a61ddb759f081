"""The access matrix, seen through every standard export (docs/standards.md).

The oracle is the one access decision as the node's own API applies it
(``test_access_matrix.expected_metadata``): each catalog, harvester feed and metadata
record must list exactly the datasets that reader may discover, and offer a download
exactly where the rows are readable. A standard that re-derived visibility on its own
would drift from it; this test is where the drift shows.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.api import test_access_matrix
from tests.api.test_access_matrix import (
    LEVELS,
    READERS,
    World,
    expected_metadata,
    may_read,
    slug_for,
)

world = test_access_matrix.world  # the same fixture: the same world, the same oracle

SLUGS = {slug_for(level, d): (level, d) for level in LEVELS for d in (False, True)}
CATALOG_LISTINGS = [
    "/catalog.ttl",
    "/catalog.jsonld",
    "/catalog.rdf",
    "/api/v1/catalog",
    "/api/3/action/package_list",
    "/api/action/package_search?rows=1000",
    "/api/v1/datasets?page_size=200",
]
RECORD_ROUTES = [
    "/datasets/{slug}.ttl",
    "/datasets/{slug}.jsonld",
    "/datasets/{slug}.rdf",
    "/api/v1/datasets/{slug}/versions/1/datapackage.json",
    "/api/v1/datasets/{slug}/versions/1/datacite.json",
    "/api/v1/datasets/{slug}/versions/1/datacite.xml",
]


def slugs_named_in(text: str) -> set[str]:
    """The matrix's slugs a document mentions; ``ds-open`` is not found inside
    ``ds-open-disc``."""
    return {slug for slug in SLUGS if re.search(rf"{re.escape(slug)}(?![\w-])", text)}


def discoverable_by(who: str) -> set[str]:
    return {s for s, (level, d) in SLUGS.items() if expected_metadata(level, d, who) == 200}


# One world per test, readers looped inside: building the world is what costs.
def test_every_catalog_lists_exactly_what_the_reader_may_discover(
    client: TestClient, world: World
) -> None:
    for who in READERS:
        expected = discoverable_by(who)
        assert expected, "every reader discovers at least the discoverable datasets"
        for route in CATALOG_LISTINGS:
            response = client.get(route, headers=world.headers(who))
            assert response.status_code == 200, (who, route)
            assert slugs_named_in(response.text) == expected, (who, route)
    # The sitemap is for crawlers: it never grows with the caller's credentials.
    for caller in ("anonymous", "owner"):
        response = client.get("/sitemap.xml", headers=world.headers(caller))
        assert response.status_code == 200
        assert slugs_named_in(response.text) == discoverable_by("anonymous"), caller


def test_every_metadata_record_answers_a_hidden_dataset_like_a_missing_one(
    client: TestClient, world: World
) -> None:
    for who in ("anonymous", "other_org", "named_org", "owner", "admin"):
        _records_match_the_decision(client, world, who)
        _downloads_offered_exactly_where_rows_are_readable(client, world, who)


def _records_match_the_decision(client: TestClient, world: World, who: str) -> None:
    headers = world.headers(who)
    for slug, (level, discoverable) in SLUGS.items():
        visible = expected_metadata(level, discoverable, who) == 200
        for route in RECORD_ROUTES:
            response = client.get(route.format(slug=slug), headers=headers)
            cell = (who, slug, route)
            if visible:
                assert response.status_code == 200, cell
                assert slugs_named_in(response.text) <= {slug}, cell  # never another's
                continue
            missing = client.get(route.format(slug="no-such-dataset"), headers=headers)
            assert response.status_code == missing.status_code == 404, cell
            assert response.text.replace(slug, "X") == missing.text.replace(
                "no-such-dataset", "X"
            ), cell
        ckan = client.get("/api/3/action/package_show", params={"id": slug}, headers=headers)
        assert ckan.json()["success"] is visible, (who, slug)


def _downloads_offered_exactly_where_rows_are_readable(
    client: TestClient, world: World, who: str
) -> None:
    headers = world.headers(who)
    for slug in discoverable_by(who):
        level, _ = SLUGS[slug]
        readable = may_read(level, who)
        dcat = client.get(f"/datasets/{slug}.ttl", headers=headers).text
        assert ("dcat:downloadURL" in dcat) is readable, (who, slug)
        package = client.get("/api/3/action/package_show", params={"id": slug}, headers=headers)
        urls = [r["url"] for r in package.json()["result"]["resources"]]
        assert any("/versions/1/download" in url for url in urls) is readable, (who, slug)
