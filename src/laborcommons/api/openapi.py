"""The OpenAPI document as generated clients need it, finished in one place.

FastAPI's document is right about paths, parameters and bodies, and wrong or silent about
the rest; this post-processor fixes that for every route at once, so routes stay thin:

- **Errors**: every error status an operation can give (derived from its shape: bearer →
  401, path parameters → 404, a body → 413, …) answers the real envelope, the
  ``ErrorEnvelope`` component. FastAPI's ``HTTPValidationError`` (``{"detail": […]}``) is
  not what the node sends and is removed.
- **Security**: the bearer scheme is optional (``[{}, {"bearer": []}]``) where an
  anonymous reader gets an answer, required where one is refused with 401.
- **operationIds** are the route's function name in camelCase (``listDatasets``), or a
  clearer name from ``OPERATION_IDS``; unique, and stable while the function keeps its name.
- **Enums** for each route's ``format`` and the media type each format is served as
  (``access``, ``data_type``, ``archetype`` and ``kind`` are ``Literal`` in the route
  signatures). The download routes keep ``format: str``: their own check answers an
  unknown format with a 400 naming the allowed ones, which a ``Literal`` would turn into
  a 422 of another shape.

The CKAN action API (``/api/3/action``) is not in this document on purpose: it speaks
CKAN's envelope and is described by CKAN's own documentation, which its clients
(``ckanapi``) follow. The reconciliation service is (``/api/v1/reconcile``), with its
W3C parameters; it accepts the extra parameters that spec lets clients add.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from laborcommons.api.errors import ErrorEnvelope
from laborcommons.catalog.service import EXPORT_FORMATS
from laborcommons.entities.service import EXPORT_FORMATS as ENTITY_EXPORT_FORMATS

BEARER = "bearer"
ENVELOPE_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
WRITES = {"post", "put", "patch", "delete"}
REFERENCES = {
    "dataset",
    "organization",
    "metric",
    "entity",
    "lcid",
    "id",
    "version",
    "group",
    "page",
}

OPERATION_IDS = {  # function name -> operationId, where the function's name is too terse
    "catalog_export": "exportCatalog",
    "choose": "chooseLicense",
    "me": "getMe",
    "list_sources": "listHarvestSources",
    "add_source": "addHarvestSource",
    "remove_source": "removeHarvestSource",
    "run_source": "runHarvestSource",
    "dataset_requests": "listDatasetAccessRequests",
    "my_requests": "listMyAccessRequests",
    "approve_request": "approveAccessRequest",
    "decline_request": "declineAccessRequest",
    "dataset_trail": "getDatasetAuditTrail",
    "verify_trail": "verifyAuditTrail",
    "changes": "listEntityChanges",
    "export": "exportEntities",
    "mapping_suggestions": "suggestEntityMappings",
    "review_queue": "listReviewCandidates",
    "review_bulk": "reviewCandidatesInBulk",
    "accept": "acceptCandidate",
    "reject": "rejectCandidate",
    "history": "getEntityHistory",
    "merge": "mergeEntities",
    "split": "splitEntity",
    "manifest_or_batch": "reconcile",
    "batch": "reconcileBatch",
    "preview": "previewReconciliation",
    "suggest_entity": "suggestEntities",
    "suggest_type": "suggestTypes",
    "suggest_property": "suggestProperties",
    "run_kanon": "runKAnonymity",
    "lineage": "getVersionLineage",
    "ask": "askQuestion",
    "question_log": "getQuestionLog",
    "publish": "publishAnswer",
    "metric_answers": "listMetricAnswers",
    "entity_evidence": "getEntityEvidence",
    "deviations": "listDeviations",
    "verify": "verifyAnswer",
    "attach": "attachFile",
    "list_mappings": "listMetricMappings",
    "create_mapping": "createMetricMapping",
}

SIGN_IN_REQUIRED = {  # reads refused to an anonymous reader (401), beside every write
    "listGroups",
    "listGrants",
    "listDatasetAccessRequests",
    "listMyAccessRequests",
    "getDatasetAuditTrail",
    "verifyAuditTrail",
    "listReviewCandidates",
    "listHarvestSources",
    "listTokens",
}
EXTRA_STATUSES = {  # what an operation's shape does not tell
    "askQuestion": {429},  # the reader's privacy budget is spent
    "reconcileBatch": {415},  # queries come as a form field or a JSON body, nothing else
}
ANONYMOUS_WRITES = {"reconcileBatch", "chooseLicense", "askQuestion"}  # POSTs that only read

FORMATS = {  # operationId -> format -> media type, for routes whose ?format= picks the body
    "downloadVersion": EXPORT_FORMATS,
    "exportEntities": ENTITY_EXPORT_FORMATS,
}
BODIES = {  # operationId -> the media types of a 200 FastAPI cannot see
    "downloadOriginal": ["*/*"],
    "downloadAttachment": ["*/*"],
    "getDataciteXml": ["application/xml"],
    "listMetrics": ["application/json", "text/turtle", "application/ld+json"],
    "getMetric": ["application/json", "text/turtle", "application/ld+json"],
    "listDeviations": ["application/json", "text/csv"],
}
MEANINGS = {
    400: "Bad request: an unknown query parameter (`details` names the unknown and allowed "
    "ones), or a value the route cannot use (an unknown format, column, or sort)",
    401: "Not authenticated: a missing (where required), invalid or revoked bearer token",
    403: "Forbidden: signed in, but this reader may not do this",
    404: "Not found: no such resource, or one hidden from this reader (answered alike)",
    409: "Conflict with the current state (a slug taken, a decision already made)",
    413: "Request body over the node's upload limit",
    415: "Unsupported media type of an uploaded file",
    422: "Invalid input: a parameter or body field fails validation, or an unknown body "
    "field; `details` lists each issue ({location, message, type})",
    429: "Too many requests: a budget is spent; `Retry-After` says when to try again",
    500: "Internal error (a bug, logged on the node)",
    503: "A key or the audit trail is unavailable on the node",
}


def operation_id(name: str) -> str:
    """``list_datasets`` → ``listDatasets``; ``OPERATION_IDS`` names the terse ones."""
    if name in OPERATION_IDS:
        return OPERATION_IDS[name]
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def error_statuses(method: str, operation: dict[str, Any], op_id: str) -> list[int]:
    """The error statuses an operation can answer, from its shape."""
    params = operation.get("parameters", [])
    statuses = {400, 422, 500}  # 400: every API route refuses unknown query parameters
    if any(p["in"] == "path" or p["name"] in REFERENCES for p in params):
        statuses.add(404)
    if operation.get("security"):
        statuses |= {401, 403}
    if method in WRITES:
        statuses |= {401, 403, 404, 409}
    if "requestBody" in operation:
        statuses.add(413)
        if "multipart/form-data" in operation["requestBody"].get("content", {}):
            statuses.add(415)
    statuses |= EXTRA_STATUSES.get(op_id, set())
    if any(p["in"] == "path" and p["name"] in ("slug", "number") for p in params):
        statuses.add(503)  # rows of an encrypted version need the node's keys
    return sorted(statuses)


def _document_errors(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status in error_statuses(method, operation, operation["operationId"]):
        phrase = HTTPStatus(status).phrase
        responses[str(status)] = {
            "description": MEANINGS.get(status, phrase),
            "content": {"application/json": {"schema": ENVELOPE_REF}},
        }
        if status == 401:
            responses["401"]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if status == 429:
            responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}


def _document_security(method: str, operation: dict[str, Any]) -> None:
    if not operation.pop("security", None):
        return
    op_id = operation["operationId"]
    required = op_id in SIGN_IN_REQUIRED or (method in WRITES and op_id not in ANONYMOUS_WRITES)
    operation["security"] = [{BEARER: []}] if required else [{}, {BEARER: []}]


def _document_parameters(operation: dict[str, Any]) -> None:
    formats = FORMATS.get(operation["operationId"])
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "format" and formats is not None:
            parameter["schema"] = {**parameter["schema"], "enum": list(formats)}


def _document_bodies(operation: dict[str, Any]) -> None:
    op_id = operation["operationId"]
    if any(p["name"] == "callback" for p in operation.get("parameters", [])):
        # the reconciliation spec's JSONP: ?callback=f wraps the JSON in a script
        content = operation["responses"]["200"].setdefault("content", {})
        content["application/javascript"] = {"schema": {"type": "string"}}
    formats = FORMATS.get(op_id)
    types = BODIES.get(op_id)
    if formats is not None:
        types = sorted({media.split(";")[0] for media in formats.values()})
    if types is None:
        return
    ok = operation["responses"].setdefault("200", {"description": "Successful Response"})
    ok["content"] = {media: {"schema": {}} for media in types}


def _document_validators(operation: dict[str, Any]) -> None:
    """Routes taking ``If-None-Match`` send an ETag and answer 304 to a client holding it."""
    if any(p["name"].lower() == "if-none-match" for p in operation.get("parameters", [])):
        etag = {"ETag": {"description": "weak (W/) when gzipped", "schema": {"type": "string"}}}
        operation["responses"]["200"].setdefault("headers", {}).update(etag)
        operation["responses"]["304"] = {"description": "Not modified: the ETag sent is current"}


def _document_next_link(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A page (a body with ``next``) also sends ``Link: <…>; rel="next"``."""
    ok = operation["responses"].get("200", {})
    ref = ok.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    if "next" in schemas.get(ref.rpartition("/")[2], {}).get("properties", {}):
        link = {"description": 'the next page, as `<url>; rel="next"`; absent on the last'}
        ok.setdefault("headers", {})["Link"] = {**link, "schema": {"type": "string"}}


