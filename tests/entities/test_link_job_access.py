"""A link job's result holds row values: reading it is a row read (decided and audited),
and a job a reader may not read answers exactly like a missing one."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access.models import AuditRecord
from laborcommons.core.db import unit_of_work
from laborcommons.entities.schemas import LinkJobPublic
from tests.entities.conftest import StandIn, World, link
from tests.factories import ingest, make_dataset
from tests.web.steps import sign_in

WORKERS = "name,address\nSecret Knitwear Ltd,Plot 9 Hidden Road\n"


def _internal_dry_run(world: World, *, discoverable: bool) -> LinkJobPublic:
    make_dataset(world.node, "case-files", "garment-union", discoverable=discoverable)
    path = world.files / "case-files.csv"
    path.write_text(WORKERS, encoding="utf-8")
    ingest(world.node, "case-files", path)
    job = link(world.node, "case-files", dry_run=True)
    assert job.status == "done" and job.outcomes, job
    return job


def _message(page: str) -> str:
    found = re.search(r'<p class="error-message">(.*?)</p>', page)
    assert found, page
    return found.group(1)


def _reads(world: World, job_id: int) -> list[AuditRecord]:
    with unit_of_work(world.node.sessions) as session:
        query = select(AuditRecord).where(AuditRecord.action == "link-job.read")
        return [r for r in session.scalars(query) if (r.details or {}).get("job") == job_id]


@pytest.mark.parametrize("discoverable", [True, False])
def test_readers_who_may_not_read_the_rows_get_the_missing_job_answer(
    client: TestClient, world: World, stand_in_engine: StandIn, discoverable: bool
) -> None:
    job = _internal_dry_run(world, discoverable=discoverable)
    missing = client.get("/api/v1/entities/link-jobs/999999", headers=world.outsider.headers)
    assert missing.status_code == 404
    for headers in ({}, world.outsider.headers):
        answer = client.get(f"/api/v1/entities/link-jobs/{job.id}", headers=headers)
        assert answer.status_code == 404
        assert answer.json() == {
            **missing.json(),
            "error": {
                **missing.json()["error"],
                "message": missing.json()["error"]["message"].replace("999999", str(job.id)),
            },
        }
        assert "case-files" not in answer.text and "Secret" not in answer.text
    assert _reads(world, job.id) == []


def test_a_member_who_may_read_the_rows_reads_the_job_and_it_is_audited(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    job = _internal_dry_run(world, discoverable=True)
    answer = client.get(f"/api/v1/entities/link-jobs/{job.id}", headers=world.viewer.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["outcomes"][0]["name"] == "Secret Knitwear Ltd"
    (read,) = _reads(world, job.id)
    assert read.dataset_id is not None and read.version_id is not None


def test_the_web_job_page_follows_the_same_decision(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    job = _internal_dry_run(world, discoverable=True)
    page = f"/datasets/case-files/link/jobs/{job.id}"
    anonymous = client.get(page)
    assert anonymous.status_code == 404 and "Secret" not in anonymous.text
    sign_in(client, world.outsider)
    outsider = client.get(page)
    assert outsider.status_code == 404 and "Secret" not in outsider.text
    client.cookies.clear()
    sign_in(client, world.viewer)
    other = client.get(f"/datasets/suppliers/link/jobs/{job.id}")
    missing = client.get("/datasets/suppliers/link/jobs/999999")
    assert other.status_code == missing.status_code == 404
    assert _message(other.text).replace(f"job {job.id}", "job N") == _message(missing.text).replace(
        "job 999999", "job N"
    )
    shown = client.get(page)
    assert shown.status_code == 200 and "Secret Knitwear Ltd" in shown.text
    assert len(_reads(world, job.id)) >= 1
