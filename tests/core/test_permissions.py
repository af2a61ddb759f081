"""The home is the owner's alone: directories 0700, files 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from laborcommons.api import create_app
from laborcommons.cli.main import app
from laborcommons.core.node import open_node
from laborcommons.core.settings import Settings
from tests.factories import make_dataset, make_member, make_org


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most careless umask: nothing masked."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def modes(home: Path) -> dict[str, int]:
    """The permission bits of the home and everything under it, by relative path."""
    found = {".": stat.S_IMODE(home.stat().st_mode)}
    for path in home.rglob("*"):
        found[str(path.relative_to(home))] = stat.S_IMODE(path.stat().st_mode)
    return found


def too_open(home: Path) -> dict[str, str]:
    wrong = {}
    for name, mode in modes(home).items():
        is_dir = (home / name).is_dir()
        if mode != (0o700 if is_dir else 0o600):
            wrong[name] = oct(mode)
    return wrong


def test_init_makes_a_private_home(tmp_path: Path, open_umask: None) -> None:
    home = tmp_path / "node"
    result = CliRunner().invoke(app, ["init"], env={"LABORCOMMONS_HOME": str(home)})
    assert result.exit_code == 0, result.output
    for name in ("laborcommons.db", "master.key", "secret_key"):
        assert (home / name).exists()
    assert too_open(home) == {}


def test_a_node_keeps_its_files_private(settings: Settings, open_umask: None) -> None:
    settings.home.chmod(0o755)  # as an older node (or a careless copy) left it
    for path in settings.home.iterdir():
        path.chmod(0o644)
    node = open_node(settings)
    try:
        make_org(node, "garment-union")
        make_dataset(node, "wages", "garment-union")
        make_dataset(node, "rates", "garment-union", access="open", license="CC-BY-4.0")
        owner = make_member(node, "owner@union.example", "garment-union", "owner")
        with TestClient(create_app(node=node)) as client:
            for slug in ("wages", "rates"):
                response = client.post(
                    f"/api/v1/datasets/{slug}/versions",
                    files={"file": (f"{slug}.csv", f"factory,wage\n{slug} A,95\n".encode())},
                    headers=owner.headers,
                )
                assert response.status_code == 201, response.text
        objects = [p for p in settings.objects_dir.rglob("*") if p.is_file()]
        assert len(objects) >= 4  # two originals and two Parquets, sealed or plain
        assert too_open(settings.home) == {}
    finally:
        node.dispose()
