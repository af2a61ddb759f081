"""`laborcommons keys ...` and `init` through Typer's runner: output, exit codes and state."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laborcommons.cli.main import app
from laborcommons.core.crypto import read_key_file, write_key_file
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from tests.factories import ingest, make_dataset, make_org

runner = CliRunner()
KEY = "LABORCOMMONS_MASTER_KEY_FILE"
CSV = (
    "worker,wage,note\n"
    'Rahima Akter,95,"unpaid overtime, Ramadan"\n'
    "Nguyễn Văn An,180,\n"
    "Сергей Ковальов,210,сверхурочные\n"
)


@pytest.fixture
def env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """The key lives outside the home, as in production."""
    values = {
        "LABORCOMMONS_HOME": str(settings.home),
        "LABORCOMMONS_MASTER_KEY_FILE": str(tmp_path / "secrets" / "lc-master.key"),
    }
    if settings.database_url:
        values["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return values


@pytest.fixture
def keyed_node(env: dict[str, str], settings: Settings) -> Iterator[Node]:
    """A node with one internal dataset, sealed under the key of ``env``."""
    node = open_node(settings.model_copy(update={"master_key_file": Path(env[KEY])}))
    make_org(node, "garment-union")
    make_dataset(node, "wages", "garment-union")
    path = settings.home.parent / "wages.csv"
    path.write_text(CSV, encoding="utf-8")
    ingest(node, "wages", path)
    path.unlink()
    yield node
    node.dispose()


def run(env: dict[str, str], *args: str):
    return runner.invoke(app, list(args), env=env)


def test_keys_init_creates_a_private_key_once(env: dict[str, str]) -> None:
    key_file = Path(env[KEY])
    first = run(env, "keys", "init")
    assert first.exit_code == 0, first.output
    key = read_key_file(key_file)
    assert "Created master key" in first.output and key.fingerprint in first.output
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = run(env, "keys", "init")
    assert again.exit_code == 0 and "Kept the existing master key" in again.output
    assert read_key_file(key_file).secret == key.secret


def test_node_init_makes_the_key_and_keeps_it(env: dict[str, str]) -> None:
    assert run(env, "init").exit_code == 0
    key = read_key_file(Path(env[KEY]))
    result = run(env, "init")
    assert result.exit_code == 0 and "Kept the existing master key" in result.output
    assert read_key_file(Path(env[KEY])).secret == key.secret


def test_a_malformed_key_file_is_not_replaced(env: dict[str, str]) -> None:
    key_file = Path(env[KEY])
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not a key\n")
    result = run(env, "keys", "init")
    assert result.exit_code == 8 and "not a LaborCommons master key" in result.output
    assert key_file.read_text() == "not a key\n"


def test_rotate_keeps_data_readable_and_retires_the_old_key(
    env: dict[str, str], keyed_node: Node, tmp_path: Path
) -> None:
    key_file = Path(env[KEY])
    old = read_key_file(key_file)
    result = run(env, "keys", "rotate")
    assert result.exit_code == 0, result.output
    new = read_key_file(key_file)
    assert new.fingerprint != old.fingerprint
    assert f"{old.fingerprint} -> {new.fingerprint}" in result.output
    assert "re-wrapped 2 data key(s)" in result.output
    out = tmp_path / "wages.csv"
    exported = run(env, "datasets", "export", "wages", "--format", "csv", "--output", str(out))
    assert exported.exit_code == 0, exported.output
    assert "Сергей Ковальов" in out.read_text(encoding="utf-8")

    status = run(env, "keys", "status", "--json")
    assert status.exit_code == 0, status.output
    report = json.loads(status.output)
    assert report["fingerprint"] == new.fingerprint and report["private"] is True
    assert report["sealed_objects"] == {new.fingerprint: 2} and report["plain_objects"] == 0

    key_file.unlink()
    write_key_file(key_file, old.secret)
    refused = run(env, "datasets", "export", "wages", "--format", "json", "--output", str(out))
    assert refused.exit_code == 8 and new.fingerprint in refused.output
    status = run(env, "keys", "status")
    assert "not the key file's key" in status.output


def test_rotate_without_a_key_fails_clearly(env: dict[str, str], keyed_node: Node) -> None:
    Path(env[KEY]).unlink()
    result = run(env, "keys", "rotate")
    assert result.exit_code == 8
    assert "laborcommons keys init" in result.output
    assert not Path(env[KEY]).exists()


def test_reseal_reports_what_it_changed(env: dict[str, str], keyed_node: Node) -> None:
    result = run(env, "keys", "reseal")
    assert result.exit_code == 0 and "Resealed 0 object(s)" in result.output
