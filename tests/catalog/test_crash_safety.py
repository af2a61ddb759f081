"""A node killed at the worst moment leaves no plaintext and no half version behind.

A real process is killed with SIGKILL while it holds plaintext: during an ingest of an
internal dataset (once the upload and its Parquet are written, before they are sealed)
and during a level change (half-way through decrypting an object). The next start of a
node, or ``keys reseal``, removes what it left; the raw-disk scan of
``test_encryption_at_rest`` then finds no marker and no plain Parquet. Interrupted key
rotations and the counters of ``keys status`` are checked here too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service.rotation import rotate_master_key
from laborcommons.cli.main import app
from laborcommons.core.crypto import (
    new_data_key,
    read_key_file,
    unwrap_key,
    wrap_key,
    write_key_file,
)
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import KeyUnavailable
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from laborcommons.privacy.models import PseudonymDomain
from tests.catalog.test_encryption_at_rest import MARKERS, leaks, messy_csv
from tests.factories import ingest, make_dataset, make_org

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NEEDLES = [m.encode("utf-8") for m in MARKERS]

# Run in a child process: stall (signal, then sleep) at the moment plaintext is written.
INGEST_THEN_STALL = """
import sys, time
from pathlib import Path
from laborcommons.catalog.service import versions
from laborcommons.core.node import open_node
from laborcommons.core.settings import Settings
from tests.factories import ingest

ready = Path(sys.argv[1])
def stall(*args, **kwargs):
    ready.write_text("plaintext staged")
    time.sleep(600)
versions._scan_for_pii = stall
node = open_node(Settings())
ingest(node, "wages", Path(sys.argv[2]))
"""

PUBLISH_THEN_STALL = """
import sys, time
from pathlib import Path
from sqlalchemy import select
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.service import encryption
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import KeyUnavailable
from laborcommons.core.node import open_node
from laborcommons.core.settings import Settings

ready = Path(sys.argv[1])
decrypt = encryption.decrypt_stream
def half_then_stall(*args, **kwargs):
    for chunk in decrypt(*args, **kwargs):
        yield chunk
        ready.write_text("half decrypted")
        time.sleep(600)
encryption.decrypt_stream = half_then_stall
node = open_node(Settings())
with unit_of_work(node.sessions) as session:
    dataset = session.scalars(select(Dataset).where(Dataset.slug == "wages")).one()
    dataset.access, dataset.license = "public", "CC-BY-NC-4.0"
    encryption.reseal_dataset(dataset, session=session, node=node)
