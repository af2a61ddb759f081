"""The one decision, tested directly, and its SQL mirror tested to agree with it."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from laborcommons.access import ANONYMOUS, Reader, may_discover, may_read_rows, read_basis
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.service.visibility import readable_rows_clause, visible_datasets_clause
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import make_dataset, make_org

LEVELS = ("internal", "named", "group", "public", "open")
LICENSE_FOR = {"open": "CC0-1.0", "public": "CC-BY-ND-4.0"}
OWNER = 7


@pytest.mark.parametrize("level", LEVELS)
def test_grants_count_only_at_the_levels_that_admit_them(level: str) -> None:
    named = Reader(user_id=1, roles={8: "viewer"}, named_grants=frozenset({42}))
    grouped = Reader(user_id=2, roles={9: "owner"}, group_grants=frozenset({42}))
    other_dataset = Reader(user_id=3, named_grants=frozenset({41}), group_grants=frozenset({41}))
    anyone = level in {"public", "open"}
    assert may_read_rows(named, owner_id=OWNER, level=level, dataset_id=42) is (
        anyone or level in {"named", "group"}
    )
    assert may_read_rows(grouped, owner_id=OWNER, level=level, dataset_id=42) is (
        anyone or level == "group"
    )
    assert may_read_rows(other_dataset, owner_id=OWNER, level=level, dataset_id=42) is anyone
    # without the dataset id a grant cannot count: only members and anyone-levels
    assert may_read_rows(named, owner_id=OWNER, level=level) is anyone
    expected = {"internal": None, "named": "named-grant", "group": "named-grant"}
    assert read_basis(named, owner_id=OWNER, level=level, dataset_id=42) == expected.get(
        level, "anyone"
    )


def test_discoverable_shows_metadata_not_rows() -> None:
    for level in ("internal", "named", "group"):
        assert may_discover(ANONYMOUS, owner_id=OWNER, level=level, discoverable=True)
        assert not may_discover(ANONYMOUS, owner_id=OWNER, level=level, discoverable=False)
        assert not may_read_rows(ANONYMOUS, owner_id=OWNER, level=level, dataset_id=1)


READERS = [
    ANONYMOUS,
    Reader(user_id=1, roles={}),
    Reader(user_id=2, roles={1: "viewer"}),
    Reader(user_id=3, roles={2: "owner"}, named_grants=frozenset({1, 4, 7, 10})),
    Reader(user_id=4, roles={2: "editor"}, group_grants=frozenset({2, 5, 8, 11, 14})),
    Reader(
        user_id=5, roles={3: "viewer"}, named_grants=frozenset({3, 13}),
        group_grants=frozenset({6, 9, 12}),
    ),
    Reader(user_id=6, is_admin=True),
    Reader(
        user_id=7, named_grants=frozenset({4}), named_versions={5: frozenset({2}),
        16: frozenset({1})}, group_versions={2: frozenset({1}), 17: frozenset({3})},
    ),
]  # fmt: skip


def test_a_version_limited_grant_reads_its_versions_and_shows_the_metadata() -> None:
    reader = Reader(user_id=7, named_versions={42: frozenset({2})})

    def rows(version: int | None, level: str = "named") -> bool:
        return may_read_rows(reader, owner_id=1, level=level, dataset_id=42, version=version)

    assert rows(2) and rows(2, "group")
    assert not rows(1) and not rows(3), "other versions stay unreadable"
    assert not rows(None), "the whole dataset is not granted"
    assert not rows(2, "internal"), "dormant at internal like any grant"
    assert may_discover(reader, owner_id=1, level="named", dataset_id=42)
    assert not may_discover(reader, owner_id=1, level="internal", dataset_id=42)
    grouped = Reader(user_id=8, group_versions={42: frozenset({1})})
    assert may_read_rows(grouped, owner_id=1, level="group", dataset_id=42, version=1)
    assert not may_read_rows(grouped, owner_id=1, level="named", dataset_id=42, version=1)


def test_sql_mirror_agrees_with_the_policy(node: Node) -> None:
    orgs = ["gewerkschaft-sud", "sindicato-norte", "ngo-three"]
    for org in orgs:
        make_org(node, org, name=org.replace("sud", "Süd").title())
    for n, (level, discoverable, org) in enumerate(
        itertools.product(LEVELS, (False, True), orgs), start=1
    ):
        make_dataset(
            node,
            f"d{n:02d}",
            org,
            access=level,
            license=LICENSE_FOR.get(level),
            discoverable=discoverable,
            title=f"Datensatz Nº{n} — 数据",
        )
    with unit_of_work(node.sessions) as session:
        datasets = list(session.scalars(select(Dataset)))
        assert len(datasets) == 30
        for reader in READERS:
            by_sql = set(session.scalars(select(Dataset.id).where(visible_datasets_clause(reader))))
            by_python = {
                d.id
                for d in datasets
                if may_discover(
                    reader,
                    owner_id=d.organization_id,
                    level=d.access,
                    dataset_id=d.id,
                    discoverable=d.discoverable,
                )
            }
            assert by_sql == by_python, reader
            rows_sql = set(session.scalars(select(Dataset.id).where(readable_rows_clause(reader))))
            rows_python = {
                d.id
                for d in datasets
                if may_read_rows(
                    reader, owner_id=d.organization_id, level=d.access, dataset_id=d.id
                )
            }
            assert rows_sql == rows_python, reader
        # the readers are not all alike: the agreement is not trivially about empty sets
        sizes = {
            len(set(session.scalars(select(Dataset.id).where(visible_datasets_clause(r)))))
            for r in READERS
        }
        assert len(sizes) >= 4
