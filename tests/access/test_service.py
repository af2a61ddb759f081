"""Passwords, tokens and the policy, tested directly."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from laborcommons.access import (
    ANONYMOUS,
    Reader,
    authenticate_password,
    create_token,
    create_user,
    may_discover,
    may_edit,
    may_read_rows,
    reader_for_token,
    revoke_token,
)
from laborcommons.access.models import ApiToken, User
from laborcommons.access.schemas import UserCreate
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import Conflict, NotAuthenticated
from laborcommons.core.node import Node


def test_secrets_are_never_stored_in_plain_text(node: Node) -> None:
    with unit_of_work(node.sessions) as session:
        user = create_user(
            UserCreate(email="Ana@Union.example", password="s3cret-pass"), session=session
        )
        token = create_token(user, session=session).token
    with node.engine.connect() as connection:
        dump = " ".join(
            str(row)
            for table in ("users", "api_tokens")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    assert "s3cret-pass" not in dump and token not in dump
    assert "$argon2id$" in dump
    with unit_of_work(node.sessions) as session:
        assert authenticate_password("ana@union.example", "s3cret-pass", session=session)
        with pytest.raises(NotAuthenticated, match="wrong e-mail or password"):
            authenticate_password("ana@union.example", "wrong-pass", session=session)
        with pytest.raises(NotAuthenticated, match="wrong e-mail or password"):
            authenticate_password("nobody@union.example", "s3cret-pass", session=session)
        with pytest.raises(Conflict):
            create_user(UserCreate(email="ana@union.example"), session=session)
        assert reader_for_token(token, session=session).email == "ana@union.example"
        stored = session.scalar(select(ApiToken))
        assert stored is not None and stored.prefix == token[:12]
        revoke_token(stored.prefix, session=session)
    with unit_of_work(node.sessions) as session, pytest.raises(NotAuthenticated):
        reader_for_token(token, session=session)
    with unit_of_work(node.sessions) as session:
        assert session.scalar(select(User)) is not None
        assert reader_for_token(None, session=session) == ANONYMOUS


@pytest.mark.parametrize("level", ["internal", "named", "group", "public", "open"])
def test_policy_by_level(level: str) -> None:
    member = Reader(user_id=1, roles={7: "viewer"})
    editor = Reader(user_id=2, roles={7: "editor"})
    outsider = Reader(user_id=3, roles={8: "owner"})
    admin = Reader(user_id=4, is_admin=True)
    anyone = level in {"public", "open"}
    for reader, expected in (
        (ANONYMOUS, anyone),
        (outsider, anyone),
        (member, True),
        (editor, True),
        (admin, True),
    ):
        assert may_read_rows(reader, owner_id=7, level=level) is expected
        assert may_discover(reader, owner_id=7, level=level) is expected
    assert not may_edit(member, owner_id=7) and may_edit(editor, owner_id=7)
    assert not may_edit(outsider, owner_id=7) and may_edit(admin, owner_id=7)
