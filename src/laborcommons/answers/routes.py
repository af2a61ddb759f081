"""HTTP routes of safe answers: questions of a dataset, answers to them, the owner's log.

A dataset the reader may not discover answers 404 like a missing one; a question outside
their audience answers 404 like a missing question; a spent budget answers 429 with
``Retry-After``.
"""

from __future__ import annotations

from fastapi import APIRouter

from laborcommons.access.deps import ReaderDep
from laborcommons.answers import service
from laborcommons.answers.deps import NoiseDep
from laborcommons.answers.schemas import (
    AnswerPublic,
    AskRequest,
    QuestionCreate,
    QuestionLog,
    QuestionPublic,
)
from laborcommons.answers.service import PublishRequest, PublishResult
from laborcommons.core.deps import NodeDep, SessionDep

router = APIRouter(tags=["answers"])
QUESTIONS = "/datasets/{slug}/questions"


@router.get(QUESTIONS, summary="The questions of a dataset this reader may ask")
def list_questions(slug: str, reader: ReaderDep, session: SessionDep) -> list[QuestionPublic]:
    return service.list_questions(slug, reader=reader, session=session)


@router.post(QUESTIONS, status_code=201, summary="Enable a question (owners and editors)")
def enable_question(
    slug: str, data: QuestionCreate, reader: ReaderDep, session: SessionDep
) -> QuestionPublic:
    return service.enable_question(slug, data, reader=reader, session=session)


@router.post(
    f"{QUESTIONS}/{{name}}/answers",
    summary="A safe answer: suppressed cells, noise at 95%, the budget left",
)
def ask(
    slug: str,
    name: str,
    request: AskRequest,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    noise: NoiseDep,
) -> AnswerPublic:
    by = request.by if "by" in request.model_fields_set else None
    return service.ask(slug, name, by, reader=reader, node=node, session=session, noise=noise)


@router.get(
    f"{QUESTIONS}/{{name}}/log",
    summary="Who asked a question and each reader's budget (owners and editors)",
)
def question_log(slug: str, name: str, reader: ReaderDep, session: SessionDep) -> QuestionLog:
    return service.question_log(slug, name, reader=reader, session=session)


@router.post(
    f"{QUESTIONS}/{{name}}/publish",
    status_code=201,
    summary="Publish a question's safe answer as a derived dataset (owners and editors)",
)
def publish(
    slug: str,
    name: str,
    data: PublishRequest,
    reader: ReaderDep,
    session: SessionDep,
    node: NodeDep,
    noise: NoiseDep,
) -> PublishResult:
    return service.publish_question(
        slug, name, data, reader=reader, node=node, session=session, noise=noise
    )
