"""One-time links and membership rules at the service level (the pages call these)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from laborcommons.access import NODE_ADMIN, accept_invitation, invite_member, issue_link, open_link
from laborcommons.access.links import use_link
from laborcommons.access.models import Membership, OneTimeLink, User
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import NotFound
from laborcommons.core.node import Node
from tests.factories import make_member, make_org


def test_a_link_is_used_once_even_when_two_uses_race(node: Node) -> None:
    with unit_of_work(node.sessions) as session:
        issued = issue_link("reset", "ana@example.org", created_by="test", session=session)
        token = issued.token
        assert len(token) >= 43 and issued.link.token_hash != token
    first = node.sessions()
    second = node.sessions()
    try:
        link_a = open_link(token, "reset", session=first)
        link_b = open_link(token, "reset", session=second)  # both see it unused
        use_link(link_a, session=first)
        first.commit()
        with pytest.raises(NotFound):
            use_link(link_b, session=second)
    finally:
        first.close()
        second.close()
    with unit_of_work(node.sessions) as session:
        with pytest.raises(NotFound):
            open_link(token, "reset", session=session)
        with pytest.raises(NotFound):
            open_link(token, "invite", session=session)  # a reset link is no invitation
        assert session.scalars(select(OneTimeLink)).one().used_at is not None


def test_an_invitation_never_demotes_an_owner(node: Node) -> None:
    make_org(node, "garment-union")
    make_member(node, "boss@union.example", "garment-union", "owner")
    with unit_of_work(node.sessions) as session:
        org_id = session.scalars(select(Membership.organization_id)).one()
        issued = invite_member(
            org_id, "boss@union.example", "viewer", reader=NODE_ADMIN, session=session
        )
        user = session.scalars(select(User)).one()
        accept_invitation(issued.token, user, session=session)
        assert session.scalars(select(Membership.role)).one() == "owner"
