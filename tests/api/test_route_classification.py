"""Every route of the app (API and web) declares what it can expose, and is probed for it.

A new route without a line in ``EXPOSES`` fails ``test_every_route_is_classified``, so no
path can skip the access matrix. The classes:

- ``rows``: values from a dataset's rows (rows, downloads, previews, link-job results);
  restricted ones are read only through the access decision, audited, and never cached;
- ``evidence``: entity names, identifiers and relations, which come from rows;
- ``answers``: safe aggregates of rows (approved questions: suppressed, noised, budgeted,
  audited), for the question's audience;
- ``metadata``: a dataset's or organization's description (discoverable);
- ``manage``: owners' and editors' tools (grants, trail, findings, linking, uploads);
- ``account``: the reader's own session, tokens and requests;
- ``public``: nothing from any dataset (licenses, the API's own documents, static files).

The probes below use the classes: every dataset route answers a hidden dataset exactly
like a missing one, for anonymous readers and members of other organizations alike; every
``rows`` route marks restricted responses ``private, no-store`` and writes the audit
record; no ``evidence`` or ``rows`` route shows a value of an internal dataset to an outsider.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org
from tests.web.steps import TOKEN, sign_in

EXPOSES: dict[str, str] = {
    # The API's own documents and the static files.
    "GET /api/v1/openapi.json": "public",
    "GET /api/v1/docs": "public",
    "* /api/v1/docs/assets": "public",
    "* /static": "public",
    "GET /api/v1/licenses": "public",
    "POST /api/v1/licenses/choose": "public",
    "GET /licenses": "public",
    "GET /licenses/choose": "public",
    # Harvesting: sources are node admins' tools; remote entries are other catalogs'
    # public metadata, never a local dataset.
    "GET /api/v1/harvest/sources": "manage",
    "POST /api/v1/harvest/sources": "manage",
    "DELETE /api/v1/harvest/sources/{slug}": "manage",
    "POST /api/v1/harvest/sources/{slug}/run": "manage",
    "GET /api/v1/harvest/remote-datasets": "public",
    "GET /harvested": "public",
    # Organizations and datasets: metadata, discoverable by design.
    "GET /api/v1/organizations": "metadata",
    "POST /api/v1/organizations": "manage",
    "GET /api/v1/organizations/{slug}": "metadata",
    "GET /api/v1/datasets": "metadata",
    "POST /api/v1/datasets": "manage",
    "GET /api/v1/datasets/{slug}": "metadata",
    "PATCH /api/v1/datasets/{slug}": "manage",
    "GET /api/v1/datasets/{slug}/versions": "metadata",
    "POST /api/v1/datasets/{slug}/versions": "manage",
    "GET /api/v1/datasets/{slug}/versions/{number}": "metadata",
    "GET /api/v1/datasets/{slug}/versions/{number}/lineage": "metadata",
    "GET /api/v1/datasets/{slug}/versions/{number}/datapackage.json": "metadata",
    "GET /api/v1/datasets/{slug}/versions/{number}/datacite.json": "metadata",
    "GET /api/v1/datasets/{slug}/versions/{number}/datacite.xml": "metadata",
    "POST /api/v1/datasets/{slug}/versions/{number}/doi": "manage",
    "GET /": "metadata",
    "GET /organizations": "metadata",
    "GET /organizations/{slug}": "metadata",
    "GET /datasets": "metadata",
    # Standard exports of the same metadata (docs/standards.md), for crawlers and harvesters.
    "GET /api/v1/catalog": "metadata",
    "GET /catalog.ttl": "metadata",
    "GET /catalog.jsonld": "metadata",
    "GET /catalog.rdf": "metadata",
    "GET /datasets/{slug}.ttl": "metadata",
    "GET /datasets/{slug}.jsonld": "metadata",
    "GET /datasets/{slug}.rdf": "metadata",
    "GET /sitemap.xml": "metadata",
    "GET /robots.txt": "public",
    # CKAN's action API (catalog.ckan): GET and POST, at CKAN's two prefixes.
    "GET /api/3/action/package_search": "metadata",
    "POST /api/3/action/package_search": "metadata",
    "GET /api/3/action/package_show": "metadata",
    "POST /api/3/action/package_show": "metadata",
    "GET /api/3/action/package_list": "metadata",
    "POST /api/3/action/package_list": "metadata",
    "GET /api/3/action/organization_list": "metadata",
    "POST /api/3/action/organization_list": "metadata",
    "GET /api/3/action/organization_show": "metadata",
    "POST /api/3/action/organization_show": "metadata",
    "GET /api/3/action/resource_show": "metadata",
    "POST /api/3/action/resource_show": "metadata",
    "GET /api/3/action/license_list": "public",
    "POST /api/3/action/license_list": "public",
    "GET /api/3/action/status_show": "public",
    "POST /api/3/action/status_show": "public",
    "GET /api/3/action/help_show": "public",
    "POST /api/3/action/help_show": "public",
    "GET /api/action/package_search": "metadata",
    "POST /api/action/package_search": "metadata",
    "GET /api/action/package_show": "metadata",
    "POST /api/action/package_show": "metadata",
    "GET /api/action/package_list": "metadata",
    "POST /api/action/package_list": "metadata",
    "GET /api/action/organization_list": "metadata",
    "POST /api/action/organization_list": "metadata",
    "GET /api/action/organization_show": "metadata",
    "POST /api/action/organization_show": "metadata",
    "GET /api/action/resource_show": "metadata",
    "POST /api/action/resource_show": "metadata",
    "GET /api/action/license_list": "public",
    "POST /api/action/license_list": "public",
    "GET /api/action/status_show": "public",
    "POST /api/action/status_show": "public",
    "GET /api/action/help_show": "public",
    "POST /api/action/help_show": "public",
    # Rows.
    "GET /api/v1/datasets/{slug}/versions/{number}/rows": "rows",
    "GET /api/v1/datasets/{slug}/versions/{number}/download": "rows",
    "GET /api/v1/datasets/{slug}/versions/{number}/original": "rows",
    "GET /datasets/{slug}": "rows",
    "GET /datasets/{slug}/versions/{number}/download": "rows",
    "GET /datasets/{slug}/versions/{number}/original": "rows",
    # Safe answers: approved questions, for their audience.
    "GET /api/v1/datasets/{slug}/questions": "metadata",
    "POST /api/v1/datasets/{slug}/questions": "manage",
    "POST /api/v1/datasets/{slug}/questions/{name}/answers": "answers",
    "GET /api/v1/datasets/{slug}/questions/{name}/log": "manage",
    "POST /api/v1/datasets/{slug}/questions/{name}/publish": "manage",
    "GET /datasets/{slug}/questions": "metadata",
    "POST /datasets/{slug}/questions": "manage",
    "GET /datasets/{slug}/questions/{name}": "metadata",
    "POST /datasets/{slug}/questions/{name}/answers": "answers",
    "POST /datasets/{slug}/questions/{name}/publish": "manage",
    "GET /api/v1/entities/link-jobs/{job_id}": "rows",
    "GET /datasets/{slug}/link/jobs/{job_id}": "rows",
    # Owners' and editors' tools.
    "GET /datasets/{slug}/upload": "manage",
    "POST /datasets/{slug}/upload": "manage",
    "GET /datasets/{slug}/edit": "manage",
    "POST /datasets/{slug}/edit": "manage",
    "GET /datasets/new": "manage",
    "POST /datasets/new": "manage",
    "POST /datasets/{slug}/license": "manage",
    "GET /api/v1/datasets/{slug}/checklist": "manage",
    "GET /api/v1/datasets/{slug}/grants": "manage",
    "POST /api/v1/datasets/{slug}/grants": "manage",
    "POST /api/v1/grants/{grant_id}/revoke": "manage",
    "GET /api/v1/datasets/{slug}/access-requests": "manage",
    "POST /api/v1/access-requests/{request_id}/approve": "manage",
    "POST /api/v1/access-requests/{request_id}/decline": "manage",
    "GET /api/v1/datasets/{slug}/audit": "manage",
    "GET /api/v1/audit/verify": "manage",
    "GET /api/v1/groups": "manage",
    "POST /api/v1/groups": "manage",
    "PUT /api/v1/groups/{slug}/members/{organization}": "manage",
    "DELETE /api/v1/groups/{slug}/members/{organization}": "manage",
    "GET /api/v1/datasets/{slug}/versions/{number}/findings": "manage",
    "POST /api/v1/datasets/{slug}/versions/{number}/findings/{finding_id}/resolution": "manage",
    "POST /api/v1/datasets/{slug}/versions/{number}/kanon": "manage",
    "GET /api/v1/entities/mapping-suggestions": "manage",
    "POST /api/v1/entities/link-jobs": "manage",
    "GET /datasets/{slug}/link": "manage",
    "POST /datasets/{slug}/link": "manage",
    "GET /datasets/{slug}/access": "manage",
    "POST /datasets/{slug}/access/discoverable": "manage",
    "POST /datasets/{slug}/grants": "manage",
    "POST /grants/{grant_id}/revoke": "manage",
    "POST /access-requests/{request_id}/approve": "manage",
    "POST /access-requests/{request_id}/decline": "manage",
    "GET /datasets/{slug}/audit": "manage",
    "GET /groups": "manage",
    "POST /groups": "manage",
    "POST /groups/{slug}/members": "manage",
    "POST /groups/{slug}/members/{organization}/remove": "manage",
    "GET /datasets/{slug}/versions/{number}/privacy": "manage",
    "POST /datasets/{slug}/versions/{number}/findings/{finding_id}/resolve": "manage",
    "POST /datasets/{slug}/versions/{number}/kanon": "manage",
    # Entity evidence: names, identifiers and relations come from rows.
    "GET /api/v1/entities": "evidence",
    "POST /api/v1/entities": "manage",
    "GET /api/v1/entities/changes": "evidence",
    "GET /api/v1/entities/export": "evidence",
    "GET /api/v1/entities/review": "evidence",
    "POST /api/v1/entities/review/bulk": "manage",
    "POST /api/v1/entities/review/{candidate_id}/accept": "manage",
    "POST /api/v1/entities/review/{candidate_id}/reject": "manage",
    "POST /api/v1/entities/relations": "manage",
    "GET /api/v1/entities/{lcid}": "evidence",
    "GET /api/v1/entities.geojson": "evidence",
    "GET /api/v1/entities/{lcid}/places.geojson": "evidence",
    "GET /api/v1/entities/{lcid}/relations": "evidence",
    "GET /api/v1/datasets/{slug}/versions/{number}/facilities.geojson": "rows",
    "PATCH /api/v1/entities/{lcid}": "manage",
    "GET /api/v1/entities/{lcid}/history": "evidence",
    "POST /api/v1/entities/{lcid}/identifiers": "manage",
    "POST /api/v1/entities/{lcid}/merge": "manage",
    "POST /api/v1/entities/{lcid}/split": "manage",
    "GET /api/v1/reconcile": "evidence",
    "POST /api/v1/reconcile": "evidence",
    "GET /api/v1/reconcile/preview": "evidence",
    "GET /api/v1/reconcile/suggest/entity": "evidence",
    "GET /api/v1/reconcile/suggest/type": "public",
    "GET /api/v1/reconcile/suggest/property": "public",
    "GET /api/v1/reconcile/propose_properties": "public",
    "GET /entities": "evidence",
    "GET /entities/{lcid}": "evidence",
    # The entity page's editing forms (docs/web.md): curators' tools over the services.
    "POST /entities/{lcid}/merge": "manage",
    "POST /entities/{lcid}/split": "manage",
    "POST /entities/{lcid}/identifiers": "manage",
    "POST /entities/{lcid}/relations": "manage",
    "GET /review": "evidence",
    "POST /review/bulk": "manage",
    "POST /review/{candidate_id}/{action}": "manage",
    # Evidence: metrics are public definitions; answers are values from rows.
    "GET /api/v1/metrics": "public",
    "POST /api/v1/metrics": "manage",
    "GET /api/v1/metrics/{key}": "public",
    "GET /api/v1/metrics/{key}/answers": "evidence",
    "GET /api/v1/entities/{lcid}/evidence": "evidence",
    "GET /api/v1/deviations": "evidence",
    "POST /api/v1/answers/{answer_id}/verification": "manage",
    "GET /api/v1/answers/{answer_id}/attachments": "evidence",
    "POST /api/v1/answers/{answer_id}/attachments": "manage",
    "GET /api/v1/answers/{answer_id}/attachments/{attachment_id}": "evidence",
    "GET /answers/{answer_id}/attachments": "evidence",
    "POST /answers/{answer_id}/attachments": "manage",
    "GET /answers/{answer_id}/attachments/{attachment_id}": "evidence",
    "GET /api/v1/datasets/{slug}/versions/{number}/metric-mappings": "manage",
    "POST /api/v1/datasets/{slug}/versions/{number}/metric-mappings": "manage",
    "GET /metrics": "public",
    "GET /metrics/{key}": "evidence",
    "GET /deviations": "evidence",
    "POST /answers/{answer_id}/verification": "manage",
    "GET /datasets/{slug}/versions/{number}/metric-mappings": "manage",
    "POST /datasets/{slug}/versions/{number}/metric-mappings": "manage",
    # The reader's own account and requests.
    "GET /api/v1/me": "account",
    "GET /api/v1/tokens": "account",
    "POST /api/v1/tokens": "account",
    "POST /api/v1/tokens/{token_id}/revoke": "account",
    "POST /api/v1/datasets/{slug}/access-requests": "account",
    "GET /api/v1/access-requests": "account",
    "GET /login": "account",
    "POST /login": "account",
    "POST /logout": "account",
    "GET /datasets/{slug}/request-access": "account",
    "POST /datasets/{slug}/request-access": "account",
    "GET /access-requests": "account",
    # Self-service accounts (docs/web.md): sign-up, the reader's account, tokens, resets.
    "GET /signup": "account",
    "POST /signup": "account",
    "GET /account": "account",
    "POST /account/password": "account",
    "POST /account/sign-out-everywhere": "account",
    "POST /account/organizations/{slug}/leave": "account",
    "GET /account/tokens": "account",
    "POST /account/tokens": "account",
    "POST /account/tokens/{token_id}/revoke": "account",
    "GET /password-reset": "account",
    "POST /password-reset": "account",
    "GET /password-reset/{token}": "account",
    "POST /password-reset/{token}": "account",
    "GET /invitations/{token}": "account",
    "POST /invitations/{token}": "account",
    # Registering and running an organization, and the node admin's approvals.
    "GET /organizations/new": "manage",
    "POST /organizations/new": "manage",
    "GET /organizations/{slug}/edit": "manage",
    "POST /organizations/{slug}/edit": "manage",
    "GET /organizations/{slug}/members": "manage",
    "POST /organizations/{slug}/members": "manage",
    "POST /organizations/{slug}/members/{user_id}/role": "manage",
    "POST /organizations/{slug}/members/{user_id}/remove": "manage",
    "GET /admin/organizations": "manage",
    "POST /admin/organizations/{slug}/approve": "manage",
    "GET /admin/reset-links": "manage",
    "POST /admin/reset-links": "manage",
}
KINDS = {"rows", "evidence", "answers", "metadata", "manage", "account", "public"}

SECRET = "Zzyzx Hidden Knitwear"
SECRET_CSV = f"facility,country,address\n{SECRET},BD,Plot 9 Tongi Gazipur\n"
MISSING = "no-such-dataset"
HIDDEN = "hidden-list"


def app_routes(client: TestClient) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app answers; mounts (static files) as ``*``."""
    for route in iter_route_contexts(client.app.router.routes):  # type: ignore[attr-defined]
        methods = sorted((route.methods or {"*"}) - {"HEAD"})
        for method in methods:
            yield method, route.path


