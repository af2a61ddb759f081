"""The one owner of merge resolution: the Python forms, and the SQL form agreeing with them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import Conflict
from laborcommons.core.node import Node
from laborcommons.entities import service as entities
from laborcommons.entities.models import Entity
from laborcommons.entities.schemas import EntityCreate
from laborcommons.entities.service.lookup import (
    MAX_HOPS,
    canonical_roots,
    follow_merges,
    merged_members,
)
from laborcommons.entities.service.planning import existing_frame


def test_follow_merges_ends_where_the_chain_ends() -> None:
    into = {1: 2, 2: 3}
    assert follow_merges(1, into.get) == 3
    assert follow_merges(3, into.get) == 3


def test_a_loop_is_an_error_not_an_answer() -> None:
    with pytest.raises(Conflict, match="loops back to entity 1"):
        follow_merges(1, {1: 2, 2: 3, 3: 1}.get)


def test_a_chain_longer_than_the_limit_is_an_error_not_a_stop_half_way() -> None:
    longest = {i: i + 1 for i in range(MAX_HOPS)}
    assert follow_merges(0, longest.get) == MAX_HOPS
    too_long = {i: i + 1 for i in range(MAX_HOPS + 1)}
    with pytest.raises(Conflict, match=f"longer than {MAX_HOPS}"):
        follow_merges(0, too_long.get)


def test_merged_members_finds_every_chain_into_an_entity() -> None:
    children = {1: [2, 3], 3: [4], 9: [10]}
    assert merged_members(1, children) == [1, 2, 3, 4]
    assert merged_members(2, children) == [2]
    assert merged_members(1, {1: [2], 2: [1]}) == [1, 2]  # a loop below ends


def _entities(node: Node, count: int) -> list[int]:
    with unit_of_work(node.sessions) as session:
        made = [
            entities.create_entity(
                EntityCreate(kind="facility", name=f"Mill {i}", country="BD"),
                actor=NODE_ADMIN,
                session=session,
            )
            for i in range(count)
        ]
        session.flush()
        return [e.id for e in made]


def _merge(node: Node, into: dict[int, int]) -> None:
    with unit_of_work(node.sessions) as session:
        for child, parent in into.items():
            entity = session.get_one(Entity, child)
            entity.merged_into_id, entity.status = parent, "merged"


def test_the_sql_form_agrees_with_the_python_form(node: Node) -> None:
    a, b, c, d, e, f, g = _entities(node, 7)
    into = {a: b, b: c, d: c, f: g, g: f}  # a -> b -> c <- d; e alone; f <-> g loop
    _merge(node, into)
    with unit_of_work(node.sessions) as session:
        roots = canonical_roots("roots")
        in_sql = {r[0]: r[1] for r in session.execute(select(roots.c.alias_id, roots.c.root_id))}
        in_python = {i: follow_merges(i, into.get) for i in (a, b, c, d, e)}
        assert in_sql == in_python
        for looped in (f, g):
            with pytest.raises(Conflict, match="loops"):
                entities.canonical_entity(session.get_one(Entity, looped), session=session)
        assert sorted(entities.alias_ids(session.get_one(Entity, c), session=session)) == sorted(
            [a, b, c, d]
        )


def test_linking_refuses_a_looping_merge_chain_instead_of_dropping_it(node: Node) -> None:
    a, b, _canonical = _entities(node, 3)
    _merge(node, {a: b, b: a})
    with unit_of_work(node.sessions) as session, pytest.raises(Conflict, match="loops"):
        existing_frame("facility", reader=NODE_ADMIN, session=session)
