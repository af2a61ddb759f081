"""The one owner of "do X before/after commit, or on rollback", savepoints included."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from laborcommons.catalog.models import Organization
from laborcommons.core.db import after_commit, before_commit, on_rollback, savepoint, unit_of_work
from laborcommons.core.node import Node


def organization(slug: str) -> Organization:
    return Organization(slug=slug, name=slug, archetype="advocate")


def count(node: Node) -> int:
    with unit_of_work(node.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Organization)) or 0)


def test_a_commit_runs_before_and_after_hooks_and_forgets_the_undo(node: Node) -> None:
    log: list[str] = []
    with unit_of_work(node.sessions) as session:
        before_commit(session, lambda: session.add(organization("written-at-commit")))
        after_commit(session, lambda: log.append("after"))
        on_rollback(session, lambda: log.append("undo"))
    assert log == ["after"] and count(node) == 1


def test_a_rollback_undoes_and_drops_the_commit_hooks(node: Node) -> None:
    log: list[str] = []
    with pytest.raises(RuntimeError), unit_of_work(node.sessions) as session:
        session.add(organization("never"))
        before_commit(session, lambda: log.append("before"))
        after_commit(session, lambda: log.append("after"))
        on_rollback(session, lambda: log.append("undo"))
        raise RuntimeError("the use case failed")
    assert log == ["undo"] and count(node) == 0


def test_a_failed_savepoint_undoes_only_its_own_work(node: Node) -> None:
    """A retry inside a transaction: the outer work and its hooks stand (on SQLite too,
    where a bare SAVEPOINT would have committed the outer work on release)."""
    log: list[str] = []
    with unit_of_work(node.sessions) as session:
        session.add(organization("outer"))
        session.flush()
        on_rollback(session, lambda: log.append("outer undo"))
        after_commit(session, lambda: log.append("outer after"))
        with pytest.raises(IntegrityError), savepoint(session):
            on_rollback(session, lambda: log.append("inner undo"))
            after_commit(session, lambda: log.append("inner after"))
            session.add(organization("outer"))  # the same slug: refused
            session.flush()
        with savepoint(session):
            session.add(organization("second"))
    assert log == ["inner undo", "outer after"] and count(node) == 2


def test_a_savepoint_first_in_a_transaction_commits_nothing_on_its_own(node: Node) -> None:
    with pytest.raises(RuntimeError), unit_of_work(node.sessions) as session:
        with savepoint(session):
            session.add(organization("inside"))
        raise RuntimeError("the rest of the use case failed")
    assert count(node) == 0
