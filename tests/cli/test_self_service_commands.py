"""`users reset-link` and `orgs approve`: the admin's side of self-service, from the CLI."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access import Reader
from laborcommons.catalog import service
from laborcommons.catalog.models import Organization
from laborcommons.catalog.schemas import OrganizationCreate
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.cli.test_commands import env, run
from tests.factories import make_member

__all__ = ["env"]  # the fixture, shared with the main CLI tests


def test_reset_link_prints_a_working_one_time_link(
    env: dict[str, str], client: TestClient, node: Node
) -> None:
    make_member(node, "ana@union.example")
    result = run(env, "users", "reset-link", "Ana@Union.example")
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1]
    assert path.startswith("/password-reset/")
    assert client.get(path).status_code == 200
    missing = run(env, "users", "reset-link", "nobody@union.example")
    assert missing.exit_code != 0
    assert "no user with e-mail" in missing.output


def test_orgs_approve_puts_a_pending_organization_in_the_registry(
    env: dict[str, str], client: TestClient, node: Node
) -> None:
    make_member(node, "founder@river.example")
    with unit_of_work(node.sessions) as session:
        data = OrganizationCreate(slug="river-union", name="River Union", archetype="advocate")
        founder = Reader(user_id=1, email="founder@river.example")
        service.create_organization(data, reader=founder, session=session, require_approval=True)
    assert client.get("/api/v1/organizations/river-union").status_code == 404
    result = run(env, "orgs", "approve", "river-union")
    assert result.exit_code == 0, result.output
    assert "Approved river-union" in result.output
    with unit_of_work(node.sessions) as session:
        status = session.scalar(
            select(Organization.status).where(Organization.slug == "river-union")
        )
    assert status == "approved"
    assert client.get("/api/v1/organizations/river-union").status_code == 200
