"""What metadata of a restricted dataset is stored and shown (docs/access.md).

Counts and types for everyone who may discover it; min, max, mean and the dictionary's
prefilled allowed values only for readers of its rows, computed on demand and never
stored in the metadata database while the dataset is restricted.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from fastapi.testclient import TestClient
from sqlalchemy import text

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0006_trust.py"
MAX_WAGE = 98765.4321  # one worker's wage: the extreme that must not sit in the metadata
MIN_WAGE = 1.2345
SHIFTS = ("Zebranight", "Zebraday")
MARKERS = (b"98765.4321", b"1.2345", b"Zebranight", b"Zebraday")


def wages_csv(tmp_path: Path) -> Path:
    path = tmp_path / "wages.csv"
    rows = [f"{w},{SHIFTS[i % 2]},{40 + i}" for i, w in enumerate([MIN_WAGE, 12.5, 14.0, MAX_WAGE])]
    path.write_text("hourly_wage,shift,weekly_hours\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture
def member(node: Node) -> Member:
    make_org(node, "union")
    return make_member(node, "owner@union.example", "union")


def loaded(value: Any) -> Any:
    """JSON columns read by raw SQL: text on SQLite, decoded already on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def stored_metadata(node: Node) -> str:
    """What the metadata tables hold, as text: versions' columns and the dictionaries."""
    with node.sessions() as session:
        columns = session.execute(text("SELECT columns FROM dataset_versions")).scalars().all()
        dictionaries = session.execute(text("SELECT data_dictionary FROM datasets")).scalars()
        return json.dumps([loaded(v) for v in [*columns, *dictionaries]])


