"""A fresh node per test, on SQLite and on PostgreSQL.

PostgreSQL comes from LABORCOMMONS_TEST_POSTGRES_URL (``make test`` starts a throwaway
cluster and sets it). Without it the PostgreSQL cases skip locally and fail under CI.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from laborcommons.api import create_app
from laborcommons.core.migrate import upgrade_database
from laborcommons.core.models import all_metadata
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Rich sizes CLI tables to the terminal; a fixed width keeps command output the same in a
# terminal, under CI and in pytest-xdist workers (where names were cut at 80 columns).
os.environ["COLUMNS"] = "200"
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


def require(condition: bool, reason: str) -> None:
    """Skip locally when a resource is missing; under CI a missing resource is a failure."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def shared_data(relative: str) -> Path:
    path = SHARED_DATA / relative
    require(path.exists(), f"../shared/data/{relative} is missing")
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "laborcommons.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    server = os.environ.get("LABORCOMMONS_TEST_POSTGRES_URL")
    require(bool(server), "LABORCOMMONS_TEST_POSTGRES_URL is not set (make test sets it)")
    assert server
    name = f"lc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    upgrade_database(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in all_metadata().sorted_tables)  # type: ignore[attr-defined]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, database_kind: str, tmp_path: Path, sqlite_template: Path
) -> Iterator[Settings]:
    home = tmp_path / "node"
    home.mkdir()
    if database_kind == "sqlite":
        shutil.copyfile(sqlite_template, home / "laborcommons.db")
        yield Settings(home=home)
        return
    url = request.getfixturevalue("postgres_database")
    yield Settings(home=home, database_url=url)
    _empty_postgres(url)


@pytest.fixture
def node(settings: Settings) -> Iterator[Node]:
    node = open_node(settings)
    yield node
    node.dispose()


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    with TestClient(create_app(node=node)) as test_client:
        yield test_client
