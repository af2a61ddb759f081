"""The one stored answer per question, version and breakdown: noise is drawn once."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.answers.models import CachedAnswer, Question
from laborcommons.answers.spec import EngineAnswer


def breakdown_key(by: tuple[str, ...]) -> str:
    return json.dumps(list(by))


def cached_answer(
    question: Question, version_id: int, by: tuple[str, ...], *, session: Session
) -> CachedAnswer | None:
    query = select(CachedAnswer).where(
        CachedAnswer.question_id == question.id,
        CachedAnswer.version_id == version_id,
        CachedAnswer.breakdown == breakdown_key(by),
    )
    return session.scalar(query)


def _json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def store_answer(
    question: Question,
    version_id: int,
    by: tuple[str, ...],
    answer: EngineAnswer,
    *,
    session: Session,
) -> CachedAnswer:
    """Keep the engine's cells (with the true cohort sizes, for the owner's log only)."""
    cells = [
        {
            "group": {k: _json(v) for k, v in cell.group.items()},
            "value": None if cell.value is None else float(cell.value),
            "suppressed": bool(cell.suppressed),
            "reason": cell.reason,
            "subjects": int(cell.subjects),
        }
        for cell in answer.cells
    ]
    noise = {
        "mechanism": answer.noise.mechanism,
        "epsilon": float(answer.noise.epsilon),
        "error_95": float(answer.noise.error_95),
    }
    row = CachedAnswer(
        question_id=question.id,
        version_id=version_id,
        breakdown=breakdown_key(by),
        cells=cells,
        noise=noise,
    )
    session.add(row)
    session.flush()
    return row
