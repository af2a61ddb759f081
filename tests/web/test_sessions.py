"""A copied session cookie dies with sign-out, a new password and an admin's revocation."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from typer.testing import CliRunner

from laborcommons.cli.main import app as cli
from laborcommons.core.node import Node
from laborcommons.core.settings import Settings
from tests.factories import Member, ingest, make_dataset
from tests.web.steps import csrf_from, sign_in, write_csv

COOKIE = "lc_session"


@pytest.fixture
def internal(node: Node, owner: Member, tmp_path: Path) -> str:
    """An internal dataset: its page answers 200 to its owner and 404 to anyone else."""
    make_dataset(node, "wages", "garment-union", access="internal")
    ingest(node, "wages", write_csv(tmp_path))
    return "/datasets/wages"


def copied_cookie(client: TestClient, owner: Member, page: str) -> TestClient:
    """Sign in on ``client`` and return a second browser holding a copy of its cookie."""
    sign_in(client, owner)
    assert client.get(page).status_code == 200
    thief = TestClient(client.app)
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    assert thief.get(page).status_code == 200  # the copy works while the session lives
    return thief


def cli_env(settings: Settings) -> dict[str, str]:
    env = {"LABORCOMMONS_HOME": str(settings.home)}
    if settings.database_url:
        env["LABORCOMMONS_DATABASE_URL"] = settings.database_url
    return env


def sign_out(client: TestClient) -> None:
    token = csrf_from(client, "/")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303


def test_sign_out_ends_a_copied_session(client: TestClient, owner: Member, internal: str) -> None:
    thief = copied_cookie(client, owner, internal)
    sign_out(client)
    assert thief.get(internal).status_code == 404
    sign_in(client, owner)  # signing in again opens a new session, the copy stays dead
    assert client.get(internal).status_code == 200
    assert thief.get(internal).status_code == 404


def set_password(settings: Settings) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "set-password", "owner@union.example"],
        env=cli_env(settings),
        input="a new long password\na new long password\n",
    )
    assert result.exit_code == 0, result.output


def revoke(settings: Settings) -> None:
    result = CliRunner().invoke(
        cli, ["users", "sign-out", "owner@union.example"], env=cli_env(settings)
    )
    assert result.exit_code == 0, result.output
    assert "owner@union.example" in result.output


@pytest.mark.parametrize("end", [set_password, revoke], ids=["set-password", "sign-out"])
def test_password_change_and_revocation_end_every_session(
    client: TestClient,
    settings: Settings,
    owner: Member,
    internal: str,
    end: Callable[[Settings], None],
) -> None:
    thief = copied_cookie(client, owner, internal)
    end(settings)
    assert thief.get(internal).status_code == 404
    assert client.get(internal).status_code == 404  # the owner's own browser too


def test_a_session_naming_no_generation_is_anonymous(
    client: TestClient, node: Node, owner: Member, internal: str
) -> None:
    """A cookie signed before generations existed (a user id only) signs no one in."""
    sign_in(client, owner)
    signer = TimestampSigner(str(node.secret_key))
    data = json.loads(b64decode(signer.unsign(client.cookies[COOKIE])))
    assert isinstance(data["user_id"], int)
    old_style = signer.sign(b64encode(json.dumps({"user_id": data["user_id"]}).encode()))
    forged = TestClient(client.app)
    forged.cookies.set(COOKIE, old_style.decode())
    assert forged.get(internal).status_code == 404
