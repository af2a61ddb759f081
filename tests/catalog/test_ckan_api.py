"""The CKAN action API: CKAN's envelope and error types, the access decision on every
count and facet, and CKAN's own client (ckanapi) and harvester calls against a live node."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckanapi
import pytest
from fastapi.testclient import TestClient

from laborcommons.api import create_app
from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_grant, make_member, make_org
from tests.live import serve

PREFIXES = ["/api/3/action", "/api/action"]
CSV = "facility,country,workers\nDhaka Knit,BD,1200\nSaigon Apparel,VN,850\n"


@dataclass
class World:
    owner: Member
    outsider: Member


@pytest.fixture
def world(node: Node, tmp_path: Path) -> World:
    make_org(node, "union", public_summary="A garment workers' union.")
    make_org(node, "rival")
    owner = make_member(node, "owner@union.example", "union", "owner")
    outsider = make_member(node, "owner@rival.example", "rival", "owner")
    rows = tmp_path / "rows.csv"
    rows.write_text(CSV, encoding="utf-8")
    wages = {"keywords": ["wages", "garment"], "coverage": ["BD"], "description": "Monthly wages"}
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0", **wages)
    ingest(node, "wages", rows)
    make_dataset(node, "cases", "union", keywords=["secret-tag"], license="ODbL-1.0")
    ingest(node, "cases", rows)
    make_dataset(node, "audits", "union", access="group", discoverable=True, keywords=["garment"])
    ingest(node, "audits", rows)
    make_dataset(node, "policies", "rival", access="public", license="CC-BY-NC-4.0")
    return World(owner=owner, outsider=outsider)


def raw(member: Member) -> dict[str, str]:
    """CKAN's header: the token alone, without ``Bearer``."""
    return {"Authorization": member.token}


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=" + response.url.path.split("/")[-1])
    return body["result"]


def failed(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"help", "success", "error"} and body["success"] is False
    assert body["error"]["__type"] == kind
    error: dict[str, Any] = body["error"]
    return error


def search(client: TestClient, headers: dict[str, str] | None = None, **params: Any) -> Any:
    return ok(client.post("/api/3/action/package_search", json=params, headers=headers or {}))


CALLS = [
    ("package_search", {"q": "wages"}),
    ("package_show", {"id": "union~wages"}),
    ("package_list", {}),
    ("organization_list", {}),
    ("organization_show", {"id": "union"}),
    ("resource_show", {"id": "union~wages~1~csv"}),
    ("license_list", {}),
    ("status_show", {}),
    ("help_show", {"name": "package_search"}),
]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(("action", "params"), CALLS)
def test_every_action_answers_in_ckans_envelope_by_get_and_post(
    client: TestClient, world: World, prefix: str, action: str, params: dict[str, str]
) -> None:
    by_get = ok(client.get(f"{prefix}/{action}", params=params))
    by_post = ok(client.post(f"{prefix}/{action}", json=params))
    assert by_get == by_post


