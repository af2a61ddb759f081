"""A node with two organizations, their members, supplier lists, and link helpers.

``stand_in_engine`` replaces the matching engine by a transparent rule (same search key:
linked; same first word: review; otherwise new) where a test is about the service around
the engine (transactions, decisions, review), not about matching quality.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from laborcommons.access import NODE_ADMIN, Reader, reader_for_token
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.entities import matching
from laborcommons.entities import service as entities
from laborcommons.entities.matching import Candidate, FieldComparison, MatchResult, RecordMatch
from laborcommons.entities.schemas import LinkJobCreate, LinkJobPublic
from laborcommons.entities.service.text import searchable
from tests.factories import Member, ingest, make_dataset, make_member, make_org

ZARYA = "ООО Швейная фабрика Заря"  # noqa: RUF001 (Cyrillic, on purpose)
SUPPLIERS = (
    "Facility Name,Address,Country,OS ID\n"
    'Dhaka Knit Composite Ltd.,"Plot 12, Road 3, Tongi I/A, Gazipur",Bangladesh,\n'
    'Saigon Garment Co.,"45 Lê Lợi, District 1, Ho Chi Minh City",Viet Nam,\n'
    "东莞永发制衣厂,广东省东莞市虎门镇,China,\n"
    'Ankara Tekstil A.Ş.,"Organize Sanayi Bölgesi 5. Cad. No:7",Türkiye,\n'
    f'{ZARYA},"ул. Ленина 10, Иваново",Russia,\n'
)


@dataclass
class World:
    node: Node
    owner: Member
    editor: Member
    viewer: Member
    outsider: Member
    admin: Member
    files: Path


def reader_of(node: Node, member: Member) -> Reader:
    with unit_of_work(node.sessions) as session:
        return reader_for_token(member.token, session=session)


@pytest.fixture
def world(node: Node, tmp_path: Path) -> World:
    make_org(node, "garment-union")
    make_org(node, "brand-watch")
    files = tmp_path / "files"
    files.mkdir()
    suppliers = files / "suppliers.csv"
    suppliers.write_text(SUPPLIERS, encoding="utf-8")
    make_dataset(node, "suppliers", "garment-union", access="open", license="CC-BY-4.0")
    ingest(node, "suppliers", suppliers)
    return World(
        node=node,
        owner=make_member(node, "owner@union.example", "garment-union", "owner"),
        editor=make_member(node, "editor@union.example", "garment-union", "editor"),
        viewer=make_member(node, "viewer@union.example", "garment-union", "viewer"),
        outsider=make_member(node, "owner@brand-watch.example", "brand-watch", "owner"),
        admin=make_member(node, "admin@node.example", admin=True),
        files=files,
    )


def add_list(world: World, slug: str, text: str, *, access: str = "open") -> None:
    """A dataset of garment-union with one version holding ``text`` as CSV."""
    license = "CC-BY-4.0" if access == "open" else None
    make_dataset(world.node, slug, "garment-union", access=access, license=license)
    path = world.files / f"{slug}.csv"
    path.write_text(text, encoding="utf-8")
    ingest(world.node, slug, path)


def new_version(world: World, slug: str, text: str, name: str = "again.csv") -> None:
    path = world.files / name
    path.write_text(text, encoding="utf-8")
    ingest(world.node, slug, path)


def link(node: Node, slug: str, *, reader: Reader = NODE_ADMIN, **options: Any) -> LinkJobPublic:
    """Create and run a link job the way the CLI does."""
    with unit_of_work(node.sessions) as session:
        data = LinkJobCreate.model_validate({"dataset": slug, **options})
        job_id = entities.create_link_job(data, reader=reader, session=session).id
    return entities.execute_link_job(job_id, reader=reader, node=node)


def _verdict(
    row: dict[str, Any], existing: pd.DataFrame, cannot: set[tuple[str, str]]
) -> RecordMatch:
    key = searchable(row["name"])
    first = key.split()[0] if key else ""
    candidates = []
    for _, known in existing.iterrows():
        if (row["id"], known["id"]) in cannot:
            continue
        other = searchable(known["name"])
        if other == key:
            probability = 0.99
        elif first and other.split()[:1] == [first]:
            probability = 0.7
        else:
            continue
        field = FieldComparison("name", row["name"], known["name"], "stand-in", 3.0)
        candidates.append(Candidate(known["id"], probability, 3.0, (field,)))
    candidates.sort(key=lambda c: (-c.match_probability, c.entity_id))
    unique = list({c.entity_id: c for c in reversed(candidates)}.values())
    unique.sort(key=lambda c: (-c.match_probability, c.entity_id))
    if unique and unique[0].match_probability >= 0.95:
        return RecordMatch(row["id"], "linked", tuple(unique))
    if unique:
        return RecordMatch(row["id"], "review", tuple(unique))
    return RecordMatch(row["id"], "new", (), new_group=row["id"])


@dataclass
class StandIn:
    calls: list[dict[str, Any]]


@pytest.fixture
def stand_in_engine(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    spy = StandIn(calls=[])

    def match_against(
        new_records: pd.DataFrame,
        existing_entities: pd.DataFrame,
        *,
        cannot_link: Collection[tuple[str, str]] = (),
        **_options: Any,
    ) -> MatchResult:
        cannot = set(cannot_link)
        spy.calls.append(
            {"new": len(new_records), "existing": len(existing_entities), "cannot_link": cannot}
        )
        rows = new_records.to_dict("records")
        return MatchResult(tuple(_verdict(r, existing_entities, cannot) for r in rows))

    monkeypatch.setattr(matching, "match_against", match_against)
    return spy
