"""A new user takes two overlapping supplier lists from the web UI to a reviewed, linked set
of facilities, then finds a facility by search and sees both sources on its page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in
from tests.factories import make_dataset
from tests.web.test_entity_linking import HARBOR, VELTA

pytestmark = pytest.mark.browser


def upload(page: Page, site: Site, slug: str, name: str, text: str) -> None:
    page.goto(f"/datasets/{slug}")
    page.get_by_role("link", name="Upload a new version").click()
    path = site.files / name
    path.write_text(text, encoding="utf-8")
    page.get_by_label("File").set_input_files(path)
    page.get_by_label("What changed").fill("supplier list 2025")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash")).to_contain_text("Version 1")


def open_linking(page: Page, slug: str) -> None:
    page.goto(f"/datasets/{slug}")
    page.get_by_role("link", name="Link rows to entities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link rows to entities")


def finish(page: Page) -> None:
    """Wait for the job page to say the job ended (it refreshes itself while running)."""
    expect(page.locator(".job-status")).to_contain_text(re.compile("finished|Done"), timeout=60_000)


def test_two_supplier_lists_become_one_reviewed_set_of_facilities(page: Page, site: Site):
    make_dataset(
        site.node,
        "harbor-suppliers",
        "garment-union",
        access="open",
        license="CC-BY-4.0",
        title="Harbor & Pine suppliers 2025",
    )
    make_dataset(
        site.node,
        "velta-suppliers",
        "garment-union",
        access="open",
        license="CC-BY-4.0",
        title="Velta Sport suppliers 2025",
    )
    sign_in(page, site.owner)
    upload(page, site, "harbor-suppliers", "harbor.csv", HARBOR)
    upload(page, site, "velta-suppliers", "velta.csv", VELTA)

    # The first list: check the suggested columns, dry run, then link.
    open_linking(page, "harbor-suppliers")
    expect(page.get_by_label("Name (required)")).to_have_value("Factory Name")
    expect(page.get_by_label("Country", exact=True)).to_have_value("Country")
    page.get_by_role("button", name="Dry run").click()
    finish(page)
    expect(page.locator(".job-status")).to_contain_text("nothing was changed")
    expect(page.locator("table.outcomes tbody tr")).to_have_count(6)
    page.goto("/entities?q=dhaka")
    expect(page.locator(".result-count")).to_have_text("0 entities")  # the dry run wrote nothing
    page.go_back()
    page.get_by_role("button", name="Link these rows").click()
    finish(page)
    expect(page.locator(".count-entities_created")).to_have_text("6")

    # The second list, with its own column names: map them, link, review what is unsure.
    open_linking(page, "velta-suppliers")
    page.get_by_label("Name (required)").select_option("supplier_name")
    page.get_by_label("Address").select_option("street")
    page.get_by_label("Country", exact=True).select_option("country_code")
    page.get_by_role("button", name="Link rows").click()
    finish(page)
    page.goto("/review?dataset=velta-suppliers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    cards = page.locator("section.candidate")
    expect(cards.first).to_be_visible()
    while cards.count():
        card = cards.first
        other_site = "Saigon Apparel Company" in card.locator("h2").inner_text()
        label = "Reject: different" if other_site else "Accept: same facility"
        card.get_by_role("button", name=label).click()
        expect(page.locator(".flash")).to_contain_text("Rejected" if other_site else "Accepted")
    page.goto("/review?dataset=velta-suppliers")
    expect(page.locator(".result-count")).to_have_text("0 candidates")

    # The rejected Saigon row is a facility of its own; the accepted one joined Harbor's.
    page.goto("/entities?q=saigon+apparel")
    expect(page.locator("table.entities tbody tr")).to_have_count(2)

    # Find a facility and see both lists on its page, with both spellings.
    page.goto("/entities")
    page.get_by_label("Name, in any script").fill("dhaka knit composite")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table.entities tbody tr")).to_have_count(1)
    page.locator("table.entities tbody tr a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dhaka Knit Composite Ltd")
    mentions = page.locator("table.mentions tbody")
    expect(mentions).to_contain_text("Harbor & Pine suppliers 2025")
    expect(mentions).to_contain_text("Velta Sport suppliers 2025")
    expect(page.locator("table.names")).to_contain_text("DHAKA KNIT COMPOSITE LIMITED")
