"""A new node user does everything on the web, in Chromium: sign up, register an
organization, invite a colleague (the link shown, since the node has no SMTP), who joins in
another browser, then make an API token and use it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Site

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


def sign_up(page: Page, email: str) -> None:
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".flash")).to_contain_text(f"Welcome, {email}")


def test_sign_up_to_organization_colleague_and_token(
    page: Page, browser: Browser, site: Site, tmp_path: Path
) -> None:
    site.node.settings.signup = "open"
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail").fill("founder@river.example")
    sign_up(page, "founder@river.example")

    page.get_by_role("link", name="Register an organization").first.click()
    page.get_by_label("Name", exact=True).fill("River Union")
    page.get_by_label("Short name in addresses (slug)").fill("river-union")
    page.get_by_label("Archetype").select_option("advocate")
    page.get_by_label("Countries").fill("BD, KH")
    page.get_by_label("Working conditions").check()
    page.get_by_label("What you make public").fill("Monthly wage aggregates.")
    page.get_by_role("button", name="Register organization").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("River Union")
    expect(page.locator(".facts").first).to_contain_text("Bangladesh")

    page.get_by_role("link", name="Members").click()
    page.get_by_label("E-mail").fill("colleague@river.example")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    link = page.locator("#invitation-link").inner_text()
    assert re.fullmatch(rf"{re.escape(site.url)}/invitations/[\w-]+", link)

    colleague_context = browser.new_context(base_url=site.url)
    colleague_context.set_default_timeout(10_000)
    colleague = colleague_context.new_page()
    colleague.goto(link)
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Join River Union")
    colleague.get_by_role("link", name="Create your account").click()
    expect(colleague.get_by_label("E-mail")).to_have_value("colleague@river.example")
    sign_up(colleague, "colleague@river.example")
    expect(colleague.locator("table.my-organizations")).to_contain_text("River Union")
    expect(colleague.locator("table.my-organizations")).to_contain_text("editor")
    colleague_context.close()

    page.reload()
    expect(page.locator("table.members")).to_contain_text("colleague@river.example")
    page.goto("/account/tokens")
    page.get_by_label("Name").fill("nightly sync")
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("lct_")

    headers = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{site.url}/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == "founder@river.example"
    datasets = httpx.get(f"{site.url}/api/v1/datasets", headers=headers)
    assert datasets.status_code == 200
    assert httpx.get(f"{site.url}/api/v1/me", headers={"Authorization": "Bearer x"}).is_error

    page.goto("/account/tokens")
    expect(page.locator("table.tokens")).to_contain_text("nightly sync")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    artifacts = tmp_path / "test-artifacts"
    artifacts.mkdir()
    page.screenshot(path=str(artifacts / "self-service-tokens.png"), full_page=True)
    assert (artifacts / "self-service-tokens.png").stat().st_size > 0
