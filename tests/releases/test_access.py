"""Who may see and resolve findings: editors and owners; hidden datasets answer 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from laborcommons.core.node import Node
from tests.factories import make_dataset
from tests.releases.conftest import AGGREGATES, Org, upload

API = "/api/v1/datasets"


def routes(slug: str) -> list[tuple[str, str, dict | None]]:
    version = f"{API}/{slug}/versions/1"
    return [
        ("GET", f"{version}/findings", None),
        ("GET", f"{version}/lineage", None),
        ("POST", f"{version}/findings/1/resolution", {"action": "drop"}),
        ("POST", f"{version}/kanon", {"k": 2, "quasi_identifiers": ["district"]}),
    ]


def call(client: TestClient, method: str, url: str, body: dict | None, headers: dict[str, str]):
    return client.request(method, url, json=body, headers=headers)


@pytest.mark.parametrize("level", ["internal", "public"])
def test_only_editors_and_owners_get_in(client: TestClient, org: Org, node: Node, level: str):
    make_dataset(
        node, "districts", "garment-union", access=level, license="CC-BY-NC-4.0", coverage=["BD"]
    )
    assert upload(client, org.owner, "districts", AGGREGATES).status_code == 201
    hidden = level == "internal"
    for method, url, body in routes("districts"):
        anonymous = call(client, method, url, body, {})
        assert anonymous.status_code == (404 if hidden else 401), (url, anonymous.text)
        outsider = call(client, method, url, body, org.outsider.headers)
        assert outsider.status_code == (404 if hidden else 403), (url, outsider.text)
        viewer = call(client, method, url, body, org.viewer.headers)
        assert viewer.status_code == 403, (url, viewer.text)
        if method == "GET":
            assert call(client, method, url, body, org.editor.headers).status_code == 200
    # The editor may derive: a k-anonymous version counts as a release decision.
    editor = call(
        client, *routes("districts")[3][:2], routes("districts")[3][2], org.editor.headers
    )
    assert editor.status_code == 201, editor.text
    # A missing finding is a 404 for the editor, not a crash.
    missing = call(client, *routes("districts")[2], org.editor.headers)
    assert missing.status_code == 404


def test_a_hidden_dataset_looks_missing_everywhere(client: TestClient, org: Org, node: Node):
    make_dataset(node, "secret-log", "garment-union", coverage=["BD"])
    assert upload(client, org.owner, "secret-log", AGGREGATES).status_code == 201
    for method, url, body in routes("secret-log"):
        absent = call(
            client, method, url.replace("secret-log", "no-such-log"), body, org.outsider.headers
        )
        hidden = call(client, method, url, body, org.outsider.headers)
        assert hidden.status_code == absent.status_code == 404
        assert "secret-log" not in hidden.text or "no dataset" in hidden.text


def test_named_grantees_read_versions_that_hold_pii(client: TestClient, org: Org, node: Node):
    """Withholding is about rows readable by anyone; an agreement covers restricted ones."""
    from tests.releases.conftest import GRIEVANCES

    make_dataset(node, "case-log", "garment-union", access="named", coverage=["BD"])
    assert upload(client, org.owner, "case-log", GRIEVANCES).status_code == 201
    rows = f"{API}/case-log/versions/1/rows"
    assert client.get(rows, headers=org.outsider.headers).status_code == 404
    granted = client.post(
        f"{API}/case-log/grants",
        headers=org.owner.headers,
        json={"organization": "other-union", "agreement": "MoU 2025-04", "purpose": "legal case"},
    )
    assert granted.status_code == 201, granted.text
    read = client.get(rows, headers=org.outsider.headers)
    assert read.status_code == 200 and read.json()["rows"][0]["email"]
    # ...but the grantee does not decide about the findings.
    findings = client.get(f"{API}/case-log/versions/1/findings", headers=org.outsider.headers)
    assert findings.status_code == 403
