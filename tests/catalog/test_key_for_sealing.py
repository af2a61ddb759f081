"""A lost key file is an error once anything is wrapped under it, never a fresh key:
the audit trail's secret counts like sealed objects and pseudonym keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from laborcommons.access import NODE_ADMIN, audit
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import KeyUnavailable
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org


def test_a_lost_key_is_not_replaced_while_the_trail_secret_needs_it(
    node: Node, tmp_path: Path
) -> None:
    with unit_of_work(node.sessions) as session:
        audit.record(session, actor=NODE_ADMIN, action="node.started")
    key_file = node.settings.key_file
    assert key_file.exists()
    key_file.unlink()
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="internal")
    upload = tmp_path / "wages.csv"
    upload.write_text("worker,wage\nA,100\n", encoding="utf-8")
    with pytest.raises(KeyUnavailable):
        ingest(node, "wages", upload)
    assert not key_file.exists()  # no second key was made behind the trail's back
