"""A publisher in Chromium: upload worker records, see the PII findings, be refused
publication, pseudonymize, drop, accept with a reason, publish, and read the lineage."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from laborcommons.core.crypto import ensure_key_file
from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in
from tests.factories import make_dataset

pytestmark = pytest.mark.browser

LOG = (
    "worker_name,email,phone,factory,issue\n"
    "Rahima Begum,rahima.begum@gmail.com,+880 1712-345678,Dhaka Knit Ltd,unpaid overtime\n"
    "Nasrin Akter,NASRIN.akter@yahoo.com,01812 345 679,Dhaka Knit Ltd,wage deduction\n"
    "Shirin Sultana,shirin_sultana@gmail.com,01912-345680,Chittagong Apparel,harassment\n"
    "Mohammad Karim,m.karim@outlook.com,+8801712345681,Dhaka Knit Ltd,no contract\n"
    "Fatema Khatun,fatema.khatun@gmail.com,01711-223344,Gazipur Garments,unpaid overtime\n"
    "Abdul Hossain,abdul.hossain@yahoo.com,+880 1911 556677,Gazipur Garments,blocked exits\n"
)
WHY = "Union representatives who agreed in writing to be named in the report."


def finding_form(page: Page, column: str):
    return page.get_by_role("form", name=re.compile(rf"^{column} \("))


def try_to_publish(page: Page, slug: str) -> None:
    page.goto(f"/datasets/{slug}/edit")
    page.locator("#access-public").check()
    page.get_by_role("button", name="Save").click()


def test_release_a_grievance_log_safely(page: Page, site: Site):
    ensure_key_file(site.node.settings.key_file)
    make_dataset(
        site.node,
        "grievance-log",
        "garment-union",
        title="Grievance log",
        license="CC-BY-4.0",
        coverage=["BD"],
    )
    upload = site.files / "grievances.csv"
    upload.write_text(LOG)
    sign_in(page, site.owner)
    page.goto("/datasets/grievance-log/upload")
    page.get_by_label("File").set_input_files(upload)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".flash")).to_have_text("Version 1: 6 rows")

    page.get_by_role("link", name="PII and lineage of version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy of version 1")
    findings = page.locator("table.findings tbody tr")
    expect(findings.filter(has_text="email")).to_contain_text("r***@g***.com")
    expect(findings.filter(has_text="phone")).to_contain_text("Open")
    expect(page.locator("table.findings")).not_to_contain_text("rahima.begum@gmail.com")

    try_to_publish(page, "grievance-log")
    expect(page.get_by_role("alert")).to_contain_text("still holds personal data in columns")
    expect(page.get_by_role("alert")).to_contain_text("email")

    page.goto("/datasets/grievance-log/versions/1/privacy")
    email = finding_form(page, "email")
    email.get_by_label("Action for email").select_option("pseudonymize")
    email.get_by_label("Release domain for email").fill("report-2025")
    email.get_by_role("button", name="Resolve email").click()
    expect(page.locator(".flash")).to_have_text("Version 2: email resolved by pseudonymize.")

    phone = finding_form(page, "phone")
    phone.get_by_label("Action for phone").select_option("drop")
    phone.get_by_role("button", name="Resolve phone").click()
    expect(page.locator(".flash")).to_have_text("Version 3: phone resolved by drop.")

    names = finding_form(page, "worker_name")
    names.get_by_label("Action for worker_name").select_option("accept")
    names.get_by_label("Justification for worker_name").fill(WHY)
    names.get_by_role("button", name="Resolve worker_name").click()
    expect(page.locator(".flash")).to_have_text("Accepted: worker_name (person-name).")
    expect(page.locator(".releasable")).to_be_visible()

    try_to_publish(page, "grievance-log")
    expect(page.locator(".flash")).to_have_text("Metadata saved.")
    expect(page.locator(".badges").first).to_contain_text("Public")
    expect(page.locator("table.rows thead")).not_to_contain_text("phone")

    page.get_by_role("link", name="PII and lineage of version 3").click()
    lineage = page.locator("ol.lineage li")
    expect(lineage).to_have_count(3)
    expect(lineage.nth(0)).to_contain_text("grievance-log version 3: drop of phone")
    expect(lineage.nth(1)).to_contain_text("pseudonymize of email (domain report-2025)")
    expect(lineage.nth(2)).to_contain_text("grievance-log version 1: uploaded")
    expect(page.locator("table.findings")).to_contain_text(WHY)
