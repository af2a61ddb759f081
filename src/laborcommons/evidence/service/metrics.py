"""The metrics a node knows: the shipped vocabulary and the node's own additions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from laborcommons.evidence.models import NodeMetric
from laborcommons.evidence.schemas import AllowedValue, MetricCreate, MetricPublic
from laborcommons.evidence.units import MONEY, conversion
from laborcommons.evidence.vocabulary import shipped_metrics


def _public(row: NodeMetric) -> MetricPublic:
    return MetricPublic(
        key=row.key,
        title=row.title,
        definition=row.definition,
        unit=row.unit,
        value_type=row.value_type,
        allowed=[AllowedValue(**a) for a in row.allowed],
        period=row.period,
        tolerance=row.tolerance,
        tolerance_kind=row.tolerance_kind,
        qualifier=row.qualifier,
        keywords=list(row.keywords),
        designer=row.designer,
        license=row.license,
        methodology=row.methodology,
    )


def list_metrics(*, session: Session) -> list[MetricPublic]:
    """Shipped metrics in the vocabulary's order, then the node's own by key."""
    own = session.scalars(select(NodeMetric).order_by(NodeMetric.key))
    return [*shipped_metrics().values(), *(_public(row) for row in own)]


def get_metric(key: str, *, session: Session) -> MetricPublic:
    if key in shipped_metrics():
        return shipped_metrics()[key]
    row = session.scalars(select(NodeMetric).where(NodeMetric.key == key)).first()
    if row is None:
        raise NotFound(f"no metric {key!r}", details={"metric": key})
    return _public(row)


def create_metric(data: MetricCreate, *, reader: Reader, session: Session) -> MetricPublic:
    """A node's own metric: any editor of an organization of the node may add one (the
    vocabulary is shared, like entities); a shipped key or a taken key answers 409."""
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to add a metric")
    if not reader.is_admin and not {"owner", "editor"} & set(reader.roles.values()):
        raise Forbidden("only owners and editors of an organization add metrics")
    taken = session.scalars(select(NodeMetric.id).where(NodeMetric.key == data.key)).first()
    if data.key in shipped_metrics() or taken is not None:
        raise Conflict(f"metric {data.key!r} already exists", details={"metric": data.key})
    if data.value_type == "category" and data.unit:
        raise InvalidInput("a category metric has no unit", details={"unit": data.unit})
    if data.unit and data.value_type in ("number", "score", "share"):
        conversion(data.unit, data.unit)  # a unit is always convertible to itself
    if data.unit and MONEY.match(data.unit) and not data.unit.startswith("USD/"):
        raise InvalidInput(
            "money metrics are kept in USD (other currencies convert with a rates dataset)",
            details={"unit": data.unit},
        )
    row = NodeMetric(
        key=data.key,
        title=data.title,
        definition=data.definition,
        unit=data.unit,
        value_type=data.value_type,
        allowed=[a.model_dump() for a in data.allowed],
        period=data.period,
        tolerance=data.tolerance,
        tolerance_kind=data.tolerance_kind,
        qualifier=data.qualifier,
        keywords=data.keywords,
        designer=data.designer,
        license=data.license,
        methodology=data.methodology,
        created_by=reader.email or "anonymous",
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=reader, action="metrics.create", details={"metric": data.key})
    return _public(row)
