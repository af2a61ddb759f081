"""A form that re-renders after a refusal still leaves the refusal in the owner's trail."""

from __future__ import annotations

from sqlalchemy import select

from laborcommons.access import NODE_ADMIN, audit
from laborcommons.access.models import AuditRecord
from laborcommons.catalog.models import Dataset
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import NotFound
from laborcommons.core.node import Node
from laborcommons.web.forms import discard_changes
from tests.factories import make_dataset, make_org


def test_discarding_a_refused_attempt_keeps_its_audit_record(node: Node) -> None:
    """Before: discard_changes rolled back and dropped the refusal riding on the error."""
    make_org(node, "union")
    make_dataset(node, "wages", "union")
    with unit_of_work(node.sessions) as session:
        dataset = session.scalars(select(Dataset)).one()
        dataset.title = "half-done change"
        refused = NotFound("no dataset 'wages'")
        refused.audit = audit.refusal(
            NODE_ADMIN,
            action="rows.preview",
            organization_id=dataset.organization_id,
            dataset_id=dataset.id,
            level=dataset.access,
            status=404,
        )
        discard_changes(session, refused)
        assert refused.audit is None  # written once, not again by an enclosing unit of work
    with unit_of_work(node.sessions) as session:
        assert session.scalars(select(Dataset.title)).one() == "Wages"
        trail = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "rows.preview")
        ).all()
    assert [(r.outcome, r.details["status"]) for r in trail] == [("refused", 404)]
