"""The rows an answer is computed over, in DuckDB: the latest version, decrypted in memory
as the rows endpoint does, with a per-country reference column joined when the question
compares against another dataset (``DATASET:COL[@JOIN]``, joined on ``country`` by
default, the same column name in both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from laborcommons.access import NODE_ADMIN, Reader, dataset_address
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core import duck
from laborcommons.core.errors import Forbidden, InvalidInput
from laborcommons.core.node import Node

REFERENCE_ALIAS = "reference_value__"
"""The joined reference column's name in the input relation (no dataset column has it)."""
INPUT = "answer_input"
DEFAULT_JOIN = "country"


@dataclass(frozen=True)
class Reference:
    address: str
    column: str
    join: str
    kind: str

    @property
    def text(self) -> str:
        return f"{self.address}:{self.column}@{self.join}"


def _split(text: str) -> tuple[str, str, str]:
    slug, _, rest = text.partition(":")
    column, _, join = rest.rpartition("@") if "@" in rest else (rest, "", DEFAULT_JOIN)
    return slug, column, join or DEFAULT_JOIN


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, details={"field": "below_column"})


def parse_reference(
    text: str | None, columns: dict[str, str], *, reader: Reader, session: Session
) -> Reference | None:
    """None for a column of the dataset itself; else the other dataset's column, which the
    enabling reader must be allowed to read, with the join column in both."""
    if text is None or ":" not in text:
        return None
    slug, column, join = _split(text)
    if not slug or not column:
        raise _refuse("a reference column is written DATASET:COLUMN[@JOIN_COLUMN]")
    dataset = catalog.get_dataset(slug, reader=reader, session=session)
    if not catalog.rows_readable(reader, dataset) or not dataset.versions:
        raise Forbidden(f"you may not read the rows of the reference dataset {slug!r}")
    found = {c["name"]: str(c.get("type", "")) for c in dataset.versions[-1].columns}
    if column not in found:
        raise _refuse(f"the reference dataset {slug!r} has no column {column!r}")
    if join not in found or join not in columns:
        raise _refuse(f"the join column {join!r} must be in both datasets")
    address = dataset_address(dataset.organization.slug, dataset.slug)
    return Reference(address=address, column=column, join=join, kind=found[column])


def stored_reference(text: str | None) -> Reference | None:
    """The reference a question stored at enabling (its address is qualified)."""
    if text is None or ":" not in text:
        return None
    address, column, join = _split(text)
    return Reference(address=address, column=column, join=join, kind="")


def _reference_rows(reference: Reference, *, node: Node, session: Session) -> Any:
    """The reference's latest version, read (and audited unless open) for the computation."""
    version = catalog.readable_version(
        reference.address, None, reader=NODE_ADMIN, session=session, action="answers.reference"
    )
    return catalog.read_parquet_table(version, node=node)


def input_relation(
    con: Any,
    version: DatasetVersion,
    reference: Reference | None,
    *,
    node: Node,
    session: Session,
) -> str:
    """Register the version's rows (and the joined reference) on ``con``; the view's name."""
    con.register("answer_source", catalog.read_parquet_table(version, node=node))
    if reference is None:
        con.execute(f"CREATE TEMP VIEW {INPUT} AS SELECT * FROM answer_source")
        return INPUT
    con.register("answer_reference", _reference_rows(reference, node=node, session=session))
    join, column = duck.quote_identifier(reference.join), duck.quote_identifier(reference.column)
    con.execute(
        f"CREATE TEMP VIEW {INPUT} AS SELECT s.*, r.ref AS {REFERENCE_ALIAS} "
        "FROM answer_source s LEFT JOIN ("
        f"SELECT CAST({join} AS VARCHAR) AS key, avg(CAST({column} AS DOUBLE)) AS ref "
        f"FROM answer_reference GROUP BY 1) r ON CAST(s.{join} AS VARCHAR) = r.key"
    )
    return INPUT
