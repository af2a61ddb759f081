"""A dataset editor learns nothing they may not know: who has an account, and approvals
that would silently give nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from laborcommons.access.models import AccessRequest, AuditRecord, Grant
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org
from tests.web.steps import csrf_from, sign_in

CSV = b"worker,wage\nA,100\nB,200\n"
ROWS = "/api/v1/datasets/{slug}/versions/1/rows"


def _setup(node: Node, client: TestClient, level: str = "named") -> Member:
    make_org(node, "union")
    owner = make_member(node, "w@union.example", "union", "owner")
    make_dataset(node, "wages", "union", access=level, discoverable=True)
    upload = client.post(
        "/api/v1/datasets/wages/versions", files={"file": ("w.csv", CSV)}, headers=owner.headers
    )
    assert upload.status_code == 201
    return owner


def _shape(body: dict[str, object]) -> dict[str, object]:
    """What may differ between two grants: ids, times and the e-mail itself."""
    varying = {"id", "grantee", "created_at", "starts_at"}
    return {k: v for k, v in body.items() if k not in varying}


def test_granting_to_an_email_answers_alike_with_or_without_an_account(
    client: TestClient, node: Node
) -> None:
    owner = _setup(node, client)
    make_member(node, "known@lawyers.example")
    url = "/api/v1/datasets/wages/grants"
    known = client.post(url, json={"user": "known@lawyers.example"}, headers=owner.headers)
    unknown = client.post(url, json={"user": "later@lawyers.example"}, headers=owner.headers)
    assert (known.status_code, unknown.status_code) == (201, 201)
    assert _shape(known.json()) == _shape(unknown.json())
    listed = client.get(url, headers=owner.headers).json()
    assert _shape(listed[0]) == _shape(listed[1])
    with unit_of_work(node.sessions) as session:
        trail = session.scalars(select(AuditRecord).where(AuditRecord.action == "grant.create"))
        details = [r.details for r in trail]
    assert [sorted(d) for d in details] == [sorted(details[0])] * 2
    assert all("grantee_user_id" not in d for d in details)


def test_a_waiting_grant_works_from_the_accounts_first_request(
    client: TestClient, node: Node
) -> None:
    owner = _setup(node, client)
    response = client.post(
        "/api/v1/datasets/wages/grants",
        json={"user": "Later@Lawyers.example", "agreement": "NDA-3"},
        headers=owner.headers,
    )
    assert response.status_code == 201 and response.json()["grantee"] == "later@lawyers.example"
    later = make_member(node, "later@lawyers.example")
    assert client.get(ROWS.format(slug="wages"), headers=later.headers).status_code == 200
    outsider = make_member(node, "other@lawyers.example")
    assert client.get(ROWS.format(slug="wages"), headers=outsider.headers).status_code == 403


def _pending_request(node: Node, client: TestClient) -> tuple[Member, int]:
    owner = _setup(node, client, level="internal")
    asker = make_member(node, "asker@ngo.example")
    asked = client.post(
        "/api/v1/datasets/wages/access-requests",
        json={"purpose": "wage-theft case"},
        headers=asker.headers,
    )
    assert asked.status_code == 201
    return owner, int(asked.json()["id"])


def _nothing_granted(node: Node, request_id: int) -> None:
    with unit_of_work(node.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Grant)) == 0
        request = session.get(AccessRequest, request_id)
        assert request is not None and request.status == "pending"


def test_approving_on_an_internal_dataset_is_refused_with_the_reason_api(
    client: TestClient, node: Node
) -> None:
    owner, request_id = _pending_request(node, client)
    response = client.post(
        f"/api/v1/access-requests/{request_id}/approve",
        json={"agreement": "DSA-1", "expires_at": "2031-01-01"},
        headers=owner.headers,
    )
    assert response.status_code == 409
    message = response.json()["error"]["message"]
    assert "members only" in message and "named" in message
    _nothing_granted(node, request_id)


def test_approving_on_an_internal_dataset_is_refused_with_the_reason_web(
    client: TestClient, node: Node
) -> None:
    owner, request_id = _pending_request(node, client)
    sign_in(client, owner)
    token = csrf_from(client, "/access-requests")
    response = client.post(
        f"/access-requests/{request_id}/approve",
        data={"agreement": "DSA-1", "expires_at": "2031-01-01", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "members only" in response.text and "a grant now gives access" not in response.text
    _nothing_granted(node, request_id)


def test_approving_on_an_internal_dataset_is_refused_with_the_reason_cli(
    client: TestClient, node: Node
) -> None:
    _owner, request_id = _pending_request(node, client)
    env = {"LABORCOMMONS_HOME": str(node.settings.home)}
    if node.settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = node.settings.database_url
    result = CliRunner().invoke(
        app,
        ["grants", "approve", str(request_id), "--agreement", "DSA-1", "--expires", "2031-01-01"],
        env=env,
    )
    assert result.exit_code == 5, result.output
    assert "members only" in " ".join(result.output.split())
    _nothing_granted(node, request_id)
