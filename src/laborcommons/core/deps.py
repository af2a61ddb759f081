"""Request dependencies every router shares: the node and one unit of work per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node


def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


def get_session(request: Request) -> Iterator[Session]:
    """Commit when the route returns normally, before the response is sent."""
    with unit_of_work(get_node(request).sessions) as session:
        yield session


NodeDep = Annotated[Node, Depends(get_node)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

MAX_DB_ID = 2**31 - 1
"""Ids are 32-bit on PostgreSQL; a larger one can name nothing, so it is a 404 or 422."""

DbId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
