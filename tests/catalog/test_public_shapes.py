"""Services return the public shape with the redaction decided inside, from the reader.

A shaping function that takes a "readable" flag with a default leaks whenever an edge
forgets the flag; these tests pin that each one takes the reader (keyword-only, required)
and that the services shape for the reader they are given.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from laborcommons.access import ANONYMOUS, NODE_ADMIN
from laborcommons.catalog import service
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org

SHAPES: list[Callable[..., Any]] = [
    service.dataset_public,
    service.organization_public,
    service.version_public,
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
def test_shaping_takes_the_reader_and_no_flag(shape: Callable[..., Any]) -> None:
    parameters = inspect.signature(shape).parameters
    reader = parameters["reader"]
    assert reader.kind is inspect.Parameter.KEYWORD_ONLY
    assert reader.default is inspect.Parameter.empty
    assert all(
        p.default is inspect.Parameter.empty for p in parameters.values() if p.name != "count"
    )
    assert "readable" not in parameters


@pytest.fixture
def wages(node: Node, tmp_path: Path) -> str:
    make_org(node, "union")
    make_dataset(node, "wages", "union", discoverable=True)
    path = tmp_path / "wages.csv"
    path.write_text("hourly_wage,shift\n1.5,Zebranight\n99.5,Zebraday\n")
    ingest(node, "wages", path)
    return "wages"


def test_version_services_shape_for_their_reader(node: Node, wages: str) -> None:
    with unit_of_work(node.sessions) as session:
        seen = {
            name: [
                service.version_metadata(wages, 1, reader=reader, session=session, node=node),
                *service.list_versions(wages, reader=reader, session=session, node=node),
            ]
            for name, reader in (("anonymous", ANONYMOUS), ("admin", NODE_ADMIN))
        }
    for version in seen["anonymous"]:
        stats = version.columns[0].stats
        assert stats is not None and stats.count == 2
        assert (stats.min, stats.max, stats.mean) == (None, None, None)
    for version in seen["admin"]:
        stats = version.columns[0].stats
        assert stats is not None and (stats.min, stats.max) == (1.5, 99.5)


def test_dataset_service_shapes_for_its_reader(node: Node, wages: str) -> None:
    with unit_of_work(node.sessions) as session:
        anonymous = service.dataset_metadata(wages, reader=ANONYMOUS, session=session)
        admin = service.dataset_metadata(wages, reader=NODE_ADMIN, session=session)
    assert anonymous.rows_readable is False and admin.rows_readable is True
    assert anonymous.data_dictionary["shift"].allowed_values == []