def test_package_show_maps_the_dataset(client: TestClient, world: World) -> None:
    package = ok(client.get("/api/3/action/package_show", params={"id": "union_wages"}))
    assert package["id"] == "union~wages" and package["name"] == "union_wages"
    assert package["title"] == "Wages" and package["notes"] == "Monthly wages"
    assert package["license_id"] == "CC-BY-4.0" and package["isopen"] is True
    assert package["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["private"] is False and package["state"] == "active"
    assert package["organization"]["name"] == "union"
    assert package["organization"]["description"] == "A garment workers' union."
    assert [t["name"] for t in package["tags"]] == ["wages", "garment"]
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["access_level"] == "open" and extras["coverage"] == "BD"
    formats = [r["format"] for r in package["resources"]]
    assert formats == ["CSV", "JSON", "XLSX", "PARQUET"] and package["num_resources"] == 4
    csv = package["resources"][0]
    assert csv["url"].endswith("/api/v1/datasets/union~wages/versions/1/download?format=csv")
    assert client.get(csv["url"]).text.startswith("facility,country,workers")


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_hidden_dataset_answers_like_a_missing_one(
    client: TestClient, world: World, who: str, prefix: str
) -> None:
    headers = raw(world.outsider) if who == "outsider" else {}
    for action, hidden, missing in [
        ("package_show", "union~cases", "union~nothing"),
        ("package_show", "cases", "nothing"),
        ("package_show", "union_cases", "union_nothing"),
        ("resource_show", "union~cases~1~csv", "union~nothing~1~csv"),
    ]:
        for send in ("get", "post"):
            url = f"{prefix}/{action}"
            if send == "get":
                answers = [
                    client.get(url, params={"id": i}, headers=headers) for i in (hidden, missing)
                ]
            else:
                answers = [
                    client.post(url, json={"id": i}, headers=headers) for i in (hidden, missing)
                ]
            failed(answers[0], 404, "Not Found Error")
            assert answers[0].text.replace("cases", "nothing") == answers[1].text


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_hidden_datasets_count_nowhere(client: TestClient, world: World, who: str) -> None:
    headers = raw(world.outsider) if who == "outsider" else {}
    fields = ["organization", "tags", "license_id", "res_format"]
    result = search(client, headers, **{"facet.field": fields})
    assert result["count"] == 3
    assert sorted(p["name"] for p in result["results"]) == [
        "rival_policies",
        "union_audits",
        "union_wages",
    ]
    assert result["facets"]["organization"] == {"union": 2, "rival": 1}
    assert "secret-tag" not in result["facets"]["tags"]
    assert "ODbL-1.0" not in result["facets"]["license_id"]
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1, "PARQUET": 1, "XLSX": 1}
    items = result["search_facets"]["organization"]["items"]
    assert {"name": "union", "display_name": "Union", "count": 2} in items
    assert search(client, headers, q="secret")["count"] == 0
    assert search(client, headers, fq="tags:secret-tag")["count"] == 0
    names = ok(client.get("/api/3/action/package_list", headers=headers))
    assert names == ["rival_policies", "union_audits", "union_wages"]
    union = ok(
        client.post(
            "/api/3/action/organization_show",
            json={"id": "union", "include_datasets": True},
            headers=headers,
        )
    )
    assert union["package_count"] == 2
    assert sorted(p["name"] for p in union["packages"]) == ["union_audits", "union_wages"]
    orgs = ok(client.get("/api/3/action/organization_list?all_fields=true", headers=headers))
    assert {o["name"]: o["package_count"] for o in orgs} == {"rival": 1, "union": 2}


def test_the_owner_sees_and_counts_their_hidden_dataset(client: TestClient, world: World) -> None:
    for headers in (raw(world.owner), world.owner.headers):
        result = search(client, headers, **{"facet.field": ["tags", "license_id"]})
        assert result["count"] == 4
        assert result["facets"]["tags"]["secret-tag"] == 1
        assert result["facets"]["license_id"]["ODbL-1.0"] == 1
        package = ok(client.get("/api/3/action/package_show?id=cases", headers=headers))
        assert package["private"] is True and package["num_resources"] == 4
        orgs = ok(client.get("/api/3/action/organization_list?all_fields=true", headers=headers))
        assert {o["name"]: o["package_count"] for o in orgs} == {"rival": 1, "union": 3}


def test_a_discoverable_restricted_dataset_is_listed_without_downloads(
    client: TestClient, world: World
) -> None:
    package = ok(client.get("/api/3/action/package_show?id=union~audits"))
    assert package["private"] is True
    assert package["resources"] == [] and package["num_resources"] == 0
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["rows_readable"] == "false"
    assert extras["access_request_url"].endswith("/datasets/union~audits/request-access")
    failed(client.get("/api/3/action/resource_show?id=union~audits~1~csv"), 404, "Not Found Error")
    owned = ok(client.get("/api/3/action/package_show?id=union~audits", headers=raw(world.owner)))
    assert owned["num_resources"] == 4
    assert "access_request_url" not in {e["key"] for e in owned["extras"]}
    assert search(client, include_private=False)["count"] == 2


