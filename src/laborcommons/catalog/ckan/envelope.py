"""CKAN's response envelope, ``{"help", "success", "result"}``, and its error form.

Errors keep CKAN's status codes and ``__type`` names, which ckanapi turns back into its
exceptions: 404 ``Not Found Error``, 403 ``Authorization Error`` (CKAN also answers a bad
token with 403), 409 ``Validation Error`` (with the field's messages, as CKAN does).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

PREFIXES = ("/api/3/action", "/api/action")


def help_url(request: Request, action: str) -> str:
    base = str(request.base_url).rstrip("/")
    return f"{base}/api/3/action/help_show?name={action}"


def _action_of(request: Request) -> str:
    return request.url.path.rstrip("/").rpartition("/")[2]


def success(request: Request, result: Any) -> JSONResponse:
    body = {"help": help_url(request, _action_of(request)), "success": True, "result": result}
    return JSONResponse(jsonable_encoder(body), headers={"Vary": "Authorization, Cookie"})


def _error(status: int, message: str, details: Any) -> tuple[int, dict[str, Any]]:
    if status == 404:
        return 404, {"__type": "Not Found Error", "message": f"Not found: {message}"}
    if status in {401, 403}:
        return 403, {"__type": "Authorization Error", "message": f"Access denied: {message}"}
    if status in {409, 422}:
        error: dict[str, Any] = {"__type": "Validation Error", "message": message}
        field = details.get("field") if isinstance(details, dict) else None
        if isinstance(field, str):
            error[field] = [message]
        return 409, error
    if status == 400:
        return 400, {"__type": "Bad Request", "message": f"Bad request: {message}"}
    return status, {"__type": "Internal Error" if status >= 500 else "Error", "message": message}


def ckan_error(
    request: Request, status: int, code: str, message: str, details: Any
) -> JSONResponse:
    """The error renderer ``install_error_handlers`` uses under ``PREFIXES``."""
    shown, error = _error(status, message, details)
    body = {"help": help_url(request, _action_of(request)), "success": False, "error": error}
    headers = {"Allow": "GET, POST"} if status == 405 else None
    return JSONResponse(jsonable_encoder(body), status_code=shown, headers=headers)
