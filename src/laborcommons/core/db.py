"""Engine, declarative base and the unit of work that the edges (HTTP, CLI) own."""

from __future__ import annotations

import logging
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
    except BaseException as error:
        abandon(session)
        _audit_after_rollback(factory, error)
        raise
    finally:
        _forget_hooks(session)
        session.close()


def _audit_after_rollback(factory: sessionmaker[Session], error: BaseException) -> None:
    """A refused read is audited although its transaction rolled back: in a fresh one.

    The error carries the writer (``LaborCommonsError.audit``); it runs once (cleared, so
    an enclosing unit of work does not write it again), and a failure to write it is
    logged, never allowed to change the answer the reader gets.
    """
    write = getattr(error, "audit", None)
    if write is None:
        return
    error.audit = None  # type: ignore[attr-defined]
    try:
        with unit_of_work(factory) as fresh:
            write(fresh)
    except Exception:
        logging.getLogger("laborcommons.audit").exception("a refusal could not be audited")


def abandon(session: Session) -> None:
    """Undo the side effects outside the database (stored files), then roll back.

    The undo runs first, while the transaction still holds its locks, so no concurrent
    transaction can have taken over what it removes. Used by ``unit_of_work`` on error,
    and by web forms that re-render after a failed use case (a normal return would
    otherwise commit a half-done change).
    """
    _run_undo(session, 0)
    session.rollback()


# --- transaction hooks: the one owner of "do X before/after commit, or on rollback" -------
#
# ``before_commit`` actions run inside the transaction just before it commits (they may
# write rows: the audit trail appends there); ``after_commit`` actions run once it has
# committed (never after a rollback: removing a file another transaction might still
# need); ``on_rollback`` undoes a side effect outside the database when it does not
# commit. A ``savepoint`` that fails runs the undo registered inside it and drops the
# actions registered inside it.

BEFORE_COMMIT = "laborcommons.before_commit"
AFTER_COMMIT = "laborcommons.after_commit"
HOOKED = "laborcommons.hooked"
IN_SAVEPOINT = "laborcommons.in_savepoint"


def before_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` inside the transaction just before it commits (dropped on rollback)."""
    _hook(session, BEFORE_COMMIT).append(action)


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the transaction has committed (never after a rollback)."""
    _hook(session, AFTER_COMMIT).append(action)


def on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Undo a side effect outside the database (a stored file) if the transaction fails."""
    _hook(session, ON_ROLLBACK).append(undo)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A nested transaction that can fail alone (for a retry) inside the outer one.

    pysqlite opens no transaction for a SAVEPOINT, so its RELEASE would commit the outer
    work; a real BEGIN is opened first when none is.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN")
    marks = {name: len(session.info.get(name, [])) for name in (BEFORE_COMMIT, AFTER_COMMIT)}
    undo_mark = len(session.info.get(ON_ROLLBACK, []))
    # SQLAlchemy fires its commit/rollback events for savepoints too (a failed flush
    # rolls the savepoint back by itself): ours stay quiet until the savepoint is over.
    session.info[IN_SAVEPOINT] = session.info.get(IN_SAVEPOINT, 0) + 1
    try:
        nested = session.begin_nested()
        try:
            yield
        except BaseException:
            _run_undo(session, undo_mark)
            nested.rollback()
            for name, mark in marks.items():
                del session.info.get(name, [])[mark:]
            raise
        nested.commit()
    finally:
        session.info[IN_SAVEPOINT] -= 1


def _hook(session: Session, name: str) -> list[Callable[[], None]]:
    if not session.info.get(HOOKED):
        event.listen(session, "before_commit", _run_before_commit)
        event.listen(session, "after_commit", _run_after_commit)
        event.listen(session, "after_rollback", _run_after_rollback)
        session.info[HOOKED] = True
    actions: list[Callable[[], None]] = session.info.setdefault(name, [])
    return actions


def _run_before_commit(session: Session) -> None:
    if session.info.get(IN_SAVEPOINT):
        return
    while actions := session.info.pop(BEFORE_COMMIT, []):  # an action may add another
        for action in actions:
            action()


def _run_after_commit(session: Session) -> None:
    if session.info.get(IN_SAVEPOINT):
        return
    session.info.pop(ON_ROLLBACK, None)
    for action in session.info.pop(AFTER_COMMIT, []):
        action()


def _run_after_rollback(session: Session) -> None:
    if session.info.get(IN_SAVEPOINT):
        return  # the savepoint handled its own actions; the outer ones stand
    session.info.pop(BEFORE_COMMIT, None)
    session.info.pop(AFTER_COMMIT, None)
    _run_undo(session, 0)


def _run_undo(session: Session, mark: int) -> None:
    undo = session.info.get(ON_ROLLBACK, [])
    pending, undo[mark:] = undo[mark:], []
    for action in reversed(pending):
        action()


def _forget_hooks(session: Session) -> None:
    for name in (BEFORE_COMMIT, AFTER_COMMIT, ON_ROLLBACK):
        session.info.pop(name, None)
