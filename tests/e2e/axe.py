"""axe-core in the page under test: inject the vendored script, run it, fail on what matters.

axe is installed from the npm registry (assets/package.json) and copied beside the tests by
``scripts/vendor-assets.sh``; it is never served by the node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.conftest import require

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN = "() => axe.run(document, {resultTypes: ['violations']})"


def violations(page: Page) -> list[dict[str, Any]]:
    """Every serious or critical violation axe finds on the page as it is now."""
    require(AXE.exists(), f"{AXE} is missing (run scripts/vendor-assets.sh)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's CSP (script-src 'self') stays in
        # force, and would rightly refuse an inline script tag.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(RUN)["violations"]
    return [v for v in found if v["impact"] in BLOCKING]


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violation and element: rule id, impact, target selectors, help."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {target}: {violation['help']}"
            )
    return "\n".join(lines)


def assert_accessible(page: Page, where: str = "") -> None:
    """Fail listing each serious or critical violation on the current page."""
    found = violations(page)
    assert not found, f"axe on {where or page.url}:\n{describe(found)}"
