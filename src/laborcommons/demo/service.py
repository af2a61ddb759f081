"""Seed a node with the generator's demo data through the same services users call."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from sqlalchemy.orm import Session

from laborcommons.access import (
    NODE_ADMIN,
    UserCreate,
    add_membership,
    create_user,
    get_user_by_email,
)
from laborcommons.catalog import service as catalog
from laborcommons.catalog.schemas import DatasetCreate, OrganizationCreate
from laborcommons.core.errors import NotFound
from laborcommons.core.node import Node
from laborcommons.demo.answers import seed_answers
from laborcommons.demo.evidence import seed_evidence
from laborcommons.demo.generator import generate_demo
from laborcommons.demo.linking import link_demo_lists
from laborcommons.demo.models import DemoBundle, DemoFile

DEMO_PASSWORD = "demo-password"  # noqa: S105 - a documented demo login, printed by the command


def seed_demo(
    *,
    node: Node,
    session: Session,
    seed: int = 2026,
    facilities: int = 2000,
    on_dataset: Callable[[str], None] | None = None,
) -> list[str]:
    """Create every demo organization, a demo owner each, and every dataset version.

    Safe to run again: existing organizations, users and datasets are kept, and identical
    files add no versions. The generator's ground truth is kept in ``<home>/demo/``.
    """
    out_dir = node.settings.home / "demo"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    bundle = generate_demo(out_dir, seed=seed, facilities=facilities)
    created_orgs = _seed_organizations(bundle, session)
    versions = 0
    for file in bundle.files:
        if on_dataset is not None:
            on_dataset(file.dataset_slug)
        versions += _seed_dataset(file, node, session)
    linked = link_demo_lists(node=node, session=session, on_list=on_dataset)
    if on_dataset is not None:
        on_dataset("safe answers")
    answered = seed_answers(node=node, session=session)
    if on_dataset is not None:
        on_dataset("evidence")
    evidenced = seed_evidence(bundle, node=node, session=session)
    return [
        f"Demo: {len(bundle.organizations)} organizations ({created_orgs} new), "
        f"{len(bundle.files)} datasets, {versions} new versions.",
        *linked,
        *answered,
        *evidenced,
        f"Sign in as owner@<organization-slug>.example with password {DEMO_PASSWORD!r}",
        f"Ground truth: {bundle.ground_truth_path}",
    ]


def _seed_organizations(bundle: DemoBundle, session: Session) -> int:
    created = 0
    for org in bundle.organizations:
        try:
            existing = catalog.get_organization(org.slug, session=session)
        except NotFound:
            data = OrganizationCreate.model_validate(org.__dict__)
            existing = catalog.create_organization(data, reader=NODE_ADMIN, session=session)
            created += 1
        email = f"owner@{org.slug}.example"
        try:
            get_user_by_email(email, session=session)
        except NotFound:
            user = create_user(
                UserCreate(email=email, name=f"{org.name} owner", password=DEMO_PASSWORD),
                session=session,
            )
            add_membership(user, existing.id, "owner", session=session)
    return created


def _seed_dataset(file: DemoFile, node: Node, session: Session) -> int:
    try:
        catalog.get_dataset(file.dataset_slug, reader=NODE_ADMIN, session=session)
    except NotFound:
        fields = {
            k: v for k, v in file.__dict__.items() if k not in {"path", "sheet", "dataset_slug"}
        }
        data = DatasetCreate.model_validate(
            {**fields, "slug": file.dataset_slug, "organization": file.organization}
        )
        catalog.create_dataset(data, reader=NODE_ADMIN, session=session)
    created = catalog.add_version(
        file.dataset_slug,
        file.path,
        original_name=file.path.name,
        reader=NODE_ADMIN,
        node=node,
        session=session,
        sheet=file.sheet,
        message="demo data",
    )
    return 1 if created.created else 0
