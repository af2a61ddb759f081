"""The keyed chain and checkpoints: someone who can write the database but has not the
master key cannot truncate or re-hash the trail unseen, and a checkpoint kept elsewhere
catches even a replayed head. Driven through the services and `laborcommons audit`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from typer.testing import CliRunner

from laborcommons.access import audit
from laborcommons.access.models import AuditHead, AuditKey, AuditRecord
from laborcommons.access.policy import Reader
from laborcommons.cli.main import app
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import AuditUnavailable, KeyUnavailable
from laborcommons.core.node import Node

ANA = Reader(user_id=7, email="ana@sindicato.example", roles={1: "owner"})
runner = CliRunner()


def _append(node: Node, count: int) -> None:
    for i in range(count):
        with unit_of_work(node.sessions) as session:
            audit.record(session, actor=ANA, action="rows.read", dataset_id=10, details={"i": i})


def _env(node: Node) -> dict[str, str]:
    env = {"LABORCOMMONS_HOME": str(node.settings.home)}
    if node.settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = node.settings.database_url
    return env


def _cli(node: Node, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=_env(node))
    return result.exit_code, result.output + str(result.stderr)


def _head(node: Node) -> tuple[int, str, str | None]:
    with node.engine.connect() as connection:
        row = connection.execute(text("SELECT seq, hash, tag FROM audit_head")).one()
    return int(row.seq), str(row.hash), row.tag


def _set_head(node: Node, seq: int, hash_: str, tag: str | None) -> None:
    with unit_of_work(node.sessions) as session:
        session.execute(update(AuditHead).values(seq=seq, hash=hash_, tag=tag))


def _delete_from(node: Node, seq: int) -> None:
    with unit_of_work(node.sessions) as session:
        session.execute(delete(AuditRecord).where(AuditRecord.seq >= seq))


def _rechain_plain(node: Node) -> None:
    """What the code before keyed chains allowed: recompute every hash with plain SHA-256."""
    with unit_of_work(node.sessions) as session:
        prev = audit.GENESIS
        for row in session.scalars(select(AuditRecord).order_by(AuditRecord.seq)):
            row.outcome = "refused"  # the edit being hidden
            row.prev_hash = prev
            row.hash = prev = audit.compute_hash(row, prev)
        seq = session.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1))
        session.execute(update(AuditHead).values(seq=seq, hash=prev))


def test_deleting_the_newest_records_and_moving_the_head_back_is_caught(node: Node) -> None:
    _append(node, 5)
    with unit_of_work(node.sessions) as session:
        third = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 3))
    _delete_from(node, 4)
    _set_head(node, 3, str(third), _head(node)[2])  # keep the (newest) tag: it is all there is
    code, output = _cli(node, "audit", "verify")
    assert code == 1, output
    assert "moved back" in output


def test_rewriting_every_hash_with_plain_sha256_is_caught(node: Node) -> None:
    _append(node, 4)
    _rechain_plain(node)
    code, output = _cli(node, "audit", "verify")
    assert code == 1, output
    assert "edited or re-hashed" in output


def test_rewriting_every_hash_and_deleting_the_audit_key_is_caught(node: Node) -> None:
    _append(node, 4)
    _rechain_plain(node)
    with unit_of_work(node.sessions) as session:
        session.execute(delete(AuditKey))
    code, output = _cli(node, "audit", "verify")
    assert code == 1, output
    assert "no audit key" in output
    with pytest.raises(AuditUnavailable):  # and nothing is written over it
        _append(node, 1)


def test_a_checkpoint_catches_a_replayed_head(node: Node, tmp_path: Path) -> None:
    """An old head copied at seq 3 and restored after deleting 4 and 5 fools `verify`
    alone (its tag was real); the checkpoint taken at 5 does not."""
    _append(node, 3)
    old_head = _head(node)
    _append(node, 2)
    file = tmp_path / "checkpoint.json"
    code, output = _cli(node, "audit", "checkpoint", "--output", str(file))
    assert code == 0, output
    signed = json.loads(file.read_text())
    assert signed["count"] == 5 and len(signed["signature"]) == 64
    _delete_from(node, 4)
    _set_head(node, *old_head)
    assert _cli(node, "audit", "verify")[0] == 0  # the replay is invisible without an anchor
    code, output = _cli(node, "audit", "verify", "--checkpoint", str(file))
    assert code == 1, output
    assert "records up to the checkpoint were deleted" in output


def test_a_checkpoint_catches_records_rewritten_before_it(node: Node, tmp_path: Path) -> None:
    _append(node, 4)
    file = tmp_path / "checkpoint.json"
    assert _cli(node, "audit", "checkpoint", "--output", str(file))[0] == 0
    with unit_of_work(node.sessions) as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 4).values(hash="f" * 64))
    code, output = _cli(node, "audit", "verify", "--checkpoint", str(file))
    assert code == 1 and "rewritten" in output, output


def test_a_forged_checkpoint_signature_fails(node: Node, tmp_path: Path) -> None:
    _append(node, 2)
    file = tmp_path / "checkpoint.json"
    assert _cli(node, "audit", "checkpoint", "--output", str(file))[0] == 0
    signed = json.loads(file.read_text())
    file.write_text(json.dumps({**signed, "count": 1}))
    code, output = _cli(node, "audit", "verify", "--checkpoint", str(file))
    assert code == 1 and "signature is wrong" in output, output
    file.write_text("not json")
    code, output = _cli(node, "audit", "verify", "--checkpoint", str(file))
    assert code == 1 and "not JSON" in output, output


def test_an_intact_trail_holds_its_checkpoint_after_more_records(
    node: Node, tmp_path: Path
) -> None:
    _append(node, 3)
    code, printed = _cli(node, "audit", "checkpoint")
    assert code == 0, printed
    file = tmp_path / "checkpoint.json"
    file.write_text(printed)
    _append(node, 3)
    code, output = _cli(node, "audit", "verify", "--checkpoint", str(file))
    assert code == 0, output
    assert "holds the checkpoint: 6 records" in output


def test_a_checkpoint_of_a_tampered_trail_is_refused(node: Node, tmp_path: Path) -> None:
    _append(node, 3)
    _delete_from(node, 2)
    file = tmp_path / "checkpoint.json"
    code, output = _cli(node, "audit", "checkpoint", "--output", str(file))
    assert code != 0 and not file.exists(), output
    assert "does not verify" in output


def test_the_chain_survives_a_master_key_rotation(node: Node) -> None:
    _append(node, 3)
    code, output = _cli(node, "keys", "rotate")
    assert code == 0, output
    _append(node, 2)
    code, output = _cli(node, "audit", "verify")
    assert code == 0, output
    assert "5 records" in output


def test_appending_without_the_master_key_fails(node: Node) -> None:
    _append(node, 1)
    node.settings.key_file.unlink()
    with pytest.raises(KeyUnavailable):
        _append(node, 1)
    with pytest.raises(KeyUnavailable), unit_of_work(node.sessions) as session:
        audit.verify(session)


def test_no_hash_or_key_in_the_database_works_without_the_master_key(node: Node) -> None:
    """The database holds only the wrapped secret: with another master key it is useless."""
    _append(node, 2)
    with node.engine.connect() as connection:
        wrapped = connection.execute(text("SELECT wrapped_key FROM audit_key")).scalar_one()
    assert wrapped.startswith("lck1.")
    key_file = node.settings.key_file
    key_file.unlink()
    from laborcommons.core.crypto import write_key_file

    write_key_file(key_file)  # a different master key
    with pytest.raises(KeyUnavailable):
        _append(node, 1)


def _make_legacy_trail(node: Node, count: int) -> None:
    """A trail as 0005 wrote it: plain SHA-256, no audit key, an untagged head."""
    _append(node, count)
    with unit_of_work(node.sessions) as session:
        prev = audit.GENESIS
        for row in session.scalars(select(AuditRecord).order_by(AuditRecord.seq)):
            row.prev_hash = prev
            row.hash = prev = audit.compute_hash(row, prev)
        session.execute(delete(AuditKey))
        session.execute(update(AuditHead).values(hash=prev, tag=None))


def test_a_trail_written_before_keyed_chains_is_adopted_by_init(node: Node) -> None:
    _make_legacy_trail(node, 3)
    with pytest.raises(AuditUnavailable):  # not silently keyed by an append
        _append(node, 1)
    code, output = _cli(node, "init")
    assert code == 0, output
    assert "3 earlier records keep plain SHA-256" in output
    _append(node, 2)
    code, output = _cli(node, "audit", "verify")
    assert code == 0 and "5 records" in output, output
    with unit_of_work(node.sessions) as session:  # the legacy part is still tamper-evident
        session.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(actor="x"))
    assert _cli(node, "audit", "verify")[0] == 1


def test_the_legacy_count_cannot_be_raised(node: Node) -> None:
    """Turning keyed records into 'legacy' ones needs a new wrapping: it fails to unwrap."""
    _append(node, 3)
    _rechain_plain(node)
    with unit_of_work(node.sessions) as session:
        session.execute(update(AuditKey).values(legacy_seq=3))
    code, output = _cli(node, "audit", "verify")
    assert code == 1 and "does not authenticate" in output, output
