"""Build organizations, users, tokens and datasets through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from laborcommons.access import (
    NODE_ADMIN,
    UserCreate,
    add_membership,
    create_grant,
    create_group,
    create_token,
    create_user,
    revoke_grant,
    set_group_member,
)
from laborcommons.access.schemas import GrantCreate, GroupCreate
from laborcommons.catalog import service as catalog
from laborcommons.catalog.schemas import DatasetCreate, OrganizationCreate, VersionCreated
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node


@dataclass
class Member:
    email: str
    token: str
    password: str = "correct horse battery"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_org(node: Node, slug: str, archetype: str = "advocate", **fields: object) -> None:
    with unit_of_work(node.sessions) as session:
        data = OrganizationCreate.model_validate(
            {"slug": slug, "name": slug.replace("-", " ").title(), "archetype": archetype, **fields}
        )
        catalog.create_organization(data, reader=NODE_ADMIN, session=session)


def make_member(
    node: Node, email: str, org: str | None = None, role: str = "owner", *, admin: bool = False
) -> Member:
    member = Member(email=email, token="")
    with unit_of_work(node.sessions) as session:
        user = create_user(
            UserCreate(email=email, password=member.password, is_admin=admin), session=session
        )
        if org:
            organization = catalog.get_organization(org, session=session)
            add_membership(user, organization.id, role, session=session)
        member.token = create_token(user, session=session).token
    return member


def make_dataset(
    node: Node,
    slug: str,
    org: str,
    *,
    access: str = "internal",
    license: str | None = None,
    data_type: str = "working-conditions",
    **fields: object,
) -> None:
    with unit_of_work(node.sessions) as session:
        data = DatasetCreate.model_validate(
            {
                "slug": slug,
                "organization": org,
                "title": slug.title(),
                "data_type": data_type,
                "access": access,
                "license": license,
                **fields,
            }
        )
        catalog.create_dataset(data, reader=NODE_ADMIN, session=session)


def ingest(node: Node, slug: str, path: Path, **options: object) -> VersionCreated:
    with unit_of_work(node.sessions) as session:
        return catalog.add_version(
            slug,
            path,
            original_name=path.name,
            reader=NODE_ADMIN,
            node=node,
            session=session,
            **options,  # type: ignore[arg-type]
        )


def make_group(node: Node, slug: str, owner: str, members: tuple[str, ...] = ()) -> None:
    """A group owned by ``owner`` (its first member) with more member organizations."""
    with unit_of_work(node.sessions) as session:
        data = GroupCreate(slug=slug, name=slug.replace("-", " ").title(), owner=owner)
        create_group(data, reader=NODE_ADMIN, session=session)
        for organization in members:
            set_group_member(slug, organization, member=True, reader=NODE_ADMIN, session=session)


def make_grant(
    node: Node,
    dataset: str,
    *,
    organization: str | None = None,
    user: str | None = None,
    group: str | None = None,
    starts_at: datetime | None = None,
    expires_at: datetime | None = None,
    revoked: bool = False,
    agreement: str = "DSA-2026-001",
    purpose: str = "wage-theft case",
    versions: list[int] | None = None,
) -> int:
    """A grant made through the real service (optionally revoked at once); its id."""
    with unit_of_work(node.sessions) as session:
        data = GrantCreate(
            organization=organization,
            user=user,
            group=group,
            agreement=agreement,
            purpose=purpose,
            starts_at=starts_at,
            expires_at=expires_at,
            versions=versions,
        )
        grant = create_grant(dataset, data, reader=NODE_ADMIN, session=session)
        if revoked:
            revoke_grant(grant.id, reader=NODE_ADMIN, session=session)
        return grant.id
