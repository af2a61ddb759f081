"""A link job whose process is gone ends as failed when read, and the version can be linked
again; a job whose process still runs is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from fastapi.testclient import TestClient

from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.entities.models import LinkJob
from laborcommons.entities.service.liveness import GONE, worker_host
from tests.entities.conftest import StandIn, World

BODY = {"dataset": "suppliers", "kind": "facility"}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the pid names no process any more
    return child.pid


def _running_job(world: World, **worker: object) -> int:
    with unit_of_work(world.node.sessions) as session:
        version = session.query(DatasetVersion).join(Dataset).filter(Dataset.slug == "suppliers")
        job = LinkJob(
            version_id=version.one().id,
            kind="facility",
            mapping={"name": "Facility Name"},
            upper=0.95,
            lower=0.5,
            status="running",
            total=5,
            processed=1,
            created_by="editor@union.example",
            **worker,
        )
        session.add(job)
        session.flush()
        return job.id


def test_a_job_whose_process_died_reads_failed_and_can_be_started_again(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    job_id = _running_job(
        world, worker_pid=_dead_pid(), worker_host=worker_host(), heartbeat_at=utcnow()
    )
    read = client.get(f"/api/v1/entities/link-jobs/{job_id}", headers=world.editor.headers)
    assert read.status_code == 200
    assert read.json()["status"] == "failed" and read.json()["error"] == GONE
    retry = client.post("/api/v1/entities/link-jobs", json=BODY, headers=world.editor.headers)
    assert retry.status_code == 202, retry.text
    done = client.get(f"/api/v1/entities/link-jobs/{retry.json()['id']}")
    assert done.json()["status"] == "done" and done.json()["counts"]["new"] == 5


def test_starting_again_ends_a_dead_job_it_finds_running(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    stale = utcnow() - timedelta(days=1)
    job_id = _running_job(world, worker_pid=4242, worker_host="elsewhere/boot", heartbeat_at=stale)
    retry = client.post("/api/v1/entities/link-jobs", json=BODY, headers=world.editor.headers)
    assert retry.status_code == 202, retry.text
    with unit_of_work(world.node.sessions) as session:
        job = session.get_one(LinkJob, job_id)
        assert (job.status, job.error) == ("failed", GONE)


def test_a_job_whose_process_runs_stays_running_and_is_not_started_twice(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    job_id = _running_job(
        world, worker_pid=os.getpid(), worker_host=worker_host(), heartbeat_at=utcnow()
    )
    read = client.get(f"/api/v1/entities/link-jobs/{job_id}")
    assert read.json()["status"] == "running" and read.json()["error"] is None
    again = client.post("/api/v1/entities/link-jobs", json=BODY, headers=world.editor.headers)
    assert again.status_code == 409 and f"link job {job_id}" in again.json()["error"]["message"]


def test_a_job_run_to_the_end_records_its_worker(
    client: TestClient, world: World, stand_in_engine: StandIn
) -> None:
    created = client.post("/api/v1/entities/link-jobs", json=BODY, headers=world.editor.headers)
    with unit_of_work(world.node.sessions) as session:
        job = session.get_one(LinkJob, created.json()["id"])
        assert (job.worker_pid, job.worker_host) == (os.getpid(), worker_host())
        assert job.heartbeat_at is not None
