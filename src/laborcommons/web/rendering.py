"""Templates, the page context every template sees, and the ``Link: rel=alternate`` header.

The Jinja environment is built per app by ``build_templates`` (no module-level state), with
autoescaping on for every template, so user strings are always escaped.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from laborcommons.access import Reader
from laborcommons.catalog.licenses import LICENSES
from laborcommons.catalog.vocabulary import ACCESS_LABELS, ARCHETYPES, DATA_TYPES
from laborcommons.core.countries import country_name
from laborcommons.core.pagination import query_string as query_string  # the one owner
from laborcommons.evidence.triangulation import shown
from laborcommons.web.csrf import csrf_token
from laborcommons.web.licensing import license_terms

TEMPLATES_DIR = Path(__file__).parent / "templates"
FLASH_KEY = "flash"


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _cell(value: Any) -> str:
    """Row values as the JSON API shows them, minus the quotes (None is an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _country_name(code: str) -> str:
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


def _country_option(code: str) -> tuple[str, str]:
    return code, _country_name(code)


def _http_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links: a ``javascript:`` URL survives escaping."""
    if url and urlsplit(url.strip()).scheme.lower() in {"http", "https"}:
        return url.strip()
    return None


@jinja2.pass_context
def _csrf(context: jinja2.runtime.Context) -> str:
    request: Request = context["request"]
    return csrf_token(request)


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=_when,
        cell=_cell,
        terms=license_terms,
        country_name=_country_name,
        country_option=_country_option,
        http_url=_http_url,
        shown=shown,
    )
    env.globals.update(
        csrf_token=_csrf,
        ARCHETYPES=ARCHETYPES,
        DATA_TYPES=DATA_TYPES,
        ACCESS_LABELS=ACCESS_LABELS,
        LICENSES=LICENSES,
        LICENSE_OPTIONS=[(code, code) for code in LICENSES],
        ACCESS_OPTIONS=[(level, level.capitalize()) for level in ACCESS_LABELS],
    )
    return Jinja2Templates(env=env)


def add_flash(request: Request, message: str) -> None:
    """A one-time notice shown on the next page (after a redirect)."""
    request.session[FLASH_KEY] = [*request.session.get(FLASH_KEY, []), message]


def alternate_link(url: str) -> dict[str, str]:
    return {"Link": f'<{url}>; rel="alternate"; type="application/json"'}


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    reader: Reader | None,
    status: int = 200,
    alternate: str | None = None,
) -> Response:
    """Render a page; ``alternate`` is the API URL serving the same result as JSON."""
    session = request.session if "session" in request.scope else {}
    signed_in = reader is not None and not reader.is_anonymous
    templates: Jinja2Templates = request.app.state.web_templates
    full = {
        "reader": reader,
        "signed_in": signed_in or bool(session.get("user_id")),
        "user_email": reader.email if reader is not None else None,
        "flashes": session.pop(FLASH_KEY, []),
        "path": request.url.path,
        **context,
    }
    headers = alternate_link(alternate) if alternate else None
    return templates.TemplateResponse(request, name, full, status_code=status, headers=headers)


def public_url(request: Request, base_url: str, path: str) -> str:
    """An absolute link for e-mail or copying: the node's ``base_url``, else this request's."""
    base = base_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base + path