def test_a_grantee_gets_the_downloads_of_the_versions_granted(
    client: TestClient, world: World, node: Node, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    second = tmp_path / "second.csv"
    second.write_text(CSV + "Phnom Penh Sewing,KH,300\n", encoding="utf-8")
    make_dataset(node, "payslips", "union", access="named")
    ingest(node, "payslips", rows)
    ingest(node, "payslips", second)
    headers = raw(world.outsider)
    url = "/api/3/action/package_show?id=union~payslips"
    failed(client.get(url, headers=headers), 404, "Not Found Error")
    make_grant(node, "payslips", organization="rival", versions=[1])
    package = ok(client.get(url, headers=headers))
    assert {r["id"].split("~")[2] for r in package["resources"]} == {"1"}
    assert package["num_resources"] == 4
    refused = client.get("/api/3/action/resource_show?id=union~payslips~2~csv", headers=headers)
    failed(refused, 404, "Not Found Error")
    assert search(client, headers)["count"] == 4
    owner = ok(client.get(url, headers=raw(world.owner)))
    assert [r["id"] for r in owner["resources"]][:2] == [
        "union~payslips~2~csv",
        "union~payslips~2~json",
    ]


@pytest.mark.parametrize(
    ("fq", "names"),
    [
        ("organization:rival", ["rival_policies"]),
        ('organization:"union" tags:garment', ["union_audits", "union_wages"]),
        ("+tags:wages", ["union_wages"]),
        ("res_format:CSV", ["union_wages"]),
        ("license_id:cc-by-nc-4.0", ["rival_policies"]),
        ("organization:rival OR tags:wages", ["rival_policies", "union_wages"]),
        (
            "metadata_modified:[2000-01-01T00:00:00Z TO *]",
            ["rival_policies", "union_audits", "union_wages"],
        ),
        ("metadata_modified:[* TO 2000-01-01T00:00:00Z]", []),
        ("+dataset_type:dataset", ["rival_policies", "union_audits", "union_wages"]),
    ],
)
def test_fq_filters(client: TestClient, world: World, fq: str, names: list[str]) -> None:
    result = search(client, fq=fq, sort="name asc")
    assert [p["name"] for p in result["results"]] == names
    assert result["count"] == len(names)


def test_q_searches_text_keywords_coverage_and_organization(
    client: TestClient, world: World
) -> None:
    assert [p["name"] for p in search(client, q="MONTHLY")["results"]] == ["union_wages"]
    assert search(client, q="bd")["count"] == 1  # coverage
    assert search(client, q="rival")["count"] == 1  # organization
    assert search(client, q="garment")["count"] == 2  # keywords
    assert search(client, q="*:*")["count"] == 3


def test_rows_start_and_sort_page_through_results(client: TestClient, world: World) -> None:
    pages = [search(client, rows=1, start=s, sort="name desc")["results"] for s in range(4)]
    assert [p[0]["name"] for p in pages[:3]] == ["union_wages", "union_audits", "rival_policies"]
    assert pages[3] == []
    by_query_string = ok(client.get("/api/action/package_search?rows=2&start=1&sort=name+asc"))
    assert [p["name"] for p in by_query_string["results"]] == ["union_audits", "union_wages"]
    assert by_query_string["count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rows": 1001}, "rows"),
        ({"rows": "many"}, "rows"),
        ({"start": -1}, "start"),
        ({"sort": "popularity desc"}, "sort"),
        ({"fq": "groups:coalition"}, "fq"),
        ({"fq": "metadata_modified:2026"}, "fq"),
        ({"facet.field": '["maintainer"]'}, "facet.field"),
        ({"query": "wages"}, "query"),
    ],
)
def test_bad_or_unknown_parameters_are_validation_errors(
    client: TestClient, world: World, params: dict[str, Any], field: str
) -> None:
    for response in (
        client.get("/api/3/action/package_search", params=params),
        client.post("/api/3/action/package_search", json=params),
    ):
        error = failed(response, 409, "Validation Error")
        assert field in error and error["message"]


