"""What every response tells the browser: security headers, and caching of restricted rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset
from tests.web.steps import sign_in, write_csv

NO_STORE = "private, no-store"


@pytest.mark.parametrize(
    ("access", "cached"), [("internal", False), ("named", False), ("open", True)]
)
def test_restricted_rows_on_the_web_are_never_stored(
    client: TestClient, node: Node, owner: Member, tmp_path: Path, access: str, cached: bool
) -> None:
    make_dataset(node, "wages", "garment-union", access=access, license="CC-BY-4.0")
    ingest(node, "wages", write_csv(tmp_path))
    sign_in(client, owner)
    page = client.get("/datasets/wages")
    assert page.status_code == 200 and "Dhaka Knit Ltd" in page.text  # the preview shows rows
    download = client.get("/datasets/wages/versions/1/download", params={"format": "csv"})
    assert download.status_code == 200 and "Dhaka Knit Ltd" in download.text
    for response in (page, download):
        stored = response.headers.get("cache-control") == NO_STORE
        assert stored is not cached, (response.url, response.headers.get("cache-control"))
        if not cached:
            assert "Cookie" in response.headers["vary"]
