"""Column charts in Chromium: Chart.js draws each figure's canvas from its data block,
and a click on a bar filters the preview to that bar's rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site
from tests.factories import ingest, make_dataset

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CSV = "facility,country,workers\n" + "".join(
    f"Facility {n:02},{'BD' if n % 3 else 'KH'},{n * 10}\n" for n in range(1, 13)
)
# A canvas's count of painted pixels (non-transparent), read back from the browser.
PAINTED = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return painted;
}"""


def test_the_column_charts_are_drawn_and_a_bar_filters_the_preview(page: Page, site: Site) -> None:
    make_dataset(site.node, "factories", "garment-union", access="open", license="CC-BY-4.0")
    path = site.files / "factories.csv"
    path.write_text(CSV)
    ingest(site.node, "factories", path)
    page.emulate_media(reduced_motion="reduce")
    page.goto("/datasets/factories")

    country = page.locator("figure.chart", has_text="country: the most frequent values")
    canvas = country.locator("canvas")
    expect(canvas).to_be_visible()
    assert country.evaluate("figure => Boolean(figure.chartInstance)")
    assert page.evaluate("c => Boolean(window.Chart.getChart(c))", canvas.element_handle())
    assert canvas.evaluate(PAINTED) > 500
    assert page.locator("figure.chart canvas").count() == 2  # country and workers
    expect(country.locator("details.chart-numbers")).not_to_have_attribute("open", "")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "column-charts.png"), full_page=True)
    assert (ARTIFACTS / "column-charts.png").stat().st_size > 0

    # Chart.js places the bars: click the middle of the first (BD, 8 rows).
    x, y = canvas.evaluate(
        """c => { const bar = window.Chart.getChart(c).getDatasetMeta(0).data[0];
                  return [bar.x, (bar.y + bar.base) / 2]; }"""
    )
    canvas.click(position={"x": x, "y": y})
    expect(page).to_have_url(f"{site.url}/datasets/factories?country=BD#preview")
    expect(page.locator(".result-count")).to_contain_text("of 8 matching the filters")

    page.goto("/datasets/factories")
    workers = page.locator("figure.chart", has_text="workers: how many rows fall")
    workers.locator("summary").click()
    workers.get_by_role("link").first.click()
    expect(page.locator(".result-count")).to_contain_text("matching the filters")
    expect(page.locator(".active-filters")).to_contain_text("workers gte 10")