def database_bytes(node: Node) -> bytes:
    """The SQLite file (and its journals) byte for byte; empty on PostgreSQL."""
    url = node.settings.resolved_database_url
    if not url.startswith("sqlite"):
        return b""
    database = Path(url.split("///", 1)[1])
    node.engine.dispose()  # checkpoint the WAL into the file
    files = [database, *database.parent.glob(database.name + "-*")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def assert_no_values_stored(node: Node) -> None:
    stored = stored_metadata(node)
    for marker in MARKERS:
        assert marker.decode() not in stored
        assert marker not in database_bytes(node)


def column(version: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in version["columns"] if c["name"] == name)


def test_restricted_version_stores_counts_and_types_only(
    node: Node, member: Member, tmp_path: Path
) -> None:
    make_dataset(node, "wages", "union", discoverable=True)
    ingest(node, "wages", wages_csv(tmp_path))
    assert_no_values_stored(node)
    with node.sessions() as session:
        columns = session.execute(text("SELECT columns FROM dataset_versions")).scalar_one()
    stats = {c["name"]: c["stats"] for c in loaded(columns)}
    assert stats["hourly_wage"]["count"] == 4 and stats["hourly_wage"]["nulls"] == 0
    assert {stats[n][k] for n in stats for k in ("min", "max", "mean")} == {None}


def test_discover_only_reader_sees_counts_and_types(
    client: TestClient, node: Node, member: Member, tmp_path: Path
) -> None:
    make_dataset(node, "wages", "union", discoverable=True)
    ingest(node, "wages", wages_csv(tmp_path))
    make_org(node, "outsiders")
    outsider = make_member(node, "someone@outsiders.example", "outsiders")
    for headers in ({}, outsider.headers):
        version = client.get("/api/v1/datasets/wages/versions/1", headers=headers).json()
        listed = client.get("/api/v1/datasets/wages/versions", headers=headers).json()[0]
        for shown in (version, listed):
            wage = column(shown, "hourly_wage")
            assert wage["type"] == "number"
            assert wage["stats"]["count"] == 4 and wage["stats"]["distinct"] == 4
            assert [wage["stats"][k] for k in ("min", "max", "mean")] == [None, None, None]
        dataset = client.get("/api/v1/datasets/wages", headers=headers).json()
        assert all(not e["allowed_values"] for e in dataset["data_dictionary"].values())


def test_member_sees_full_statistics(
    client: TestClient, node: Node, member: Member, tmp_path: Path
) -> None:
    make_dataset(node, "wages", "union", discoverable=True)
    ingest(node, "wages", wages_csv(tmp_path))
    node.row_pages.clear()  # computed from the sealed Parquet, not remembered from the ingest
    version = client.get("/api/v1/datasets/wages/versions/1", headers=member.headers).json()
    wage = column(version, "hourly_wage")["stats"]
    assert (wage["min"], wage["max"]) == (MIN_WAGE, MAX_WAGE)
    assert wage["mean"] == pytest.approx((MIN_WAGE + 12.5 + 14.0 + MAX_WAGE) / 4)
    assert column(version, "weekly_hours")["stats"]["max"] == 43
    assert_no_values_stored(node)  # showing them stored nothing


def test_after_making_it_public_anyone_sees_statistics(
    client: TestClient, node: Node, member: Member, tmp_path: Path
) -> None:
    make_dataset(node, "wages", "union")
    ingest(node, "wages", wages_csv(tmp_path))
    changed = client.patch(
        "/api/v1/datasets/wages",
        json={"access": "public", "license": "CC-BY-NC-4.0"},
        headers=member.headers,
    )
    assert changed.status_code == 200
    version = client.get("/api/v1/datasets/wages/versions/1").json()
    wage = column(version, "hourly_wage")["stats"]
    assert (wage["min"], wage["max"]) == (MIN_WAGE, MAX_WAGE)


def test_moving_to_a_restricted_level_erases_stored_values(
    client: TestClient, node: Node, member: Member, tmp_path: Path
) -> None:
    make_dataset(node, "wages", "union", access="public", license="CC-BY-NC-4.0", discoverable=True)
    ingest(node, "wages", wages_csv(tmp_path))
    stored = stored_metadata(node)
    assert str(MAX_WAGE) in stored and SHIFTS[0] in stored  # public: stored, prefilled
    changed = client.patch(
        "/api/v1/datasets/wages", json={"access": "internal"}, headers=member.headers
    )
    assert changed.status_code == 200
    stored = stored_metadata(node)
    assert str(MAX_WAGE) not in stored and SHIFTS[0] not in stored
    anonymous = client.get("/api/v1/datasets/wages/versions/1").json()
    assert column(anonymous, "hourly_wage")["stats"]["max"] is None
    own = client.get("/api/v1/datasets/wages/versions/1", headers=member.headers).json()
    assert column(own, "hourly_wage")["stats"]["max"] == MAX_WAGE


def test_migration_erases_values_of_existing_restricted_versions(
    node: Node, member: Member, tmp_path: Path
) -> None:
    """A node upgraded from before the fix: the restricted dataset's values were stored."""
    make_dataset(node, "wages", "union", access="public", license="CC-BY-NC-4.0")
    ingest(node, "wages", wages_csv(tmp_path))
    make_dataset(node, "open-wages", "union", access="public", license="CC-BY-NC-4.0")
    ingest(node, "open-wages", wages_csv(tmp_path))
    with node.engine.begin() as connection:  # the state an older node left behind
        connection.execute(text("UPDATE datasets SET access = 'internal' WHERE slug = 'wages'"))
    spec = importlib.util.spec_from_file_location("trust_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with (
        node.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        migration._metadata_up()
    with node.sessions() as session:
        rows = session.execute(
            text(
                "SELECT d.slug, v.columns, d.data_dictionary FROM datasets d"
                " JOIN dataset_versions v ON v.dataset_id = d.id"
            )
        ).all()
    by_slug = {slug: json.dumps([loaded(c), loaded(d)]) for slug, c, d in rows}
    assert str(MAX_WAGE) not in by_slug["wages"] and SHIFTS[0] not in by_slug["wages"]
    assert str(MAX_WAGE) in by_slug["open-wages"] and SHIFTS[0] in by_slug["open-wages"]
