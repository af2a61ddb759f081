"""Editing the data dictionary on the edit page: any column name, saved with the metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from laborcommons.core.node import Node
from laborcommons.web.dictionary_form import ColumnFields, dictionary_update, parse_dictionary
from tests.factories import Member, ingest, make_dataset, make_member
from tests.web.steps import csrf_from, form_fields, sign_in, table_rows, write_csv

PAYROLL_CSV = (
    'facility,wage [USD],"note ""quoted""",région\n'
    'Dhaka Knit Ltd,120.5,first,"Dhaka, BD"\n'
    'Phnom Penh Sewing,98.25,second,"Phnom Penh, KH"\n'
    'Saigon Apparel,101,third,"Dhaka, BD"\n'
)
EDIT = "/datasets/payroll/edit"


@pytest.fixture
def payroll(node: Node, owner: Member, tmp_path: Path) -> str:
    """A public dataset (restricted ones get no prefilled allowed values) whose column names
    need escaping, with one version."""
    make_dataset(
        node, "payroll", "garment-union", title="Payroll", access="public", license="CC-BY-NC-4.0"
    )
    ingest(node, "payroll", write_csv(tmp_path, PAYROLL_CSV, "payroll.csv"))
    return "payroll"


def index_of(form: dict[str, str], column: str) -> str:
    """The fieldset prefix the edit form gave ``column``."""
    [key] = [k for k, v in form.items() if k.endswith("-column") and v == column]
    assert re.fullmatch(r"dictionary-\d+-column", key), key
    return key.removesuffix("-column")


def saved_dictionary(client: TestClient, owner: Member) -> dict[str, dict[str, object]]:
    dataset = client.get("/api/v1/datasets/payroll", headers=owner.headers).json()
    return dict(dataset["data_dictionary"])


