"""Evidence in Chromium: an owner maps a column of a linked dataset and reads the result;
the entity page draws the sources and explains the deviation; a steward verifies an
answer and a signed-in reader who is not one flags another."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in
from tests.evidence.conftest import COMPLIANCE, RATES, SURVEY, add, link, map_column
from tests.factories import make_member, make_org

pytestmark = pytest.mark.browser


def test_map_a_column_read_the_evidence_and_verify_it(
    page: Page, site: Site, browser: Browser
) -> None:
    for slug, text in (("compliance", COMPLIANCE), ("survey", SURVEY), ("fx-rates", RATES)):
        add(site.node, site.files, slug, "garment-union", text)
    for slug in ("compliance", "survey"):
        link(site.node, slug)
    map_column(
        site.node,
        "survey",
        column="median_wage_idr_week",
        metric="monthly-gross-wage",
        period_column="year",
        method="worker-survey",
        unit="IDR/week",
        rates="fx-rates",
    )

    sign_in(page, site.owner)
    page.goto("/datasets/compliance")
    page.get_by_role("link", name="Map columns to metrics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map columns to metrics")
    form = page.locator("#mapping-form")
    form.get_by_label("Column", exact=True).select_option("monthly_wage_usd")
    form.get_by_label("Metric").select_option("monthly-gross-wage")
    form.get_by_label("The column's unit").fill("USD/month")
    form.get_by_label("Period (a year)").fill("2024")
    form.get_by_label("Method").select_option("self-declared")
    form.get_by_role("button", name="Map column").click()
    expect(page.locator(".result-summary")).to_contain_text(
        "3 answers added, 0 already there, 0 unreadable."
    )

    page.goto("/entities?q=Dhaka+Knit")
    page.get_by_role("link", name="Dhaka Knit", exact=True).click()
    evidence = page.locator("section.evidence")
    chart = evidence.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_have_text("Monthly gross wage: sources over time")
    expect(chart.locator(".deviation-label")).to_have_text("compliance v1 deviates")
    expect(evidence.locator(".explanation").first).to_contain_text(
        "the self-declaration (compliance v1) gives 250.00 USD/month, 44% above the worker survey"
    )

    declared = evidence.locator("table.evidence-sources tbody tr").filter(has_text="compliance v1")
    declared.get_by_role("button", name="Steward-verify").click()
    expect(page.locator(".flash")).to_contain_text("now steward-verified")
    expect(declared.locator(".verification")).to_have_text("steward-verified")

    make_org(site.node, "elsewhere")
    reader = make_member(site.node, "reader@elsewhere.example", "elsewhere", "owner")
    other = browser.new_context(base_url=site.url)
    tab = other.new_page()
    sign_in(tab, reader)
    tab.goto(page.url.split("#")[0])
    row = tab.locator("table.evidence-sources tbody tr").filter(has_text="survey v1")
    expect(row.get_by_role("button", name="Steward-verify")).to_have_count(0)
    row.get_by_role("button", name="Flag").click()
    expect(row.locator(".verification")).to_have_text("flagged")
    other.close()
