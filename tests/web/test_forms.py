"""The state-changing pages: sign-in, CSRF, uploads with their report, metadata edits,
and downloads through the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member
from tests.web.steps import BAD_CSV, CSV, csrf_from, sign_in, table_rows, upload_file, write_csv


@pytest.fixture
def case_files(node: Node, owner: Member) -> str:
    make_dataset(node, "case-files", "garment-union", title="Case files")
    return "case-files"


def versions(client: TestClient, owner: Member, slug: str) -> list[int]:
    response = client.get(f"/api/v1/datasets/{slug}/versions", headers=owner.headers)
    return [v["version"] for v in response.json()]


def test_wrong_password_is_401_and_signs_nobody_in(
    client: TestClient, owner: Member, case_files: str
):
    token = csrf_from(client, "/login")
    response = client.post(
        "/login", data={"email": owner.email, "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text
    assert 'value="owner@union.example"' in response.text
    assert client.get("/datasets/case-files").status_code == 404
    assert "Sign out" not in client.get("/").text


def test_sign_in_follows_local_next_only_and_sign_out_ends_it(
    client: TestClient, owner: Member, case_files: str
):
    token = csrf_from(client, "/login")
    form = {"email": owner.email, "password": owner.password, "csrf_token": token}
    response = client.post(
        "/login", data={**form, "next": "//evil.example/x"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "Signed in as owner@union.example." in client.get("/").text
    assert client.get("/datasets/case-files").status_code == 200
    token = csrf_from(client, "/")  # the sign-out form; the session got a fresh token
    assert token != form["csrf_token"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 200
    assert client.get("/datasets/case-files").status_code == 404

    client.cookies.clear()
    token = csrf_from(client, "/login?next=/datasets/case-files")
    assert (
        'name="next" value="/datasets/case-files"'
        in client.get("/login?next=/datasets/case-files").text
    )
    response = client.post(
        "/login",
        data={**form, "csrf_token": token, "next": "/datasets/case-files"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/datasets/case-files"


def test_posts_without_a_valid_csrf_token_are_403(
    client: TestClient, owner: Member, case_files: str
):
    login = {"email": owner.email, "password": owner.password}
    assert client.post("/login", data=login).status_code == 403
    assert client.post("/login", data={**login, "csrf_token": "forged"}).status_code == 403
    sign_in(client, owner)
    upload = client.post(
        "/datasets/case-files/upload",
        data={"csrf_token": "forged"},
        files={"file": ("a.csv", CSV.encode(), "text/csv")},
    )
    assert upload.status_code == 403
    assert versions(client, owner, "case-files") == []
    edit = client.post("/datasets/case-files/edit", data={"title": "Hacked"})
    assert edit.status_code == 403
    assert client.post("/logout").status_code == 403
    assert client.get("/datasets/case-files").status_code == 200  # still signed in
    assert "Hacked" not in client.get("/datasets/case-files").text


def test_upload_makes_a_version_and_shows_its_rows(
    client: TestClient, owner: Member, case_files: str
):
    sign_in(client, owner)
    response = upload_file(client, "case-files", "facilities.csv", CSV)
    assert response.status_code == 303
    assert response.headers["location"] == "/datasets/case-files"
    page = client.get("/datasets/case-files").text
    assert "Version 1: 3 rows" in page
    assert len(table_rows(page, "rows")) == 3
    assert "monthly update" in page
    assert "Version 1: 3 rows" not in client.get("/datasets/case-files").text  # shown once
    again = upload_file(client, "case-files", "same.csv", CSV)
    assert "no new version" in client.get(again.headers["location"]).text
    assert versions(client, owner, "case-files") == [1]


def test_a_bad_file_shows_its_report_and_creates_no_version(
    client: TestClient, owner: Member, case_files: str
):
    sign_in(client, owner)
    response = upload_file(client, "case-files", "broken.csv", BAD_CSV)
    assert response.status_code == 422
    report = table_rows(response.text, "report")
    assert [row[0] for row in report] == ["extra-cell", "missing-cell"]
    assert report[0][1] == "2"
    assert "No version was created" in response.text
    assert versions(client, owner, "case-files") == []
    token = csrf_from(client, "/datasets/case-files/upload")
    empty = client.post("/datasets/case-files/upload", data={"csrf_token": token})
    assert empty.status_code == 422 and "Choose a file" in empty.text


def test_only_editors_get_the_forms(client: TestClient, node: Node, owner: Member, case_files: str):
    make_dataset(node, "open-wages", "garment-union", access="open", license="CC-BY-4.0")
    anonymous = client.get("/datasets/open-wages/upload")
    assert anonymous.status_code == 401 and "/login?next=" in anonymous.text
    assert client.get("/datasets/case-files/edit").status_code == 404
    viewer = make_member(node, "viewer@union.example", "garment-union", "viewer")
    sign_in(client, viewer)
    assert client.get("/datasets/case-files").status_code == 200
    assert "Upload a new version" not in client.get("/datasets/case-files").text
    assert client.get("/datasets/case-files/upload").status_code == 403
    assert client.get("/datasets/case-files/edit").status_code == 403


def test_edit_saves_metadata(client: TestClient, owner: Member, case_files: str):
    sign_in(client, owner)
    token = csrf_from(client, "/datasets/case-files/edit")
    form = {
        "csrf_token": token,
        "title": "Grievance cases",
        "data_type": "violations",
        "access": "public",
        "license": "CC-BY-NC-4.0",
        "coverage": "bd, KHM",
        "keywords": "grievances, wages",
        "period_start": "2024-01-01",
    }
    response = client.post("/datasets/case-files/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    saved = client.get("/api/v1/datasets/case-files").json()
    assert saved["title"] == "Grievance cases" and saved["access"] == "public"
    assert saved["coverage"] == ["BD", "KH"] and saved["keywords"] == ["grievances", "wages"]
    assert saved["license"]["id"] == "CC-BY-NC-4.0" and saved["period_start"] == "2024-01-01"
    assert "Metadata saved." in client.get("/datasets/case-files").text


def test_edit_errors_are_shown_on_the_form_and_nothing_is_saved(
    client: TestClient, owner: Member, case_files: str
):
    sign_in(client, owner)
    token = csrf_from(client, "/datasets/case-files/edit")
    base = {"csrf_token": token, "title": "Changed title", "data_type": "violations"}
    unlicensed = client.post("/datasets/case-files/edit", data={**base, "access": "public"})
    assert unlicensed.status_code == 422
    assert "An unlicensed dataset cannot be made public" in unlicensed.text
    assert 'id="license" name="license" aria-invalid="true"' in unlicensed.text
    assert 'value="Changed title"' in unlicensed.text  # what was typed is kept
    bad_country = client.post(
        "/datasets/case-files/edit", data={**base, "access": "internal", "coverage": "XX"}
    )
    assert bad_country.status_code == 422 and "ISO 3166-1" in bad_country.text
    no_type = client.post(
        "/datasets/case-files/edit", data={**base, "data_type": "", "access": "internal"}
    )
    assert no_type.status_code == 422 and "data_type cannot be empty" in no_type.text
    assert client.get("/datasets/case-files").text.count("Changed title") == 0
    assert (
        client.get("/api/v1/datasets/case-files", headers=owner.headers).json()["title"]
        == "Case files"
    )


def test_session_download_of_restricted_rows(
    client: TestClient, node: Node, owner: Member, case_files: str, tmp_path: Path
):
    ingest(node, "case-files", write_csv(tmp_path))
    url = "/datasets/case-files/versions/1/download?format=csv"
    assert client.get(url).status_code == 404
    assert client.get("/api/v1" + url).status_code == 404  # the API wants a bearer token
    sign_in(client, owner)
    assert url in client.get("/datasets/case-files").text
    response = client.get(url)
    assert response.status_code == 200
    assert response.text.splitlines()[0] == "facility,country,workers"
    assert "case-files-v1.csv" in response.headers["content-disposition"]
    assert client.get(url.replace("csv", "xlsx")).status_code == 200
    assert client.get(url.replace("csv", "dbase")).status_code == 400
    assert list(node.tmp_dir.glob("export-*")) == []
