"""Parallel uploads over HTTP from real threads: numbers, twins and shared objects.

A barrier after the (slow) read into Parquet lines the uploads up, so they reach the
version numbering together, as busy clients would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service import versions as versions_service
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org

THREADS = 4


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union")
    make_dataset(node, "wages", "garment-union")
    return make_member(node, "owner@union.example", "garment-union", "owner")


def wages_csv(tag: int) -> bytes:
    lines = ["factory,country,monthly_wage"]
    lines += [f"Factory {tag}-{i},BD,{90 + i}" for i in range(200)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def lined_up(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Make the next ``n`` uploads wait for each other once their Parquet is read."""

    def line_up(parties: int) -> None:
        barrier = threading.Barrier(parties, timeout=120)
        original = versions_service.read_to_parquet

        def read_then_wait(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            barrier.wait()
            return result

        monkeypatch.setattr(versions_service, "read_to_parquet", read_then_wait)

    return line_up


def upload_all(client: TestClient, owner: Member, slug: str, bodies: list[bytes]) -> list[Any]:
    def one(body: bytes) -> Any:
        return client.post(
            f"/api/v1/datasets/{slug}/versions",
            files={"file": ("wages.csv", body)},
            headers=owner.headers,
        )

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def version_count(node: Node) -> int:
    with unit_of_work(node.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(DatasetVersion)) or 0)


def test_parallel_uploads_get_distinct_contiguous_numbers(
    client: TestClient, owner: Member, node: Node, lined_up: Callable[[int], None]
) -> None:
    lined_up(THREADS)
    responses = upload_all(client, owner, "wages", [wages_csv(i) for i in range(THREADS)])
    assert [r.status_code for r in responses] == [201] * THREADS, [r.text for r in responses]
    assert sorted(r.json()["version"] for r in responses) == list(range(1, THREADS + 1))
    listed = client.get("/api/v1/datasets/wages/versions", headers=owner.headers).json()
    assert [v["version"] for v in listed] == list(range(1, THREADS + 1))
    for number in range(1, THREADS + 1):
        rows = client.get(f"/api/v1/datasets/wages/versions/{number}/rows", headers=owner.headers)
        assert rows.status_code == 200 and rows.json()["total"] == 200


def test_identical_parallel_uploads_make_one_version(
    client: TestClient, owner: Member, node: Node, lined_up: Callable[[int], None]
) -> None:
    lined_up(THREADS)
    responses = upload_all(client, owner, "wages", [wages_csv(7)] * THREADS)
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * (THREADS - 1) + [201], [r.text for r in responses]
    assert {r.json()["version"] for r in responses} == {1}
    assert version_count(node) == 1


@pytest.fixture
def refused_first(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, threading.Event]]:
    """The upload to ``public-wages`` is refused (PII) only after the upload of the same
    content to ``wages`` has staged it, and that one goes on only after the refusal."""
    events = {name: threading.Event() for name in ("a_scanning", "b_scanning", "a_done")}
    original = versions_service._scan_for_pii

    def scan(dataset: Any, *args: Any, **kwargs: Any) -> Any:
        if dataset.slug == "public-wages":
            events["a_scanning"].set()
            events["b_scanning"].wait(timeout=5)  # on SQLite the database lock serializes
        else:
            events["b_scanning"].set()
            events["a_done"].wait(timeout=60)
        return original(dataset, *args, **kwargs)

    monkeypatch.setattr(versions_service, "_scan_for_pii", scan)
    yield events


def test_a_refused_upload_never_removes_an_object_a_concurrent_upload_uses(
    client: TestClient, owner: Member, node: Node, refused_first: dict[str, threading.Event]
) -> None:
    make_dataset(node, "public-wages", "garment-union", access="public", license="CC-BY-NC-4.0")
    lines = ["worker_email,factory,monthly_wage"]
    lines += [f"worker{i}@mail.example,Factory {i},{90 + i}" for i in range(50)]
    body = ("\n".join(lines) + "\n").encode()

    def upload(slug: str) -> Any:
        return client.post(
            f"/api/v1/datasets/{slug}/versions",
            files={"file": ("wages.csv", body)},
            headers=owner.headers,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        refused = pool.submit(upload, "public-wages")
        assert refused_first["a_scanning"].wait(timeout=120)
        accepted = pool.submit(upload, "wages")
        assert refused.result().status_code == 422, refused.result().text
        refused_first["a_done"].set()
        assert accepted.result().status_code == 201, accepted.result().text
    rows = client.get("/api/v1/datasets/wages/versions/1/rows", headers=owner.headers)
    assert rows.status_code == 200 and rows.json()["total"] == 50
    download = client.get(
        "/api/v1/datasets/wages/versions/1/download",
        params={"format": "csv"},
        headers=owner.headers,
    )
    assert download.status_code == 200 and b"worker49@mail.example" in download.content
