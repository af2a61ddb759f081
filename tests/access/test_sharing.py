"""Groups, grants and access requests, driven through the API and the CLI."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.access import grants as grants_module
from laborcommons.access.models import AuditRecord, Grant
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_grant, make_group, make_member, make_org

CSV = "arbeiter,lohn,stadt\nŞükrü Yılmaz,1200,İstanbul\nNguyễn Thị Hoa,900,Hà Nội\n"  # noqa: RUF001 - dotless i
ROWS = "/api/v1/datasets/{slug}/versions/1/rows"


@pytest.fixture
def owner(node: Node, client: TestClient, tmp_path: Path) -> Member:
    for org in ("union", "legal-aid", "ally", "rival"):
        make_org(node, org)
    member = make_member(node, "owner@union.example", "union", "owner")
    for slug, level in (("payslips", "named"), ("grievances", "group"), ("cases", "internal")):
        make_dataset(node, slug, "union", access=level, discoverable=slug != "cases")
        upload = client.post(
            f"/api/v1/datasets/{slug}/versions",
            files={"file": ("löhne.csv", CSV.encode())},
            headers=member.headers,
        )
        assert upload.status_code == 201, upload.text
    return member


def actions(node: Node, slug: str | None = None) -> list[str]:
    with unit_of_work(node.sessions) as session:
        query = select(AuditRecord.action).order_by(AuditRecord.seq)
        return list(session.scalars(query))


def test_expired_grant_stops_at_once(
    node: Node, client: TestClient, owner: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    lawyer = make_member(node, "abogada@legal-aid.example", "legal-aid", "viewer")
    make_grant(node, "payslips", organization="legal-aid", expires_at=utcnow() + timedelta(hours=1))
    assert client.get(ROWS.format(slug="payslips"), headers=lawyer.headers).status_code == 200
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(grants_module, "utcnow", lambda: later)
    response = client.get(ROWS.format(slug="payslips"), headers=lawyer.headers)
    assert response.status_code == 403  # discoverable: the rows, not the dataset, are refused
    assert "ask its owner" in response.json()["error"]["message"]
    listed = client.get("/api/v1/datasets/payslips/grants", headers=owner.headers).json()
    assert [g["state"] for g in listed] == ["expired"]


def test_revoked_grant_and_removed_group_member_stop_at_once(
    node: Node, client: TestClient, owner: Member
) -> None:
    make_group(node, "coalition", owner="union", members=("ally",))
    ally = make_member(node, "g@ally.example", "ally", "viewer")
    user = make_member(node, "periodista@rival.example", "rival", "viewer")
    make_grant(node, "grievances", group="coalition")
    grant_id = make_grant(node, "payslips", user="periodista@rival.example")
    assert client.get(ROWS.format(slug="grievances"), headers=ally.headers).status_code == 200
    assert client.get(ROWS.format(slug="payslips"), headers=user.headers).status_code == 200
    revoked = client.post(f"/api/v1/grants/{grant_id}/revoke", headers=owner.headers)
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert client.get(ROWS.format(slug="payslips"), headers=user.headers).status_code == 403
    removed = client.delete("/api/v1/groups/coalition/members/ally", headers=owner.headers)
    assert removed.status_code == 200 and removed.json()["members"] == ["union"]
    assert client.get(ROWS.format(slug="grievances"), headers=ally.headers).status_code == 403
    assert {"grant.revoke", "group.member-remove"} <= set(actions(node))


def test_group_grant_is_dormant_below_group_level(
    node: Node, client: TestClient, owner: Member
) -> None:
    make_group(node, "coalition", owner="union", members=("ally",))
    ally = make_member(node, "g@ally.example", "ally", "viewer")
    make_grant(node, "payslips", group="coalition")
    assert client.get(ROWS.format(slug="payslips"), headers=ally.headers).status_code == 403
    grants = client.get("/api/v1/datasets/payslips/grants", headers=owner.headers).json()
    assert grants[0]["state"] == "active" and grants[0]["effective"] is False
    moved = client.patch(
        "/api/v1/datasets/payslips", json={"access": "group"}, headers=owner.headers
    )
    assert moved.status_code == 200
    assert client.get(ROWS.format(slug="payslips"), headers=ally.headers).status_code == 200
    with unit_of_work(node.sessions) as session:
        level = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "dataset.level")
        ).one()
        assert level.details == {"slug": "payslips", "from": "named", "to": "group"}
        assert level.actor == "owner@union.example"


def test_group_membership_is_managed_by_the_owner_orgs_owners(
    node: Node, client: TestClient, owner: Member
) -> None:
    editor = make_member(node, "e@union.example", "union", "editor")
    rival = make_member(node, "r@rival.example", "rival", "owner")
    body = {"slug": "koalisyon", "name": "Koalisyon Ücret", "owner": "union"}
    assert client.post("/api/v1/groups", json=body).status_code == 401
    assert client.post("/api/v1/groups", json=body, headers=editor.headers).status_code == 403
    assert client.post("/api/v1/groups", json=body, headers=rival.headers).status_code == 403
    created = client.post("/api/v1/groups", json=body, headers=owner.headers)
    assert created.status_code == 201 and created.json()["members"] == ["union"]
    again = client.post("/api/v1/groups", json=body, headers=owner.headers)
    assert again.status_code == 409
    path = "/api/v1/groups/koalisyon/members/ally"
    assert client.put(path, headers=rival.headers).status_code == 403
    assert client.put(path, headers=owner.headers).json()["members"] == ["ally", "union"]
    assert client.put("/api/v1/groups/nope/members/ally", headers=owner.headers).status_code == 404
    assert (
        client.put("/api/v1/groups/koalisyon/members/nope", headers=owner.headers).status_code
        == 404
    )
    owner_leaves = client.delete("/api/v1/groups/koalisyon/members/union", headers=owner.headers)
    assert owner_leaves.status_code == 409
    assert client.get("/api/v1/groups").status_code == 401
    assert [g["slug"] for g in client.get("/api/v1/groups", headers=rival.headers).json()] == [
        "koalisyon"
    ]


def test_bad_grants_are_refused_with_reasons(node: Node, client: TestClient, owner: Member) -> None:
    url = "/api/v1/datasets/payslips/grants"
    two = client.post(url, json={"organization": "ally", "group": "x"}, headers=owner.headers)
    assert two.status_code == 422 and "exactly one grantee" in two.json()["error"]["message"]
    none = client.post(url, json={"agreement": "A-1"}, headers=owner.headers)
    assert none.status_code == 422
    backwards = client.post(
        url,
        json={"organization": "ally", "starts_at": "2026-05-01", "expires_at": "2026-04-30"},
        headers=owner.headers,
    )
    assert backwards.status_code == 422 and "expires_at" in backwards.text
    not_email = client.post(url, json={"user": "nobody"}, headers=owner.headers)
    assert not_email.status_code == 422 and "user" in not_email.text
    naive = client.post(
        url,
        json={
            "organization": "ally",
            "agreement": "Vertrag Nº 5",
            "expires_at": "2030-01-01T00:00",
        },
        headers=owner.headers,
    )
    assert naive.status_code == 201
    assert naive.json()["expires_at"].startswith("2030-01-01T00:00:00")
    assert naive.json()["expires_at"].endswith(("Z", "+00:00"))
    hidden = client.post("/api/v1/datasets/cases/grants", json={"organization": "ally"}, headers={})
    assert hidden.status_code == 404
    with unit_of_work(node.sessions) as session:
        assert len(list(session.scalars(select(Grant)))) == 1  # nothing half-written


def test_request_approve_read_flow(node: Node, client: TestClient, owner: Member) -> None:
    reader = make_member(node, "investigadora@rival.example", "rival", "viewer")
    url = "/api/v1/datasets/payslips/access-requests"
    body = {"purpose": "Étude des salaires — 工资研究", "organization": "rival"}
    assert client.post(url, json=body).status_code == 401
    hidden = client.post(
        "/api/v1/datasets/cases/access-requests", json=body, headers=reader.headers
    )
    assert hidden.status_code == 404
    not_member = client.post(url, json={**body, "organization": "ally"}, headers=reader.headers)
    assert not_member.status_code == 403
    created = client.post(url, json=body, headers=reader.headers)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert created.json()["status"] == "pending"
    assert client.post(url, json=body, headers=reader.headers).status_code == 409
    assert client.get(url, headers=reader.headers).status_code == 403
    assert [r["id"] for r in client.get(url, headers=owner.headers).json()] == [request_id]
    approve = f"/api/v1/access-requests/{request_id}/approve"
    decision = {"agreement": "MoU 2026/3", "expires_at": "2027-01-31T00:00:00Z"}
    assert client.post(approve, json=decision, headers=reader.headers).status_code == 403
    assert client.post(approve, json={"agreement": "x"}, headers=owner.headers).status_code == 422
    approved = client.post(
        approve, json={**decision, "grantee": "organization"}, headers=owner.headers
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["grant_id"]
    assert client.post(approve, json=decision, headers=owner.headers).status_code == 409
    mine = client.get("/api/v1/access-requests", headers=reader.headers).json()
    assert [(r["status"], r["dataset"]) for r in mine] == [("approved", "payslips")]
    rows = client.get(ROWS.format(slug="payslips"), headers=reader.headers)
    assert (
        rows.status_code == 200
        and rows.json()["rows"][0]["arbeiter"] == CSV.split("\n")[1].split(",")[0]
    )
    grant = client.get("/api/v1/datasets/payslips/grants", headers=owner.headers).json()[0]
    assert (grant["grantee_kind"], grant["grantee"]) == ("organization", "rival")
    assert grant["purpose"] == body["purpose"] and grant["agreement"] == "MoU 2026/3"
    again = client.post(url, json=body, headers=reader.headers)
    assert again.status_code == 409 and "already read" in again.json()["error"]["message"]
    trail = client.get("/api/v1/datasets/payslips/audit", headers=owner.headers).json()
    kinds = [r["action"] for r in trail["items"]]
    assert kinds[:4] == ["rows.read", "request.approve", "grant.create", "request.create"]
    assert trail["items"][1]["purpose"] == body["purpose"]


def test_decline_with_a_note_both_sides_see(node: Node, client: TestClient, owner: Member) -> None:
    reader = make_member(node, "x@rival.example", "rival", "viewer")
    created = client.post(
        "/api/v1/datasets/grievances/access-requests",
        json={"purpose": "curiosity"},
        headers=reader.headers,
    ).json()
    decline = f"/api/v1/access-requests/{created['id']}/decline"
    assert client.post(decline, json={"note": ""}, headers=owner.headers).status_code == 422
    declined = client.post(
        decline, json={"note": "Kein Vertrag — no agreement"}, headers=owner.headers
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    mine = client.get("/api/v1/access-requests", headers=reader.headers).json()
    assert mine[0]["note"] == "Kein Vertrag — no agreement" and mine[0]["decided_by"]
    assert client.get(ROWS.format(slug="grievances"), headers=reader.headers).status_code == 403
    assert client.post(decline, json={"note": "twice"}, headers=owner.headers).status_code == 409
    assert (
        client.post(
            "/api/v1/access-requests/999/decline", json={"note": "n"}, headers=owner.headers
        ).status_code
        == 404
    )
    assert "request.decline" in actions(node)


def test_cli_manages_groups_grants_requests_and_trail(
    node: Node, client: TestClient, owner: Member
) -> None:
    runner = CliRunner()
    env = {"LABORCOMMONS_HOME": str(node.settings.home)}
    if node.settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = node.settings.database_url

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    ally = make_member(node, "g@ally.example", "ally", "viewer")
    assert "Created group" in run(
        "groups", "create", "red-sur", "--owner", "union", "--name", "Red Sur"
    )
    assert "ally, union" in run("groups", "add-member", "red-sur", "ally")
    assert "red-sur" in run("groups", "list")
    out = run(
        "grants",
        "create",
        "grievances",
        "--group",
        "red-sur",
        "--agreement",
        "AC-1",
        "--expires",
        "2031-12-31",
    )
    grant_id = int(out.split()[2])
    assert client.get(ROWS.format(slug="grievances"), headers=ally.headers).status_code == 200
    assert "group:red-sur" in run("grants", "list", "grievances")
    run("grants", "revoke", str(grant_id))
    assert client.get(ROWS.format(slug="grievances"), headers=ally.headers).status_code == 403
    assert "revoked" in run("grants", "list", "grievances")
    request = client.post(
        "/api/v1/datasets/payslips/access-requests",
        json={"purpose": "payroll audit"},
        headers=ally.headers,
    ).json()
    assert "payroll audit" in run("grants", "requests", "payslips")
    run("grants", "approve", str(request["id"]), "--agreement", "DSA-9", "--expires", "2031-01-01")
    assert client.get(ROWS.format(slug="payslips"), headers=ally.headers).status_code == 200
    trail = run("audit", "trail", "payslips", "--action", "rows.", "--json")
    assert '"actor":"g@ally.example"' in trail.replace(" ", "")
    exported = node.settings.home / "export.csv"
    run("datasets", "export", "payslips", "--format", "csv", "--output", str(exported))
    assert "Nguyễn Thị Hoa" in exported.read_text()
    newest = run("audit", "trail", "payslips", "--json", "--limit", "1").replace(" ", "")
    assert '"action":"rows.export"' in newest and '"format":"csv"' in newest
    assert "5 of" in run("audit", "trail", "payslips", "--limit", "5")
    assert "intact" in run("audit", "verify")
    failed = runner.invoke(app, ["grants", "revoke", "4242"], env=env)
    assert failed.exit_code == 4 and "no grant 4242" in failed.output
    bad = runner.invoke(app, ["grants", "create", "payslips"], env=env)
    assert bad.exit_code != 0 and "exactly one grantee" in bad.output
