"""Ask a question: on the latest version only, from the cache when the same answer was
given before (no budget spent), else computed by the engine under the reader's locked
ledger. The cached answer, the spend and the audit record commit in one transaction;
a refusal (budget spent) is audited after the rollback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.answers.engine import compute_answer
from laborcommons.answers.models import CachedAnswer, Ledger, Question
from laborcommons.answers.schemas import AnswerPublic, CellPublic, NoisePublic
from laborcommons.answers.service import cache, ledger
from laborcommons.answers.service.questions import get_question, question_spec
from laborcommons.answers.service.reference import input_relation, stored_reference
from laborcommons.answers.spec import NoiseSource
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core import duck
from laborcommons.core.db import savepoint
from laborcommons.core.errors import InvalidInput, NotFound, TooManyRequests
from laborcommons.core.node import Node

ACTION = "answers.ask"


def allowed_breakdown(question: Question, by: Sequence[str] | None) -> tuple[str, ...]:
    """The allowed breakdown naming the same columns (in its own order); the first one
    when none is asked for."""
    allowed = [tuple(b) for b in question.breakdowns]
    if by is None:
        return allowed[0]
    for breakdown in allowed:
        if sorted(breakdown) == sorted(by) and len(set(by)) == len(by):
            return breakdown
    raise InvalidInput(
        "This breakdown is not allowed for the question.",
        details={"field": "by", "by": list(by), "allowed": [list(b) for b in allowed]},
    )


def _latest(dataset: Dataset, slug: str) -> DatasetVersion:
    if not dataset.versions:
        raise NotFound(f"dataset {slug!r} has no versions yet")
    return dataset.versions[-1]


def _public(
    question: Question,
    version: DatasetVersion,
    by: tuple[str, ...],
    stored: CachedAnswer,
    budget: Ledger | None,
    *,
    cached: bool,
) -> AnswerPublic:
    cells = [
        CellPublic(
            group=cell["group"],
            value=cell["value"],
            suppressed=cell["suppressed"],
            reason=cell["reason"],
        )
        for cell in stored.cells
    ]
    return AnswerPublic(
        question=question.name,
        algorithm=f"{question.algorithm}@{question.algorithm_version}",
        version=version.number,
        by=list(by),
        cells=cells,
        noise=NoisePublic(**stored.noise),
        budget=ledger.budget_of(budget, question),
        cached=cached,
    )


def _details(
    question: Question,
    version: DatasetVersion,
    by: tuple[str, ...],
    stored: CachedAnswer | None,
    *,
    spent: float,
    cached: bool,
) -> dict[str, Any]:
    sizes = [int(c.get("subjects", 0)) for c in stored.cells] if stored is not None else []
    return {
        "question": question.name,
        "algorithm": f"{question.algorithm}@{question.algorithm_version}",
        "version": version.number,
        "by": list(by),
        "cohort_sizes": sizes,
        "epsilon_spent": spent,
        "cached": cached,
    }


def _record(
    dataset: Dataset,
    version: DatasetVersion,
    reader: Reader,
    details: dict[str, Any],
    *,
    session: Session,
) -> None:
    audit.record(
        session,
        actor=reader,
        action=ACTION,
        organization_id=dataset.organization_id,
        dataset_id=dataset.id,
        version_id=version.id,
        level=dataset.access,
        details=details,
    )


def _refuse(
    dataset: Dataset,
    version: DatasetVersion,
    question: Question,
    by: tuple[str, ...],
    spent: Ledger,
    reader: Reader,
) -> TooManyRequests:
    budget = ledger.budget_of(spent, question)
    details = _details(question, version, by, None, spent=0.0, cached=False)
    return TooManyRequests(
        f"your privacy budget for question {question.name!r} is spent; it renews at "
        f"{budget.renews_at.isoformat()}",
        retry_after=ledger.retry_after(spent, question),
        details={"renews_at": budget.renews_at.isoformat(), "budget": question.budget},
        audit=audit.refusal(
            reader,
            action=ACTION,
            organization_id=dataset.organization_id,
            dataset_id=dataset.id,
            level=dataset.access,
            status=429,
            details=details,
        ),
    )


def _compute(
    question: Question,
    version: DatasetVersion,
    by: tuple[str, ...],
    noise: NoiseSource,
    *,
    node: Node,
    session: Session,
) -> Any:
    reference = stored_reference(question.below_column)
    con = duck.connect()
    try:
        table = input_relation(con, version, reference, node=node, session=session)
        return compute_answer(con, table, question_spec(question, reference), by, noise=noise)
    finally:
        con.close()


def ask(
    slug: str,
    name: str,
    by: Sequence[str] | None,
    *,
    reader: Reader,
    node: Node,
    session: Session,
    noise: NoiseSource,
) -> AnswerPublic:
    """One safe answer for ``reader``: the same for every reader of the same question,
    version and breakdown once computed; 429 when their budget cannot pay for a new one."""
    dataset, question = get_question(slug, name, reader=reader, session=session)
    version = _latest(dataset, slug)
    breakdown = allowed_breakdown(question, by)
    stored = cache.cached_answer(question, version.id, breakdown, session=session)
    if stored is None:
        spent = ledger.lock_ledger(question, reader, session=session)
        stored = cache.cached_answer(question, version.id, breakdown, session=session)
        if stored is None:
            return _answer_fresh(
                dataset,
                version,
                question,
                breakdown,
                spent,
                noise,
                reader=reader,
                node=node,
                session=session,
            )
    budget = ledger.find_ledger(question, reader, session=session)
    details = _details(question, version, breakdown, stored, spent=0.0, cached=True)
    _record(dataset, version, reader, details, session=session)
    return _public(question, version, breakdown, stored, budget, cached=True)


def _answer_fresh(
    dataset: Dataset,
    version: DatasetVersion,
    question: Question,
    by: tuple[str, ...],
    spent: Ledger,
    noise: NoiseSource,
    *,
    reader: Reader,
    node: Node,
    session: Session,
) -> AnswerPublic:
    if not ledger.can_spend(spent, question):
        raise _refuse(dataset, version, question, by, spent, reader)
    answer = _compute(question, version, by, noise, node=node, session=session)
    try:
        with savepoint(session):
            stored = cache.store_answer(question, version.id, by, answer, session=session)
    except IntegrityError:  # another reader's simultaneous ask stored it first: use theirs
        found = cache.cached_answer(question, version.id, by, session=session)
        assert found is not None
        details = _details(question, version, by, found, spent=0.0, cached=True)
        _record(dataset, version, reader, details, session=session)
        return _public(question, version, by, found, spent, cached=True)
    ledger.spend(spent, question)
    details = _details(question, version, by, stored, spent=question.epsilon, cached=False)
    _record(dataset, version, reader, details, session=session)
    return _public(question, version, by, stored, spent, cached=False)
