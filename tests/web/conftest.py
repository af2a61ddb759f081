"""Fixtures for the page tests: an organization with a signed-up owner."""

from __future__ import annotations

import pytest

from laborcommons.core.node import Node
from tests.factories import Member, make_member, make_org


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union", countries=["BD", "KH"], data_types=["working-conditions"])
    return make_member(node, "owner@union.example", "garment-union", "owner")