def finish(document: dict[str, Any]) -> dict[str, Any]:
    """The post-processor: errors, security, enums and media types on every operation."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    envelope_schema = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(envelope_schema.pop("$defs", {}))
    schemas["ErrorEnvelope"] = envelope_schema
    schemes = components.setdefault("securitySchemes", {})
    http_bearer = schemes.pop("HTTPBearer", {"type": "http", "scheme": "bearer"})
    schemes[BEARER] = {**http_bearer, "bearerFormat": "lct_… API token"}
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            for requirement in operation.get("security", []):
                if "HTTPBearer" in requirement:
                    requirement[BEARER] = requirement.pop("HTTPBearer")
            operation["responses"] = {
                status: response
                for status, response in operation.get("responses", {}).items()
                if status != "422"
            }
            _document_security(method, operation)
            _document_parameters(operation)
            _document_bodies(operation)
            _document_validators(operation)
            _document_next_link(operation, schemas)
            _document_errors(method, operation)
            operation.setdefault("tags", [_tag(operation)])
    return document


def _tag(operation: dict[str, Any]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", operation["operationId"]).split()[-1].lower()


def unique_id(route: APIRoute) -> str:
    """FastAPI's ``generate_unique_id_function``: the operationId of a route (FastAPI
    warns, and the tests fail, if two routes would share one)."""
    return operation_id(route.name)


def install_openapi(app: FastAPI) -> None:
    """Serve the finished document, built once on its first request."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = finish(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
