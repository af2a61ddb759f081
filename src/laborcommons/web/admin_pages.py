"""The node admin's web tools: approve pending organizations, make password-reset links.

Without SMTP nobody receives a reset e-mail, so the admin makes the link here (or with
``laborcommons users reset-link``) and passes it on; it is shown once, on this answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from laborcommons.access import Reader, request_password_reset
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import Forbidden, NotAuthenticated
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.rendering import add_flash, public_url, render

router = APIRouter()


def require_admin(reader: Reader) -> None:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in as the node admin")
    if not reader.is_admin:
        raise Forbidden("only the node admin may use this page")


@router.get("/admin/organizations")
def pending(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    require_admin(reader)
    context = {"organizations": service.pending_organizations(session=session)}
    return render(request, "admin_organizations.html", context, reader=reader)


@router.post("/admin/organizations/{slug}/approve")
def approve(
    slug: str, request: Request, reader: PageReaderDep, session: SessionDep, _csrf: CsrfDep
) -> Response:
    require_admin(reader)
    organization = service.approve_organization(slug, reader=reader, session=session)
    add_flash(request, f"Approved {organization.name}: it is in the registry now.")
    return RedirectResponse("/admin/organizations", status_code=303)


def _reset_links_page(
    request: Request,
    reader: Reader,
    *,
    email: str = "",
    url: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context = {"email": email, "url": url, "error": error}
    response = render(request, "admin_reset_links.html", context, reader=reader, status=status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get("/admin/reset-links")
def reset_links(request: Request, reader: PageReaderDep) -> Response:
    require_admin(reader)
    return _reset_links_page(request, reader)


@router.post("/admin/reset-links")
def make_reset_link(
    request: Request,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form()] = "",
) -> Response:
    """The admin may learn whether an account exists; nobody else may."""
    require_admin(reader)
    issued = request_password_reset(email, created_by=reader.email or "admin", session=session)
    if issued is None:
        error = f"no account with e-mail {email}"
        return _reset_links_page(request, reader, email=email, error=error, status=404)
    url = public_url(request, node.settings.base_url, issued.path)
    return _reset_links_page(request, reader, email=issued.link.email, url=url, status=201)
