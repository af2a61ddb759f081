"""Who stewards an answer: the owners and editors of the organization whose dataset it
came from, and the node admin. One rule, used to verify and to offer the buttons."""

from __future__ import annotations

from laborcommons.access import Reader, may_edit


def is_steward(reader: Reader, owner_id: int) -> bool:
    return may_edit(reader, owner_id=owner_id)
