"""A running node: settings plus the engine, session factory and object store built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from laborcommons.core.db import make_engine, make_session_factory
from laborcommons.core.settings import Settings
from laborcommons.core.store import ObjectStore


@dataclass
class Node:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    secret_key: str = field(repr=False)

    @property
    def tmp_dir(self) -> Path:
        return self.settings.tmp_dir

    def dispose(self) -> None:
        self.engine.dispose()


def secret_key_for(home: Path) -> str:
    """The signing key for session cookies lives in the node's home, never in the database."""
    path = home / "secret_key"
    if not path.exists():
        import secrets

        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def open_node(settings: Settings) -> Node:
    """Build a node's handles; the database must already be migrated (``laborcommons init``)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.tmp_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    return Node(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        store=ObjectStore(settings.objects_dir),
        secret_key=secret_key_for(settings.home),
    )
