"""The access pages through the test client: forms, their errors, and what each side sees."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.access.models import AccessRequest, Grant
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org
from tests.web.steps import csrf_from, sign_in

CSV = "werk,lohn\nTextilwerk Süd,1450\nফ্যাক্টরি ঢাকা,8000\n"


@pytest.fixture
def owner(node: Node, client: TestClient) -> Member:
    make_org(node, "union")
    make_org(node, "ally")
    member = make_member(node, "owner@union.example", "union", "owner")
    make_dataset(node, "lohnlisten", "union", access="named", discoverable=True, title="Lohnlisten")
    upload = client.post(
        "/api/v1/datasets/lohnlisten/versions",
        files={"file": ("l.csv", CSV.encode())},
        headers=member.headers,
    )
    assert upload.status_code == 201
    return member


def count(node: Node, model: type) -> int:
    with unit_of_work(node.sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_grant_form_errors_rerender_and_write_nothing(
    node: Node, client: TestClient, owner: Member
) -> None:
    sign_in(client, owner)
    token = csrf_from(client, "/datasets/lohnlisten/access")
    form = {"csrf_token": token, "grantee_kind": "organization", "agreement": "V-1"}
    unknown = client.post("/datasets/lohnlisten/grants", data={**form, "grantee": "nobody-org"})
    assert unknown.status_code == 404 and "no organization &#39;nobody-org&#39;" in unknown.text
    backwards = client.post(
        "/datasets/lohnlisten/grants",
        data={**form, "grantee": "ally", "expires_at": "1999-01-01"},
    )
    assert backwards.status_code == 422 and "expire" in backwards.text
    assert 'value="ally"' in backwards.text  # the form keeps what was typed
    assert count(node, Grant) == 0
    no_token = client.post("/datasets/lohnlisten/grants", data={"grantee": "ally"})
    assert no_token.status_code == 403 and count(node, Grant) == 0
    done = client.post(
        "/datasets/lohnlisten/grants", data={**form, "grantee": "ally"}, follow_redirects=True
    )
    assert done.status_code == 200 and "Granted lohnlisten to organization ally" in done.text
    assert count(node, Grant) == 1
    api = client.get("/api/v1/datasets/lohnlisten/grants", headers=owner.headers).json()
    assert [g["grantee"] for g in api] == ["ally"]
    assert done.headers.get("link", "").startswith("</api/v1/datasets/lohnlisten/grants>")


def test_request_and_decide_on_the_web(node: Node, client: TestClient, owner: Member) -> None:
    asker = make_member(node, "asker@ally.example", "ally", "viewer")
    reader = TestClient(client.app)
    anonymous = reader.get("/datasets/lohnlisten/request-access")
    assert anonymous.status_code == 200 and "Sign in to ask" in anonymous.text
    sign_in(reader, asker)
    page = reader.get("/datasets/lohnlisten")
    assert "Request access" in page.text and "Textilwerk" not in page.text
    token = csrf_from(reader, "/datasets/lohnlisten/request-access")
    short = reader.post("/datasets/lohnlisten/request-access", data={"csrf_token": token})
    assert short.status_code == 422 and count(node, AccessRequest) == 0
    sent = reader.post(
        "/datasets/lohnlisten/request-access",
        data={"csrf_token": token, "purpose": "Tarifvergleich", "organization": "ally"},
        follow_redirects=True,
    )
    assert sent.status_code == 200 and "pending" in sent.text
    sign_in(client, owner)
    decide = client.get("/access-requests")
    assert "Tarifvergleich" in decide.text and "Approve request" in decide.text
    token = csrf_from(client, "/access-requests")
    request_id = client.get("/api/v1/datasets/lohnlisten/access-requests", headers=owner.headers)
    rid = request_id.json()[0]["id"]
    missing = client.post(f"/access-requests/{rid}/approve", data={"csrf_token": token})
    assert missing.status_code == 422 and "not approved" in missing.text
    assert count(node, Grant) == 0
    approved = client.post(
        f"/access-requests/{rid}/approve",
        data={
            "csrf_token": token,
            "agreement": "MoU-7",
            "expires_at": "2031-03-01",
            "grantee": "organization",
        },
        follow_redirects=True,
    )
    assert approved.status_code == 200 and "Approved request" in approved.text
    mine = reader.get("/access-requests")
    assert "approved" in mine.text
    assert "ফ্যাক্টরি ঢাকা" in reader.get("/datasets/lohnlisten").text
    outsider = make_member(node, "other@ally.example", "ally", "viewer")  # via the org grant
    third = TestClient(client.app)
    sign_in(third, outsider)
    assert "Textilwerk Süd" in third.get("/datasets/lohnlisten").text
    trail = client.get("/datasets/lohnlisten/audit?action=request.")
    assert trail.status_code == 200 and "request.approve" in trail.text
    assert "rows.preview" not in trail.text  # the filter works


def test_groups_page_creates_and_manages(node: Node, client: TestClient, owner: Member) -> None:
    assert client.get("/groups").status_code == 401
    sign_in(client, owner)
    token = csrf_from(client, "/groups")
    created = client.post(
        "/groups",
        data={"csrf_token": token, "slug": "frente-sur", "name": "Frente Sur", "owner": "union"},
        follow_redirects=True,
    )
    assert created.status_code == 200 and "Created group frente-sur" in created.text
    duplicate = client.post(
        "/groups", data={"csrf_token": token, "slug": "frente-sur", "name": "x", "owner": "union"}
    )
    assert duplicate.status_code == 422 and "already exists" in duplicate.text
    added = client.post(
        "/groups/frente-sur/members",
        data={"csrf_token": token, "organization": "ally"},
        follow_redirects=True,
    )
    assert "Remove ally" in added.text
    api = client.get("/api/v1/groups", headers=owner.headers).json()
    assert api[0]["members"] == ["ally", "union"]
    removed = client.post(
        "/groups/frente-sur/members/ally/remove", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Remove ally" not in removed.text
    stranger = make_member(node, "s@ally.example", "ally", "owner")
    other = TestClient(client.app)
    sign_in(other, stranger)
    token = csrf_from(other, "/groups")
    refused = other.post(
        "/groups/frente-sur/members", data={"csrf_token": token, "organization": "ally"}
    )
    assert refused.status_code == 403
