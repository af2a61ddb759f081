"""A dataset from nothing to `open` on the web, in Chromium: create it, upload a file of a
few MB with the progress bar showing (upload throttled so it can be seen), read the
publishing checklist, fill in what it asks, take a license from the chooser, watch the
who-sees-what preview follow the level, and publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def big_csv(path: Path, rows: int = 120_000) -> Path:
    """Some 3 MB of facility rows (no personal data, so nothing blocks `open`)."""
    countries = ("BD", "KH", "VN")
    lines = ["facility,country,workers"]
    lines += [
        f"Factory {i % 700} Garments Ltd,{countries[i % 3]},{100 + i % 900}" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_new_dataset_to_open(page: Page, site: Site, tmp_path: Path) -> None:
    sign_in(page, site.owner)
    page.goto("/datasets")
    page.get_by_role("link", name="New dataset").click()
    page.get_by_label("Title").fill("Factory headcounts 2025")
    page.get_by_label("Data type").select_option("facility-compliance")
    page.get_by_label("Description").fill("Workers per factory.")
    page.get_by_role("button", name="Create dataset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Factory headcounts 2025")
    assert page.url.endswith("/datasets/factory-headcounts-2025")

    checklist = page.locator("#checklist")
    expect(checklist.locator('[data-key="methodology"]')).to_contain_text("Missing")

    page.get_by_role("link", name="Upload a new version").click()
    page.get_by_label("File").set_input_files(str(big_csv(tmp_path / "headcounts.csv")))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 1_000_000},
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#upload-progress")).to_be_visible()
    expect(page.locator("#upload-progress-text")).to_contain_text("%")
    page.wait_for_function(
        "document.getElementById('upload-progress-bar')"
        " && document.getElementById('upload-progress-bar').value > 0"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dataset-upload-progress.png"), full_page=True)
    expect(page.locator(".flash")).to_contain_text("Version 1: 120000 rows", timeout=90_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Factory headcounts 2025")
    expect(checklist.locator('[data-key="pii"]')).to_contain_text("Done")
    expect(checklist.locator('[data-key="data_dictionary"]')).to_contain_text("3 of 3 columns")

    page.get_by_role("link", name="Edit metadata").click()
    page.get_by_label("Methodology").fill("Headcounts from factory registers.")
    page.get_by_label("Sample").fill("Every registered factory.")
    page.get_by_label("Coverage (country codes)").fill("BD, KH, VN")
    for index, text in enumerate(("Factory name", "Country code", "Workers employed")):
        page.locator(f"#dictionary-{index}-description").fill(text)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Metadata saved.")
    for key in ("methodology", "sample_description", "coverage", "data_dictionary"):
        expect(checklist.locator(f'[data-key="{key}"]')).to_contain_text("Done")
    expect(checklist.locator('[data-key="license"]')).to_contain_text("Missing, required")

    page.get_by_role("link", name="Edit metadata").click()
    page.get_by_role("link", name="Not sure? Use the license chooser.").click()
    for question, answer in (
        ("give up all rights", "No"),
        ("commercially", "Yes"),
        ("modified or combined", "Yes"),
        ("same license", "No"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Recommend a license").click()
    expect(page.locator("#recommendation")).to_contain_text("CC-BY-4.0")
    page.get_by_role("button", name="Use this license for Factory headcounts 2025").click()
    expect(page.locator(".flash")).to_contain_text("License CC-BY-4.0 applied")
    expect(page.get_by_label("License", exact=True)).to_have_value("CC-BY-4.0")

    preview = page.locator("#access-preview-text")
    expect(preview).to_contain_text("Only those who may read rows can find this dataset")
    page.get_by_label("Open: anyone, under an open license").check()
    expect(preview).to_contain_text("reuse them under its open license")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Metadata saved.")
    expect(page.locator(".badges")).to_contain_text("Open")
    expect(checklist).to_contain_text("Everything is in place.")
    page.screenshot(path=str(ARTIFACTS / "dataset-published-open.png"), full_page=True)


def test_a_refused_upload_still_shows_its_report(page: Page, site: Site, tmp_path: Path) -> None:
    """The script replaces the page with the server's 422 answer: the validation report."""
    bad = tmp_path / "bad.csv"
    bad.write_text("facility,country,workers\nDhaka Knit Ltd,BD,1200,extra\nPhnom Penh Sewing,KH\n")
    sign_in(page, site.owner)
    page.goto(f"/datasets/{site.datasets['empty']}/upload")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#upload-error")).to_contain_text("The file was not accepted.")
    expect(page.locator("#report-heading")).to_contain_text("Validation report for bad.csv")
    expect(page.locator("#upload-progress")).to_be_hidden()
