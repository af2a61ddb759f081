"""In Chromium: a reader asks for access, the owner approves, the reader reads the rows,
the owner revokes, and the rows are refused again (403 on the discoverable dataset, 404
on a hidden one); the owner's trail shows every step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in
from tests.factories import make_member, make_org

pytestmark = pytest.mark.browser


def test_request_approve_read_revoke(browser: Browser, page: Page, site: Site) -> None:
    make_org(site.node, "abogados-laborales")
    lawyer = make_member(site.node, "letrada@abogados.example", "abogados-laborales", "viewer")
    slug = site.datasets["internal"]

    # the owner makes the internal dataset discoverable and named
    sign_in(page, site.owner)
    page.goto(f"/datasets/{slug}/edit")
    page.locator("#access-named").check()
    page.get_by_role("button", name="Save").first.click()
    page.goto(f"/datasets/{slug}")
    page.get_by_role("link", name="Access and grants").click()
    page.get_by_label("Discoverable", exact=False).check()
    page.get_by_role("button", name="Save visibility").click()
    expect(page.locator(".flash")).to_contain_text("Discoverable")

    # the reader finds it, cannot read the rows, and asks
    reader_context = browser.new_context(base_url=site.url)
    reader_context.set_default_timeout(10_000)
    reader = reader_context.new_page()
    sign_in(reader, lawyer)
    reader.goto(f"/datasets/{slug}")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Case files")
    expect(reader.locator("table.rows")).to_have_count(0)
    reader.get_by_role("link", name="Request access").click()
    reader.get_by_label("Purpose").fill("Reclamación salarial — wage claim Nº 42")
    reader.get_by_role("button", name="Send request").click()
    expect(reader.locator("table.my-requests tbody tr")).to_have_count(1)
    expect(reader.locator("table.my-requests .state")).to_have_text("pending")

    # the owner approves with an agreement and an expiry
    page.goto("/access-requests")
    request = page.locator("article.request").first
    expect(request).to_contain_text("wage claim Nº 42")
    request.get_by_label("Agreement reference").fill("Convenio 2026/7")
    request.get_by_label("Expires").fill("2030-12-31")
    request.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("Approved request")

    # the reader sees the state and the rows
    reader.goto("/access-requests")
    expect(reader.locator("table.my-requests .state")).to_have_text("approved")
    reader.goto(f"/datasets/{slug}")
    expect(reader.locator("table.rows tbody tr")).to_have_count(3)
    download = reader.request.get(f"/datasets/{slug}/versions/1/download?format=csv")
    assert download.status == 200 and "Dhaka Knit Ltd" in download.text()

    # the owner revokes: the next request is refused
    page.goto(f"/datasets/{slug}/access")
    expect(page.locator("table.grants .state")).to_have_text("active")
    page.get_by_role("button", name="Revoke grant to letrada@abogados.example").click()
    expect(page.locator("table.grants .state")).to_have_text("revoked")
    reader.goto(f"/datasets/{slug}")
    expect(reader.locator("table.rows")).to_have_count(0)
    assert reader.request.get(f"/datasets/{slug}/versions/1/download").status == 403

    # hidden again: the dataset itself is gone for the reader (404, not 403)
    page.get_by_label("Discoverable", exact=False).uncheck()
    page.get_by_role("button", name="Save visibility").click()
    assert reader.goto(f"/datasets/{slug}").status == 404  # type: ignore[union-attr]
    assert reader.request.get(f"/datasets/{slug}/versions/1/download").status == 404

    # the owner's trail shows the read, the decisions and the grant changes
    page.goto(f"/datasets/{slug}/audit")
    trail = page.locator("table.audit")
    for action in (
        "rows.preview",
        "rows.download",
        "request.approve",
        "grant.revoke",
        "grant.create",
        "request.create",
        "dataset.discoverable",
        "dataset.level",
    ):
        expect(trail).to_contain_text(action)
    expect(trail).to_contain_text("letrada@abogados.example")
    reader_context.close()
