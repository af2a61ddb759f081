"""A real server and a real browser: uvicorn in a thread, Debian's Chromium via Playwright.

One server for the session, but a fresh node per test: the server's ASGI app is a switch
that each test points at a new app over a new SQLite node (copied from the migrated
template), so no test sees another's uploads.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from starlette.types import ASGIApp, Receive, Scope, Send

from laborcommons.api import create_app
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from tests.conftest import require
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.live import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]  # fmt: skip
ROWS_CSV = (
    "facility,country,workers\n"
    "Dhaka Knit Ltd,BD,1200\n"
    "Phnom Penh Sewing,KH,300\n"
    "Saigon Apparel,VN,850\n"
)


@dataclass
class AppSwitch:
    """The ASGI app uvicorn serves; forwards to whichever app the current test plugged in."""

    app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no test app plugged in"
        await self.app(scope, receive, send)


@dataclass
class LiveServer:
    url: str
    switch: AppSwitch


@dataclass
class Site:
    """What a test's fresh node holds, and where the browser reaches it."""

    url: str
    node: Node
    owner: Member
    files: Path
    datasets: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    switch = AppSwitch()
    with serve(switch) as url:
        yield LiveServer(url=url, switch=switch)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
    finally:
        playwright.stop()


def seed(node: Node, files: Path) -> tuple[Member, dict[str, str]]:
    """Two organizations, an owner, an open dataset with rows, an internal one, an empty one."""
    make_org(node, "garment-union", countries=["BD"], data_types=["working-conditions"])
    make_org(node, "voice-app", "worker-voice", countries=["KH"], data_types=["violations"])
    owner = make_member(node, "owner@union.example", "garment-union", "owner")
    rows = files / "facilities.csv"
    rows.write_text(ROWS_CSV)
    make_dataset(
        node,
        "garment-wages",
        "garment-union",
        access="open",
        license="CC-BY-4.0",
        title="Garment wages 2024",
        description="Monthly wages from payslips.",
        methodology="Payslip survey of 1,200 workers.",
        coverage=["BD"],
        keywords=["wages", "payslips"],
    )
    ingest(node, "garment-wages", rows)
    make_dataset(node, "case-files", "garment-union", title="Case files")
    ingest(node, "case-files", rows)
    make_dataset(node, "audits", "garment-union", title="Audit findings")
    return owner, {"open": "garment-wages", "internal": "case-files", "empty": "audits"}


@pytest.fixture
def site(live_server: LiveServer, sqlite_template: Path, tmp_path: Path) -> Iterator[Site]:
    home = tmp_path / "node"
    home.mkdir()
    shutil.copyfile(sqlite_template, home / "laborcommons.db")
    node = open_node(Settings(home=home))
    files = tmp_path / "files"
    files.mkdir()
    owner, datasets = seed(node, files)
    live_server.switch.app = create_app(node=node)
    yield Site(url=live_server.url, node=node, owner=owner, files=files, datasets=datasets)
    live_server.switch.app = None
    node.dispose()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    context = browser.new_context(base_url=site.url, accept_downloads=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
