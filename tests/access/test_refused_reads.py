"""Refused reads of restricted rows reach the owner's audit trail, although the refused
request's own transaction rolls back, and the refused reader's answer is unchanged."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access import audit
from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org

CSV = "arbeiter,lohn\nŞükrü Yılmaz,1200\nNguyễn Thị Hoa,900\n"  # noqa: RUF001 (Turkish)
ROWS = "/api/v1/datasets/{slug}/versions/1/rows"


@pytest.fixture
def owner(node: Node, client: TestClient) -> Member:
    for org in ("union", "rival"):
        make_org(node, org)
    member = make_member(node, "owner@union.example", "union", "owner")
    for slug, discoverable in (("cases", False), ("payslips", True)):
        make_dataset(node, slug, "union", access="internal", discoverable=discoverable)
        upload = client.post(
            f"/api/v1/datasets/{slug}/versions",
            files={"file": ("löhne.csv", CSV.encode())},
            headers=member.headers,
        )
        assert upload.status_code == 201, upload.text
    return member


def refused(node: Node) -> list[AuditRecord]:
    with unit_of_work(node.sessions) as session:
        query = select(AuditRecord).where(AuditRecord.outcome == "refused")
        return list(session.scalars(query.order_by(AuditRecord.seq)))


def test_a_hidden_dataset_refusal_is_recorded_and_answers_like_a_missing_one(
    node: Node, client: TestClient, owner: Member
) -> None:
    hidden = client.get(ROWS.format(slug="cases"))
    missing = client.get(ROWS.format(slug="no-such-dataset"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("cases", "SLUG") == missing.text.replace("no-such-dataset", "SLUG")
    [record] = refused(node)  # the missing dataset leaves nothing to audit
    assert (record.action, record.actor, record.level) == ("rows.read", "anonymous", "internal")
    assert record.details["status"] == 404 and record.details["slug"] == "cases"
    trail = client.get("/api/v1/datasets/cases/audit", headers=owner.headers)
    assert trail.status_code == 200, trail.text
    newest = trail.json()["items"][0]
    assert (newest["action"], newest["outcome"]) == ("rows.read", "refused")
    with unit_of_work(node.sessions) as session:
        assert audit.verify(session).ok


def test_a_discoverable_dataset_refusal_is_recorded(
    node: Node, client: TestClient, owner: Member
) -> None:
    rival = make_member(node, "someone@rival.example", "rival", "owner")
    response = client.get(ROWS.format(slug="payslips"), headers=rival.headers)
    assert response.status_code == 403
    assert "ask its owner" in response.json()["error"]["message"]
    download = client.get("/api/v1/datasets/payslips/versions/1/download?format=csv")
    assert download.status_code == 403
    records = refused(node)
    assert [(r.action, r.actor, r.details["status"]) for r in records] == [
        ("rows.read", "someone@rival.example", 403),
        ("rows.download", "anonymous", 403),
    ]
    assert all(r.dataset_id == records[0].dataset_id and r.level == "internal" for r in records)


def test_an_allowed_read_records_no_refusal(node: Node, client: TestClient, owner: Member) -> None:
    assert client.get(ROWS.format(slug="cases"), headers=owner.headers).status_code == 200
    missing_version = client.get("/api/v1/datasets/cases/versions/9/rows", headers=owner.headers)
    assert missing_version.status_code == 404
    assert refused(node) == []
