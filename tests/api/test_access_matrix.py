"""Who sees what, on every route that touches rows or metadata, at every access level.

Each cell is the exact status a reader gets; a hidden dataset must answer 404 (never 403),
so its existence does not leak. 403 appears only where the dataset is discoverable (or its
metadata otherwise visible) but the rows are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_grant, make_group, make_member, make_org
from tests.web.steps import sign_in

LEVELS = ("internal", "named", "group", "public", "open")
LICENSE_FOR = {"open": "CC-BY-4.0", "public": "CC-BY-NC-4.0"}
CSV = "facility,country,salário\nDhaka Knit Ltd,BD,8000\nNhà máy Sài Gòn,VN,5200\n".encode()
DERIVED = "facility,country,salário\nDhaka Knit Ltd,BD,8000\nF-0002,VN,5200\n".encode()
"""Version 2 of each restricted dataset (say, de-identified); ``version_limited`` holds a
grant of that version only."""
OWNERS = {"viewer", "editor", "owner", "admin"}
READERS = [
    "anonymous", "other_org", "group_member", "named_org", "named_user", "expired",
    "revoked", "viewer", "editor", "owner", "admin", "version_limited",
]  # fmt: skip
FORMATS = ("csv", "json", "xlsx", "parquet")


@dataclass
class World:
    members: dict[str, Member]
    web: dict[str, TestClient] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {} if who == "anonymous" else self.members[who].headers


def slug_for(level: str, discoverable: bool) -> str:
    return f"ds-{level}" + ("-disc" if discoverable else "")


def grant_everyone(node: Node, slug: str) -> None:
    """The grants every restricted dataset carries: one live grant per kind, two dead ones."""
    past = utcnow() - timedelta(days=30)
    make_grant(node, slug, organization="legal-aid")
    make_grant(node, slug, user="n.user@journalists.example", agreement="NDA 7/2026")
    make_grant(node, slug, group="coalition")
    make_grant(node, slug, organization="former", starts_at=past, expires_at=past + timedelta(1))
    make_grant(node, slug, user="r@revoked.example", revoked=True)
    make_grant(node, slug, organization="derived-readers", versions=[2])


@pytest.fixture
def world(node: Node, client: TestClient) -> World:
    orgs = ("union", "rival", "legal-aid", "ally", "former", "journalists", "revoked-org")
    for slug in (*orgs, "derived-readers"):
        make_org(node, slug)
    make_group(node, "coalition", owner="union", members=("ally",))
    members = {
        "other_org": make_member(node, "o@rival.example", "rival", "owner"),
        "group_member": make_member(node, "g@ally.example", "ally", "viewer"),
        "named_org": make_member(node, "n@legal-aid.example", "legal-aid", "viewer"),
        "named_user": make_member(node, "n.user@journalists.example", "journalists", "owner"),
        "expired": make_member(node, "x@former.example", "former", "owner"),
        "revoked": make_member(node, "r@revoked.example", "revoked-org", "owner"),
        "viewer": make_member(node, "v@union.example", "union", "viewer"),
        "editor": make_member(node, "e@union.example", "union", "editor"),
        "owner": make_member(node, "w@union.example", "union", "owner"),
        "admin": make_member(node, "admin@node.example", admin=True),
        "version_limited": make_member(node, "d@derived.example", "derived-readers", "viewer"),
    }
    for level in LEVELS:
        for discoverable in (False, True):
            slug = slug_for(level, discoverable)
            make_dataset(
                node,
                slug,
                "union",
                access=level,
                license=LICENSE_FOR.get(level),
                discoverable=discoverable,
                methodology="Payslip survey, Dhaka 2025",
            )
            response = client.post(
                f"/api/v1/datasets/{slug}/versions",
                files={"file": ("f.csv", CSV)},
                headers=members["owner"].headers,
            )
            assert response.status_code == 201
            if level not in {"public", "open"}:
                derived = client.post(
                    f"/api/v1/datasets/{slug}/versions",
                    files={"file": ("derived.csv", DERIVED)},
                    headers=members["owner"].headers,
                )
                assert derived.status_code == 201
                grant_everyone(node, slug)
    return World(members)


def may_read(level: str, who: str, version: int = 1) -> bool:
    """Version 1 (or the whole dataset), or ``version`` for the version-limited grantee."""
    if who == "version_limited" and level in {"named", "group"}:
        return version == 2
    if level in {"public", "open"} or who in OWNERS:
        return True
    if who in {"named_org", "named_user"}:
        return level in {"named", "group"}
    return who == "group_member" and level == "group"


def expected_metadata(level: str, discoverable: bool, who: str) -> int:
    """Metadata follows any effective grant, even one of some versions only."""
    visible = discoverable or may_read(level, who) or may_read(level, who, version=2)
    return 200 if visible else 404


def expected_rows(level: str, discoverable: bool, who: str, version: int = 1) -> int:
    if may_read(level, who, version):
        return 200
    return 403 if expected_metadata(level, discoverable, who) == 200 else 404


def expected_manage(level: str, discoverable: bool, who: str) -> int:
    """Grants, requests and the trail: owners and editors (and the node admin)."""
    if expected_metadata(level, discoverable, who) == 404:
        return 404
    if who in {"editor", "owner", "admin"}:
        return 200
    return 401 if who == "anonymous" else 403


def expected_write(level: str, who: str) -> int:
    if expected_metadata(level, False, who) == 404:
        return 404
    if who in {"editor", "owner", "admin"}:
        return 200
    return 401 if who == "anonymous" else 403


METADATA_ROUTES = [
    "/api/v1/datasets/{slug}",
    "/api/v1/datasets/{slug}/versions",
    "/api/v1/datasets/{slug}/versions/1",
]
ROW_ROUTES = [
    "/api/v1/datasets/{slug}/versions/1/rows",
    "/api/v1/datasets/{slug}/versions/1/rows?country=BD",
    *(f"/api/v1/datasets/{{slug}}/versions/1/download?format={f}" for f in FORMATS),
]
MANAGE_ROUTES = [
    "/api/v1/datasets/{slug}/grants",
    "/api/v1/datasets/{slug}/audit",
    "/api/v1/datasets/{slug}/access-requests",
]


def _assert_cell(response: object, expected: int, cell: tuple[str, ...]) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status == expected, cell
    if status == 404:
        body = response.json()  # type: ignore[attr-defined]
        assert body["error"]["code"] == "not-found", cell
        assert "ds-" in body["error"]["message"] or "no dataset" in body["error"]["message"]


@pytest.mark.parametrize("discoverable", [False, True], ids=["hidden", "discoverable"])
@pytest.mark.parametrize("level", LEVELS)
def test_api_matrix(client: TestClient, world: World, level: str, discoverable: bool) -> None:
    slug = slug_for(level, discoverable)
    for who in READERS:
        headers = world.headers(who)
        for route in METADATA_ROUTES:
            response = client.get(route.format(slug=slug), headers=headers)
            _assert_cell(response, expected_metadata(level, discoverable, who), (who, route))
        for route in ROW_ROUTES:
            response = client.get(route.format(slug=slug), headers=headers)
            _assert_cell(response, expected_rows(level, discoverable, who), (who, route))
            if response.status_code == 200:
                private = level not in {"public", "open"}
                cached = response.headers.get("cache-control", "")
                assert ("no-store" in cached) is private, (who, route)
        for route in MANAGE_ROUTES:
            response = client.get(route.format(slug=slug), headers=headers)
            _assert_cell(response, expected_manage(level, discoverable, who), (who, route))
        readable = client.get(f"/api/v1/datasets/{slug}", headers=headers)
        if readable.status_code == 200:
            assert readable.json()["rows_readable"] is may_read(level, who), who
            dictionary = readable.json()["data_dictionary"]
            assert dictionary, "the upload prefills the dictionary"
            values = any(entry["allowed_values"] for entry in dictionary.values())
            prefilled = level in {"public", "open"}  # restricted rows' values are not stored
            assert values is (prefilled and may_read(level, who)), who
            stats = client.get(f"/api/v1/datasets/{slug}/versions/1", headers=headers).json()
            assert all(c["stats"] for c in stats["columns"]), who  # counts for all who discover
            extremes = any(c["stats"]["max"] is not None for c in stats["columns"])
            assert extremes is may_read(level, who), who  # min/max only for readers of rows


@pytest.mark.parametrize("discoverable", [False, True], ids=["hidden", "discoverable"])
@pytest.mark.parametrize("level", ["internal", "named", "group"])
def test_version_matrix(client: TestClient, world: World, level: str, discoverable: bool) -> None:
    """Version 2 (the one ``version_limited`` is granted): rows, downloads, statistics."""
    slug = slug_for(level, discoverable)
    for who in READERS:
        headers = world.headers(who)
        expected = expected_rows(level, discoverable, who, version=2)
        for route in (
            "/api/v1/datasets/{slug}/versions/2/rows",
            "/api/v1/datasets/{slug}/versions/2/download?format=csv",
        ):
            response = client.get(route.format(slug=slug), headers=headers)
            _assert_cell(response, expected, (who, route))
        version = client.get(f"/api/v1/datasets/{slug}/versions/2", headers=headers)
        if version.status_code == 200:
            values = _values_shown(version.json()["columns"])
            assert values is may_read(level, who, version=2), who
        listed = client.get(f"/api/v1/datasets/{slug}/versions", headers=headers)
        if listed.status_code == 200:
            shown = [_values_shown(v["columns"]) for v in listed.json()]
            assert shown == [may_read(level, who, 1), may_read(level, who, 2)], who


def _values_shown(columns: list[dict[str, Any]]) -> bool:
    """Extreme values (min/max) are values of the rows: only readers of that version see them."""
    return any((c["stats"] or {}).get("max") is not None for c in columns)


@pytest.mark.parametrize("discoverable", [False, True], ids=["hidden", "discoverable"])
@pytest.mark.parametrize("level", ["internal", "named", "group", "open"])
def test_web_matrix(client: TestClient, world: World, level: str, discoverable: bool) -> None:
    """The same decision on the web pages: dataset page, preview, downloads, access, trail."""
    slug = slug_for(level, discoverable)
    for who in READERS:
        browser = TestClient(client.app)
        if who != "anonymous":
            sign_in(browser, world.members[who])
        page = browser.get(f"/datasets/{slug}")
        assert page.status_code == expected_metadata(level, discoverable, who), who
        if page.status_code == 200:  # the page previews the latest version (2 if restricted)
            previewed = "Dhaka Knit Ltd" in page.text
            latest = 1 if level in {"public", "open"} else 2
            assert previewed is may_read(level, who, version=latest), who
        for fmt in ("csv", "parquet"):
            download = browser.get(f"/datasets/{slug}/versions/1/download?format={fmt}")
            assert download.status_code == expected_rows(level, discoverable, who), (who, fmt)
        manage = expected_manage(level, discoverable, who)
        for path in (f"/datasets/{slug}/access", f"/datasets/{slug}/audit"):
            response = browser.get(path, follow_redirects=False)
            expected = manage
            assert response.status_code == expected, (who, path)
        browser.close()


def test_hidden_datasets_count_nowhere(client: TestClient, world: World) -> None:
    for who in READERS:
        listed = client.get("/api/v1/datasets?page_size=100", headers=world.headers(who)).json()
        slugs = {d["slug"] for d in listed["items"]}
        expected = {
            slug_for(level, disc)
            for level in LEVELS
            for disc in (False, True)
            if expected_metadata(level, disc, who) == 200
        }
        assert slugs == expected, who
        assert listed["total"] == len(expected)
        searched = client.get("/api/v1/datasets?q=payslip", headers=world.headers(who)).json()
        assert searched["total"] == len(expected), who
        org = client.get("/api/v1/organizations/union", headers=world.headers(who)).json()
        assert org["dataset_count"] == len(expected), who
        for access in LEVELS:
            by_level = client.get(f"/api/v1/datasets?access={access}", headers=world.headers(who))
            assert by_level.json()["total"] == len({s for s in expected if f"-{access}" in s})


def test_reads_of_non_open_rows_are_audited(client: TestClient, world: World, node: Node) -> None:
    def count(action: str, outcome: str = "ok") -> int:
        with unit_of_work(node.sessions) as session:
            query = select(func.count()).where(
                AuditRecord.action == action, AuditRecord.outcome == outcome
            )
            return session.scalar(query.select_from(AuditRecord)) or 0

    before = count("rows.read"), count("rows.download")
    headers = world.headers("named_user")
    assert client.get("/api/v1/datasets/ds-named/versions/1/rows", headers=headers).is_success
    assert client.get("/api/v1/datasets/ds-open/versions/1/rows").is_success
    download = client.get("/api/v1/datasets/ds-public/versions/1/download?format=xlsx")
    assert download.is_success
    assert (
        client.get("/api/v1/datasets/ds-internal/versions/1/rows", headers=headers).status_code
        == 404
    )
    assert (count("rows.read"), count("rows.download")) == (before[0] + 1, before[1] + 1)
    assert count("rows.read", "refused") == 1  # the hidden dataset's refusal, for its owner
    trail = client.get(
        "/api/v1/datasets/ds-named/audit?action=rows.", headers=world.headers("owner")
    )
    newest = trail.json()["items"][0]
    assert newest["actor"] == "n.user@journalists.example"
    assert newest["details"]["via"] == "named-grant" and newest["level"] == "named"
    assert world.members["named_user"].token not in trail.text


@pytest.mark.parametrize("level", ["internal", "public"])
def test_write_matrix(client: TestClient, world: World, level: str) -> None:
    slug = f"ds-{level}"
    for who in READERS:
        patch = client.patch(
            f"/api/v1/datasets/{slug}", json={"description": who}, headers=world.headers(who)
        )
        assert patch.status_code == expected_write(level, who), who
        post = client.post(
            f"/api/v1/datasets/{slug}/versions",
            files={"file": ("f.csv", CSV + who.encode() + b",KH,1\n")},
            headers=world.headers(who),
        )
        # An upload is authenticated before its body is read: anonymous is 401 whatever the
        # dataset (hidden or missing alike), so no body is spooled for a stranger.
        expected = 401 if who == "anonymous" else expected_write(level, who)
        assert post.status_code == {200: 201}.get(expected, expected), who


def test_bad_or_revoked_token_is_401(client: TestClient, world: World, node: Node) -> None:
    bad = client.get("/api/v1/datasets", headers={"Authorization": "Bearer lct_nope"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    from laborcommons.access import revoke_token

    token = world.members["owner"].token
    with unit_of_work(node.sessions) as session:
        revoke_token(token, session=session)
    revoked = client.get(
        "/api/v1/datasets/ds-internal", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 401


def test_creating_needs_membership(client: TestClient, world: World) -> None:
    body = {"slug": "new-one", "organization": "union", "title": "T", "data_type": "other"}
    assert client.post("/api/v1/datasets", json=body).status_code == 401
    assert (
        client.post("/api/v1/datasets", json=body, headers=world.headers("other_org")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/datasets", json=body, headers=world.headers("viewer")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/datasets", json=body, headers=world.headers("editor")).status_code
        == 201
    )
    again = client.post("/api/v1/datasets", json=body, headers=world.headers("editor"))
    assert again.status_code == 409
