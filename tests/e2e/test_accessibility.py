"""Every web page through axe-core, anonymous and signed in; the keyboard on a main flow.

The page list is the web router's own GET routes: a new page without a URL here (or an
exclusion with its reason) fails ``test_every_page_is_covered``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN, invite_member, request_password_reset
from laborcommons.catalog import service as catalog
from laborcommons.core.db import unit_of_work
from laborcommons.entities.models import Entity, LinkJob
from laborcommons.evidence.models import EvidenceAnswer
from laborcommons.web import install_web
from tests.answers.survey import enable, question, worker_rows, write_rows
from tests.e2e.axe import assert_accessible, describe, violations
from tests.e2e.conftest import Site
from tests.e2e.test_flows import sign_in
from tests.evidence.conftest import COMPLIANCE, RATES, SURVEY, add, link, map_column
from tests.factories import Member, ingest, make_dataset, make_grant, make_member

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
METRIC = "monthly-gross-wage"

# Routes that answer no HTML page a person reads: files, RDF and crawler documents.
EXCLUDED = {
    "/datasets/{slug}/versions/{number}/download": "a file download (CSV, XLSX, JSON)",
    "/datasets/{slug}/versions/{number}/original": "the uploaded file, as uploaded",
    "/answers/{answer_id}/attachments/{attachment_id}": "an attachment's file",
    "/catalog.ttl": "DCAT-AP Turtle export",
    "/catalog.jsonld": "DCAT-AP JSON-LD export",
    "/catalog.rdf": "DCAT-AP RDF/XML export",
    "/datasets/{slug}.ttl": "DCAT-AP Turtle export",
    "/datasets/{slug}.jsonld": "DCAT-AP JSON-LD export",
    "/datasets/{slug}.rdf": "DCAT-AP RDF/XML export",
    "/sitemap.xml": "XML for crawlers",
    "/robots.txt": "plain text for crawlers",
}


@dataclass
class World:
    """The path parameters of a seeded node, as the pages need them."""

    lcid: str
    answer_id: int
    job_id: int
    invitation: str
    reset: str
    admin: Member


# route -> its URL in the seeded world, for every HTML page of the web router
PAGES: dict[str, Callable[[World], str]] = {
    "/": lambda w: "/",
    "/login": lambda w: "/login",
    "/signup": lambda w: "/signup",
    "/account": lambda w: "/account",
    "/account/tokens": lambda w: "/account/tokens",
    "/password-reset": lambda w: "/password-reset",
    "/password-reset/{token}": lambda w: w.reset,
    "/admin/organizations": lambda w: "/admin/organizations",
    "/admin/reset-links": lambda w: "/admin/reset-links",
    "/organizations/new": lambda w: "/organizations/new",
    "/datasets/new": lambda w: "/datasets/new",
    "/organizations/{slug}/edit": lambda w: "/organizations/garment-union/edit",
    "/organizations/{slug}/members": lambda w: "/organizations/garment-union/members",
    "/invitations/{token}": lambda w: w.invitation,
    "/organizations": lambda w: "/organizations",
    "/organizations/{slug}": lambda w: "/organizations/garment-union",
    "/datasets": lambda w: "/datasets",
    "/datasets/{slug}": lambda w: "/datasets/garment-wages",
    "/datasets/{slug}/upload": lambda w: "/datasets/garment-wages/upload",
    "/datasets/{slug}/edit": lambda w: "/datasets/garment-wages/edit",
    "/licenses": lambda w: "/licenses",
    "/licenses/choose": lambda w: "/licenses/choose",
    "/entities": lambda w: "/entities",
    "/entities/{lcid}": lambda w: f"/entities/{w.lcid}",
    "/datasets/{slug}/link": lambda w: "/datasets/survey/link",
    "/datasets/{slug}/link/jobs/{job_id}": lambda w: f"/datasets/compliance/link/jobs/{w.job_id}",
    "/review": lambda w: "/review",
    "/datasets/{slug}/access": lambda w: "/datasets/case-files/access",
    "/datasets/{slug}/request-access": lambda w: "/datasets/case-files/request-access",
    "/access-requests": lambda w: "/access-requests",
    "/datasets/{slug}/audit": lambda w: "/datasets/case-files/audit",
    "/groups": lambda w: "/groups",
    "/datasets/{slug}/versions/{number}/privacy": lambda w: (
        "/datasets/case-files/versions/1/privacy"
    ),
    "/datasets/{slug}/questions": lambda w: "/datasets/payslips/questions",
    "/datasets/{slug}/questions/{name}": lambda w: "/datasets/payslips/questions/mean-wage",
    "/metrics": lambda w: "/metrics",
    "/metrics/{key}": lambda w: f"/metrics/{METRIC}",
    "/deviations": lambda w: "/deviations",
    "/answers/{answer_id}/attachments": lambda w: f"/answers/{w.answer_id}/attachments",
    "/datasets/{slug}/versions/{number}/metric-mappings": (
        lambda w: "/datasets/compliance/versions/1/metric-mappings"
    ),
    "/harvested": lambda w: "/harvested",
}


def web_pages() -> set[str]:
    """The GET routes of the web router, as the app mounts them (no API, no static files)."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    install_web(app)
    return {c.path for c in iter_route_contexts(app.router.routes) if "GET" in (c.methods or ())}


