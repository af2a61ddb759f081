"""Who will see what, in plain words, for each level and discoverability of one dataset.

Computed from the dataset's active grants and the policy's levels, so the editor reads the
consequence of a choice before making it (the edit form shows one text per option).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access.grants import list_grants
from laborcommons.access.policy import ACCESS_LEVELS, READABLE_BY_ANYONE, Reader
from laborcommons.access.schemas import GrantPublic


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _granted(grants: list[GrantPublic], level: str) -> str:
    """Who the active grants add at ``level``: named grants from `named` on, group grants
    at `group` only (as ``GrantPublic.effective`` decides)."""
    active = [g for g in grants if g.state == "active"]
    kinds = {"organization", "user"} | ({"group"} if level == "group" else set())
    parts = []
    for kind, one, many in (
        ("organization", "organization", "organizations"),
        ("user", "person", "people"),
        ("group", "group", "groups"),
    ):
        n = sum(1 for g in active if g.grantee_kind == kind)
        if kind in kinds and n:
            parts.append(_count(n, one, many))
    return " and ".join(parts)


def row_readers(organization: str, level: str, grants: list[GrantPublic]) -> str:
    if level in READABLE_BY_ANYONE:
        return "anyone"
    base = f"members of {organization}"
    if level == "internal":
        return f"only {base}"
    granted = _granted(grants, level)
    if not granted:
        return f"only {base} (no one has been granted access yet)"
    return f"only {base} and the {granted} granted access"


def who_sees_text(
    organization: str, level: str, discoverable: bool, grants: list[GrantPublic]
) -> str:
    readers = row_readers(organization, level, grants)
    if level == "open":
        return "Anyone can find this dataset, read its rows and reuse them under its open license."
    if level == "public":
        return "Anyone can find this dataset and read its rows; reuse follows its license."
    if discoverable:
        return (
            "Anyone can find this dataset and read its title and description; "
            f"{readers} can read rows."
        )
    return (
        f"Only those who may read rows can find this dataset: {readers}. "
        "To everyone else it does not exist."
    )


def who_sees(
    slug: str, organization: str, *, reader: Reader, session: Session
) -> dict[str, dict[bool, str]]:
    """Each level's text, discoverable and not, for a dataset this reader manages."""
    grants = list_grants(slug, reader=reader, session=session)
    return {
        level: {flag: who_sees_text(organization, level, flag, grants) for flag in (True, False)}
        for level in ACCESS_LEVELS
    }
