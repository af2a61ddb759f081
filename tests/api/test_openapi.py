"""The OpenAPI document is one generated clients can use (openapi-generator,
openapi-python-client) and schemathesis can hold the node to: valid, every operation named,
tagged and documented with the errors it really gives, in the envelope it really sends."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from laborcommons.api import create_app
from laborcommons.api.openapi import SIGN_IN_REQUIRED
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_member, make_org

Document = dict[str, Any]


def operations(document: Document) -> list[tuple[str, str, Document]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@pytest.fixture
def document(client: TestClient) -> Document:
    return dict(client.get("/api/v1/openapi.json").json())


def test_the_document_is_valid_openapi(document: Document) -> None:
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema


def test_every_operation_has_a_readable_unique_id_and_a_tag(document: Document) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z0-9][a-z0-9]*)*", op_id) for op_id in ids), ids
    assert {"listDatasets", "getDataset", "downloadVersion", "listEntityChanges"} <= set(ids)
    assert all(operation.get("tags") for _, _, operation in operations(document))


def test_every_error_answers_the_envelope_the_node_sends(
    document: Document, client: TestClient
) -> None:
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for _, path, operation in operations(document):
        errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        assert {"400", "422", "500"} <= set(errors), path
        for response in errors.values():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, path
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            assert "404" in errors, path
    refused = client.get("/api/v1/datasets", params={"page": 0}).json()
    assert set(refused) == {"error"} and set(refused["error"]) == {"code", "message", "details"}
    envelope = document["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["error"]


def test_security_is_optional_where_anonymous_reads_work_and_required_elsewhere(
    document: Document, client: TestClient, node: Node
) -> None:
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0")
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    found = {
        operation["operationId"]: (method, path, operation)
        for method, path, operation in operations(document)
    }
    assert found["listDatasets"][2]["security"] == [{}, {"bearer": []}]
    assert found["createDataset"][2]["security"] == [{"bearer": []}]
    assert "security" not in found["listLicenses"][2]
    for op_id in SIGN_IN_REQUIRED:
        method, path, operation = found[op_id]
        assert operation["security"] == [{"bearer": []}]
        url = path.replace("{slug}", "wages")
        assert client.request(method, url).status_code == 401, op_id
    for method, path, operation in operations(document):
        if method == "get" and operation.get("security") == [{}, {"bearer": []}]:
            url = path.replace("{slug}", "wages")
            if "{" not in url and not any(
                p.get("required") for p in operation.get("parameters", [])
            ):
                assert client.get(url).status_code != 401, path  # anonymous reads answer


def enum_of(schema: Document) -> list[str]:
    """The values of an enum, or of the enum an optional parameter's ``anyOf`` holds (for a
    repeatable parameter, its items')."""
    found = [schema, *schema.get("anyOf", [])]
    found += [s["items"] for s in found if "items" in s]
    return next(list(s["enum"]) for s in found if "enum" in s)


def test_closed_vocabularies_and_download_types_are_enums(document: Document) -> None:
    params = {
        (operation["operationId"], p["name"]): p["schema"]
        for _, _, operation in operations(document)
        for p in operation.get("parameters", [])
    }
    assert enum_of(params[("listDatasets", "access")]) == [
        "internal",
        "named",
        "group",
        "public",
        "open",
    ]
    assert "working-conditions" in enum_of(params[("listDatasets", "data_type")])
    assert "parquet" in enum_of(params[("downloadVersion", "format")])
    assert enum_of(params[("exportEntities", "format")]) == ["csv", "json", "geojson"]
    download = document["paths"]["/api/v1/datasets/{slug}/versions/{number}/download"]["get"]
    assert {"text/csv", "application/vnd.apache.parquet"} <= set(
        download["responses"]["200"]["content"]
    )
    assert "304" in download["responses"]
    assert "ETag" in download["responses"]["200"]["headers"]
    listed = document["paths"]["/api/v1/datasets"]["get"]["responses"]["200"]
    assert "Link" in listed["headers"]
    assert "Link" not in document["paths"]["/api/v1/datasets/{slug}"]["get"]["responses"][
        "200"
    ].get("headers", {})


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/datasets?access=opn", "access"),
        ("/api/v1/datasets?data_type=wages", "data_type"),
        ("/api/v1/organizations?archetype=union", "archetype"),
    ],
)
def test_an_unknown_vocabulary_value_is_refused_not_an_empty_list(
    client: TestClient, path: str, name: str
) -> None:
    refused = client.get(path)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid-input"
    assert f"query.{name}" in refused.json()["error"]["message"]


def test_an_unknown_format_is_still_a_clear_400(
    client: TestClient, node: Node, tmp_path: Path
) -> None:
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0")
    rows = tmp_path / "w.csv"
    rows.write_text("facility,wage\nDhaka Knit,120\n")
    ingest(node, "wages", rows)
    refused = client.get("/api/v1/datasets/wages/versions/1/download", params={"format": "docx"})
    assert refused.status_code == 400
    assert "csv" in refused.json()["error"]["message"]


GET_EXAMPLES = 250


@pytest.mark.slow
def test_every_get_answers_as_documented(node: Node, tmp_path: Path) -> None:
    """schemathesis' checks on each response: a documented status and content type, a body
    matching its schema, the declared headers, and never a 500."""
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0")
    rows = tmp_path / "wages.csv"
    rows.write_text("facility,country,wage\nDhaka Knit,BD,120.5\nSaigon Apparel,VN,99\n")
    ingest(node, "wages", rows)
    make_dataset(node, "cases", "union", access="internal")
    ingest(node, "cases", rows)
    owner = make_member(node, "owner@union.example", "union", "owner")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(node=node))
    gets = [r.ok() for r in schema.get_all_operations() if r.ok().method.upper() == "GET"]
    assert len(gets) >= 40
    strategy = st.one_of(*(operation.as_strategy() for operation in gets))
    from schemathesis import checks

    conformance = [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_headers_conformance,
        checks.response_schema_conformance,
    ]

    @settings(
        max_examples=GET_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=strategy, signed_in=st.booleans())
    def answers_as_documented(case: Any, signed_in: bool) -> None:
        case.call_and_validate(headers=owner.headers if signed_in else {}, checks=conformance)

    answers_as_documented()
