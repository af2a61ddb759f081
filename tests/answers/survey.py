"""A worker-level payslip survey on a fresh node, and ways to ask it questions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from laborcommons.access import NODE_ADMIN, Reader, anonymous_reader
from laborcommons.answers import service
from laborcommons.answers.noise import SeededNoise
from laborcommons.answers.schemas import AnswerPublic, QuestionCreate, QuestionPublic
from laborcommons.core.db import unit_of_work
from laborcommons.core.node import Node
from tests.factories import ingest, make_dataset, make_org

SLUG = "payslips"
Row = tuple[str, str, str, float]


def worker_rows(facilities: dict[str, int], *, base: float = 300.0) -> list[Row]:
    """``n`` workers per facility, wages base, base+10, ...; gender alternating."""
    rows: list[Row] = []
    for facility, n in facilities.items():
        for i in range(n):
            rows.append((f"{facility}-w{i:02d}", facility, "f" if i % 2 else "m", base + 10 * i))
    return rows


def write_rows(path: Path, rows: Sequence[Row]) -> Path:
    lines = ["worker_id,facility,gender,wage"] + [f"{w},{f},{g},{v}" for w, f, g, v in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_survey(node: Node, tmp_path: Path, rows: Sequence[Row], *, org: str = "union") -> str:
    make_org(node, org, archetype="worker-voice")
    make_dataset(node, SLUG, org, access="internal")
    ingest(node, SLUG, write_rows(tmp_path / "v1.csv", rows))
    return SLUG


def add_version(node: Node, tmp_path: Path, rows: Sequence[Row], name: str = "v2.csv") -> None:
    ingest(node, SLUG, write_rows(tmp_path / name, rows))


def question(**fields: Any) -> QuestionCreate:
    base: dict[str, Any] = {
        "name": "mean-wage",
        "algorithm": "mean",
        "subject": "worker_id",
        "value": "wage",
        "breakdowns": [["facility"]],
        "bounds": [0, 1000],
        "epsilon": 1.0,
        "budget": 5.0,
    }
    return QuestionCreate.model_validate({**base, **fields})


def enable(node: Node, data: QuestionCreate, *, reader: Reader = NODE_ADMIN) -> QuestionPublic:
    with unit_of_work(node.sessions) as session:
        return service.enable_question(SLUG, data, reader=reader, session=session)


def ask(
    node: Node,
    name: str = "mean-wage",
    by: list[str] | None = None,
    *,
    reader: Reader | None = None,
    seed: int = 1,
) -> AnswerPublic:
    with unit_of_work(node.sessions) as session:
        who = reader if reader is not None else anonymous_reader(session=session)
        return service.ask(
            SLUG, name, by, reader=who, node=node, session=session, noise=SeededNoise(seed)
        )


def cell(answer: AnswerPublic, **group: str) -> Any:
    return next(c for c in answer.cells if all(c.group.get(k) == v for k, v in group.items()))
