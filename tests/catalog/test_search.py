"""Full-text search over datasets and organizations, with facets (docs/standards.md#search).

Every figure a reader sees (items, total, each facet count) comes after the access
decision: a hidden dataset must change none of them for an anonymous reader or an outsider.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.catalog.service.search import query_tokens
from laborcommons.cli.main import app as cli_app
from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org

HIDDEN_WORD = "Quokkasecret"


def search(client: TestClient, query: str, headers: dict[str, str] | None = None) -> Any:
    response = client.get(f"/api/v1/datasets?{query}", headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def slugs(page: dict[str, Any]) -> list[str]:
    return [item["slug"] for item in page["items"]]


def facet(page: dict[str, Any], name: str) -> dict[str, int]:
    return {entry["value"]: entry["count"] for entry in page["facets"][name]}


@pytest.fixture
def catalog(node: Node) -> Member:
    """Two organizations, open and discoverable datasets, and one hidden internal one."""
    make_org(node, "garment-union", countries=["BD", "KH"])
    make_org(node, "audit-hub", "compliance-aggregator", public_summary="Audits in Vietnam")
    owner = make_member(node, "owner@union.example", "garment-union")
    make_dataset(
        node,
        "wages-2024",
        "garment-union",
        access="open",
        license="CC-BY-4.0",
        title="Monthly pay survey",
        coverage=["BD"],
        keywords=["overtime"],
        period_start="2023-07-01",
        period_end="2024-06-30",
    )
    make_dataset(
        node,
        "audits",
        "audit-hub",
        access="public",
        license="CC-BY-NC-4.0",
        data_type="facility-compliance",
        title="Factory audits",
        coverage=["VN", "KH"],
        methodology="Unannounced visits",
        period_start="2024-01-01",
    )
    make_dataset(
        node,
        "cases",
        "garment-union",
        title=f"Case files {HIDDEN_WORD}",
        data_type="violations",
        coverage=["MM"],
        period_start="2019-01-01",
    )
    return owner


def test_coverage_keywords_and_organization_are_searched(
    client: TestClient, catalog: Member
) -> None:
    """The reported bug: q=Bangladesh found nothing though the dataset covers BD."""
    assert slugs(search(client, "q=Bangladesh")) == ["wages-2024"]
    assert slugs(search(client, "q=overtime")) == ["wages-2024"]
    assert slugs(search(client, "q=audit+hub")) == ["audits"]  # organization name
    assert slugs(search(client, "q=unannounced")) == ["audits"]  # methodology
    assert sorted(slugs(search(client, "q=Cambodia"))) == ["audits"]


def test_country_names_in_their_own_languages(client: TestClient, catalog: Member) -> None:
    assert slugs(search(client, "q=বাংলাদেশ")) == ["wages-2024"]  # Bengali for BD
    assert slugs(search(client, "q=Việt+Nam")) == ["audits"]
    assert slugs(search(client, "q=viet")) == ["audits"]  # accents folded, prefix
    assert slugs(search(client, "q=កម្ពុជា")) == ["audits"]  # Khmer for KH


def test_words_are_anded_and_the_last_is_a_prefix(client: TestClient, catalog: Member) -> None:
    assert slugs(search(client, "q=pay+survey")) == ["wages-2024"]
    assert slugs(search(client, "q=pay+surv")) == ["wages-2024"]
    assert slugs(search(client, "q=pay+audits")) == []


def test_title_outranks_body(client: TestClient, node: Node, catalog: Member) -> None:
    make_dataset(
        node,
        "b-notes",
        "audit-hub",
        access="open",
        license="CC0-1.0",
        title="Notes",
        description="mentions strikes once",
    )
    make_dataset(
        node, "a-strikes", "audit-hub", access="open", license="CC0-1.0", title="Strikes register"
    )
    assert slugs(search(client, "q=strikes")) == ["a-strikes", "b-notes"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "pay*",
        "*",
        "(pay",
        "pay)",
        "NEAR(pay survey)",
        "pay OR audits",
        "pay AND NOT x",
        "title:pay",
        "^pay",
        "pay -survey",
        "'",
        "a & b | !c",
        "pay:*",
        "\\",
        "{}",
        "x" * 3000,
        "\u0301",
        "a.b-c_d 1e5",
    ],
)
def test_no_input_is_fts_syntax(client: TestClient, catalog: Member, query: str) -> None:
    response = client.get("/api/v1/datasets", params={"q": query})
    assert response.status_code == 200, response.text
    orgs = client.get("/api/v1/organizations", params={"q": query})
    assert orgs.status_code == 200, orgs.text


def test_query_tokens_drop_operators() -> None:
    assert query_tokens('NEAR("pay" survey*) OR (x)') == ["near", "pay", "survey", "or", "x"]
    assert query_tokens("বাংলাদেশ") == ["বাংলাদেশ"]  # vowel signs stay inside the word


def test_column_names_and_dictionary_descriptions(
    client: TestClient, node: Node, catalog: Member, tmp_path: Path
) -> None:
    path = tmp_path / "pay.csv"
    path.write_text("hourly_wage,shift\n12.5,Zebranight\n13.0,day\n")
    ingest(node, "wages-2024", path)
    assert slugs(search(client, "q=hourly_wage")) == ["wages-2024"]
    assert slugs(search(client, "q=zebranight")) == []  # a row value, not metadata
    edited = client.patch(
        "/api/v1/datasets/wages-2024",
        json={"data_dictionary": {"shift": {"description": "Rota of the sewing line"}}},
        headers=catalog.headers,
    )
    assert edited.status_code == 200, edited.text
    assert slugs(search(client, "q=sewing+line")) == ["wages-2024"]


def test_metadata_and_organization_changes_reach_the_index(
    client: TestClient, catalog: Member
) -> None:
    edited = client.patch(
        "/api/v1/datasets/wages-2024",
        json={"keywords": ["piece-rate"], "coverage": ["IN"]},
        headers=catalog.headers,
    )
    assert edited.status_code == 200, edited.text
    assert slugs(search(client, "q=overtime")) == []
    assert slugs(search(client, "q=piece+rate")) == ["wages-2024"]
    assert slugs(search(client, "q=भारत")) == ["wages-2024"]  # Hindi for IN
    assert slugs(search(client, "q=Bangladesh")) == []


def test_facets_count_what_the_reader_may_discover(client: TestClient, catalog: Member) -> None:
    page = search(client, "")
    assert page["total"] == 2
    assert facet(page, "data_type") == {"working-conditions": 1, "facility-compliance": 1}
    assert facet(page, "access") == {"open": 1, "public": 1}
    assert facet(page, "license") == {"CC-BY-4.0": 1, "CC-BY-NC-4.0": 1}
    assert facet(page, "country") == {"BD": 1, "VN": 1, "KH": 1}
    assert facet(page, "organization") == {"garment-union": 1, "audit-hub": 1}
    assert facet(page, "archetype") == {"advocate": 1, "compliance-aggregator": 1}
    assert facet(page, "period") == {"2023": 1, "2024": 2}
    labels = {entry["value"]: entry["label"] for entry in page["facets"]["country"]}
    assert labels["BD"] == "Bangladesh"


def test_each_facet_counts_under_the_other_filters(client: TestClient, catalog: Member) -> None:
    page = search(client, "country=KH")
    assert slugs(page) == ["audits"]
    assert facet(page, "country") == {"BD": 1, "VN": 1, "KH": 1}  # own filter left out
    assert facet(page, "data_type") == {"facility-compliance": 1}
    both = search(client, "country=BD&country=Vietnam")
    assert sorted(slugs(both)) == ["audits", "wages-2024"]
    assert slugs(search(client, "period=2023")) == ["wages-2024"]
    assert slugs(search(client, "archetype=compliance-aggregator")) == ["audits"]
    assert slugs(search(client, "q=audits&access=open")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("data_type=wages", "data_type"),
        ("access=secret", "access"),
        ("archetype=cartel", "archetype"),
    ],
)
def test_values_outside_a_fixed_vocabulary_are_validation_errors(
    client: TestClient, catalog: Member, query: str, field: str
) -> None:
    # Enums in the OpenAPI document, checked by FastAPI: the envelope names the allowed values.
    response = client.get(f"/api/v1/datasets?{query}")
    assert response.status_code == 422, response.text
    [issue] = response.json()["error"]["details"]
    assert issue["location"][:2] == ["query", field] and issue["type"] == "literal_error"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("license=WTFPL", "license"),
        ("country=Atlantis", "country"),
        ("period=last-year", "period"),
        ("period=0000", "period"),
        ("period=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94", "period"),  # full-width digits
    ],
)
def test_unknown_filter_values_are_refused(
    client: TestClient, catalog: Member, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/datasets?{query}")
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["details"]["field"] == field
    assert field.replace("_", " ") in error["message"] or field in error["message"]


def test_hidden_dataset_counts_nowhere(client: TestClient, node: Node, catalog: Member) -> None:
    outsider = make_member(node, "someone@audit.example", "audit-hub")
    for headers in ({}, outsider.headers):
        found = search(client, f"q={HIDDEN_WORD}", headers)
        assert found["total"] == 0 and found["items"] == []
        assert all(not counts for counts in found["facets"].values())
        everything = search(client, "", headers)
        assert "cases" not in slugs(everything)
        assert "violations" not in facet(everything, "data_type")
        assert "MM" not in facet(everything, "country")
        assert "internal" not in facet(everything, "access")
        assert "2019" not in facet(everything, "period")
        assert facet(everything, "organization")["garment-union"] == 1
        assert search(client, "data_type=violations", headers)["total"] == 0
    own = search(client, f"q={HIDDEN_WORD}", catalog.headers)
    assert slugs(own) == ["cases"]
    assert facet(own, "country") == {"MM": 1}
    assert facet(search(client, "", catalog.headers), "data_type")["violations"] == 1


def test_organizations_are_searched_ranked_with_facets(client: TestClient, catalog: Member) -> None:
    found = client.get("/api/v1/organizations", params={"q": "vietnam"}).json()
    assert [o["slug"] for o in found["items"]] == ["audit-hub"]
    assert [
        o["slug"]
        for o in client.get("/api/v1/organizations", params={"q": "বাংলাদেশ"}).json()["items"]
    ] == ["garment-union"]
    registry = client.get("/api/v1/organizations").json()
    assert {e["value"]: e["count"] for e in registry["facets"]["archetype"]} == {
        "advocate": 1,
        "compliance-aggregator": 1,
    }
    assert {e["value"]: e["count"] for e in registry["facets"]["country"]} == {"BD": 1, "KH": 1}
    union = next(o for o in registry["items"] if o["slug"] == "garment-union")
    assert union["dataset_count"] == 1  # the hidden dataset is not counted
    assert client.get("/api/v1/organizations?archetype=cartel").status_code == 422
    assert client.get("/api/v1/organizations", params={"q": HIDDEN_WORD}).json()["total"] == 0


def test_reindex_rebuilds_every_document(node: Node, catalog: Member, client: TestClient) -> None:
    with node.engine.begin() as connection:
        from sqlalchemy import text

        connection.execute(text("DELETE FROM dataset_search"))
        connection.execute(text("DELETE FROM organization_search"))
    assert search(client, "q=Bangladesh")["total"] == 0
    result = CliRunner().invoke(cli_app, ["datasets", "reindex"], env=node_env(node))
    assert result.exit_code == 0, result.output
    assert "3 datasets" in result.output and "2 organizations" in result.output
    assert slugs(search(client, "q=Bangladesh")) == ["wages-2024"]


def node_env(node: Node) -> dict[str, str]:
    env = {"LABORCOMMONS_HOME": str(node.settings.home)}
    if node.settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = node.settings.database_url
    return env


def test_web_list_shows_facets_as_links(client: TestClient, catalog: Member) -> None:
    page = client.get("/datasets?q=survey")
    assert page.status_code == 200
    assert "Monthly pay survey" in page.text and "Factory audits" not in page.text
    assert 'href="?q=survey&amp;country=BD"' in page.text
    assert "Bangladesh (1)" in page.text or "Bangladesh</a> (1)" in page.text
    filtered = client.get("/datasets?country=KH")
    assert "Factory audits" in filtered.text and "Monthly pay survey" not in filtered.text
    hidden = client.get(f"/datasets?q={HIDDEN_WORD}")
    assert "Case files" not in hidden.text and "Myanmar" not in hidden.text


def test_web_registry_searches_organizations(client: TestClient, catalog: Member) -> None:
    page = client.get("/organizations?q=vietnam")
    assert page.status_code == 200
    assert "Audit Hub" in page.text and "Garment Union" not in page.text
