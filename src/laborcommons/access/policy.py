"""The spectrum policy: the one place that decides who may see and change what.

Every surface (API, web, CLI, search, counts, previews, downloads) asks these functions;
``catalog/service/visibility.py`` mirrors ``may_discover`` as SQL (tested to agree).

Rows, by level:

- ``internal``: members of the owning organization (any role) and the node admin;
- ``named``: plus named grantees (an organization, whose members all read, or a user);
- ``group``: plus members of organizations in a granted group (and named grantees);
- ``public`` / ``open``: anyone.

Metadata (a dataset's existence, title, methodology, coverage, contact, versions,
dictionary): whoever may read the rows, and anyone at all when the owner made the dataset
``discoverable``. A dataset you may not discover answers 404, exactly like a missing one.

A Reader is built per request (per command) from the database, with the grants active at
that moment, so an expired or revoked grant stops working on the very next request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACCESS_LEVELS = ("internal", "named", "group", "public", "open")
READABLE_BY_ANYONE = frozenset({"public", "open"})
ROLES = ("owner", "editor", "viewer")
WRITING_ROLES = frozenset({"owner", "editor"})


@dataclass(frozen=True)
class Reader:
    """Who is asking: roles per organization id, and the datasets their grants open.

    ``named_grants`` holds dataset ids granted to the user or one of their organizations;
    ``group_grants`` those granted to a group one of their organizations belongs to.
    """

    user_id: int | None = None
    email: str | None = None
    is_admin: bool = False
    roles: dict[int, str] = field(default_factory=dict)
    named_grants: frozenset[int] = frozenset()
    group_grants: frozenset[int] = frozenset()

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_admin

    def role_in(self, organization_id: int) -> str | None:
        return self.roles.get(organization_id)


ANONYMOUS = Reader()
NODE_ADMIN = Reader(email="node-admin (cli)", is_admin=True)
"""The CLI acts as the node's administrator on the node it opens."""


def read_basis(
    reader: Reader, *, owner_id: int, level: str, dataset_id: int | None = None
) -> str | None:
    """Why this reader may read the rows (``anyone``, ``admin``, ``member``,
    ``named-grant``, ``group-grant``), or None when they may not. The one decision."""
    if level in READABLE_BY_ANYONE:
        return "anyone"
    if reader.is_admin:
        return "admin"
    if reader.role_in(owner_id) is not None:
        return "member"
    if dataset_id is None:
        return None
    if level in {"named", "group"} and dataset_id in reader.named_grants:
        return "named-grant"
    if level == "group" and dataset_id in reader.group_grants:
        return "group-grant"
    return None


def may_read_rows(
    reader: Reader, *, owner_id: int, level: str, dataset_id: int | None = None
) -> bool:
    """Whether the rows are readable; grants count only when ``dataset_id`` is given."""
    return read_basis(reader, owner_id=owner_id, level=level, dataset_id=dataset_id) is not None


def may_discover(
    reader: Reader,
    *,
    owner_id: int,
    level: str,
    dataset_id: int | None = None,
    discoverable: bool = False,
) -> bool:
    """Whether the dataset's metadata (its existence) is visible; hidden ones answer 404."""
    return discoverable or may_read_rows(
        reader, owner_id=owner_id, level=level, dataset_id=dataset_id
    )


def may_edit(reader: Reader, *, owner_id: int) -> bool:
    """Change metadata, level, versions, grants; decide access requests; read the trail."""
    return reader.is_admin or reader.role_in(owner_id) in WRITING_ROLES


def may_manage_organization(reader: Reader, *, organization_id: int) -> bool:
    """Manage an organization and the groups it owns (their member organizations)."""
    return reader.is_admin or reader.role_in(organization_id) == "owner"


def readable_owner_ids(reader: Reader) -> set[int] | None:
    """Organizations whose restricted datasets this reader sees; None means all (admin)."""
    return None if reader.is_admin else set(reader.roles)
