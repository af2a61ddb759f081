"""What people do on the node, in Chromium: sign in, find, upload, filter, choose, download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROWS_CSV, Site
from tests.factories import Member, ingest

pytestmark = pytest.mark.browser


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def sign_in(page: Page, member: Member) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(member.email)
    page.get_by_label("Password").fill(member.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Signed in as {member.email}")


def test_sign_in_with_the_keyboard_only(page: Page, site: Site):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    tab_to(page, "a[href^='/login']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    tab_to(page, "#email")
    page.keyboard.type(site.owner.email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(site.owner.password)
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("Signed in as owner@union.example.")
    expect(page.locator(".who")).to_have_text("owner@union.example")


def test_search_from_home_and_open_a_dataset(page: Page, site: Site):
    page.goto("/")
    page.get_by_label("Search datasets").fill("wages")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/datasets\?q=wages$"))
    expect(page.locator(".result-count")).to_have_text("1 dataset")
    page.get_by_role("link", name="Garment wages 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Garment wages 2024")
    expect(page.locator(".badges").first).to_contain_text("CC-BY-4.0")
    expect(page.locator("table.rows tbody tr")).to_have_count(3)


def test_upload_a_csv_and_see_the_new_version_and_rows(page: Page, site: Site):
    sign_in(page, site.owner)
    page.goto(f"/datasets/{site.datasets['empty']}")
    page.get_by_role("link", name="Upload a new version").click()
    upload = site.files / "audits.csv"
    upload.write_text(ROWS_CSV)
    page.get_by_label("File").set_input_files(upload)
    page.get_by_label("What changed").fill("first upload")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash")).to_have_text("Version 1: 3 rows")
    expect(page.locator("table.versions tbody tr")).to_have_count(1)
    expect(page.locator("table.versions tbody tr").first).to_contain_text("first upload")
    expect(page.locator("table.rows tbody tr")).to_have_count(3)


def test_filter_and_sort_the_preview(page: Page, site: Site, tmp_path: Path):
    page.goto(f"/datasets/{site.datasets['open']}")
    page.get_by_label("country", exact=True).fill("KH")
    page.get_by_role("button", name="Filter rows").click()
    rows = page.locator("table.rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phnom Penh Sewing")
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="workers", exact=True).click()
    expect(rows.first).to_contain_text("Phnom Penh Sewing")  # 300 is the smallest
    page.screenshot(path=str(tmp_path / "dataset-page.png"), full_page=True)


def test_a_bad_file_shows_the_validation_report(page: Page, site: Site):
    sign_in(page, site.owner)
    page.goto(f"/datasets/{site.datasets['empty']}/upload")
    bad = site.files / "broken.csv"
    bad.write_text("facility,country\nDhaka Knit,BD,extra\n")
    page.get_by_label("File").set_input_files(bad)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("did not pass validation")
    expect(page.locator("table.report tbody tr").first).to_contain_text("extra-cell")
    page.goto(f"/datasets/{site.datasets['empty']}")
    expect(page.get_by_text("No versions yet.")).to_be_visible()


def test_license_chooser_recommends_nc_sa(page: Page, site: Site):
    page.goto("/licenses/choose")
    for question, answer in [
        ("give up all rights", "No"),
        ("commercially", "No"),
        ("modified or combined", "Yes"),
        ("same license", "Yes"),
    ]:
        group = page.get_by_role("group", name=re.compile(question))
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Recommend a license").click()
    expect(page.locator("#recommendation-heading")).to_have_text("Recommended: CC-BY-NC-SA-4.0")
    expect(page.locator("#recommendation")).to_contain_text("not an open license")


def test_filter_organizations_by_archetype(page: Page, site: Site):
    page.goto("/organizations")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Archetype").select_option("worker-voice")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"archetype=worker-voice"))
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Voice App").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voice App")
    expect(page.locator("main")).to_contain_text("Worker voice tool")


def test_download_restricted_csv_only_when_signed_in(page: Page, site: Site):
    slug = site.datasets["internal"]
    url = f"/datasets/{slug}/versions/1/download?format=csv"
    refused = page.goto(url)
    assert refused is not None and refused.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    sign_in(page, site.owner)
    page.goto(f"/datasets/{slug}")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "case-files-v1.csv"
    assert Path(download.path()).read_text().splitlines() == ROWS_CSV.splitlines()


def test_describe_a_column_in_the_data_dictionary(page: Page, site: Site):
    sign_in(page, site.owner)
    page.goto(f"/datasets/{site.datasets['open']}/edit")
    workers = page.get_by_role("group", name="workers (integer)")
    workers.get_by_label("Description").fill("Workers on the payroll")
    workers.get_by_label("Unit").fill("people")
    country = page.get_by_role("group", name="country (string)")
    expect(country.get_by_label("Allowed values")).to_have_value("BD\nKH\nVN")  # one per line
    country.get_by_label("Allowed values").fill("BD\nKH\nVN\nLK")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_have_text("Metadata saved.")
    rows = page.locator("table.dictionary tbody tr")
    expect(rows.filter(has_text="workers")).to_contain_text("Workers on the payroll")
    expect(rows.filter(has_text="workers")).to_contain_text("people")
    expect(rows.filter(has_text="country")).to_contain_text("BD, KH, VN, LK")


def test_preview_an_earlier_version_from_the_versions_table(page: Page, site: Site):
    slug = site.datasets["open"]
    later = site.files / "later.csv"
    later.write_text("facility,country,workers\nColombo Knit,LK,40\n")
    ingest(site.node, slug, later)
    page.goto(f"/datasets/{slug}")
    expect(page.locator("table.rows tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Preview version 1").click()
    expect(page).to_have_url(re.compile(r"\?version=1#preview$"))
    expect(page.locator("#preview-heading")).to_have_text("Preview of version 1")
    expect(page.locator("table.rows tbody tr")).to_have_count(3)
    page.get_by_role("link", name="workers", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?version=1&_sort=workers#preview$"))
    expect(page.locator("table.rows tbody tr").first).to_contain_text("Phnom Penh Sewing")
