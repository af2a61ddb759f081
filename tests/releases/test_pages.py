"""The privacy page of a version, driven as a browser would (forms with CSRF tokens)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.releases.conftest import Org
from tests.web.steps import csrf_from, sign_in

PAGE = "/datasets/grievances/versions/{}/privacy"
API = "/api/v1/datasets/grievances/versions/{}/findings"


def finding_ids(client: TestClient, org: Org, number: int) -> dict[str, int]:
    body = client.get(API.format(number), headers=org.owner.headers).json()
    return {f["column"]: f["id"] for f in body["findings"]}


def post_resolve(client: TestClient, number: int, finding: int, **fields: str):
    token = csrf_from(client, PAGE.format(number))
    return client.post(
        f"/datasets/grievances/versions/{number}/findings/{finding}/resolve",
        data={"csrf_token": token, **fields},
        follow_redirects=False,
    )


def test_page_shows_findings_masked_and_links_its_json(
    client: TestClient, org: Org, grievances: str
):
    sign_in(client, org.owner)
    page = client.get(PAGE.format(1))
    assert page.status_code == 200
    assert 'rel="alternate"' in page.headers["link"] and API.format(1) in page.headers["link"]
    assert "r***@g***.com" in page.text and "rahima.begum@gmail.com" not in page.text
    assert page.text.count('name="csrf_token"') >= 4  # three findings and k-anonymity
    assert "this version is never shown to readers outside the organization" in page.text
    dataset = client.get("/datasets/grievances")
    assert 'href="/datasets/grievances/versions/1/privacy"' in dataset.text


def test_resolve_by_form_redirects_to_the_new_version(
    client: TestClient, org: Org, grievances: str
):
    ids = finding_ids(client, org, 1)
    sign_in(client, org.owner)
    done = post_resolve(client, 1, ids["email"], action="pseudonymize", domain="release-2025")
    assert done.status_code == 303 and done.headers["location"] == PAGE.format(2)
    page = client.get(PAGE.format(2))
    assert "Version 2: email resolved by pseudonymize." in page.text
    assert "pseudonymize of <code>email</code> (domain release-2025)" in page.text
    source = client.get(PAGE.format(1)).text
    assert re.search(r"Resolved: pseudonymize → <a [^>]*>version 2</a>", source)


def test_a_bad_form_is_shown_again_with_its_error_and_nothing_kept(
    client: TestClient, org: Org, grievances: str
):
    ids = finding_ids(client, org, 1)
    sign_in(client, org.owner)
    short = post_resolve(client, 1, ids["worker_name"], action="accept", justification="ok")
    assert short.status_code == 422 and "justification of at least 15" in short.text
    bad = post_resolve(
        client, 1, ids["phone"], action="generalize", hierarchy="arx", hierarchy_csv="x;*"
    )
    assert bad.status_code == 422 and "is not in" in bad.text
    assert (
        client.get("/api/v1/datasets/grievances/versions", headers=org.owner.headers).json()[-1][
            "version"
        ]
        == 1
    )
    why = "Names of union representatives who agreed in writing to be named."
    accepted = post_resolve(client, 1, ids["worker_name"], action="accept", justification=why)
    assert accepted.status_code == 303 and accepted.headers["location"] == PAGE.format(1)
    assert why in client.get(PAGE.format(1)).text


def test_kanon_form_with_an_uploaded_hierarchy_shows_the_report(
    client: TestClient, org: Org, grievances: str
):
    sign_in(client, org.owner)
    token = csrf_from(client, PAGE.format(1))
    hierarchy = (
        "Dhaka Knit Ltd;Dhaka;*\nChittagong Apparel;Chattogram;*\nGazipur Garments;Dhaka;*\n"
    )
    form = {
        "csrf_token": token,
        "quasi_identifiers": "factory, wage_bdt",
        "k": "3",
        "max_suppression": "0.1",
        "metric": "loss",
    }
    files = [
        ("hierarchy_files", ("grievances_hierarchy_factory.csv", hierarchy.encode(), "text/csv"))
    ]
    kept = client.post(
        "/datasets/grievances/versions/1/kanon", data=form, files=files, follow_redirects=False
    )
    assert kept.status_code == 422  # names, e-mails and phones would stay beside the classes
    assert "columns email, phone, worker_name" in kept.text and "direct identifiers" in kept.text
    response = client.post(
        "/datasets/grievances/versions/1/kanon",
        data={**form, "drop": "email, phone", "pseudonymize": "worker_name"},
        files=files,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert "k-anonymity report" in page.text and "<code>factory</code> level" in page.text
    wrong = client.post(
        "/datasets/grievances/versions/1/kanon",
        data={"csrf_token": token, "quasi_identifiers": "factory", "k": "3"},
        files=[("hierarchy_files", ("notes.csv", b"a;*", "text/csv"))],
        follow_redirects=False,
    )
    assert wrong.status_code == 422 and "notes.csv" in wrong.text


def test_forms_need_the_csrf_token_and_an_editor(
    client: TestClient, org: Org, grievances: str, node: Node
):
    ids = finding_ids(client, org, 1)
    sign_in(client, org.viewer)
    assert client.get(PAGE.format(1)).status_code == 403
    forged = client.post(
        f"/datasets/grievances/versions/1/findings/{ids['phone']}/resolve",
        data={"action": "drop"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    client.cookies.clear()
    assert client.get(PAGE.format(1)).status_code == 404  # anonymous: internal data is hidden
    assert finding_ids(client, org, 1)  # nothing was resolved
