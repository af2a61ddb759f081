"""CKAN's action API over HTTP: each action answers GET (query string) and POST (a JSON
object, as ckanapi sends by default) at ``/api/3/action/<name>``; the app mounts this router
at ``/api/action`` too."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from laborcommons.access.deps import TokenOrBearerReaderDep
from laborcommons.catalog.ckan.actions import ACTIONS, Call, run_action
from laborcommons.catalog.ckan.envelope import success
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import BadRequest

router = APIRouter(tags=["ckan"], include_in_schema=False)


async def action_input(request: Request) -> dict[str, Any]:
    """The parameters: the query string, and on POST the JSON (or form) body over it."""
    data: dict[str, Any] = dict(request.query_params)
    if request.method != "POST":
        return data
    raw = await request.body()
    if not raw.strip():
        return data
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        form = await request.form()
        return {**data, **{k: v for k, v in form.items() if isinstance(v, str)}}
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadRequest(f"JSON Error: {error}") from None
    if not isinstance(body, dict):
        raise BadRequest("JSON Error: the body must be a JSON object of parameters")
    return {**data, **body}


InputDep = Annotated[dict[str, Any], Depends(action_input)]


def _endpoint(name: str) -> Callable[..., JSONResponse]:
    def endpoint(
        request: Request, data: InputDep, reader: TokenOrBearerReaderDep, session: SessionDep
    ) -> JSONResponse:
        base_url = str(request.base_url).rstrip("/")
        call = Call(data=data, reader=reader, session=session, base_url=base_url)
        return success(request, run_action(name, call))

    return endpoint


for _name, _action in ACTIONS.items():
    for _method in ("GET", "POST"):
        router.add_api_route(
            f"/{_name}",
            _endpoint(_name),
            methods=[_method],
            summary=f"CKAN {_name}: {(_action.run.__doc__ or '').split('(')[0].strip()}",
            name=f"ckan_{_name}_{_method.lower()}",
        )
