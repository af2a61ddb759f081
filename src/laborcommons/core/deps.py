"""Request dependencies every router shares: the node and one unit of work per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
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
