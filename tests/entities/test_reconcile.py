"""The reconciliation service as OpenRefine uses it, checked against the spec's JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from referencing import Registry
from referencing.jsonschema import DRAFT7

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service.records import create_entity

SCHEMAS = Path(__file__).parent / "reconcile_schemas"
TEKSTIL = "Текстиль Плюс ООО"  # noqa: RUF001 - Cyrillic on purpose
LEI = "5493001KJTIIGC8Y1R12"  # a valid LEI (ISO 17442 check digits)
FACILITIES = [
    {"kind": "facility", "name": "Dhaka Knit Composite Limited", "country": "BD",
     "address": "Plot 12, Road 4, Sector 7, Uttara", "city": "Dhaka"},
    {"kind": "facility", "name": "Dhaka Knitwear & Dyeing Pvt. Ltd.", "country": "BD",
     "address": "Tongi Industrial Area", "city": "Gazipur"},
    {"kind": "facility", "name": "广州华丽服装有限公司", "country": "CN",
     "address": "番禺区市桥街 88号", "city": "广州"},
    {"kind": "facility", "name": TEKSTIL, "country": "RU", "city": "Иваново"},
    {"kind": "facility", "name": "Saigon Apparel Joint Stock Company", "country": "VN",
     "city": "Ho Chi Minh City"},
    {"kind": "facility", "name": "Dhaka Knit Composite Limited", "country": "KH",
     "city": "Phnom Penh"},
    {"kind": "company", "name": "Harbor & Pine Holdings plc", "country": "GB",
     "identifiers": [{"scheme": "lei", "value": LEI}]},
    {"kind": "brand", "name": "Dhaka Knit Basics", "country": "GB"},
    {"kind": "facility", "name": "<script>alert('x')</script> Sewing", "country": "BD"},
]  # fmt: skip


SWAGGER_SECURITY = {
    "$comment": "Hand-written stand-in for the one definition of the Swagger 2 schema the "
    "manifest schema refers to (securityDefinitions/additionalProperties): basic or apiKey.",
    "definitions": {
        "securityDefinitions": {
            "additionalProperties": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["type"],
                        "properties": {"type": {"enum": ["basic"]}, "description": {}},
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "required": ["type", "name", "in"],
                        "properties": {
                            "type": {"enum": ["apiKey"]},
                            "name": {"type": "string"},
                            "in": {"enum": ["header", "query"]},
                            "description": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                ]
            }
        }
    },
}


def _registry() -> Registry:  # type: ignore[type-arg]
    resources = [("http://swagger.io/v2/schema.json", DRAFT7.create_resource(SWAGGER_SECURITY))]
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], DRAFT7.create_resource(schema)))
    return Registry().with_resources(resources)


def validate(instance: Any, schema_file: str) -> None:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    jsonschema.Draft7Validator(schema, registry=_registry()).validate(instance)


def invalid(instance: Any, schema_file: str) -> bool:
    try:
        validate(instance, schema_file)
    except jsonschema.ValidationError:
        return True
    return False


@pytest.fixture
def lcids(node: Node) -> dict[str, str]:
    made: dict[str, str] = {}
    with unit_of_work(node.sessions) as session:
        for number, fields in enumerate(FACILITIES):
            entity = create_entity(
                EntityCreate.model_validate(fields),
                actor=NODE_ADMIN,
                session=session,
                seed=f"test-{number}",
            )
            made[f"{fields['name']}|{fields['country']}"] = entity.lcid
    return made


def reconcile(client: TestClient, queries: dict[str, Any]) -> dict[str, Any]:
    validate(queries, "reconciliation-query-batch.json")  # what we send is a valid batch too
    response = client.post("/api/v1/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    validate(body, "reconciliation-result-batch.json")
    return body


def test_the_schemas_are_strict_enough_to_catch_a_bad_answer():
    assert invalid(
        {"q0": {"result": [{"id": "F1", "name": "x"}]}}, "reconciliation-result-batch.json"
    )
    assert invalid(
        {"versions": ["0.1"], "name": "x", "identifierSpace": "i", "schemaSpace": "s"},
        "manifest.json",
    )
    assert invalid({"result": [{"id": "x"}]}, "suggest-entities-response.json")
    extended = {"meta": [{"id": "p", "name": "P"}], "rows": {"x": {"p": [{"str": "a"}]}}}
    assert not invalid(extended, "data-extension-response.json")
    assert invalid({**extended, "rows": {"x": {"p": [{"str": 5}]}}}, "data-extension-response.json")


def test_manifest_follows_the_spec_and_points_to_entity_pages(client: TestClient):
    response = client.get("/api/v1/reconcile")
    assert response.status_code == 200
    manifest = response.json()
    validate(manifest, "manifest.json")
    assert "0.2" in manifest["versions"]
    assert [t["id"] for t in manifest["defaultTypes"]] == ["facility", "company", "brand"]
    assert manifest["view"]["url"] == "http://testserver/entities/{{id}}"
    assert manifest["preview"]["url"].endswith("/api/v1/reconcile/preview?id={{id}}")
    entity = manifest["suggest"]["entity"]
    assert client.get(entity["service_url"] + entity["service_path"]).status_code == 200


def test_manifest_as_jsonp_for_openrefine(client: TestClient):
    response = client.get("/api/v1/reconcile", params={"callback": "jQuery341_1700"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    text = response.text
    assert text.startswith("/**/jQuery341_1700(") and text.endswith(");")
    validate(json.loads(text[len("/**/jQuery341_1700(") : -2]), "manifest.json")


@pytest.mark.parametrize("callback", ["alert(1)//", "a b", "x;y", "1abc", ""])
def test_a_callback_that_is_not_an_identifier_is_refused(client: TestClient, callback: str):
    response = client.get("/api/v1/reconcile", params={"callback": callback})
    assert response.status_code == 400
    assert "callback" in response.json()["error"]["message"]


def test_messy_spellings_find_the_entity_with_a_match_flag(client: TestClient, lcids):
    body = reconcile(
        client,
        {
            "q0": {
                "query": "DHAKA KNIT COMPOSITE LTD.",
                "type": "facility",
                "properties": [{"pid": "country", "v": "Bangladesh"}],
            },
            "q1": {"query": "Saigon Apparel JSC", "type": "facility", "limit": 3},
            "q2": {"query": "Completely Unrelated Tannery", "type": "facility"},
        },
    )
    top = body["q0"]["result"][0]
    assert top["id"] == lcids["Dhaka Knit Composite Limited|BD"]
    assert top["match"] is True
    assert top["type"] == [{"id": "facility", "name": "Facility"}]
    assert all(not c["match"] for c in body["q0"]["result"][1:])
    assert [c["score"] for c in body["q0"]["result"]] == sorted(
        (c["score"] for c in body["q0"]["result"]), reverse=True
    )
    assert body["q1"]["result"][0]["id"] == lcids["Saigon Apparel Joint Stock Company|VN"]
    assert len(body["q1"]["result"]) <= 3
    assert not any(c["match"] for c in body["q2"]["result"])


def test_country_tells_namesakes_apart(client: TestClient, lcids):
    def top(country: str) -> dict[str, Any]:
        body = reconcile(
            client,
            {
                "q": {
                    "query": "Dhaka Knit Composite Limited",
                    "properties": [{"pid": "country", "v": country}],
                }
            },
        )
        return body["q"]["result"][0]  # type: ignore[no-any-return]

    assert top("KH")["id"] == lcids["Dhaka Knit Composite Limited|KH"]
    assert top("Bangladesh")["id"] == lcids["Dhaka Knit Composite Limited|BD"]
    assert top("BD")["match"] is True
    no_country = reconcile(client, {"q": {"query": "Dhaka Knit Composite Limited"}})["q"]
    assert {c["id"] for c in no_country["result"][:2]} == {
        lcids["Dhaka Knit Composite Limited|KH"],
        lcids["Dhaka Knit Composite Limited|BD"],
    }
    assert not any(c["match"] for c in no_country["result"])  # two equal namesakes: no auto-match


def test_names_match_across_scripts(client: TestClient, lcids):
    body = reconcile(
        client,
        {
            "zh": {"query": "Guangzhou Huali Fuzhuang Youxian Gongsi", "type": "facility"},
            "ru": {"query": "Tekstil Plyus OOO", "type": ["facility"]},
            "ru-script": {"query": "ТЕКСТИЛЬ ПЛЮС", "type": "facility"},
        },
    )
    assert body["zh"]["result"][0]["id"] == lcids["广州华丽服装有限公司|CN"]
    assert body["zh"]["result"][0]["name"] == "广州华丽服装有限公司"  # stored as given
    assert body["ru"]["result"][0]["id"] == lcids[f"{TEKSTIL}|RU"]
    assert body["ru-script"]["result"][0]["id"] == lcids[f"{TEKSTIL}|RU"]


def test_an_identifier_property_is_an_exact_match(client: TestClient, lcids):
    body = reconcile(
        client,
        {
            "by-lei": {
                "query": "HP Holdings",
                "type": "company",
                "properties": [{"pid": "identifier", "v": f"lei:{LEI.lower()}"}],
            },
            "bad-lei": {
                "query": "zzz",
                "properties": [{"pid": "identifier", "v": "lei:5493001KJTIIGC8Y1R13"}],
            },
            "no-scheme": {"query": "zzz", "properties": [{"pid": "identifier", "v": [LEI]}]},
        },
    )
    top = body["by-lei"]["result"][0]
    assert top["id"] == lcids["Harbor & Pine Holdings plc|GB"]
    assert top["match"] is True and top["score"] == 100
    assert body["bad-lei"]["result"] == []  # an invalid LEI matches nothing; the batch still runs
    assert body["no-scheme"]["result"][0]["id"] == top["id"]


def test_types_restrict_the_candidates(client: TestClient, lcids):
    body = reconcile(
        client,
        {
            "brand": {"query": "Dhaka Knit", "type": "brand"},
            "any": {"query": "Dhaka Knit", "limit": 10},
        },
    )
    assert [c["id"] for c in body["brand"]["result"]] == [lcids["Dhaka Knit Basics|GB"]]
    kinds = {t["id"] for c in body["any"]["result"] for t in c["type"]}
    assert kinds == {"facility", "brand"}


def test_get_and_json_bodies_answer_like_the_form(client: TestClient, lcids):
    queries = {"q0": {"query": "Dhaka Knitwear and Dyeing", "type": "facility"}}
    form = reconcile(client, queries)
    by_get = client.get("/api/v1/reconcile", params={"queries": json.dumps(queries)}).json()
    by_json = client.post("/api/v1/reconcile", json=queries).json()
    wrapped = client.post("/api/v1/reconcile", json={"queries": json.dumps(queries)}).json()
    assert form == by_get == by_json == wrapped
    assert form["q0"]["result"][0]["id"] == lcids["Dhaka Knitwear & Dyeing Pvt. Ltd.|BD"]
    jsonp = client.get(
        "/api/v1/reconcile", params={"queries": json.dumps(queries), "callback": "cb"}
    )
    assert jsonp.text == "/**/cb(" + json.dumps(form, ensure_ascii=False) + ");"


@pytest.mark.parametrize(
    ("queries", "expected"),
    [
        ("{not json", "queries: not valid JSON"),
        ("[]", "non-empty JSON object"),
        ("{}", "non-empty JSON object"),
    ],
)
def test_a_batch_that_is_not_one_is_a_400(client: TestClient, queries: str, expected: str):
    response = client.post("/api/v1/reconcile", data={"queries": queries})
    assert response.status_code == 400, response.text
    assert expected in response.json()["error"]["message"]


BAD_QUERIES = {
    "q7": ({"query": "x", "type": "factory"}, "queries.q7.type: unknown type 'factory'"),
    "q1": (
        {"query": "x", "properties": [{"pid": "colour", "v": "red"}]},
        "queries.q1.properties: unknown property 'colour'",
    ),
    "q2": (
        {"query": "x", "properties": [{"pid": "country", "v": "Atlantis"}]},
        "queries.q2.properties.country",
    ),
    "q3": ({"query": "x", "limt": 3}, "queries.q3.limt"),
    "q4": ({"query": "  "}, "queries.q4: give a query"),
    "q5": ({"query": "x", "limit": 0}, "queries.q5.limit"),
    "q6": ("Dhaka", "queries.q6"),
}


def test_a_bad_query_fails_alone_and_the_batch_answers(client: TestClient, lcids):
    """OpenRefine fails every row of a batch on a non-2xx answer: one bad query must not."""
    batch: dict[str, Any] = {key: query for key, (query, _) in BAD_QUERIES.items()}
    batch["good"] = {"query": "Dhaka Knitwear and Dyeing", "type": "facility"}
    response = client.post("/api/v1/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200, response.text
    body = response.json()
    validate(body, "reconciliation-result-batch.json")
    assert body["good"]["result"][0]["id"] == lcids["Dhaka Knitwear & Dyeing Pvt. Ltd.|BD"]
    assert "error" not in body["good"]
    for key, (_, expected) in BAD_QUERIES.items():
        assert body[key]["result"] == [], key
        assert body[key]["error"]["code"] == "invalid-query"
        assert expected in body[key]["error"]["message"], (key, body[key])


def test_a_body_that_is_neither_form_nor_json_is_refused(client: TestClient):
    response = client.post(
        "/api/v1/reconcile", content=b"queries", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    missing = client.post("/api/v1/reconcile", data={"query": "x"})
    assert missing.status_code == 422 and "queries" in missing.json()["error"]["message"]


def test_suggest_services_follow_the_spec(client: TestClient, lcids):
    entities = client.get("/api/v1/reconcile/suggest/entity", params={"prefix": "dhaka kn"}).json()
    validate(entities, "suggest-entities-response.json")
    found = {e["id"] for e in entities["result"]}
    assert lcids["Dhaka Knit Composite Limited|BD"] in found
    assert lcids["Saigon Apparel Joint Stock Company|VN"] not in found
    brands = client.get(
        "/api/v1/reconcile/suggest/entity", params={"prefix": "dhaka", "type": "brand"}
    ).json()
    assert [e["id"] for e in brands["result"]] == [lcids["Dhaka Knit Basics|GB"]]
    types = client.get("/api/v1/reconcile/suggest/type", params={"prefix": "fac"}).json()
    validate(types, "suggest-types-response.json")
    assert types["result"] == [{"id": "facility", "name": "Facility"}]
    props = client.get("/api/v1/reconcile/suggest/property", params={"prefix": "i"}).json()
    validate(props, "suggest-properties-response.json")
    assert [p["id"] for p in props["result"]] == ["identifier"]
    bad = client.get("/api/v1/reconcile/suggest/entity", params={"prefix": "x", "type": "shop"})
    assert bad.status_code == 422


def test_preview_is_escaped_html_and_unknown_ids_are_404(client: TestClient, lcids):
    lcid = lcids["<script>alert('x')</script> Sewing|BD"]
    response = client.get("/api/v1/reconcile/preview", params={"id": lcid.lower()})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert f"/entities/{lcid}" in response.text
    chinese = client.get(
        "/api/v1/reconcile/preview", params={"id": lcids["广州华丽服装有限公司|CN"]}
    )
    assert "广州华丽服装有限公司" in chinese.text
    assert (
        client.get("/api/v1/reconcile/preview", params={"id": "FBD0000000000X"}).status_code == 404
    )


def test_merged_entities_are_no_candidates_but_their_ids_preview(client: TestClient, node, lcids):
    from laborcommons.entities.schemas import MergeRequest
    from laborcommons.entities.service.merging import merge_entities

    kept = lcids["Dhaka Knit Composite Limited|BD"]
    gone = lcids["Dhaka Knitwear & Dyeing Pvt. Ltd.|BD"]
    with unit_of_work(node.sessions) as session:
        merge_entities(
            gone,
            MergeRequest(into=kept, reason="one site, two units"),
            actor=NODE_ADMIN,
            session=session,
        )
    body = reconcile(client, {"q": {"query": "Dhaka Knitwear & Dyeing Pvt. Ltd.", "limit": 10}})
    ids = [c["id"] for c in body["q"]["result"]]
    assert gone not in ids
    assert ids[0] == kept  # the merged entity's name now counts for the one it was merged into
    preview = client.get("/api/v1/reconcile/preview", params={"id": gone}).text
    assert f"/entities/{kept}" in preview and "Dhaka Knit Composite Limited" in preview
