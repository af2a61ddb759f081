"""One error envelope for the API: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from laborcommons.api.http import allowed_methods
from laborcommons.core.errors import LaborCommonsError, TooManyRequests

logger = logging.getLogger("laborcommons.api")

HTTP_CODES = {400: "bad-request", 401: "not-authenticated", 403: "forbidden", 404: "not-found",
              405: "method-not-allowed", 409: "conflict", 413: "payload-too-large",
              415: "unsupported-media-type", 422: "invalid-input",
              429: "too-many-requests"}  # fmt: skip


class ErrorBody(BaseModel):
    code: str = Field(description="a stable kebab-case code, e.g. not-found, invalid-input")
    message: str = Field(description="one sentence for a person: what was wrong and where")
    details: Any = Field(
        default=None,
        description="more, when there is more: for invalid-input a list of issues "
        "({location, message, type}) or the unknown and allowed parameters",
    )


class ErrorEnvelope(BaseModel):
    """Every API error, whatever its status."""

    model_config = {
        "json_schema_extra": {
            "example": {
                "error": {
                    "code": "not-found",
                    "message": "no dataset 'wages'",
                    "details": None,
                }
            }
        }
    }
    error: ErrorBody


def envelope(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": jsonable_encoder(details)}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _validation_message(issues: list[dict[str, Any]]) -> str:
    """Unknown fields are named all at once (a typo is the likeliest cause); otherwise the
    first problem is told and ``details`` lists them all."""
    unknown = [
        ".".join(str(p) for p in i["location"]) for i in issues if i["type"] == "extra_forbidden"
    ]
    if unknown:
        return f"invalid request: unknown field(s) {', '.join(unknown)}"
    first = issues[0] if issues else {"location": [], "message": "invalid request"}
    where = ".".join(str(p) for p in first["location"])
    return f"invalid request: {where}: {first['message']}"


def install_error_handlers(
    app: FastAPI, html_renderer: Any = None, envelopes: dict[str, Any] | None = None
) -> None:
    """API paths get the JSON envelope; web paths get ``html_renderer`` when one is given;
    paths under a prefix of ``envelopes`` get that prefix's renderer (an API that speaks
    another standard's envelope, such as CKAN's action API)."""

    def render(request: Request, status: int, code: str, message: str, details: Any) -> Response:
        for prefix, renderer in (envelopes or {}).items():
            if request.url.path.startswith(prefix):
                other: Response = renderer(request, status, code, message, details)
                return other
        if not _is_api(request) and html_renderer is not None:
            response: Response = html_renderer(request, status, code, message)
            return response
        return envelope(status, code, message, details)

    @app.exception_handler(LaborCommonsError)
    async def domain_error(request: Request, error: LaborCommonsError) -> Response:
        if error.public_message is not None:
            # Operator faults (key files, corrupt objects) name paths and fingerprints:
            # those go to the server log, readers get the generic sentence.
            logger.error("%s: %s", error.code, error.message)
            return render(request, error.status_code, error.code, error.public_message, None)
        response = render(request, error.status_code, error.code, error.message, error.details)
        if isinstance(error, TooManyRequests):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        issues = [
            {"location": list(e.get("loc", [])), "message": e.get("msg"), "type": e.get("type")}
            for e in error.errors()
        ]
        return render(request, 422, "invalid-input", _validation_message(issues), issues)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> Response:
        # Starlette runs this in its outermost ServerErrorMiddleware: a 500 is a bug, so the
        # traceback goes to the log and the reader gets the envelope, never exception text.
        logger.error("internal error on %s %s", request.method, request.url.path, exc_info=error)
        return _internal_error_response(request, render)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(error.status_code, "http-error")
        response = render(request, error.status_code, code, str(error.detail), None)
        if error.status_code == 405:
            response.headers["Allow"] = ", ".join(
                allowed_methods(app.router.routes, request.url.path)
            )
        return response


INTERNAL_MESSAGE = "internal error"


def _internal_error_response(request: Request, render: Any) -> Response:
    """The envelope (API) or error page (web) for an unexpected exception.

    The error page is rendered outside every other middleware (no session, no reader): if
    even that fails, a bare HTML page still answers rather than a plain-text traceback.
    """
    try:
        response: Response = render(request, 500, "internal-error", INTERNAL_MESSAGE, None)
    except Exception:
        logger.exception("the error page itself failed")
        if _is_api(request):
            return envelope(500, "internal-error", INTERNAL_MESSAGE)
        return HTMLResponse(
            "<!doctype html><title>Internal error</title><h1>Internal error</h1>", status_code=500
        )
    return response
