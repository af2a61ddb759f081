"""Files attached to answers: sealed at rest, shown to exactly who sees the answer, kept by
the store's repairs and its key rotation."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from typer.testing import CliRunner

from laborcommons.access.models import AuditRecord
from laborcommons.catalog import service as catalog
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.settings import Settings
from laborcommons.evidence.models import Attachment, EvidenceAnswer
from tests.evidence.conftest import Sources, map_all

PAYSLIP = b"%PDF-1.4 payslip of worker 0042, net pay 178 USD, Dhaka Knit, March 2024"


def _answer_id(sources: Sources, method: str) -> int:
    with unit_of_work(sources.node.sessions) as session:
        query = select(EvidenceAnswer.id).where(EvidenceAnswer.method == method)
        return int(session.scalars(query.order_by(EvidenceAnswer.id)).first() or 0)


def _attach(client: TestClient, answer: int, headers: dict[str, str]) -> Response:
    return client.post(
        f"/api/v1/answers/{answer}/attachments",
        files={"file": ("../../march payslip.pdf", PAYSLIP, "application/pdf")},
        data={"comment": "March payslip"},
        headers=headers,
    )


def test_an_attachment_is_sealed_and_shown_only_to_who_sees_its_answer(
    client: TestClient, sources: Sources
) -> None:
    map_all(sources.node)
    payslip = _answer_id(sources, "payslip")
    assert _attach(client, payslip, sources.union.headers).status_code == 404  # hidden answer
    made = _attach(client, payslip, sources.brand.headers)
    assert made.status_code == 201, made.text
    attachment = made.json()
    assert attachment["filename"] == "march payslip.pdf" and attachment["size_bytes"] == len(
        PAYSLIP
    )
    stored = [
        p.read_bytes() for p in (sources.node.settings.home / "objects").rglob("*") if p.is_file()
    ]
    assert not any(b"payslip of worker 0042" in data for data in stored)  # sealed at rest
    url = attachment["url"]
    own = client.get(url, headers=sources.brand.headers)
    assert own.status_code == 200 and own.content == PAYSLIP
    assert own.headers["content-type"] == "application/octet-stream"
    assert own.headers["cache-control"] == "private, no-store"
    hidden = client.get(url, headers=sources.union.headers)
    missing = client.get(
        f"/api/v1/answers/999999/attachments/{attachment['id']}", headers=sources.union.headers
    )
    assert hidden.status_code == missing.status_code == 404
    assert client.get(url).status_code == 404
    listed = client.get(f"/api/v1/answers/{payslip}/attachments", headers=sources.brand.headers)
    assert [a["id"] for a in listed.json()] == [attachment["id"]]
    with unit_of_work(sources.node.sessions) as session:
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.action.like("evidence.attach%"))
        ).all()
    assert sorted(actions) == ["evidence.attach", "evidence.attachment.read"]


def test_attaching_needs_a_signed_in_reader_and_a_real_file(
    client: TestClient, sources: Sources
) -> None:
    map_all(sources.node)
    declared = _answer_id(sources, "self-declared")
    assert _attach(client, declared, {}).status_code == 401
    empty = client.post(
        f"/api/v1/answers/{declared}/attachments",
        files={"file": ("x.pdf", b"")},
        headers=sources.outsider.headers,
    )
    assert empty.status_code == 422 and "empty" in empty.json()["error"]["message"]
    typo = client.post(
        f"/api/v1/answers/{declared}/attachments",
        files={"fiel": ("x.pdf", b"x")},
        headers=sources.outsider.headers,
    )
    assert typo.status_code == 422
    with unit_of_work(sources.node.sessions) as session:
        assert session.scalars(select(Attachment)).all() == []


def test_repairs_and_key_rotation_keep_attachments(
    client: TestClient, sources: Sources, settings: Settings, tmp_path: Path
) -> None:
    map_all(sources.node)
    payslip = _answer_id(sources, "payslip")
    url = _attach(client, payslip, sources.brand.headers).json()["url"]
    with unit_of_work(sources.node.sessions) as session:
        repaired = catalog.reseal_store(node=sources.node, session=session)
    assert repaired.unreferenced_removed == 0
    catalog.rotate_master_key(node=sources.node)
    assert client.get(url, headers=sources.brand.headers).content == PAYSLIP
    env = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    proof = tmp_path / "audit-page.txt"
    proof.write_bytes(b"audit report page 3: wages paid late")
    result = CliRunner().invoke(
        app, ["evidence", "attach", str(payslip), str(proof), "--comment", "audit"], env=env
    )
    assert result.exit_code == 0 and "Attached audit-page.txt" in result.output
    listed = client.get(f"/api/v1/answers/{payslip}/attachments", headers=sources.brand.headers)
    assert [a["filename"] for a in listed.json()] == ["march payslip.pdf", "audit-page.txt"]


def test_an_id_no_answer_can_have_answers_like_a_missing_one(
    client: TestClient, sources: Sources
) -> None:
    """Ids are 32-bit on PostgreSQL: a larger one is a 404, never a database error."""
    headers = sources.brand.headers
    for answer in (2**31, 2**53):
        listed = client.get(f"/api/v1/answers/{answer}/attachments", headers=headers)
        verified = client.post(
            f"/api/v1/answers/{answer}/verification", json={"status": "flagged"}, headers=headers
        )
        assert listed.status_code == verified.status_code == 404
        assert listed.json()["error"]["message"] == f"no answer {answer}"
    map_all(sources.node)
    payslip = _answer_id(sources, "payslip")
    big = client.get(f"/api/v1/answers/{payslip}/attachments/{2**31}", headers=headers)
    assert big.status_code == 404
