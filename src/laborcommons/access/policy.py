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

A grant may be limited to chosen versions (``versions``): it then reads the rows of those
versions only (others answer like unreadable rows), while the dataset's metadata follows
any effective grant. A decision about "the dataset" (``version=None``: its dictionary's
allowed values, entity evidence, whether to offer an access request) counts only grants of
every version.

A question enabled for an audience (safe answers: anyone, a group, an organization) makes
the dataset's metadata and its questions discoverable to that audience, never its rows:
``Reader.question_datasets`` holds those datasets and counts for discovery only.

A Reader is built per request (per command) from the database, with the grants active at
that moment, so an expired or revoked grant stops working on the very next request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ACCESS_LEVELS = ("internal", "named", "group", "public", "open")
READABLE_BY_ANYONE = frozenset({"public", "open"})
ROLES = ("owner", "editor", "viewer")
WRITING_ROLES = frozenset({"owner", "editor"})
GRANTABLE_LEVELS = frozenset({"named", "group"})
"""Levels at which a grant to a user or an organization reads the rows."""


@dataclass(frozen=True)
class Reader:
    """Who is asking: roles per organization id, and the datasets their grants open.

    ``named_grants`` holds dataset ids granted (every version) to the user or one of their
    organizations; ``group_grants`` those granted to a group one of their organizations
    belongs to. ``named_versions`` / ``group_versions`` map the datasets granted for some
    versions only to those version numbers. ``question_datasets`` holds the datasets with
    a question whose audience includes the reader: metadata only, never rows.
    """

    user_id: int | None = None
    email: str | None = None
    is_admin: bool = False
    roles: dict[int, str] = field(default_factory=dict)
    named_grants: frozenset[int] = frozenset()
    group_grants: frozenset[int] = frozenset()
    named_versions: Mapping[int, frozenset[int]] = field(default_factory=dict)
    group_versions: Mapping[int, frozenset[int]] = field(default_factory=dict)
    question_datasets: frozenset[int] = frozenset()

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_admin

    def role_in(self, organization_id: int) -> str | None:
        return self.roles.get(organization_id)


ANONYMOUS = Reader()
NODE_ADMIN = Reader(email="node-admin (cli)", is_admin=True)
"""The CLI acts as the node's administrator on the node it opens."""


def _grant_basis(reader: Reader, level: str, dataset_id: int, version: int | None) -> str | None:
    """Named grants count at ``named`` and ``group``, group grants at ``group`` only; a
    version-limited grant counts for its versions only (never for ``version=None``)."""
    kinds = (
        ("named-grant", {"named", "group"}, reader.named_grants, reader.named_versions),
        ("group-grant", {"group"}, reader.group_grants, reader.group_versions),
    )
    for basis, levels, every_version, some_versions in kinds:
        if level not in levels:
            continue
        if dataset_id in every_version:
            return basis
        if version is not None and version in some_versions.get(dataset_id, frozenset()):
            return basis
    return None


def read_basis(
    reader: Reader,
    *,
    owner_id: int,
    level: str,
    dataset_id: int | None = None,
    version: int | None = None,
) -> str | None:
    """Why this reader may read the rows (``anyone``, ``admin``, ``member``,
    ``named-grant``, ``group-grant``), or None when they may not. The one decision.

    ``version`` is the version number whose rows are asked for; None asks for the whole
    dataset, which a grant limited to some versions does not give."""
    if level in READABLE_BY_ANYONE:
        return "anyone"
    if reader.is_admin:
        return "admin"
    if reader.role_in(owner_id) is not None:
        return "member"
    if dataset_id is None:
        return None
    return _grant_basis(reader, level, dataset_id, version)


def may_read_rows(
    reader: Reader,
    *,
    owner_id: int,
    level: str,
    dataset_id: int | None = None,
    version: int | None = None,
) -> bool:
    """Whether the rows are readable; grants count only when ``dataset_id`` is given."""
    basis = read_basis(
        reader, owner_id=owner_id, level=level, dataset_id=dataset_id, version=version
    )
    return basis is not None


def has_effective_grant(reader: Reader, *, level: str, dataset_id: int) -> bool:
    """Any grant (of every version or some) that works at this level: it shows the metadata."""
    named = dataset_id in reader.named_grants or dataset_id in reader.named_versions
    grouped = dataset_id in reader.group_grants or dataset_id in reader.group_versions
    return (level in {"named", "group"} and named) or (level == "group" and grouped)


def may_discover(
    reader: Reader,
    *,
    owner_id: int,
    level: str,
    dataset_id: int | None = None,
    discoverable: bool = False,
) -> bool:
    """Whether the dataset's metadata (its existence) is visible; hidden ones answer 404."""
    if discoverable or may_read_rows(reader, owner_id=owner_id, level=level, dataset_id=dataset_id):
        return True
    if dataset_id is None:
        return False
    return dataset_id in reader.question_datasets or has_effective_grant(
        reader, level=level, dataset_id=dataset_id
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
