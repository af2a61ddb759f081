"""The facility map in Chromium, offline: every request that leaves the node is aborted,
and the map still draws the shipped country outlines and clusters thousands of points."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service import create_entity
from tests.e2e.conftest import Site

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FACILITIES = 2_000  # enough that markers must cluster to stay readable


def seed_facilities(site: Site) -> None:
    """Facilities around Dhaka and Phnom Penh, on a grid so every point is distinct."""
    with unit_of_work(site.node.sessions) as session:
        for n in range(FACILITIES):
            dhaka = n % 2 == 0
            fields = {
                "kind": "facility",
                "name": f"Map Facility {n:04}",
                "country": "BD" if dhaka else "KH",
                "latitude": (23.8 if dhaka else 11.5) + (n % 40) * 0.01,
                "longitude": (90.4 if dhaka else 104.9) + (n // 40) * 0.01,
            }
            create_entity(
                EntityCreate.model_validate(fields),
                actor=NODE_ADMIN,
                session=session,
                seed=f"map-{n}",
            )


def test_the_map_draws_offline_with_outlines_and_clusters(page: Page, site: Site) -> None:
    seed_facilities(site)
    outside: list[str] = []

    def only_the_node(route: Route) -> None:
        if route.request.url.startswith(site.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_node)
    page.emulate_media(reduced_motion="reduce")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/entities?kind=facility")
    container = page.locator(".facility-map")
    expect(container).to_have_attribute("data-points", str(FACILITIES), timeout=30_000)
    assert errors == [], errors  # markercluster once refused a map without maxZoom
    # Natural Earth outlines, drawn as vector paths: no tile was asked for.
    assert page.locator("path.map-country").count() > 100
    clusters = page.locator(".marker-cluster")
    expect(clusters.first).to_be_visible()
    assert 0 < clusters.count() < 50, "2,000 points are shown as a few clusters"
    assert outside == []
    # The table stays on the page, the version without script and for screen readers.
    expect(page.locator("table").filter(has_text="Map Facility 0000")).to_be_visible()
    # Every point is in some cluster: the clusters' counts add up to the facilities.
    # (Polled: while fitBounds animates, the clusters of two zoom levels are both present.)
    total = 0
    for _ in range(50):
        total = sum(int(text) for text in clusters.all_inner_texts() if text.strip())
        if total == FACILITIES:
            break
        page.wait_for_timeout(200)
    assert total == FACILITIES
    ARTIFACTS.mkdir(exist_ok=True)
    container.screenshot(path=str(ARTIFACTS / "facility-map.png"))