def test_every_route_is_classified(client: TestClient) -> None:
    answered = {f"{method} {path}" for method, path in app_routes(client)}
    unclassified = sorted(answered - set(EXPOSES))
    assert not unclassified, f"classify these routes in EXPOSES: {unclassified}"
    stale = sorted(set(EXPOSES) - answered)
    assert not stale, f"EXPOSES names routes the app no longer has: {stale}"
    assert set(EXPOSES.values()) <= KINDS


@dataclass
class World:
    owner: Member
    outsider: Member
    job_id: int


@pytest.fixture
def world(node: Node, client: TestClient, tmp_path: Path) -> World:
    make_org(node, "union")
    make_org(node, "rival")
    owner = make_member(node, "owner@union.example", "union", "owner")
    outsider = make_member(node, "owner@rival.example", "rival", "owner")
    make_dataset(node, HIDDEN, "union", access="internal")
    path = tmp_path / "list.csv"
    path.write_text(SECRET_CSV, encoding="utf-8")
    ingest(node, HIDDEN, path)
    job = client.post(
        "/api/v1/entities/link-jobs",
        json={
            "dataset": HIDDEN,
            "kind": "facility",
            "mapping": {"name": "facility", "country": "country", "address": "address"},
        },
        headers=owner.headers,
    )
    assert job.status_code == 202, job.text
    return World(owner=owner, outsider=outsider, job_id=int(job.json()["id"]))