def test_unknown_parameters_are_refused_on_every_action(client: TestClient, world: World) -> None:
    error = failed(client.get("/api/3/action/status_show?verbose=1"), 409, "Validation Error")
    assert error["message"] == "status_show does not take verbose; it takes: none"
    assert ok(client.get("/api/3/action/status_show?_=1700000000"))["extensions"] == []


def test_errors_keep_ckans_types(client: TestClient, world: World) -> None:
    failed(client.get("/api/3/action/package_show"), 409, "Validation Error")
    failed(client.get("/api/3/action/organization_show?id=nobody"), 404, "Not Found Error")
    bad_token = {"Authorization": "not-a-token"}
    failed(client.get("/api/3/action/package_list", headers=bad_token), 403, "Authorization Error")
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}  # never silently read as anonymous
    failed(client.get("/api/3/action/package_list", headers=basic), 403, "Authorization Error")
    failed(client.post("/api/3/action/package_list", content=b"{oops"), 400, "Bad Request")
    failed(client.post("/api/3/action/package_list", json=[1]), 400, "Bad Request")
    failed(client.put("/api/3/action/package_list"), 405, "Error")


def test_license_list_and_status_show(client: TestClient) -> None:
    licenses = ok(client.get("/api/3/action/license_list"))
    by_id = {lic["id"]: lic for lic in licenses}
    assert by_id["CC-BY-4.0"]["od_conformance"] == "approved"
    assert by_id["CC-BY-NC-4.0"]["od_conformance"] == "not reviewed"
    status = ok(client.get("/api/action/status_show"))
    assert status["ckan_version"] == "2.10-compatible" and status["extensions"] == []
    assert status["site_title"] == "LaborCommons node"  # the node's name (settings)


def test_the_ckan_harvester_pages_changed_datasets(client: TestClient, world: World) -> None:
    """ckanext-harvest's CKAN harvester: GET package_search with fq on metadata_modified,
    rows and start, sorted by id, until a page comes back empty."""
    since = "2000-01-01T00:00:00Z"
    seen: list[str] = []
    start = 0
    while True:
        params = {
            "fq": f"metadata_modified:[{since} TO *]",
            "rows": "2",
            "start": str(start),
            "sort": "id asc",
        }
        page = ok(client.get("/api/3/action/package_search", params=params))["results"]
        if not page:
            break
        seen += [p["id"] for p in page]
        start += 2
    assert seen == ["rival~policies", "union~audits", "union~wages"]
    later = ok(
        client.get(
            "/api/3/action/package_search",
            params={"fq": "metadata_modified:[2999-01-01T00:00:00Z TO *]"},
        )
    )
    assert later["count"] == 0


@pytest.fixture
def live_url(node: Node) -> Iterator[str]:
    with serve(create_app(node=node)) as url:
        yield url


def test_ckanapi_reads_a_running_node(live_url: str, world: World) -> None:
    anonymous = ckanapi.RemoteCKAN(live_url, user_agent="laborcommons-tests")
    found = anonymous.action.package_search(q="wages", **{"facet.field": ["tags"]})
    assert found["count"] == 1 and found["results"][0]["name"] == "union_wages"
    assert found["facets"]["tags"] == {"garment": 1, "wages": 1}
    package = anonymous.action.package_show(id="union_wages")
    assert package["resources"][0]["format"] == "CSV"
    assert anonymous.action.organization_list() == ["rival", "union"]
    assert "CC-BY-4.0" in {lic["id"] for lic in anonymous.action.license_list()}
    assert anonymous.action.status_show()["ckan_version"] == "2.10-compatible"
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="union~cases")
    with pytest.raises(ckanapi.ValidationError):
        anonymous.action.package_search(rows=5000)
    owner = ckanapi.RemoteCKAN(live_url, apikey=world.owner.token, user_agent="laborcommons-tests")
    assert owner.action.package_show(id="union~cases")["num_resources"] == 4
    assert owner.action.package_search(fq="tags:secret-tag")["count"] == 1
