"""Encryption at rest, end to end over HTTP: nothing restricted is readable from the disk.

The raw-disk checks read every file under the node home (objects, enc/, staging, tmp/,
key files; all but the metadata database, see docs/encryption.md) and look for marker
strings from the upload and for byte runs of the Parquet's column chunks. A positive
control (the same scan after the level goes to ``open``) shows the scan would see them.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog import service
from laborcommons.catalog.service.encryption import reseal_all, version_parquet_bytes
from laborcommons.catalog.service.rotation import rotate_master_key
from laborcommons.core.crypto import read_key_file, write_key_file
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import CorruptObject, KeyUnavailable
from laborcommons.core.node import Node
from laborcommons.core.store import SealedObject
from tests.factories import Member, make_member, make_org

MARKERS = [
    "Zyxwq-Ωmega-Жукова-7731",
    "Nguyễn Thị Hằng ZQ-88",
    "ราชบุรี-ZQ-4410",
    "Müller-Łódź ZQ 19",
    "أحمد-ZQ-502",
]


def messy_csv(markers: list[str] = MARKERS, copies: int = 40) -> bytes:
    """Worker-level wages: names in several scripts, typos, a quoted comma, a blank cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["worker_name", "factory", "country", "monthly_wage", "grievance"])
    for i in range(copies):
        for j, marker in enumerate(markers):
            factory = ["Dhaka Knit Ltd", "Dhaka Knitt Ltd.", "Saigon Aparel JSC"][(i + j) % 3]
            note = "" if (i + j) % 4 == 0 else f"unpaid overtime, week {i % 52}"
            writer.writerow([f"{marker}-{i}", factory, ["BD", "VN", "KH"][j % 3], 95 + i, note])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def owner(node: Node) -> Member:
    make_org(node, "garment-union")
    return make_member(node, "owner@union.example", "garment-union", "owner")


