"""The spectrum policy: the one place that decides who may see and change what.

Every surface (API, web, CLI, search, counts, previews, downloads) asks these functions.
This issue enforces: ``open``/``public`` rows for anyone; ``internal``/``named``/``group``
rows for members of the owning organization (and the node admin). Grants and groups will
extend ``may_read_rows`` here, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACCESS_LEVELS = ("internal", "named", "group", "public", "open")
READABLE_BY_ANYONE = frozenset({"public", "open"})
ROLES = ("owner", "editor", "viewer")
WRITING_ROLES = frozenset({"owner", "editor"})


@dataclass(frozen=True)
class Reader:
    """Who is asking: a user with their roles per organization id, or nobody."""

    user_id: int | None = None
    email: str | None = None
    is_admin: bool = False
    roles: dict[int, str] = field(default_factory=dict)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_admin

    def role_in(self, organization_id: int) -> str | None:
        return self.roles.get(organization_id)


ANONYMOUS = Reader()
NODE_ADMIN = Reader(email="node-admin (cli)", is_admin=True)
"""The CLI acts as the node's administrator on the node it opens."""


def may_read_rows(reader: Reader, *, owner_id: int, level: str) -> bool:
    if level in READABLE_BY_ANYONE:
        return True
    return reader.is_admin or reader.role_in(owner_id) is not None


def may_discover(reader: Reader, *, owner_id: int, level: str) -> bool:
    """Whether the dataset's metadata (its existence) is visible; hidden ones answer 404."""
    return may_read_rows(reader, owner_id=owner_id, level=level)


def may_edit(reader: Reader, *, owner_id: int) -> bool:
    return reader.is_admin or reader.role_in(owner_id) in WRITING_ROLES


def may_manage_organization(reader: Reader, *, organization_id: int) -> bool:
    return reader.is_admin or reader.role_in(organization_id) == "owner"


def readable_owner_ids(reader: Reader) -> set[int] | None:
    """Organizations whose restricted datasets this reader sees; None means all (admin)."""
    return None if reader.is_admin else set(reader.roles)
