"""A small catalog like the demo's: open rows, public rows under an NC license, and a
restricted dataset whose description only is discoverable, plus a hidden one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from laborcommons.core.node import Node
from tests.factories import Member, ingest, make_dataset, make_member, make_org

CSV = "facility,country,workers\nAlpha Knit,BD,120\nBeta Garments,VN,80\n"
HIDDEN_TITLE = "Zzyzx Hidden Case Files"


@dataclass
class Catalog:
    owner: Member
    outsider: Member


@pytest.fixture
def catalog(node: Node, tmp_path: Path) -> Catalog:
    make_org(node, "union", website="https://union.example", contact="data@union.example")
    make_org(node, "rival")
    owner = make_member(node, "owner@union.example", "union", "owner")
    outsider = make_member(node, "owner@rival.example", "rival", "owner")
    common = {
        "description": "Wages reported by workers.",
        "coverage": ["BD", "VN"],
        "keywords": ["wages", "garments"],
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "contact": "data@union.example",
    }
    make_dataset(node, "open-wages", "union", access="open", license="CC-BY-4.0", **common)
    make_dataset(node, "nc-wages", "union", access="public", license="CC-BY-NC-4.0", **common)
    make_dataset(node, "case-index", "union", access="internal", discoverable=True, **common)
    make_dataset(node, "hidden-cases", "union", access="internal", title=HIDDEN_TITLE)
    path = tmp_path / "wages.csv"
    path.write_text(CSV, encoding="utf-8")
    for slug in ("open-wages", "nc-wages", "case-index", "hidden-cases"):
        ingest(node, slug, path)
    return Catalog(owner=owner, outsider=outsider)
