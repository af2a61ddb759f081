"""Questions an owner approves: enable (checked by the engine first), list, find.

A question outside the reader's audience answers like a missing question; its dataset
answers like a missing dataset unless the reader discovers it (a question for their
audience makes it discoverable: see ``access.audiences``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import (
    Reader,
    audience_label,
    audit,
    in_audience,
    parse_audience,
    reader_audiences,
)
from laborcommons.answers.engine import check_enableable
from laborcommons.answers.models import Question
from laborcommons.answers.schemas import QuestionCreate, QuestionPublic
from laborcommons.answers.service.reference import REFERENCE_ALIAS, Reference, parse_reference
from laborcommons.answers.spec import QuestionSpec
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import Dataset
from laborcommons.core.errors import Conflict, InvalidInput, NotFound


def _columns(dataset: Dataset) -> dict[str, str]:
    if not dataset.versions:
        raise InvalidInput(
            f"dataset {dataset.slug!r} has no version yet: upload one before enabling questions",
            details={"field": "dataset"},
        )
    return {c["name"]: str(c.get("type", "")) for c in dataset.versions[-1].columns}


def question_spec(question: Question | QuestionCreate, reference: Reference | None) -> QuestionSpec:
    """The engine's view of a question; a reference column becomes the joined alias."""
    bounds = tuple(question.bounds) if question.bounds is not None else None
    return QuestionSpec(
        algorithm=question.algorithm,
        subject=question.subject,
        value=question.value,
        breakdowns=tuple(tuple(b) for b in question.breakdowns),
        bounds=bounds,
        min_subjects=question.min_subjects,
        dominance_p=question.dominance_p,
        epsilon=question.epsilon,
        below=question.below,
        below_column=REFERENCE_ALIAS if reference else question.below_column,
        bins=tuple(question.bins) if question.bins is not None else None,
        quantiles=tuple(question.quantiles) if question.quantiles is not None else None,
    )


def enable_question(
    slug: str, data: QuestionCreate, *, reader: Reader, session: Session
) -> QuestionPublic:
    """Approve a question on the latest version's columns; refused (422) with the reason
    when the engine cannot guarantee its defences."""
    dataset = catalog.get_dataset(slug, reader=reader, session=session)
    catalog.require_edit(reader, dataset)
    columns = _columns(dataset)
    reference = parse_reference(data.below_column, columns, reader=reader, session=session)
    if reference is not None:
        columns[REFERENCE_ALIAS] = reference.kind
    check_enableable(question_spec(data, reference), columns)
    kind, audience_id = parse_audience(data.audience, session=session)
    taken = select(Question.id).where(Question.dataset_id == dataset.id, Question.name == data.name)
    if session.scalar(taken) is not None:
        raise Conflict(
            f"dataset {slug!r} already has a question {data.name!r}", details={"field": "name"}
        )
    fields = data.model_dump(exclude={"audience", "bounds"})
    if reference is not None:
        fields["below_column"] = reference.text  # qualified: it names one dataset for good
    question = Question(
        **fields,
        bounds=list(data.bounds) if data.bounds is not None else None,
        dataset_id=dataset.id,
        algorithm_version=1,
        audience_kind=kind,
        audience_id=audience_id,
        created_by=audit.actor_name(reader),
    )
    session.add(question)
    session.flush()
    audit.record(
        session,
        actor=reader,
        action="answers.enable",
        organization_id=dataset.organization_id,
        dataset_id=dataset.id,
        level=dataset.access,
        details={"question": data.name, "algorithm": f"{data.algorithm}@1", **fields},
    )
    return question_public(question, dataset, session=session)


def _may_see_all(reader: Reader, dataset: Dataset) -> bool:
    return reader.is_admin or reader.role_in(dataset.organization_id) is not None


def visible_questions(dataset: Dataset, *, reader: Reader, session: Session) -> list[Question]:
    """The owner's members see every question; others those for their audiences."""
    found = list(
        session.scalars(
            select(Question).where(Question.dataset_id == dataset.id).order_by(Question.id)
        )
    )
    if _may_see_all(reader, dataset):
        return found
    audiences = reader_audiences(set(reader.roles), session=session)
    return [q for q in found if in_audience(q.audience_kind, q.audience_id, audiences)]


def list_questions(slug: str, *, reader: Reader, session: Session) -> list[QuestionPublic]:
    dataset = catalog.get_dataset(slug, reader=reader, session=session)
    questions = visible_questions(dataset, reader=reader, session=session)
    return [question_public(q, dataset, session=session) for q in questions]


def get_question(
    slug: str, name: str, *, reader: Reader, session: Session
) -> tuple[Dataset, Question]:
    """The question ``name`` if this reader may ask it; 404 like a missing one otherwise."""
    dataset = catalog.get_dataset(slug, reader=reader, session=session)
    for question in visible_questions(dataset, reader=reader, session=session):
        if question.name == name:
            return dataset, question
    raise NotFound(f"no question {name!r} on dataset {slug!r}")


def question_public(question: Question, dataset: Dataset, *, session: Session) -> QuestionPublic:
    return QuestionPublic(
        name=question.name,
        dataset=dataset.slug,
        algorithm=f"{question.algorithm}@{question.algorithm_version}",
        subject=question.subject,
        value=question.value,
        breakdowns=[list(b) for b in question.breakdowns],
        bounds=list(question.bounds) if question.bounds is not None else None,
        min_subjects=question.min_subjects,
        dominance_p=question.dominance_p,
        epsilon=question.epsilon,
        budget=question.budget,
        period_days=question.period_days,
        audience=audience_label(question.audience_kind, question.audience_id, session=session),
        below=question.below,
        below_column=question.below_column,
        bins=question.bins,
        quantiles=question.quantiles,
    )
