"""The API's Swagger UI, served from the installed ``swagger-ui-bundle`` package.

No CDN: the docs work offline, and a privacy-sensitive node makes no third-party request.
Swagger UI needs one inline start-up script (allowed by its hash) and inline styles, so
this page carries its own Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

DOCS_PATH = "/api/v1/docs"
ASSETS_PATH = "/api/v1/docs/assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_policy(html: str) -> str:
    """This page's policy: this origin, plus exactly the inline scripts it carries."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )


def install_api_docs(app: FastAPI) -> None:
    """Mount the Swagger UI files and the docs page (FastAPI's own page, local URLs)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets")
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "",
        title=f"{app.title} API",
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None},  # no call to validator.swagger.io
    ).body
    html = bytes(page).decode()
    policy = docs_policy(html)

    @app.get(DOCS_PATH, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})
