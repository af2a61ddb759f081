"""Datasets made and prepared for publishing on the web: the new-dataset form, every
metadata field round-tripped through the edit form, the license chooser applied to a
dataset, the who-sees-what preview, and the publishing checklist (page and API)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from laborcommons.catalog.schemas import DatasetFields
from laborcommons.core.node import Node
from laborcommons.web.edit_pages import LABELS
from tests.factories import Member, ingest, make_dataset, make_grant, make_member, make_org
from tests.web.steps import csrf_from, form_fields, sign_in, write_csv

EDIT = "/datasets/wages/edit"
ADMIN: dict[str, str] = {}
CHOOSE_OPEN = (
    "/licenses/choose?dataset=wages&waive_all_rights=no&allow_commercial=yes"
    "&allow_modifications=yes&require_share_alike=no"
)
CHOOSE_NC = (
    "/licenses/choose?dataset=wages&waive_all_rights=no&allow_commercial=no"
    "&allow_modifications=yes&require_share_alike=no"
)


def post(client: TestClient, path: str, form_page: str, **data: Any) -> httpx.Response:
    token = csrf_from(client, form_page)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


@pytest.fixture(autouse=True)
def admin(node: Node) -> None:
    ADMIN.clear()
    ADMIN.update(make_member(node, "admin@node.example", admin=True).headers)


@pytest.fixture
def wages(node: Node, owner: Member, client: TestClient) -> str:
    make_dataset(node, "wages", "garment-union", title="Wages")
    sign_in(client, owner)
    return "wages"


def metadata(client: TestClient, slug: str = "wages") -> dict[str, Any]:
    """As the node admin sees it (the API reads tokens, not the page's session)."""
    response = client.get(f"/api/v1/datasets/{slug}", headers=ADMIN)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


# --- /datasets/new -------------------------------------------------------------------


def test_new_dataset_is_created_with_a_slug_from_its_title(
    client: TestClient, owner: Member
) -> None:
    sign_in(client, owner)
    assert 'href="/datasets/new"' in client.get("/datasets").text
    assert (
        'href="/datasets/new?organization=garment-union"'
        in client.get("/organizations/garment-union").text
    )
    response = post(
        client,
        "/datasets/new",
        "/datasets/new",
        organization="garment-union",
        title="Wage survey Dhaka 2025",
        slug="",
        data_type="working-conditions",
        description="Monthly wages.",
        methodology="Interviews at the gate.",
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/datasets/wage-survey-dhaka-2025"
    created = metadata(client, "wage-survey-dhaka-2025")
    assert created["organization"] == "garment-union"
    assert created["access"] == "internal"
    assert created["methodology"] == "Interviews at the gate."


def test_new_dataset_errors_sit_next_to_their_fields(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "wages", "garment-union")
    sign_in(client, owner)
    response = post(
        client,
        "/datasets/new",
        "/datasets/new",
        organization="garment-union",
        title="Wages",
        slug="wages",
        data_type="working-conditions",
    )
    assert response.status_code == 422
    assert 'id="slug-error"' in response.text
    assert "already exists" in response.text
    response = post(
        client,
        "/datasets/new",
        "/datasets/new",
        organization="garment-union",
        title="X y",
        slug="Bad Slug",
        data_type="",
    )
    assert response.status_code == 422
    assert 'id="slug-error"' in response.text and 'id="data_type-error"' in response.text


def test_new_dataset_needs_a_writing_role_and_a_csrf_token(
    client: TestClient, node: Node, owner: Member
) -> None:
    assert client.get("/datasets/new", follow_redirects=False).status_code in {303, 401}
    make_org(node, "other-org")
    reader = make_member(node, "viewer@union.example", "garment-union", "viewer")
    sign_in(client, reader)
    assert client.get("/datasets/new").status_code == 403
    assert 'href="/datasets/new"' not in client.get("/datasets").text
    sign_in(client, owner)
    response = post(
        client,
        "/datasets/new",
        "/datasets/new",
        organization="other-org",
        title="Theirs",
        slug="theirs",
        data_type="other",
    )
    assert response.status_code == 422
    assert 'id="organization-error"' in response.text
    refused = client.post(
        "/datasets/new",
        data={"organization": "garment-union", "title": "T", "slug": "tt", "data_type": "other"},
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/datasets/tt").status_code == 404


# --- every metadata field -------------------------------------------------------------

EDITED = {
    "title": "Wages 2025",
    "description": "Monthly wages by facility.",
    "data_type": "violations",
    "methodology": "Gate interviews.",
    "sample_description": "312 workers in 14 factories.",
    "unit_of_observation": "worker-month",
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "coverage": "BD, KH",
    "keywords": "wages, overtime",
    "license": "CC-BY-4.0",
    "access": "group",
    "discoverable": "yes",
    "contact": "data@union.example",
    "source": "Union survey",
    "citation": "Garment Union (2025). Wages.",
}


def test_every_metadata_field_is_on_the_edit_form(client: TestClient, wages: str) -> None:
    editable = set(DatasetFields.model_fields) - {"data_dictionary"}
    assert editable == set(LABELS)
    fields = form_fields(client.get(EDIT).text, EDIT)
    assert editable <= set(fields)


def test_every_metadata_field_round_trips(client: TestClient, wages: str) -> None:
    fields = form_fields(client.get(EDIT).text, EDIT)
    response = client.post(EDIT, data={**fields, **EDITED}, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = metadata(client)
    assert saved["coverage"] == ["BD", "KH"] and saved["keywords"] == ["wages", "overtime"]
    assert saved["license"]["id"] == "CC-BY-4.0" and saved["discoverable"] is True
    for name in set(EDITED) - {"coverage", "keywords", "license", "discoverable"}:
        assert saved[name] == EDITED[name], name
    again = form_fields(client.get(EDIT).text, EDIT)
    assert {k: again[k] for k in EDITED} == EDITED
    client.post(EDIT, data={**again, "discoverable": "no"}, follow_redirects=False)
    assert metadata(client)["discoverable"] is False


# --- license chooser → apply ----------------------------------------------------------


def test_the_chooser_applies_its_answer_to_the_dataset(client: TestClient, wages: str) -> None:
    assert 'href="/licenses/choose?dataset=wages"' in client.get(EDIT).text
    page = client.get(CHOOSE_OPEN)
    assert "Use this license for Wages" in page.text
    response = post(client, "/datasets/wages/license", CHOOSE_OPEN, license="CC-BY-4.0")
    assert response.status_code == 303
    assert response.headers["location"] == "/datasets/wages/edit#license"
    assert metadata(client)["license"]["id"] == "CC-BY-4.0"


def test_a_license_the_level_forbids_is_refused_with_the_rule(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "wages", "garment-union", title="Wages", access="open", license="CC0-1.0")
    sign_in(client, owner)
    response = post(client, "/datasets/wages/license", CHOOSE_NC, license="CC-BY-NC-4.0")
    assert response.status_code == 422
    assert "the `open` level needs an open license" in html.unescape(response.text)
    assert metadata(client)["license"]["id"] == "CC0-1.0"


def test_the_apply_button_is_only_for_editors(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(
        node, "wages", "garment-union", title="Wages", access="public", license="CC-BY-4.0"
    )
    assert "Use this license" not in client.get(CHOOSE_OPEN).text
    outsider = make_member(node, "viewer@union.example", "garment-union", "viewer")
    sign_in(client, outsider)
    assert "Use this license" not in client.get(CHOOSE_OPEN).text
    response = post(client, "/datasets/wages/license", CHOOSE_OPEN, license="CC0-1.0")
    assert response.status_code == 403


# --- who will see what ----------------------------------------------------------------


def preview_texts(page: str) -> dict[str, tuple[str, str]]:
    found = re.findall(
        r'id="access-(\w+)"[^>]*data-preview-discoverable="([^"]*)" data-preview-hidden="([^"]*)"',
        page,
    )
    return {level: (html.unescape(d), html.unescape(h)) for level, d, h in found}


def test_the_access_preview_counts_the_grants(client: TestClient, node: Node, wages: str) -> None:
    make_org(node, "legal-aid")
    make_org(node, "research-ngo")
    from tests.factories import make_group

    make_group(node, "coalition", "legal-aid")
    make_grant(node, "wages", organization="legal-aid")
    make_grant(node, "wages", organization="research-ngo")
    make_grant(node, "wages", group="coalition")
    make_grant(node, "wages", user="lawyer@firm.example", revoked=True)
    page = client.get(EDIT).text
    texts = preview_texts(page)
    assert texts["group"][0] == (
        "Anyone can find this dataset and read its title and description; only members of "
        "Garment Union and the 2 organizations and 1 group granted access can read rows."
    )
    assert "2 organizations granted access" in texts["named"][1]
    assert "group" not in texts["named"][1].split("Garment Union")[1]
    assert texts["internal"][1] == (
        "Only those who may read rows can find this dataset: only members of Garment Union. "
        "To everyone else it does not exist."
    )
    assert texts["open"][0] == texts["open"][1]
    assert "Anyone can find this dataset, read its rows" in texts["open"][0]
    shown = re.search(r'id="access-preview-text">([^<]*)<', page)
    assert shown and html.unescape(shown.group(1)) == texts["internal"][1]
    assert '<script src="/static/access-preview.js" defer></script>' in page
    assert client.get("/static/access-preview.js").status_code == 200


# --- the publishing checklist ---------------------------------------------------------


def checklist(client: TestClient, slug: str = "wages", **query: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/datasets/{slug}/checklist", params=query, headers=ADMIN)
    assert response.status_code == 200, response.text
    return {item["key"]: item for item in response.json()["items"]} | {"_": response.json()}


def test_missing_methodology_shows_until_it_is_written(
    client: TestClient, wages: str, node: Node, tmp_path: Path
) -> None:
    items = checklist(client)
    assert items["_"]["level"] == "open" and not items["_"]["ready"]
    assert not items["methodology"]["ok"] and not items["methodology"]["blocking"]
    assert items["license"]["blocking"] and not items["license"]["ok"]
    assert items["data_dictionary"]["link"] == "/datasets/wages/upload"
    page = client.get("/datasets/wages").text
    assert 'data-key="methodology"' in page and "Missing" in page
    fields = form_fields(client.get(EDIT).text, EDIT)
    client.post(EDIT, data={**fields, "methodology": "Gate interviews."})
    assert checklist(client)["methodology"]["ok"]
    assert 'class="checklist-item ok" data-key="methodology"' in client.get(EDIT).text


def test_the_checklist_asks_the_publishing_rules(
    client: TestClient, wages: str, node: Node, tmp_path: Path
) -> None:
    ingest(node, "wages", write_csv(tmp_path))
    fields = form_fields(client.get(EDIT).text, EDIT)
    response = client.post(
        EDIT,
        data={
            **fields,
            **{k: EDITED[k] for k in ("methodology", "sample_description", "coverage")},
            "license": "CC-BY-NC-4.0",
            "dictionary-0-description": "Facility name",
            "dictionary-1-description": "Country",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    items = checklist(client)
    assert not items["license"]["ok"]  # NC is not open
    assert "not open" in items["license"]["detail"]
    assert checklist(client, level="public")["license"]["ok"]
    assert not items["data_dictionary"]["ok"] and "workers" in items["data_dictionary"]["detail"]
    assert items["pii"]["ok"] and items["pii"]["link"] == "/datasets/wages/versions/1/privacy"
    assert items["coverage"]["ok"] and items["sample_description"]["ok"]
    # A level the checklist shows as missing an optional item is still accepted.
    assert checklist(client, level="public")["_"]["ready"]
    client.post(EDIT, data={**form_fields(client.get(EDIT).text, EDIT), "access": "public"})
    assert metadata(client)["access"] == "public"


def test_the_checklist_is_for_editors_and_hidden_datasets_stay_hidden(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "secret", "garment-union")
    make_dataset(node, "shown", "garment-union", discoverable=True)
    make_org(node, "other-org")
    outsider = make_member(node, "out@other.example", "other-org", "owner")
    assert client.get("/api/v1/datasets/secret/checklist").status_code == 404
    hidden = client.get("/api/v1/datasets/secret/checklist", headers=outsider.headers)
    missing = client.get("/api/v1/datasets/nothing/checklist", headers=outsider.headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"] == "no dataset 'secret'"
    foreign = client.get("/api/v1/datasets/shown/checklist", headers=outsider.headers)
    assert foreign.status_code == 403
    assert client.get("/api/v1/datasets/secret/checklist", headers=owner.headers).status_code == 200
    bad = client.get("/api/v1/datasets/secret/checklist?level=group", headers=owner.headers)
    assert bad.status_code == 422
    unknown = client.get("/api/v1/datasets/secret/checklist?x=1", headers=owner.headers)
    assert unknown.status_code == 400
    sign_in(client, outsider)
    assert "checklist" not in client.get("/datasets/shown").text


def test_a_hidden_dataset_is_never_named_by_the_chooser(
    client: TestClient, node: Node, owner: Member
) -> None:
    make_dataset(node, "secret", "garment-union", title="Secret Payroll")
    make_org(node, "other-org")
    outsider = make_member(node, "out@other.example", "other-org", "owner")
    page = CHOOSE_OPEN.replace("dataset=wages", "dataset=secret")
    assert "Secret Payroll" not in client.get(page).text  # anonymous
    sign_in(client, outsider)
    assert "Secret Payroll" not in client.get(page).text
    assert (
        client.get("/api/v1/datasets/secret/checklist", headers=outsider.headers).status_code == 404
    )
    sign_in(client, owner)
    assert "Use this license for Secret Payroll" in client.get(page).text
