"""Safe answers in Chromium: an owner enables a question on an internal payslip survey and
publishes its answer as an open aggregate; an anonymous reader asks the question and reads
why a facility's cell is hidden, without ever seeing a row."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.answers.survey import worker_rows, write_rows
from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in
from tests.factories import ingest, make_dataset

pytestmark = pytest.mark.browser
SURVEY = "payslip-survey"


def test_owner_publishes_an_aggregate_and_a_reader_learns_why_a_cell_is_hidden(
    page: Page, site: Site, browser: Browser
) -> None:
    make_dataset(site.node, SURVEY, "garment-union", access="internal", title="Payslip survey")
    rows = write_rows(
        site.files / "payslips.csv", worker_rows({"Dhaka Knit": 14, "Tongi Sew": 12, "Ashulia": 3})
    )
    ingest(site.node, SURVEY, rows)

    sign_in(page, site.owner)
    page.goto(f"/datasets/{SURVEY}")
    page.get_by_role("link", name="Enable a question").click()
    editor = page.locator("#enable-form")
    editor.get_by_label("Name").fill("mean-wage")
    editor.get_by_label("Algorithm").select_option("mean")
    editor.get_by_label("Subject column").fill("worker_id")
    editor.get_by_label("Value column").fill("wage")
    editor.get_by_label("Breakdowns").fill("facility")
    editor.get_by_label("Bounds").fill("0,1000")
    editor.get_by_role("button", name="Enable question").click()
    expect(page.locator(".flash")).to_have_text("Question 'mean-wage' enabled for anyone.")
    expect(page.get_by_role("heading", level=1)).to_have_text("mean-wage")

    publish = page.locator("#publish-form")
    publish.get_by_label("New dataset").fill("wage-indications")
    publish.get_by_label("Title").fill("Wage indications per facility")
    publish.get_by_label("License").select_option("CC-BY-4.0")
    publish.get_by_label("Access level").select_option("open")
    publish.get_by_role("button", name="Publish as dataset").click()
    expect(page.locator(".flash")).to_contain_text("Published: wage-indications version 1, 3 rows")
    expect(page.locator(".badges").first).to_contain_text("Open")
    published = page.locator("table.rows tbody tr")
    expect(published).to_have_count(3)
    expect(published.filter(has_text="Ashulia")).to_contain_text("fewer than 10 workers")

    anonymous = browser.new_context(base_url=site.url)
    reader = anonymous.new_page()
    reader.goto(f"/datasets/{SURVEY}")
    expect(reader.locator("table.rows")).to_have_count(0)
    reader.get_by_role("link", name="mean-wage").click()
    expect(reader.get_by_text("Answer log")).to_have_count(0)
    reader.get_by_role("button", name="Ask").click()
    hidden = reader.locator("table.answer-table tbody tr").filter(has_text="Ashulia")
    expect(hidden).to_contain_text("hidden")
    expect(hidden).to_contain_text("fewer than 10 workers")
    expect(reader.locator(".noise")).to_contain_text(re.compile(r"±[\d,.]+ at 95%"))
    expect(reader.locator("svg[role=img]")).to_contain_text("hidden: fewer than 10 workers")
    anonymous.close()

    page.goto(f"/datasets/{SURVEY}/questions/mean-wage")  # the log shows the reader's answer
    # The reader got the answer publishing had stored: logged, cached, no budget spent.
    asked = page.locator("table.answer-log tbody tr").filter(has_text="anonymous")
    expect(asked).to_have_count(1)
    expect(asked).to_contain_text("yes")
    budgets = page.locator("table.budgets tbody tr")
    expect(budgets.filter(has_text=site.owner.email)).to_have_count(1)