def test_dictionary_edits_round_trip_for_any_column_name(
    client: TestClient, owner: Member, payroll: str
):
    sign_in(client, owner)
    page = client.get(EDIT).text
    for name in re.findall(r'name="([^"]*)"', page):
        assert re.fullmatch(r"csrf_token|[a-z_]+|dictionary-\d+-[a-z_]+", name), name
    assert '<legend><code>wage [USD]</code> <span class="muted">(number)</span></legend>' in page
    assert "<code>note &#34;quoted&#34;</code>" in page
    form = form_fields(page, EDIT)
    wage, note, region = (index_of(form, c) for c in ["wage [USD]", 'note "quoted"', "région"])
    # Pre-filled by ingest, one per line: a value may hold a comma.
    assert form[f"{region}-allowed_values"] == "Dhaka, BD\nPhnom Penh, KH"

    form.update(
        {
            "title": "Payroll 2024",
            f"{wage}-description": " Monthly base wage ",
            f"{wage}-unit": "USD",
            f"{wage}-allowed_values": " 100\n\n 200 \r\n300\n100",
            f"{note}-description": "Free text",
        }
    )
    response = client.post(EDIT, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text

    saved = saved_dictionary(client, owner)
    assert saved["wage [USD]"] == {
        "description": "Monthly base wage",
        "unit": "USD",
        "allowed_values": ["100", "200", "300"],
    }
    assert saved['note "quoted"']["description"] == "Free text"
    assert saved["région"]["allowed_values"] == ["Dhaka, BD", "Phnom Penh, KH"]  # untouched
    assert (
        client.get("/api/v1/datasets/payroll", headers=owner.headers).json()["title"]
        == "Payroll 2024"
    )
    shown = {
        row[0]: row[1:] for row in table_rows(client.get("/datasets/payroll").text, "dictionary")
    }
    assert shown["wage [USD]"] == ["number", "Monthly base wage", "USD", "100, 200, 300"]
    again = form_fields(client.get(EDIT).text, EDIT)
    assert again[f"{wage}-allowed_values"] == "100\n200\n300"


def test_a_refused_edit_saves_nothing_and_keeps_what_was_typed(
    client: TestClient, owner: Member, payroll: str
):
    sign_in(client, owner)
    form = form_fields(client.get(EDIT).text, EDIT)
    wage = index_of(form, "wage [USD]")
    typed = {f"{wage}-description": "Typed wage note", f"{wage}-unit": "USD / month"}
    not_open = client.post(EDIT, data={**form, **typed, "access": "open"})
    assert not_open.status_code == 422
    assert "which is not open" in not_open.text
    kept = form_fields(not_open.text, EDIT)
    assert kept[f"{wage}-description"] == "Typed wage note"
    assert kept[f"{wage}-unit"] == "USD / month"

    ghost = {"dictionary-99-column": "ghost", "dictionary-99-description": "not a column"}
    unknown = client.post(EDIT, data={**form, **typed, **ghost})
    assert unknown.status_code == 422
    assert "the latest version does not have: [&#39;ghost&#39;]" in unknown.text
    assert 'href="#data_dictionary"' in unknown.text
    refilled = form_fields(unknown.text, EDIT)
    assert "ghost" not in refilled.values()  # the form fits the latest version again
    assert refilled[f"{wage}-description"] == "Typed wage note"
    assert saved_dictionary(client, owner)["wage [USD]"]["description"] == ""
    assert "ghost" not in saved_dictionary(client, owner)


def test_dictionary_posts_need_the_csrf_token_and_edit_rights(
    client: TestClient, node: Node, owner: Member, payroll: str
):
    sign_in(client, owner)
    form = form_fields(client.get(EDIT).text, EDIT)
    wage = index_of(form, "wage [USD]")
    form[f"{wage}-description"] = "Forged"
    forged = client.post(EDIT, data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    client.cookies.clear()
    viewer = make_member(node, "viewer@union.example", "garment-union", "viewer")
    sign_in(client, viewer)
    refused = client.post(EDIT, data={**form, "csrf_token": csrf_from(client, "/")})
    assert refused.status_code == 403
    assert saved_dictionary(client, owner)["wage [USD]"]["description"] == ""


def test_a_wide_dataset_can_still_be_saved(
    client: TestClient, node: Node, owner: Member, tmp_path: Path
):
    """Four fields a column would pass the usual 1,000-field form limit at 250 columns."""
    header = ",".join(f"q{n}" for n in range(300))
    make_dataset(node, "survey", "garment-union", title="Survey")
    ingest(node, "survey", write_csv(tmp_path, f"{header}\n{','.join(['1'] * 300)}\n"))
    sign_in(client, owner)
    form = form_fields(client.get("/datasets/survey/edit").text, "/datasets/survey/edit")
    assert len(form) > 1_200
    form[f"{index_of(form, 'q299')}-unit"] = "points"
    response = client.post("/datasets/survey/edit", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = client.get("/api/v1/datasets/survey", headers=owner.headers).json()
    assert saved["data_dictionary"]["q299"]["unit"] == "points"


def test_a_dataset_without_versions_shows_a_note_instead(
    client: TestClient, node: Node, owner: Member
):
    make_dataset(node, "case-files", "garment-union", title="Case files")
    sign_in(client, owner)
    page = client.get("/datasets/case-files/edit").text
    assert "Upload a version</a> to describe its columns" in page
    assert "dictionary-0" not in page


def test_parse_dictionary_reads_indexed_fieldsets_only():
    form = {
        "dictionary-10-column": "b",
        "dictionary-10-unit": "kg",
        "dictionary-2-column": "a",
        "dictionary-3-description": "no column",
        "dictionary-x-column": "c",
        "a": "raw names are not fields",
    }
    sent = parse_dictionary(FormData(list(form.items())))
    assert list(sent) == ["a", "b"]
    assert sent["b"] == ColumnFields(column="b", unit="kg")
    assert dictionary_update({}) is None  # no fieldsets: leave the dictionary alone


def test_allowed_values_are_one_per_line_so_an_edited_value_keeps_its_comma():
    # The walk-through's bug: editing the list split "Dhaka, BD" into "Dhaka" and "BD".
    edited = ColumnFields(column="city", allowed_values="Dhaka, BD\nPhnom Penh, KH\nHanoi, VN")
    assert edited.to_description().allowed_values == ["Dhaka, BD", "Phnom Penh, KH", "Hanoi, VN"]
    assert ColumnFields(column="x", allowed_values=" \n ").to_description().allowed_values == []
