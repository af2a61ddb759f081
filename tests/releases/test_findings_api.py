"""PII findings on ingest, the publishing rule, each resolution and its audit record."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from laborcommons.privacy.models import PseudonymDomain
from tests.releases.conftest import AGGREGATES, GRIEVANCES, Org, upload

API = "/api/v1/datasets"
RAW_EMAILS = [row.split(",")[1] for row in GRIEVANCES.splitlines()[1:]]


def findings(client: TestClient, org: Org, slug: str, number: int) -> dict:
    response = client.get(f"{API}/{slug}/versions/{number}/findings", headers=org.owner.headers)
    assert response.status_code == 200, response.text
    return response.json()


def finding_for(result: dict, column: str) -> dict:
    return next(f for f in result["findings"] if f["column"] == column)


def resolve(client: TestClient, org: Org, slug: str, number: int, finding: int, **body: object):
    return client.post(
        f"{API}/{slug}/versions/{number}/findings/{finding}/resolution",
        json=body,
        headers=org.owner.headers,
    )


def rows(client: TestClient, slug: str, number: int, headers: dict[str, str] | None = None):
    return client.get(f"{API}/{slug}/versions/{number}/rows?_size=100", headers=headers or {})


def audit_actions(node: Node) -> list[tuple[str, dict]]:
    with unit_of_work(node.sessions) as session:
        records = session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
        return [(r.action, r.details) for r in records if r.action.startswith(("pii.", "pseud"))]


def test_ingest_finds_emails_and_phones_with_masked_examples(
    client: TestClient, org: Org, grievances: str
):
    result = findings(client, org, grievances, 1)
    kinds = {(f["column"], f["kind"]) for f in result["findings"]}
    assert ("email", "email") in kinds
    assert ("phone", "phone") in kinds
    assert ("worker_name", "person-name") in kinds
    assert {"factory", "wage_bdt", "joined", "issue"}.isdisjoint(c for c, _ in kinds)
    email = finding_for(result, "email")
    assert email["count"] == 12 and email["share"] == 1.0 and email["status"] == "open"
    shown = " ".join(f"{e}" for f in result["findings"] for e in f["examples"])
    assert shown and not any(raw.lower() in shown.lower() for raw in RAW_EMAILS)
    assert "email" in result["withheld_columns"] and "phone" in result["withheld_columns"]


def test_clean_aggregates_have_no_findings(client: TestClient, org: Org, node: Node):
    from tests.factories import make_dataset

    make_dataset(node, "district-wages", "garment-union", coverage=["BD"])
    assert upload(client, org.owner, "district-wages", AGGREGATES).status_code == 201
    result = findings(client, org, "district-wages", 1)
    assert result["findings"] == [] and result["withheld_columns"] == []


def test_a_version_with_open_findings_cannot_become_public(
    client: TestClient, org: Org, grievances: str
):
    for level in ("public", "open"):
        response = client.patch(
            f"{API}/{grievances}", json={"access": level}, headers=org.owner.headers
        )
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert "email" in error["message"] and "phone" in error["message"]
        assert set(error["details"]["columns"]) >= {"email", "phone"}
    assert client.get(f"{API}/{grievances}", headers=org.owner.headers).json()["access"] == (
        "internal"
    )


def test_drop_derives_a_version_without_the_column(
    client: TestClient, org: Org, grievances: str, node: Node
):
    phone = finding_for(findings(client, org, grievances, 1), "phone")
    response = resolve(client, org, grievances, 1, phone["id"], action="drop")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"]["version"] == 2 and body["finding"]["resulting_version"] == 2
    assert "phone" not in [c["name"] for c in body["version"]["columns"]]
    derived = rows(client, grievances, 2, org.owner.headers).json()
    assert len(derived["rows"]) == 12 and "phone" not in derived["rows"][0]
    assert derived["rows"][0]["wage_bdt"] == 12500  # other columns keep their type
    after = findings(client, org, grievances, 2)
    assert "phone" not in after["withheld_columns"] and "email" in after["withheld_columns"]
    steps = after["lineage"]["steps"]
    assert [s["version"] for s in steps] == [2, 1]
    assert steps[0]["derivation"]["action"] == "drop"
    assert steps[0]["derivation"]["source"] == {"dataset": grievances, "version": 1}
    source = findings(client, org, grievances, 1)
    assert finding_for(source, "phone")["status"] == "resolved"
    assert "phone" in source["withheld_columns"]  # version 1 still holds the numbers
    assert ("pii.drop", {**audit_actions(node)[-1][1]}) == audit_actions(node)[-1]
    assert audit_actions(node)[-1][1]["column"] == "phone"


def test_resolving_twice_is_a_conflict(client: TestClient, org: Org, grievances: str):
    phone = finding_for(findings(client, org, grievances, 1), "phone")
    assert resolve(client, org, grievances, 1, phone["id"], action="drop").status_code == 200
    again = resolve(client, org, grievances, 1, phone["id"], action="drop")
    assert again.status_code == 409
    assert resolve(client, org, grievances, 1, 999_999, action="drop").status_code == 404


def test_pseudonyms_are_keyed_consistent_and_per_domain(
    client: TestClient, org: Org, grievances: str, node: Node
):
    email = finding_for(findings(client, org, grievances, 1), "email")
    first = resolve(client, org, grievances, 1, email["id"], action="pseudonymize", domain="a")
    assert first.status_code == 200, first.text
    values = [r["email"] for r in rows(client, grievances, 2, org.owner.headers).json()["rows"]]
    assert len(set(values)) == 12 and not set(values) & set(RAW_EMAILS)
    assert all(len(v) == 20 and "@" not in v for v in values)
    # The same domain again (from version 1, on another finding path) gives the same values;
    # another domain unrelated ones.
    with unit_of_work(node.sessions) as session:
        domain = session.scalar(select(PseudonymDomain).where(PseudonymDomain.name == "a"))
        assert domain is not None and domain.wrapped_key.startswith("lck1.")
    from laborcommons.access import NODE_ADMIN
    from laborcommons.releases.derive import version_table
    from laborcommons.releases.domains import pseudonymize_column

    with unit_of_work(node.sessions) as session:
        from laborcommons.catalog import service as catalog

        source = catalog.get_version(grievances, 1, reader=NODE_ADMIN, session=session)
        table = version_table(source, node)
        org_id = source.dataset.organization_id
        same = pseudonymize_column(
            table,
            "email",
            domain="a",
            organization_id=org_id,
            reader=NODE_ADMIN,
            node=node,
            session=session,
        )
        other = pseudonymize_column(
            table,
            "email",
            domain="b",
            organization_id=org_id,
            reader=NODE_ADMIN,
            node=node,
            session=session,
        )
    assert same.column("email").to_pylist() == values
    assert not set(other.column("email").to_pylist()) & set(values)
    actions = [a for a, _ in audit_actions(node)]
    assert "pii.pseudonymize" in actions and actions.count("pseudonym-domain.create") == 2


def test_generalize_with_a_hierarchy_and_refuse_a_value_it_lacks(
    client: TestClient, org: Org, grievances: str
):
    phone = finding_for(findings(client, org, grievances, 1), "phone")
    bad = resolve(
        client,
        org,
        grievances,
        1,
        phone["id"],
        action="generalize",
        hierarchy={"kind": "arx", "csv": "+880 1712-345678;BD mobile;*"},
    )
    assert bad.status_code == 422
    assert "not in its hierarchy" in bad.json()["error"]["message"]
    assert (
        client.get(f"{API}/{grievances}/versions", headers=org.owner.headers).json()[-1]["version"]
        == 1
    )  # nothing was written
    good = resolve(
        client,
        org,
        grievances,
        1,
        phone["id"],
        action="generalize",
        hierarchy={"kind": "suppress"},
        level=1,
    )
    assert good.status_code == 200, good.text
    values = {r["phone"] for r in rows(client, grievances, 2, org.owner.headers).json()["rows"]}
    assert values == {"*"}
    assert good.json()["finding"]["parameters"] == {"hierarchy": {"kind": "suppress"}, "level": 1}


def test_accept_needs_a_justification_and_is_audited(
    client: TestClient, org: Org, grievances: str, node: Node
):
    email = finding_for(findings(client, org, grievances, 1), "email")
    missing = resolve(client, org, grievances, 1, email["id"], action="accept")
    assert missing.status_code == 422
    short = resolve(client, org, grievances, 1, email["id"], action="accept", justification="ok")
    assert short.status_code == 422
    why = "Union contact addresses, published with each member's written consent."
    done = resolve(client, org, grievances, 1, email["id"], action="accept", justification=why)
    assert done.status_code == 200, done.text
    assert done.json()["version"] is None and done.json()["finding"]["justification"] == why
    assert "email" not in findings(client, org, grievances, 1)["withheld_columns"]
    action, details = audit_actions(node)[-1]
    assert action == "pii.accept" and details["justification"] == why


def test_resolve_all_then_publish_and_withhold_the_original(
    client: TestClient, org: Org, grievances: str
):
    first = findings(client, org, grievances, 1)
    email = finding_for(first, "email")
    assert (
        resolve(client, org, grievances, 1, email["id"], action="pseudonymize").status_code == 200
    )
    second = findings(client, org, grievances, 2)
    phone = finding_for(second, "phone")
    assert resolve(client, org, grievances, 2, phone["id"], action="drop").status_code == 200
    third = findings(client, org, grievances, 3)
    for f in third["findings"]:  # e.g. the names, if the scanner reports them
        why = "Names of union representatives who agreed to be named publicly."
        assert (
            resolve(
                client, org, grievances, 3, f["id"], action="accept", justification=why
            ).status_code
            == 200
        )
    assert findings(client, org, grievances, 3)["withheld_columns"] == []
    published = client.patch(
        f"{API}/{grievances}", json={"access": "public"}, headers=org.owner.headers
    )
    assert published.status_code == 200, published.text
    latest = rows(client, grievances, 3)
    assert latest.status_code == 200 and "phone" not in latest.json()["rows"][0]
    metadata = (
        client.get(f"{API}/{grievances}").text + client.get(f"{API}/{grievances}/versions").text
    )
    raw = [*RAW_EMAILS, "+880 1712-345678", "01812 345 679", "Rahima Begum"]
    assert not [value for value in raw if value in metadata]  # no stats, no allowed values
    for number in (1, 2):  # they still hold e-mails or phone numbers
        withheld = rows(client, grievances, number)
        assert withheld.status_code == 403
        assert "withheld" in withheld.json()["error"]["message"]
        download = client.get(f"{API}/{grievances}/versions/{number}/download")
        assert download.status_code == 403
        assert rows(client, grievances, number, org.outsider.headers).status_code == 403
        assert rows(client, grievances, number, org.viewer.headers).status_code == 200
    lineage = client.get(f"{API}/{grievances}/versions/3/lineage", headers=org.owner.headers)
    assert [s["version"] for s in lineage.json()["steps"]] == [3, 2, 1]
    assert [s["derivation"]["action"] for s in lineage.json()["steps"][:2]] == [
        "drop",
        "pseudonymize",
    ]


def test_upload_with_pii_to_a_public_dataset_is_refused(client: TestClient, org: Org, node: Node):
    from tests.factories import make_dataset

    make_dataset(
        node, "open-wages", "garment-union", access="open", license="CC-BY-4.0", coverage=["BD"]
    )
    assert upload(client, org.owner, "open-wages", AGGREGATES).status_code == 201
    stored = node.store.all_digests()
    refused = upload(client, org.owner, "open-wages", GRIEVANCES)
    assert refused.status_code == 422
    assert node.store.all_digests() == stored  # nothing half-written
    assert "email" in refused.json()["error"]["message"]
    versions = client.get(f"{API}/open-wages/versions").json()
    assert [v["version"] for v in versions] == [1]
    exported = client.get(f"{API}/open-wages/versions/1/download?format=csv").text
    assert len(list(csv.reader(io.StringIO(exported)))) == 5


def test_acceptance_carries_to_derived_versions(
    client: TestClient, org: Org, grievances: str, node: Node
):
    ids = {f["column"]: f["id"] for f in findings(client, org, grievances, 1)["findings"]}
    why = "Names of union representatives who agreed in writing to be named."
    accepted = resolve(
        client, org, grievances, 1, ids["worker_name"], action="accept", justification=why
    )
    assert accepted.status_code == 200
    assert resolve(client, org, grievances, 1, ids["email"], action="drop").status_code == 200
    derived = findings(client, org, grievances, 2)
    names = finding_for(derived, "worker_name")
    assert names["status"] == "resolved" and names["resolution"] == "accept"
    assert names["justification"] == why and not names["blocks_release"]
    assert finding_for(derived, "phone")["status"] == "open"  # only acceptances carry
    carried = [
        d for a, d in audit_actions(node) if a == "pii.accept" and d.get("carried_from_finding")
    ]
    assert [d["carried_from_finding"] for d in carried] == [ids["worker_name"]]


def test_every_format_is_scanned_with_the_coverage_as_phone_hint(
    client: TestClient, org: Org, node: Node
):
    from tests.factories import make_dataset

    local = [f"0{n} 345 6{n:02d}" for n in range(12, 24)]  # Cambodian numbers, no +855
    rows = [{"hotline": number, "site": f"Site {i}"} for i, number in enumerate(local)]
    body = "\n".join(json.dumps(row) for row in rows)
    for slug, coverage in (("kh-sites", ["KH"]), ("sites", [])):
        make_dataset(node, slug, "garment-union", coverage=coverage)
        assert upload(client, org.owner, slug, body, name="sites.jsonl").status_code == 201
    kinds = {(f["column"], f["kind"]) for f in findings(client, org, "kh-sites", 1)["findings"]}
    assert ("hotline", "phone") in kinds
    assert findings(client, org, "sites", 1)["findings"] == []


def test_a_derived_version_keeps_the_other_columns_types_and_values(
    client: TestClient, org: Org, node: Node
):
    from tests.factories import make_dataset

    text = "contact,reported_at,hours,overtime_rate,closed\n" + "".join(
        f"worker{i}@example.org,2024-03-{i + 1:02d} 08:{i:02d}:30,{40 + i},{1.25 + i / 8},"
        f"{'true' if i % 2 else 'false'}\n"
        for i in range(8)
    )
    make_dataset(node, "hotline", "garment-union", coverage=["BD"])
    assert upload(client, org.owner, "hotline", text).status_code == 201
    contact = finding_for(findings(client, org, "hotline", 1), "contact")
    assert resolve(client, org, "hotline", 1, contact["id"], action="drop").status_code == 200
    before = rows(client, "hotline", 1, org.owner.headers).json()
    after = rows(client, "hotline", 2, org.owner.headers).json()
    types = {c["name"]: c["type"] for c in before["columns"]}
    assert {c["name"]: c["type"] for c in after["columns"]} == {
        k: v for k, v in types.items() if k != "contact"
    }
    assert [{k: v for k, v in r.items() if k != "contact"} for r in before["rows"]] == after["rows"]
