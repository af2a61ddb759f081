"""The audit trail: chained, append-only, tamper-evident, secret-free, safe under concurrency."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from laborcommons.access import audit
from laborcommons.access.models import AuditRecord
from laborcommons.access.policy import Reader
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node

ANA = Reader(user_id=7, email="ana.lópez@sindicato.example", roles={1: "owner"})


def _append(node: Node, count: int, *, action: str = "rows.read") -> None:
    for i in range(count):
        with unit_of_work(node.sessions) as session:
            audit.record(
                session,
                actor=ANA,
                action=action,
                organization_id=1,
                dataset_id=10 + i % 3,
                version_id=i,
                level="named",
                purpose=f"Lohnprüfung Nº{i} — 工资审计",
                details={"format": "csv", "rows": i},
            )


def _verify(node: Node) -> audit.Verification:
    with unit_of_work(node.sessions) as session:
        return audit.verify(session)


def test_records_chain_and_verify(node: Node) -> None:
    assert _verify(node).ok and _verify(node).checked == 0
    _append(node, 5)
    result = _verify(node)
    assert result.ok, result.problems
    assert result.checked == 5 and result.head_seq == 5
    with unit_of_work(node.sessions) as session:
        rows = list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert rows[2].purpose == "Lohnprüfung Nº2 — 工资审计"
    assert rows[2].actor == "ana.lópez@sindicato.example" and rows[2].actor_user_id == 7


def test_a_failed_action_leaves_no_record(node: Node) -> None:
    _append(node, 1)
    with pytest.raises(RuntimeError), unit_of_work(node.sessions) as session:
        audit.record(session, actor=ANA, action="grant.create", dataset_id=3)
        raise RuntimeError("the action failed after auditing")
    assert _verify(node).checked == 1
    _append(node, 1)
    assert _verify(node).ok


TAMPERING = {
    "edit-outcome": ["UPDATE audit_records SET outcome = 'denied' WHERE seq = 2"],
    "edit-purpose": ["UPDATE audit_records SET purpose = 'nothing to see' WHERE seq = 4"],
    "edit-dataset": ["UPDATE audit_records SET dataset_id = 99 WHERE seq = 1"],
    "delete-middle": ["DELETE FROM audit_records WHERE seq = 3"],
    "delete-first": ["DELETE FROM audit_records WHERE seq = 1"],
    "delete-last": ["DELETE FROM audit_records WHERE seq = 5"],
    "reorder": [  # swap two records' positions through a free value (seq is unique)
        "UPDATE audit_records SET seq = 100 WHERE seq = 2",
        "UPDATE audit_records SET seq = 2 WHERE seq = 3",
        "UPDATE audit_records SET seq = 3 WHERE seq = 100",
    ],
}


@pytest.mark.parametrize("tamper", sorted(TAMPERING))
def test_verify_detects_tampering(node: Node, tamper: str) -> None:
    _append(node, 5)
    with node.engine.begin() as connection:
        for statement in TAMPERING[tamper]:
            connection.execute(text(statement))
    result = _verify(node)
    assert not result.ok
    runner = CliRunner()
    env = {"LABORCOMMONS_HOME": str(node.settings.home)}
    if node.settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = node.settings.database_url
    outcome = runner.invoke(app, ["audit", "verify"], env=env)
    assert outcome.exit_code != 0, outcome.output
    assert "seq" in outcome.output + str(outcome.stderr)


def test_rehashing_an_edit_still_breaks_the_chain(node: Node) -> None:
    """A tamperer who recomputes the edited record's own hash is caught by the next one."""
    _append(node, 3)
    with unit_of_work(node.sessions) as session:
        row = session.scalars(select(AuditRecord).where(AuditRecord.seq == 2)).one()
        row.outcome = "denied"
        row.hash = audit.compute_hash(row, row.prev_hash)
    assert not _verify(node).ok


def test_secrets_never_reach_the_trail(node: Node) -> None:
    token = "lct_" + "Zx9" * 12
    with unit_of_work(node.sessions) as session:
        audit.record(
            session,
            actor=ANA,
            action="rows.read",
            purpose=f"debug with {token}",
            details={
                "api_token": token,
                "password": "hunter22",
                "nested": [f"Bearer {token}"],
                "Authorization": "Bearer abc",
                "rows": 3,
            },
        )
    with node.engine.connect() as connection:
        dump = " ".join(str(r) for r in connection.execute(text("SELECT * FROM audit_records")))
    assert token not in dump and "hunter22" not in dump and "Bearer abc" not in dump
    assert audit.REDACTED in dump and "'rows': 3" in dump.replace('"', "'")
    assert _verify(node).ok


def test_concurrent_writers_keep_one_chain(node: Node) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                with unit_of_work(node.sessions) as session:
                    # read first, as a real request does, then append
                    session.execute(select(AuditRecord.id).limit(1)).all()
                    audit.record(session, actor=ANA, action="rows.read", details={"w": n, "i": i})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    result = _verify(node)
    assert result.ok, result.problems
    assert result.checked == 32 and result.head_seq == 32


def test_head_row_recreated_after_a_wipe(node: Node) -> None:
    """Test databases are emptied between tests; the first append re-creates the head."""
    with node.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
    _append(node, 2)
    assert _verify(node).ok
    with unit_of_work(node.sessions) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 1).values(actor="x"))
    assert not _verify(node).ok


def test_reads_are_appended_at_commit_without_holding_the_lock(node: Node) -> None:
    """A long read does not block other writers: its record is chained when it commits."""
    with unit_of_work(node.sessions) as reading:
        audit.record_at_commit(reading, actor=ANA, action="rows.download", dataset_id=5)
        assert reading.scalar(select(AuditRecord.id)) is None  # nothing written yet
        _append(node, 2)  # another request appends and commits meanwhile
    with unit_of_work(node.sessions) as session:
        rows = list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    assert [r.action for r in rows] == ["rows.read", "rows.read", "rows.download"]
    assert _verify(node).ok
    with pytest.raises(RuntimeError), unit_of_work(node.sessions) as failing:
        audit.record_at_commit(failing, actor=ANA, action="rows.read", dataset_id=5)
        raise RuntimeError("the export failed")
    assert _verify(node).checked == 3
