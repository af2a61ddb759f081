"""Engine, declarative base and the unit of work that the edges (HTTP, CLI) own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from laborcommons.core.errors import InvalidInput

ON_ROLLBACK = "laborcommons.on_rollback"
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on SQLite too (which stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use laborcommons.core.db.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_nul(v) for v in value)
    return False


def refuse_nul_bytes(engine: Engine) -> None:
    """PostgreSQL cannot store NUL in text; refuse it on every database alike, as bad input.

    One check at the lowest layer covers every path (API bodies, query strings, web forms,
    CLI arguments) instead of a validator on each field.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _check(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_args: Any) -> None:
        if _contains_nul(parameters):
            raise InvalidInput("text may not contain NUL (\\x00) characters")


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys and WAL so readers never block the writer."""
    engine = _make_engine(url)
    refuse_nul_bytes(engine)
    return engine


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        abandon(session)
        raise
    finally:
        session.info.pop(ON_ROLLBACK, None)
        session.close()


def abandon(session: Session) -> None:
    """Roll back and undo the side effects outside the database (stored files).

    Used by ``unit_of_work`` on error, and by web forms that re-render after a failed use
    case (a normal return would otherwise commit a half-done change).
    """
    session.rollback()
    for undo in reversed(session.info.pop(ON_ROLLBACK, [])):
        undo()


def on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Undo a side effect outside the database (a stored file) if the transaction fails."""
    session.info.setdefault(ON_ROLLBACK, []).append(undo)