def test_every_page_is_covered() -> None:
    pages = web_pages()
    assert not set(PAGES) & set(EXCLUDED)
    assert pages == set(PAGES) | set(EXCLUDED), (
        f"pages without an axe check: {sorted(pages - set(PAGES) - set(EXCLUDED))}; "
        f"gone: {sorted(set(PAGES) | set(EXCLUDED) - pages)}"
    )


def build_world(site: Site) -> World:
    """Evidence (linked, mapped), a safe-answer question, a grant, a colleague, an invitation
    and a reset link: enough that each page shows its tables, buttons and forms."""
    node = site.node
    for slug, text in (("compliance", COMPLIANCE), ("survey", SURVEY), ("fx-rates", RATES)):
        add(node, site.files, slug, "garment-union", text)
    for slug in ("compliance", "survey"):
        link(node, slug)
    map_column(
        node,
        "compliance",
        column="monthly_wage_usd",
        metric=METRIC,
        period="2024",
        method="self-declared",
        unit="USD/month",
    )
    make_dataset(node, "payslips", "garment-union")
    ingest(node, "payslips", write_rows(site.files / "payslips.csv", worker_rows({"A": 12})))
    enable(node, question())
    admin = make_member(node, "admin@node.example", admin=True)
    # a grant and a colleague, so the access and members pages show Revoke and Remove
    make_grant(node, "case-files", organization="voice-app")
    make_member(node, "editor@union.example", "garment-union", "editor")
    with unit_of_work(node.sessions) as session:
        union = catalog.get_organization("garment-union", session=session)
        invited = invite_member(
            union.id, "new@union.example", "editor", reader=NODE_ADMIN, session=session
        )
        reset = request_password_reset(site.owner.email, created_by="admin", session=session)
        assert reset is not None
        return World(
            lcid=session.scalars(select(Entity.lcid).order_by(Entity.id)).first() or "",
            answer_id=session.scalars(select(EvidenceAnswer.id)).first() or 0,
            job_id=session.scalars(select(LinkJob.id)).first() or 0,
            invitation=invited.path,
            reset=reset.path,
            admin=admin,
        )


def audit_every_page(page: Page, world: World, who: str) -> list[str]:
    failures = []
    for route, url_of in sorted(PAGES.items()):
        url = url_of(world)
        page.goto(url)
        found = violations(page)
        if found:
            failures.append(f"{who} {route} ({url}):\n{describe(found)}")
    return failures


def test_every_page_passes_axe(browser: Browser, site: Site) -> None:
    world = build_world(site)
    failures = []
    for who, member in (("anonymous", None), ("owner", site.owner), ("admin", world.admin)):
        context = browser.new_context(base_url=site.url)
        context.set_default_timeout(10_000)
        tab = context.new_page()
        if member is not None:
            sign_in(tab, member)
        failures += audit_every_page(tab, world, who)
        if who == "owner":
            failures += check_widths(tab, world)
        context.close()
    assert not failures, "\n\n".join(failures)


def check_widths(page: Page, world: World) -> list[str]:
    """Key pages at a desktop and a phone width: axe again (contrast changes when the header
    wraps, tables scroll), and a screenshot kept under test-artifacts/ for a person to see."""
    ARTIFACTS.mkdir(exist_ok=True)
    failures = []
    for name, url in (
        ("home", "/"),
        ("dataset", "/datasets/garment-wages"),
        ("access", "/datasets/case-files/access"),
        ("members", "/organizations/garment-union/members"),
        ("entity", f"/entities/{world.lcid}"),
        ("mappings", "/datasets/compliance/versions/1/metric-mappings"),
        ("questions", "/datasets/payslips/questions"),
        ("privacy", "/datasets/case-files/versions/1/privacy"),
    ):
        page.goto(url)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            found = violations(page)
            if found:
                failures.append(f"owner {url} at {width}px:\n{describe(found)}")
    page.set_viewport_size({"width": 1280, "height": 720})
    return failures


FOCUS_SHOWN = """() => {
  const e = document.activeElement;
  if (e === document.body) return true;  // past the last element: the browser's own UI
  const style = getComputedStyle(e);
  return e.matches(':focus-visible') && style.outlineStyle !== 'none'
    && parseFloat(style.outlineWidth) > 0;
}"""


def press_tab_to(page: Page, selector: str) -> None:
    """Tab to ``selector``; every element the focus lands on shows it."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
        assert page.evaluate(FOCUS_SHOWN), f"focus is not visible on {focused}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_keyboard_sign_in_filter_rows_and_download(page: Page, site: Site) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    press_tab_to(page, "a[href^='/login']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    press_tab_to(page, "#email")
    page.keyboard.type(site.owner.email)
    press_tab_to(page, "#password")
    page.keyboard.type(site.owner.password)
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text(f"Signed in as {site.owner.email}.")

    press_tab_to(page, "a[href='/datasets']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datasets")
    press_tab_to(page, f"a[href='/datasets/{site.datasets['open']}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Garment wages 2024")
    press_tab_to(page, ".preview-filters input[name='country']")
    page.keyboard.type("KH")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"country=KH"))
    expect(page.locator("table.rows tbody tr")).to_have_count(1)
    assert_accessible(page)

    press_tab_to(page, ".downloads a[href*='format=csv']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
