"""The app factory: builds a fresh app (and node handles) per call; no global state."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp

from laborcommons import __version__
from laborcommons.access.routes import router as access_router
from laborcommons.answers.routes import router as answers_router
from laborcommons.api.compression import CompressApi
from laborcommons.api.docs import install_api_docs
from laborcommons.api.errors import install_error_handlers
from laborcommons.api.headers import SecurityHeaders
from laborcommons.api.http import ApiCors, HeadAsGet, NextLink
from laborcommons.api.limits import UploadGate
from laborcommons.api.openapi import install_openapi, unique_id
from laborcommons.catalog.ckan import PREFIXES as CKAN_PREFIXES
from laborcommons.catalog.ckan import ckan_error
from laborcommons.catalog.ckan.routes import router as ckan_router
from laborcommons.catalog.routes import router as catalog_router
from laborcommons.core.node import Node, open_node
from laborcommons.core.query_params import reject_unknown_query_params
from laborcommons.core.settings import Settings
from laborcommons.entities.reconcile_routes import router as reconcile_router
from laborcommons.entities.routes import router as entities_router
from laborcommons.evidence.routes import router as evidence_router
from laborcommons.harvest.routes import router as harvest_router
from laborcommons.releases.routes import router as releases_router
from laborcommons.web import install_web, render_error_page


class LaborCommonsApp(FastAPI):
    """FastAPI with the security headers outside everything, so even a 500 carries them;
    inside them HEAD becomes a bodiless GET (of the compressed answer, so its length is the
    GET's), the API's text answers are gzipped (``api.compression``), and the API answers
    CORS and says ``Link: rel="next"`` on pages (``api.http``)."""

    def build_middleware_stack(self) -> ASGIApp:
        node: Node = self.state.node
        inner = NextLink(super().build_middleware_stack())
        cors = ApiCors(inner, origins=node.settings.cors_origins)
        return SecurityHeaders(HeadAsGet(CompressApi(cors)))


def create_app(settings: Settings | None = None, *, node: Node | None = None) -> FastAPI:
    node = node or open_node(settings or Settings())
    app = LaborCommonsApp(
        title="LaborCommons",
        version=__version__,
        description="Open data node for labor-rights and supply-chain data.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served by api.docs from the installed package, not a CDN
        redoc_url=None,
        generate_unique_id_function=unique_id,
    )
    app.state.node = node
    api = APIRouter(prefix="/api/v1", generate_unique_id_function=unique_id)
    strict_query = [Depends(reject_unknown_query_params)]
    api.include_router(catalog_router, dependencies=strict_query)
    api.include_router(access_router, dependencies=strict_query)
    api.include_router(entities_router, dependencies=strict_query)
    api.include_router(reconcile_router)  # W3C spec: clients add their own parameters
    api.include_router(releases_router, dependencies=strict_query)
    api.include_router(answers_router, dependencies=strict_query)
    api.include_router(evidence_router, dependencies=strict_query)
    api.include_router(harvest_router, dependencies=strict_query)
    app.include_router(api)
    for prefix in CKAN_PREFIXES:  # CKAN's clients send their own parameters: checked per action
        app.include_router(ckan_router, prefix=prefix)
    install_api_docs(app)
    install_openapi(app)
    install_error_handlers(
        app,
        html_renderer=render_error_page,
        envelopes=dict.fromkeys(CKAN_PREFIXES, ckan_error),
    )
    install_web(app)
    app.add_middleware(UploadGate, node=node)  # inside the session: it reads the cookie
    app.add_middleware(
        SessionMiddleware,
        secret_key=node.secret_key,
        session_cookie="lc_session",
        same_site="lax",
        https_only=node.settings.secure_cookies,
    )
    return app
