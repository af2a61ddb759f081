"""An editor opens an entity, merges its duplicate into it, records that a brand sources
from it with a tier, and sees both in the entity's relations and history."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service import create_entity
from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def made(site: Site, kind: str, name: str) -> str:
    with unit_of_work(site.node.sessions) as session:
        data = EntityCreate(kind=kind, name=name, country="BD")  # type: ignore[arg-type]
        return create_entity(data, actor=NODE_ADMIN, session=session, seed=name).lcid


def test_merge_and_record_a_relation_from_the_entity_page(page: Page, site: Site):
    factory = made(site, "facility", "Dhaka Knit Composite Ltd")
    duplicate = made(site, "facility", "Dhaka Knit Composite Limited")
    brand = made(site, "brand", "Harbor & Pine")
    sign_in(page, site.owner)
    page.goto(f"/entities/{factory}")

    page.get_by_text("Merge with another entity").click()
    page.get_by_label("Merge the other one into this entity").check()
    page.get_by_label("Stable ID of the other entity").first.fill(duplicate)
    page.get_by_label("Reason (required)").first.fill("same factory, two spellings")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".flash")).to_contain_text(f"Merged {duplicate} into {factory}")

    page.get_by_text("Record a relation").click()
    page.get_by_label("This entity…").select_option("sources_from:object")
    page.locator("#relation_other").fill(brand)
    page.get_by_label("Supplier tier").select_option("1")
    page.get_by_label("Source or reason").fill("Harbor & Pine disclosure 2025")
    page.get_by_role("button", name="Record relation").click()
    expect(page.locator(".flash")).to_contain_text("Recorded the relation")

    expect(page.locator("table.relations tbody tr")).to_contain_text("Harbor & Pine")
    expect(page.locator("table.relations tbody tr")).to_contain_text("1")
    expect(page.locator("table.history")).to_contain_text(f"absorbed {duplicate}")
    expect(page.locator("table.history")).to_contain_text("same factory, two spellings")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "entity-editing.png"), full_page=True)
