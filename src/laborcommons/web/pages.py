"""Wiring of the web UI (routers, static files, templates), the home page and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.core.deps import SessionDep
from laborcommons.web import (
    access_pages,
    account_pages,
    admin_pages,
    answer_pages,
    attachment_pages,
    auth,
    dataset_forms,
    dataset_pages,
    edit_pages,
    entity_forms,
    entity_pages,
    evidence_pages,
    harvest_pages,
    license_pages,
    mapping_pages,
    member_pages,
    organization_forms,
    privacy_pages,
    registry_pages,
    reset_pages,
    review_pages,
    standards_pages,
    token_pages,
    upload_pages,
)
from laborcommons.web.rendering import build_templates, render

STATIC_DIR = Path(__file__).parent / "static"
LATEST_ON_HOME = 8

router = APIRouter()


@router.get("/")
def home(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    latest = service.list_datasets(reader=reader, session=session, page_size=LATEST_ON_HOME)
    organizations = service.list_organizations(reader=reader, session=session)
    context = {"latest": latest, "organization_count": organizations.total}
    return render(request, "home.html", context, reader=reader)


def install_web(app: FastAPI) -> None:
    """Mount the pages on ``app``; the API stays under /api/v1, pages own the rest."""
    app.state.web_templates = build_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module_router in (
        router,
        auth.router,
        account_pages.router,
        token_pages.router,
        reset_pages.router,
        admin_pages.router,
        organization_forms.router,  # before the registry: /organizations/new is no slug
        member_pages.router,
        registry_pages.router,
        dataset_forms.router,  # before the dataset pages: /datasets/new is no slug
        standards_pages.router,  # before the dataset pages: /datasets/x.ttl is an export
        dataset_pages.router,
        upload_pages.router,
        edit_pages.router,
        license_pages.router,
        entity_pages.router,
        entity_forms.router,
        review_pages.router,
        access_pages.router,
        privacy_pages.router,
        answer_pages.router,
        evidence_pages.router,
        attachment_pages.router,
        mapping_pages.router,
        harvest_pages.router,
    ):
        app.include_router(module_router, include_in_schema=False)


def render_error_page(request: Request, status: int, code: str, message: str) -> Response:
    """The HTML twin of the API's error envelope; a hidden dataset looks like a missing one."""
    context = {"status": status, "code": code, "message": message}
    return render(request, "error.html", context, reader=None, status=status)
