"""Release domains: one HMAC key per (organization, domain name), made on first use.

The key is stored wrapped under the node's master key (``core.crypto``), bound to its
organization and name, so a copy of the database alone cannot compute or reverse any
pseudonym, and a wrapped key moved to another domain does not unwrap.
"""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.core import crypto
from laborcommons.core.node import Node
from laborcommons.privacy.models import PseudonymDomain
from laborcommons.privacy.pseudonyms import pseudonymize
from laborcommons.releases.transforms import require_column, text_values


def _context(organization_id: int, name: str) -> bytes:
    return f"pseudonym-domain:{organization_id}:{name}".encode()


def domain_key(
    organization_id: int, name: str, *, reader: Reader, node: Node, session: Session
) -> bytes:
    """The domain's key, created (and audited) the first time the domain is used."""
    master = node.master_key()
    row = session.scalar(
        select(PseudonymDomain).where(
            PseudonymDomain.organization_id == organization_id, PseudonymDomain.name == name
        )
    )
    if row is not None:
        return crypto.unwrap_key(
            master, row.wrapped_key.encode("ascii"), _context(organization_id, name)
        )
    key = crypto.new_data_key()
    wrapped = crypto.wrap_key(master, key, _context(organization_id, name)).decode("ascii")
    session.add(
        PseudonymDomain(
            organization_id=organization_id,
            name=name,
            wrapped_key=wrapped,
            created_by=reader.email or "node-admin",
        )
    )
    audit.record(
        session,
        actor=reader,
        action="pseudonym-domain.create",
        organization_id=organization_id,
        details={"domain": name},
    )
    session.flush()
    return key


def pseudonymize_column(
    table: pa.Table,
    column: str,
    *,
    domain: str,
    organization_id: int,
    reader: Reader,
    node: Node,
    session: Session,
) -> pa.Table:
    """Replace every value of ``column`` by its keyed pseudonym in ``domain``."""
    require_column(table, column)
    key = domain_key(organization_id, domain, reader=reader, node=node, session=session)
    values = pseudonymize(text_values(table, column), key=key, column=column)
    index = table.column_names.index(column)
    return table.set_column(index, column, pa.array(list(values), type=pa.string()))
