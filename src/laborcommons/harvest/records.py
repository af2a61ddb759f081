"""One rule for a remote dataset's fields: validated whole, or the run fails naming it."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from pydantic import ValidationError

from laborcommons.harvest.fetch import HarvestFailed
from laborcommons.harvest.schemas import RemoteRecord


def record(where: str, **fields: Any) -> RemoteRecord:
    """A ``RemoteRecord`` from what the remote sent; naive times are read as UTC."""
    try:
        found = RemoteRecord.model_validate(fields)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise HarvestFailed(f"{where}: {problems}") from None
    if found.modified is not None and found.modified.tzinfo is None:
        found.modified = found.modified.replace(tzinfo=UTC)
    return found