def concrete(path: str, slug: str, world: World) -> str:
    """Fill a route's placeholders; ids other than the dataset's name nothing in particular."""
    values = {"slug": slug, "number": "1", "job_id": str(world.job_id), "organization": "rival"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def call(client: TestClient, method: str, url: str, headers: dict[str, str]) -> object:
    if method == "GET":
        return client.get(url, headers=headers, follow_redirects=False)
    if url.startswith("/api/"):
        return client.request(method, url, json={}, headers=headers, follow_redirects=False)
    # Web forms carry the session's CSRF token, so the answer is about the dataset.
    token = TOKEN.search(client.get("/login").text)
    data = {"csrf_token": token.group(1) if token else ""}
    return client.request(method, url, data=data, headers=headers, follow_redirects=False)


def browser_as(client: TestClient, world: World, who: str) -> tuple[TestClient, dict[str, str]]:
    """A browser (signed in for an outsider) and the matching API headers."""
    browser = TestClient(client.app)
    if who != "outsider":
        return browser, {}
    sign_in(browser, world.outsider)
    browser.get("/")  # shows (and so clears) the "signed in" notice
    return browser, world.outsider.headers


def dataset_routes() -> list[tuple[str, str]]:
    pairs = [key.split(" ", 1) for key in EXPOSES]
    return [
        (m, p)
        for m, p in pairs
        if "{slug}" in p and "/groups/" not in p and "organizations" not in p
    ]


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_hidden_dataset_answers_like_a_missing_one(
    client: TestClient, world: World, who: str
) -> None:
    browser, headers = browser_as(client, world, who)
    differ = []
    for method, path in dataset_routes():
        api = path.startswith("/api/")
        asker = client if api else browser
        sent = headers if api else {}
        hidden = call(asker, method, concrete(path, HIDDEN, world), sent)
        missing = call(asker, method, concrete(path, MISSING, world), sent)
        hidden_text = hidden.text.replace(HIDDEN, MISSING)  # type: ignore[attr-defined]
        if (hidden.status_code, hidden_text) != (missing.status_code, missing.text):  # type: ignore[attr-defined]
            differ.append(f"{method} {path}: {hidden.status_code} vs {missing.status_code}")  # type: ignore[attr-defined]
    browser.close()
    assert not differ, differ


CKAN_PREFIXES = ("/api/3/action/", "/api/action/")


def ckan_probe(path: str, slug: str) -> dict[str, str]:
    """The parameter through which a CKAN action names a dataset (none for the others)."""
    action = path.rpartition("/")[2]
    if action == "resource_show":
        return {"id": f"union~{slug}~1~csv"}
    if action == "package_search":
        return {"q": slug, "fq": f"name:union_{slug}"}
    return {"id": slug} if action.endswith("_show") else {}


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_ckan_actions_answer_a_hidden_dataset_like_a_missing_one(
    client: TestClient, world: World, who: str
) -> None:
    """The probe above fills path placeholders; CKAN's actions take the dataset as a query
    parameter (GET) or a JSON body (POST), so they are probed here, every one of them."""
    headers = world.outsider.headers if who == "outsider" else {}
    routes = [k.split(" ", 1) for k in EXPOSES if k.split(" ", 1)[1].startswith(CKAN_PREFIXES)]
    assert len(routes) >= 32
    differ = []
    for method, path in routes:
        answers = []
        for slug in (HIDDEN, MISSING):
            params = ckan_probe(path, slug)
            if method == "GET":
                answers.append(client.get(path, params=params, headers=headers))
            else:
                answers.append(client.post(path, json=params, headers=headers))
        hidden, missing = answers
        if (hidden.status_code, hidden.text.replace(HIDDEN, MISSING)) != (
            missing.status_code,
            missing.text,
        ):
            differ.append(f"{method} {path}: {hidden.status_code} vs {missing.status_code}")
    assert not differ, differ


def audit_count(node: Node) -> int:
    with unit_of_work(node.sessions) as session:
        return session.scalar(select(func.count()).select_from(AuditRecord)) or 0


def test_restricted_rows_are_private_and_audited(
    client: TestClient, world: World, node: Node
) -> None:
    browser = TestClient(client.app)
    sign_in(browser, world.owner)
    browser.get("/")
    reads = [(m, p) for m, p in (k.split(" ", 1) for k, v in EXPOSES.items() if v == "rows")]
    assert reads
    problems = []
    for method, path in reads:
        api = path.startswith("/api/")
        before = audit_count(node)
        response = call(
            client if api else browser,
            method,
            concrete(path, HIDDEN, world),
            world.owner.headers if api else {},
        )
        cache = response.headers.get("cache-control", "")  # type: ignore[attr-defined]
        if response.status_code != 200:  # type: ignore[attr-defined]
            problems.append(f"{method} {path}: {response.status_code}")  # type: ignore[attr-defined]
        elif "no-store" not in cache or "private" not in cache:
            problems.append(f"{method} {path}: Cache-Control {cache!r}")
        elif audit_count(node) == before:
            problems.append(f"{method} {path}: no audit record")
    browser.close()
    assert not problems, problems


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_outsiders_see_no_value_of_internal_rows(
    client: TestClient, world: World, who: str
) -> None:
    browser, headers = browser_as(client, world, who)
    queries = {
        "/api/v1/entities": "?q=Zzyzx",
        "/entities": "?q=Zzyzx",
        "/api/v1/reconcile": '?queries={"q0":{"query":"Zzyzx Hidden"}}',
        "/api/v1/reconcile/suggest/entity": "?prefix=Zzyzx",
    }
    leaks = []
    for key, kind in EXPOSES.items():
        method, path = key.split(" ", 1)
        if kind not in {"rows", "evidence", "metadata"} or method != "GET":
            continue
        api = path.startswith("/api/")
        url = concrete(path, HIDDEN, world) + queries.get(path, "")
        response = call(client if api else browser, method, url, headers if api else {})
        text = response.text  # type: ignore[attr-defined]
        if SECRET in text or "Plot 9 Tongi" in text:
            leaks.append(path)
    browser.close()
    assert not leaks, leaks