def create(client: TestClient, owner: Member, slug: str, **fields: object) -> None:
    body = {
        "slug": slug,
        "organization": "garment-union",
        "title": slug.title(),
        "data_type": "working-conditions",
        **fields,
    }
    response = client.post("/api/v1/datasets", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text


def upload(client: TestClient, owner: Member, slug: str, content: bytes) -> dict:
    response = client.post(
        f"/api/v1/datasets/{slug}/versions",
        files={"file": ("wages-2025.csv", content)},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def set_level(client: TestClient, owner: Member, slug: str, level: str) -> None:
    body: dict[str, object] = {"access": level}
    if level in {"public", "open"}:
        body["license"] = "CC-BY-4.0"
    response = client.patch(f"/api/v1/datasets/{slug}", json=body, headers=owner.headers)
    assert response.status_code == 200, response.text


def disk_files(node: Node) -> dict[Path, bytes]:
    """Every file under the home except the metadata database (and its journal)."""
    skip = {"laborcommons.db", "laborcommons.db-wal", "laborcommons.db-shm"}
    return {
        p: p.read_bytes()
        for p in node.settings.home.rglob("*")
        if p.is_file() and p.name not in skip
    }


def column_chunk_runs(parquet: bytes, length: int = 48) -> list[bytes]:
    """Byte runs from the middle of every column chunk (compressed pages as stored)."""
    meta = pq.ParquetFile(io.BytesIO(parquet)).metadata
    runs = []
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            chunk = meta.row_group(g).column(c)
            start = chunk.dictionary_page_offset or chunk.data_page_offset
            size = chunk.total_compressed_size
            if size >= length:
                middle = start + (size - length) // 2
                runs.append(parquet[middle : middle + length])
    return runs


def leaks(node: Node, needles: list[bytes]) -> list[str]:
    found = []
    for path, content in disk_files(node).items():
        found += [f"{path.name}: {n[:20]!r}" for n in needles if n in content]
        if content[:4] == b"PAR1" or content[-4:] == b"PAR1":
            found.append(f"{path.name}: a plain Parquet file")
    return found


def rows(client: TestClient, owner: Member, slug: str, **params: object) -> dict:
    url = f"/api/v1/datasets/{slug}/versions/1/rows"
    response = client.get(url, params=params, headers=owner.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def download(client: TestClient, owner: Member, slug: str, fmt: str) -> bytes:
    url = f"/api/v1/datasets/{slug}/versions/1/download"
    response = client.get(url, params={"format": fmt}, headers=owner.headers)
    assert response.status_code == 200, response.text
    assert f"{slug}-v1.{fmt}" in response.headers["content-disposition"]
    return response.content


def every_read(client: TestClient, owner: Member, slug: str) -> dict[str, object]:
    """Previews (filtered, sorted, paged) and every export, in comparable form."""
    book = load_workbook(io.BytesIO(download(client, owner, slug, "xlsx")), read_only=True)
    return {
        "page": rows(client, owner, slug, _size=7, _page=3),
        "sorted": rows(client, owner, slug, _sort="worker_name", _desc="true", _size=9),
        "filtered": rows(client, owner, slug, country="VN", _size=5),
        "csv": download(client, owner, slug, "csv"),
        "json": json.loads(download(client, owner, slug, "json")),
        "xlsx": [list(r) for r in book["data"].iter_rows(values_only=True)],
        "parquet": download(client, owner, slug, "parquet"),
    }


def test_a_restricted_upload_leaves_no_plaintext_on_disk(
    client: TestClient, owner: Member, node: Node
) -> None:
    create(client, owner, "wages")
    version = upload(client, owner, "wages", messy_csv())
    with unit_of_work(node.sessions) as session:
        found = service.get_version("wages", 1, reader=NODE_ADMIN, session=session)
        parquet = version_parquet_bytes(found, node=node)
    assert node.store.sealed_digests() == sorted([version["sha256"], version["parquet_sha256"]])
    assert node.store.plain_digests() == []
    needles = [m.encode("utf-8") for m in MARKERS] + column_chunk_runs(parquet)
    assert len(needles) > len(MARKERS) + 3

    before_tmp = set(Path(tempfile.gettempdir()).iterdir())
    sealed_reads = every_read(client, owner, "wages")  # reads write nothing either
    assert openpyxl_writer.ALL_TEMP_FILES == []
    assert set(Path(tempfile.gettempdir()).iterdir()) <= before_tmp
    assert list(node.tmp_dir.iterdir()) == []
    assert leaks(node, needles) == []

    set_level(client, owner, "wages", "open")  # positive control: the scan sees plaintext
    assert node.store.sealed_digests() == [] and len(node.store.plain_digests()) == 2
    assert {m for m in MARKERS if any(m.encode() in c for c in disk_files(node).values())} == set(
        MARKERS
    )
    assert len(leaks(node, needles)) >= len(needles)
    node.row_pages.clear()
    assert every_read(client, owner, "wages") == sealed_reads  # same rows, same bytes

    set_level(client, owner, "wages", "group")
    assert leaks(node, needles) == []
    assert node.store.plain_digests() == [] and len(node.store.sealed_digests()) == 2
    node.row_pages.clear()
    node.sealed_tables.clear()
    assert every_read(client, owner, "wages") == sealed_reads


def test_shared_content_is_stored_in_both_forms_while_both_need_it(
    client: TestClient, owner: Member, node: Node
) -> None:
    content = messy_csv(MARKERS[:2], copies=5)
    create(client, owner, "open-copy", access="open", license="CC0-1.0")
    create(client, owner, "case-file")
    first = upload(client, owner, "open-copy", content)
    second = upload(client, owner, "case-file", content)
    digests = sorted([first["sha256"], first["parquet_sha256"]])
    assert second["sha256"] == first["sha256"]
    assert node.store.plain_digests() == digests == node.store.sealed_digests()

    set_level(client, owner, "open-copy", "internal")  # nobody needs plain any more
    assert node.store.plain_digests() == [] and node.store.sealed_digests() == digests
    set_level(client, owner, "case-file", "public")  # the other still needs it sealed
    assert node.store.plain_digests() == digests == node.store.sealed_digests()
    assert rows(client, owner, "open-copy")["total"] == rows(client, owner, "case-file")["total"]
    set_level(client, owner, "open-copy", "open")
    assert node.store.sealed_digests() == [] and node.store.plain_digests() == digests
    with unit_of_work(node.sessions) as session:
        assert session.scalars(select(SealedObject)).all() == []


def sealed_pair(client: TestClient, owner: Member, node: Node) -> tuple[str, str]:
    create(client, owner, "wages-a")
    create(client, owner, "wages-b")
    a = upload(client, owner, "wages-a", messy_csv(MARKERS[:3], copies=3))
    b = upload(client, owner, "wages-b", messy_csv(MARKERS[3:], copies=3))
    return a["parquet_sha256"], b["parquet_sha256"]


def test_swapped_or_altered_ciphertexts_are_refused(
    client: TestClient, owner: Member, node: Node
) -> None:
    a, b = sealed_pair(client, owner, node)
    path_a, path_b = node.store.sealed_path_for(a), node.store.sealed_path_for(b)
    original_a = path_a.read_bytes()
    path_a.write_bytes(path_b.read_bytes())
    response = client.get("/api/v1/datasets/wages-a/versions/1/rows", headers=owner.headers)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "corrupt-object" and "swapped" in error["message"]
    assert not any(m in response.text for m in MARKERS)
    altered = bytearray(original_a)
    altered[len(altered) // 2] ^= 0x40
    path_a.write_bytes(bytes(altered))
    response = client.get("/api/v1/datasets/wages-a/versions/1/download", headers=owner.headers)
    assert response.status_code == 500 and response.json()["error"]["code"] == "corrupt-object"
    path_a.write_bytes(original_a)
    assert rows(client, owner, "wages-a")["total"] == 9

    with unit_of_work(node.sessions) as session:  # swap the wrapped keys in the database
        row_a, row_b = session.get(SealedObject, a), session.get(SealedObject, b)
        assert row_a is not None and row_b is not None
        row_a.wrapped_key, row_b.wrapped_key = row_b.wrapped_key, row_a.wrapped_key
    node.sealed_tables.clear()
    node.row_pages.clear()
    response = client.get("/api/v1/datasets/wages-b/versions/1/rows", headers=owner.headers)
    assert response.status_code == 500 and response.json()["error"]["code"] == "corrupt-object"


def test_a_wrong_or_missing_key_is_a_clear_error_never_garbage(
    client: TestClient, owner: Member, node: Node
) -> None:
    sealed_pair(client, owner, node)
    key_file = node.settings.key_file
    right = read_key_file(key_file)
    key_file.unlink()
    response = client.get("/api/v1/datasets/wages-a/versions/1/rows", headers=owner.headers)
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "key-unavailable" and "master key" in error["message"]
    # readers learn that the key is missing, never where the operator keeps it
    assert str(key_file) not in response.text and right.fingerprint not in response.text
    with pytest.raises(KeyUnavailable, match="laborcommons keys init"):
        node.master_key()
    wrong = write_key_file(key_file)
    for url in ("rows", "download?format=csv", "download?format=parquet"):
        response = client.get(f"/api/v1/datasets/wages-a/versions/1/{url}", headers=owner.headers)
        assert response.status_code == 503, url
        assert response.json()["error"]["code"] == "key-unavailable"
        assert wrong.fingerprint not in response.text
        assert not any(m in response.text for m in MARKERS)
    # nothing new is sealed under a second key either: the upload fails and leaves nothing
    create(client, owner, "wages-c")
    stored = node.store.all_digests()
    response = client.post(
        "/api/v1/datasets/wages-c/versions",
        files={"file": ("c.csv", messy_csv(["Ω-ZQ-1"], copies=2))},
        headers=owner.headers,
    )
    assert response.status_code == 503 and response.json()["error"]["code"] == "key-unavailable"
    assert node.store.all_digests() == stored and list(node.tmp_dir.iterdir()) == []
    with unit_of_work(node.sessions) as session:
        fingerprints = set(session.scalars(select(SealedObject.key_fingerprint)))
    assert fingerprints == {right.fingerprint}
    key_file.unlink()
    write_key_file(key_file, right.secret)
    assert rows(client, owner, "wages-a")["total"] == 9


def test_rotation_rewraps_everything_and_retires_the_old_key(
    client: TestClient, owner: Member, node: Node
) -> None:
    sealed_pair(client, owner, node)
    before = every_read(client, owner, "wages-a")
    old = read_key_file(node.settings.key_file)
    with unit_of_work(node.sessions) as session:
        ciphertexts = {
            d: node.store.sealed_path_for(d).read_bytes()
            for d in session.scalars(select(SealedObject.digest))
        }
    rotation = rotate_master_key(node=node)
    new = read_key_file(node.settings.key_file)
    assert rotation.old_fingerprint == old.fingerprint != rotation.new_fingerprint
    assert rotation.new_fingerprint == new.fingerprint and rotation.objects == 4
    assert {d: node.store.sealed_path_for(d).read_bytes() for d in ciphertexts} == ciphertexts
    node.sealed_tables.clear()
    node.row_pages.clear()
    assert every_read(client, owner, "wages-a") == before
    assert not node.settings.key_file.with_name("master.key.new").exists()

    node.settings.key_file.unlink()
    write_key_file(node.settings.key_file, old.secret)  # the old key no longer works
    node.sealed_tables.clear()
    node.row_pages.clear()
    response = client.get("/api/v1/datasets/wages-b/versions/1/rows", headers=owner.headers)
    assert response.status_code == 503 and response.json()["error"]["code"] == "key-unavailable"


def test_a_failed_rotation_changes_nothing(
    client: TestClient, owner: Member, node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed_pair(client, owner, node)
    old = read_key_file(node.settings.key_file)
    from laborcommons.catalog.service import rotation

    calls = {"n": 0}
    real = rotation.rewrap_key

    def fail_on_third(*args: object) -> bytes:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rotation, "rewrap_key", fail_on_third)
    with pytest.raises(OSError, match="disk full"):
        rotate_master_key(node=node)
    assert read_key_file(node.settings.key_file).secret == old.secret
    assert not node.settings.key_file.with_name("master.key.new").exists()
    with unit_of_work(node.sessions) as session:
        assert set(session.scalars(select(SealedObject.key_fingerprint))) == {old.fingerprint}
    node.sealed_tables.clear()
    assert rows(client, owner, "wages-b")["total"] == 6


def test_reseal_encrypts_what_an_older_node_stored_plain(
    client: TestClient, owner: Member, node: Node
) -> None:
    create(client, owner, "legacy", access="open", license="CC0-1.0")
    upload(client, owner, "legacy", messy_csv(MARKERS[:2], copies=4))
    with unit_of_work(node.sessions) as session:  # as if stored before encryption at rest
        dataset = service.get_dataset("legacy", reader=NODE_ADMIN, session=session)
        dataset.access = "internal"
    assert len(leaks(node, [m.encode() for m in MARKERS[:2]])) > 0
    with unit_of_work(node.sessions) as session:
        assert reseal_all(node=node, session=session) == 2
    assert leaks(node, [m.encode() for m in MARKERS[:2]]) == []
    with unit_of_work(node.sessions) as session:
        assert reseal_all(node=node, session=session) == 0  # idempotent
    assert rows(client, owner, "legacy")["total"] == 8


def test_a_missing_key_stops_a_level_change_and_changes_nothing(
    client: TestClient, owner: Member, node: Node
) -> None:
    create(client, owner, "wages", access="open", license="CC0-1.0")
    upload(client, owner, "wages", messy_csv(MARKERS[:1], copies=3))
    create(client, owner, "other")
    upload(client, owner, "other", messy_csv(MARKERS[1:2], copies=3))
    node.settings.key_file.unlink()
    response = client.patch(
        "/api/v1/datasets/wages", json={"access": "internal"}, headers=owner.headers
    )
    assert response.status_code == 503, response.text
    assert client.get("/api/v1/datasets/wages", headers=owner.headers).json()["access"] == "open"
    assert len(node.store.plain_digests()) == 2
    assert rows(client, owner, "wages")["total"] == 3


def test_the_service_raises_domain_errors(client: TestClient, owner: Member, node: Node) -> None:
    a, _ = sealed_pair(client, owner, node)
    node.store.sealed_path_for(a).write_bytes(b"PAR1 not sealed at all PAR1")
    with unit_of_work(node.sessions) as session:
        version = service.get_version("wages-a", 1, reader=NODE_ADMIN, session=session)
        with pytest.raises(CorruptObject, match="bad header"):
            version_parquet_bytes(version, node=node)
    node.settings.key_file.unlink()
    with unit_of_work(node.sessions) as session:
        version = service.get_version("wages-b", 1, reader=NODE_ADMIN, session=session)
        with pytest.raises(KeyUnavailable):
            version_parquet_bytes(version, node=node)


def test_a_rotation_cut_off_after_its_commit_is_finished_next_time(
    client: TestClient, owner: Member, node: Node
) -> None:
    sealed_pair(client, owner, node)
    key_file = node.settings.key_file
    old = read_key_file(key_file)
    rotate_master_key(node=node)
    new = read_key_file(key_file)
    key_file.unlink()  # as if the process died between the commit and the rename
    write_key_file(key_file.with_name("master.key.new"), new.secret)
    write_key_file(key_file, old.secret)
    node.sealed_tables.clear()
    response = client.get("/api/v1/datasets/wages-a/versions/1/rows", headers=owner.headers)
    assert response.status_code == 503
    rotation = rotate_master_key(node=node)
    assert rotation.old_fingerprint == new.fingerprint and rotation.objects == 4
    assert not key_file.with_name("master.key.new").exists()
    assert rows(client, owner, "wages-a")["total"] == 9


def test_rotation_also_rewraps_pseudonym_domain_keys(
    client: TestClient, owner: Member, node: Node
) -> None:
    from laborcommons.core.crypto import new_data_key, unwrap_key, wrap_key
    from laborcommons.privacy.models import PseudonymDomain

    sealed_pair(client, owner, node)
    old = read_key_file(node.settings.key_file)
    hmac_key, context = new_data_key(), b"pseudonym-domain:1:hr-release-2026"
    with unit_of_work(node.sessions) as session:
        organization = service.get_organization("garment-union", session=session)
        wrapped = wrap_key(old, hmac_key, context).decode("ascii")
        domain = PseudonymDomain(
            organization_id=organization.id,
            name="hr-release-2026",
            wrapped_key=wrapped,
            created_by="owner@union.example",
        )
        session.add(domain)
    rotation = rotate_master_key(node=node)
    assert rotation.other_keys == 1
    new = read_key_file(node.settings.key_file)
    with unit_of_work(node.sessions) as session:
        domain = session.scalars(select(PseudonymDomain)).one()
        assert unwrap_key(new, domain.wrapped_key.encode("ascii"), context) == hmac_key
        with pytest.raises(KeyUnavailable):
            unwrap_key(old, domain.wrapped_key.encode("ascii"), context)
