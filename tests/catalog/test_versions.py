"""Versions at the service level: atomicity, immutability and export round trips."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog import service
from laborcommons.catalog.schemas import OrganizationCreate
from laborcommons.catalog.service import versions as versions_module
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import Conflict, NotFound
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org


@pytest.fixture
def dataset(node: Node) -> str:
    make_org(node, "union")
    make_dataset(node, "wages", "union")
    return "wages"


def test_a_failure_after_storing_files_removes_them(
    node: Node, dataset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.csv"
    path.write_text("a,b\n1,2\n")

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full while writing the dictionary")

    monkeypatch.setattr(versions_module.dictionary, "refresh_for_version", explode)
    with pytest.raises(RuntimeError):
        ingest(node, dataset, path)
    assert node.store.all_digests() == []
    with unit_of_work(node.sessions) as session:
        assert service.list_versions(dataset, reader=NODE_ADMIN, session=session, node=node) == []


def test_identical_content_is_stored_once(node: Node, dataset: str, tmp_path: Path) -> None:
    make_dataset(node, "copy", "union")
    path = tmp_path / "w.csv"
    path.write_text("a,b\n1,2\n")
    first = ingest(node, dataset, path)
    second = ingest(node, "copy", path)
    assert first.sha256 == second.sha256 and first.parquet_sha256 == second.parquet_sha256
    assert len(node.store.all_digests()) == 2  # one original, one Parquet


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
    lambda s: "L" + s.strip()
)


def _ensure_org(node: Node) -> None:
    with unit_of_work(node.sessions) as session:
        try:
            service.get_organization("rt", session=session)
        except NotFound:
            service.create_organization(
                OrganizationCreate(slug="rt", name="RT", archetype="advocate"),
                reader=NODE_ADMIN,
                session=session,
            )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(text_cells, st.integers(-(10**9), 10**9)), min_size=1, max_size=8))
def test_ingest_then_export_round_trips(
    node: Node, tmp_path: Path, rows: list[tuple[str, int]]
) -> None:
    """Text written by the csv module comes back unchanged (commas, quotes, any script)."""
    _ensure_org(node)
    slug = "rt-" + hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    try:
        make_dataset(node, slug, "rt")
    except Conflict:
        return  # hypothesis replayed an example already checked
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["label", "amount"])
    writer.writerows(rows)
    path = tmp_path / f"{slug}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    ingest(node, slug, path)
    with unit_of_work(node.sessions) as session:
        version = service.readable_version(slug, None, reader=NODE_ADMIN, session=session)
        export = service.export_version(version, "csv", node=node)
    try:
        back = list(csv.reader(io.StringIO(export.read_bytes().decode("utf-8"))))
    finally:
        if export.path is not None and export.temporary:
            export.path.unlink()
    assert back[1:] == [[label, str(amount)] for label, amount in rows]
