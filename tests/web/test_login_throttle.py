"""Sign-in throttling: per account and per address, in the database, never forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from laborcommons.api import create_app
from laborcommons.core.node import Node
from laborcommons.web.auth import sign_in_clock
from tests.factories import Member, make_member
from tests.web.steps import csrf_from


class Clock:
    """A clock the test moves by hand: no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(client: TestClient) -> Clock:
    clock = Clock()
    client.app.dependency_overrides[sign_in_clock] = lambda: clock  # type: ignore[attr-defined]
    return clock


def attempt(client: TestClient, email: str, password: str) -> httpx.Response:
    token = csrf_from(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_forty_wrong_passwords_do_not_lead_to_the_right_one(
    client: TestClient, owner: Member, clock: Clock
) -> None:
    for _ in range(5):
        assert attempt(client, owner.email, "wrong password").status_code == 401
    assert attempt(client, owner.email, "wrong password").status_code == 401  # now blocked
    for _ in range(34):
        refused = attempt(client, owner.email, "wrong password")
        assert refused.status_code == 429
    right = attempt(client, owner.email, owner.password)
    assert right.status_code == 429  # refused before the password is even checked
    assert right.headers["retry-after"] == "30"
    assert "Too many failed sign-ins: try again in 1 minute (after 12:00:30 UTC)." in right.text
    clock.advance(seconds=30)
    assert attempt(client, owner.email, owner.password).status_code == 303


def test_the_wait_doubles_and_is_capped(client: TestClient, owner: Member, clock: Clock) -> None:
    waits = []
    for _ in range(40):
        response = attempt(client, owner.email, "wrong password")
        if response.status_code == 429:  # wait exactly as long as told, then guess again
            waits.append(int(response.headers["retry-after"]))
            clock.advance(seconds=waits[-1])
        else:
            assert response.status_code == 401
    assert waits[:7] == [30, 60, 120, 240, 480, 900, 900]
    assert max(waits) == 900  # never locked out for longer than 15 minutes
    clock.advance(minutes=15)
    assert attempt(client, owner.email, owner.password).status_code == 303


def test_a_right_password_clears_the_count(client: TestClient, owner: Member, clock: Clock) -> None:
    for _ in range(4):
        attempt(client, owner.email, "wrong password")
    assert attempt(client, owner.email, owner.password).status_code == 303
    for _ in range(5):
        assert attempt(client, owner.email, "wrong password").status_code == 401


def test_failures_long_ago_are_forgotten(client: TestClient, owner: Member, clock: Clock) -> None:
    for _ in range(5):
        attempt(client, owner.email, "wrong password")
    clock.advance(minutes=16)
    assert attempt(client, owner.email, "wrong password").status_code == 401
    assert attempt(client, owner.email, "wrong password").status_code == 401


def test_one_address_guessing_many_accounts_is_slowed(
    client: TestClient, node: Node, owner: Member, clock: Clock
) -> None:
    other = make_member(node, "other@union.example")
    for n in range(30):  # five per account: no account is blocked, the address is counted
        assert attempt(client, f"user{n // 5}@union.example", "guess").status_code == 401
    assert attempt(client, f"user{n // 5 + 1}@union.example", "guess").status_code == 401
    assert attempt(client, other.email, other.password).status_code == 429


def test_the_count_survives_a_restart(client: TestClient, node: Node, owner: Member, clock: Clock):
    for _ in range(6):
        attempt(client, owner.email, "wrong password")
    restarted = create_app(node=node)  # another process on the same database
    restarted.dependency_overrides[sign_in_clock] = lambda: clock
    with TestClient(restarted) as other_process:
        assert attempt(other_process, owner.email, owner.password).status_code == 429
