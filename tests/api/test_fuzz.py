"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis draws the
requests, Hypothesis drives them): whatever the input, never a 500."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcommons.api import create_app
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_member, make_org

# Fixed examples in CI (same inputs, same outcome); LABORCOMMONS_FUZZ=N explores N fresh ones.
EXPLORE = int(os.environ.get("LABORCOMMONS_FUZZ", "0"))
EXAMPLES = EXPLORE or 400


@pytest.mark.slow
def test_no_input_causes_a_server_error(node: Node, tmp_path: Path) -> None:
    make_org(node, "union")
    make_dataset(node, "wages", "union", access="open", license="CC-BY-4.0")
    data = tmp_path / "wages.csv"
    data.write_text("facility,country,wage\nDhaka Knit,BD,120.5\nSaigon Apparel,VN,99\n")
    ingest(node, "wages", data)
    owner = make_member(node, "owner@union.example", "union", "owner")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(node=node))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    strategy = st.one_of(*(operation.as_strategy() for operation in operations))
    seen: set[tuple[str, int]] = set()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not EXPLORE,
    )
    @given(case=strategy, signed_in=st.booleans())
    def no_server_error(case: Any, signed_in: bool) -> None:
        response = case.call(headers=owner.headers if signed_in else {})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)
        seen.add((case.method, response.status_code))

    no_server_error()
    statuses = {status for _, status in seen}
    assert {200, 404, 422} <= statuses, seen  # the fuzzer reached real and refused requests