"""


def environment(settings: Settings) -> dict[str, str]:
    env = {**os.environ, "LABORCOMMONS_HOME": str(settings.home)}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (os.environ.get("PYTHONPATH"), str(PROJECT_ROOT)) if p
    )
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return env


def kill_when_ready(script: str, settings: Settings, *args: Path) -> None:
    """Run ``script`` in a child; SIGKILL it once it signals that plaintext is written."""
    ready = settings.home.parent / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(ready), *map(str, args)],
        env=environment(settings),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    while not ready.exists():  # the child takes seconds; it ends only if it failed
        if child.poll() is not None:
            pytest.fail(f"the child ended before stalling: {child.communicate()[1].decode()}")
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.communicate()
    assert child.returncode == -signal.SIGKILL


def in_transit(settings: Settings) -> list[str]:
    """Temp, staging and partial files (dot-files included), whoever made them."""
    places = [settings.tmp_dir, settings.objects_dir / "staging"]
    found = [p for place in places if place.exists() for p in place.rglob("*") if p.is_file()]
    found += [p for p in settings.objects_dir.rglob(".*") if p.is_file()]
    return sorted(str(p.relative_to(settings.home)) for p in found)


@pytest.fixture
def wages(settings: Settings) -> Path:
    """An internal dataset, and a worker-level CSV to upload into it."""
    node = open_node(settings)
    make_org(node, "garment-union")
    make_dataset(node, "wages", "garment-union")
    node.dispose()
    path = settings.home.parent / "wages.csv"
    path.write_bytes(messy_csv(copies=200))
    return path


def leaks_of(settings: Settings) -> list[str]:
    """The raw-disk scan, without opening a node (which would sweep first)."""
    return leaks(SimpleNamespace(settings=settings), NEEDLES)  # type: ignore[arg-type]


def version_count(node: Node) -> int:
    with unit_of_work(node.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(DatasetVersion)) or 0)


def test_an_ingest_killed_with_plaintext_staged_leaves_nothing(
    settings: Settings, wages: Path
) -> None:
    kill_when_ready(INGEST_THEN_STALL, settings, wages)
    wages.unlink()
    assert in_transit(settings) or leaks_of(settings)  # the kill did leave plaintext
    node = open_node(settings)  # start-up sweeps what the dead node left
    try:
        assert in_transit(settings) == []
        assert leaks(node, NEEDLES) == []
        assert version_count(node) == 0
        assert node.store.all_digests() == []  # no final object, sealed or plain
    finally:
        node.dispose()


def test_a_level_change_killed_half_way_is_cleaned_by_keys_reseal(
    settings: Settings, wages: Path
) -> None:
    node = open_node(settings)
    ingest(node, "wages", wages)
    node.dispose()
    wages.unlink()
    kill_when_ready(PUBLISH_THEN_STALL, settings)
    partials = [p for p in in_transit(settings) if p.endswith(".partial")]
    assert partials  # the half-decrypted object the kill left
    result = CliRunner().invoke(app, ["keys", "reseal"], env=environment(settings))
    assert result.exit_code == 0, result.output
    assert in_transit(settings) == []
    node = open_node(settings)
    try:
        assert leaks(node, NEEDLES) == []  # still internal: sealed only
        assert version_count(node) == 1
    finally:
        node.dispose()


def test_keys_status_counts_what_is_in_transit_including_dot_files(
    node: Node, settings: Settings
) -> None:
    shelf = settings.objects_dir / "sha256" / "ab" / "cd"
    shelf.mkdir(parents=True)
    (shelf / ".left-by-an-older-node.partial").write_bytes(b"half")
    (settings.objects_dir / "staging").mkdir(exist_ok=True)
    (settings.objects_dir / "staging" / "99999-0123456789ab").mkdir()
    (settings.objects_dir / "staging" / "99999-0123456789ab" / "x.partial").write_bytes(b"x")
    status = CliRunner().invoke(app, ["keys", "status", "--json"], env=environment(settings))
    assert status.exit_code == 0, status.output
    counts = json.loads(status.output)
    # the dead node's staging was swept when the command opened the node; the dot-file
    # names no node, and one (the ``node`` fixture) is running: it may be its work
    assert (counts["leftover_files"], counts["in_transit_files"]) == (0, 1)
    assert not (settings.objects_dir / "staging" / "99999-0123456789ab").exists()


def test_an_interrupted_rotation_keeps_the_key_pseudonym_keys_are_wrapped_under(
    node: Node,
) -> None:
    make_org(node, "garment-union")
    key_file = node.settings.key_file
    old = write_key_file(key_file)
    secret, context = new_data_key(), b"pseudonym-domain:1:hr-release-2026"
    with unit_of_work(node.sessions) as session:
        from laborcommons.catalog import service

        organization = service.get_organization("garment-union", session=session)
        session.add(
            PseudonymDomain(
                organization_id=organization.id,
                name="hr-release-2026",
                wrapped_key=wrap_key(old, secret, context).decode("ascii"),
                created_by="owner@union.example",
            )
        )
    rotate_master_key(node=node)
    new = read_key_file(key_file)
    key_file.unlink()  # as if the process died between the commit and the rename
    write_key_file(key_file.with_name("master.key.new"), new.secret)
    write_key_file(key_file, old.secret)
    rotation = rotate_master_key(node=node)
    assert rotation.old_fingerprint == new.fingerprint and rotation.other_keys == 1
    current = read_key_file(key_file)
    with unit_of_work(node.sessions) as session:
        domain = session.scalars(select(PseudonymDomain)).one()
        assert unwrap_key(current, domain.wrapped_key.encode("ascii"), context) == secret
    assert not key_file.with_name("master.key.new").exists()


def test_recovery_refuses_to_guess_when_wrapped_keys_are_under_two_keys(node: Node) -> None:
    make_org(node, "garment-union")
    key_file = node.settings.key_file
    old = write_key_file(key_file)
    pending = write_key_file(key_file.with_name("master.key.new"))
    with unit_of_work(node.sessions) as session:
        from laborcommons.catalog import service

        organization = service.get_organization("garment-union", session=session)
        for name, key in (("under-old", old), ("under-new", pending)):
            wrapped = wrap_key(key, new_data_key(), name.encode()).decode("ascii")
            session.add(
                PseudonymDomain(
                    organization_id=organization.id,
                    name=name,
                    wrapped_key=wrapped,
                    created_by="owner@union.example",
                )
            )
    with pytest.raises(KeyUnavailable, match="several master keys"):
        rotate_master_key(node=node)
    assert read_key_file(key_file).secret == old.secret
    assert read_key_file(key_file.with_name("master.key.new")).secret == pending.secret
