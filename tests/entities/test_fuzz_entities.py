"""Fuzz the entities API from its OpenAPI document, with entities, candidates and jobs in
place, signed in as the owner or not: whatever the input, never a 500."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcommons.api import create_app
from tests.entities.conftest import StandIn, World, add_list, link

EXPLORE = int(os.environ.get("LABORCOMMONS_FUZZ", "0"))


@pytest.mark.slow
def test_no_input_to_the_entities_api_causes_a_server_error(
    world: World, stand_in_engine: StandIn
) -> None:
    link(world.node, "suppliers")
    add_list(world, "brand-list", "supplier,country\nDhaka Garments Ltd,BD\nAnkara Denim,TR\n")
    link(world.node, "brand-list")
    app = create_app(node=world.node)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    schema = schema.include(path_regex="^/api/v1/entities")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    strategy = st.one_of(*(operation.as_strategy() for operation in operations))
    seen: set[int] = set()

    @settings(
        max_examples=EXPLORE or 300,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not EXPLORE,
    )
    @given(case=strategy, signed_in=st.booleans())
    def no_server_error(case: Any, signed_in: bool) -> None:
        response = case.call(headers=world.owner.headers if signed_in else {})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)
        seen.add(response.status_code)

    no_server_error()
    assert {200, 400, 422} <= seen, seen


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/entities/link-jobs/{n}", None),
        ("post", "/api/v1/entities/review/{n}/accept", None),
        ("post", "/api/v1/entities/review/{n}/reject", None),
        ("get", "/api/v1/entities/review?job={n}", None),
        ("post", "/api/v1/entities/review/bulk", {"ids": ["{n}"], "action": "accept"}),
        ("get", "/api/v1/entities/changes?since={n}", None),
    ],
)
def test_ids_outside_the_database_ranges_are_refused_not_a_server_error(
    client: Any, world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    for n in (2**31, 2**63, 2**64 + 1, -1, -(2**63) - 1):
        url = path.format(n=n)
        payload = None if body is None else {**body, "ids": [n]}
        response = client.request(method, url, json=payload, headers=world.owner.headers)
        assert response.status_code == 422, (url, response.status_code, response.text)
        assert "Traceback" not in response.text
    if "?" not in path and body is None:  # the largest id in range is simply unknown
        response = client.request(method, path.format(n=2**31 - 1), headers=world.owner.headers)
        assert response.status_code == 404, response.text
