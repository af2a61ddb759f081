"""Safe answers on the web: the questions of a dataset, asking one, and the owner's tools.

The pages call the same services as the API (``answers.service``), so an answer here is
suppressed, noised, cached, budgeted and audited exactly as ``POST .../answers`` is. A
dataset the reader may not discover, or a question outside their audience, is a 404 like
a missing one. Asking is a POST: it can spend budget, so no link or prefetch may do it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader, may_edit
from laborcommons.access.deps import PageReaderDep
from laborcommons.answers import service, text
from laborcommons.answers.deps import NoiseDep
from laborcommons.answers.schemas import AnswerPublic, QuestionCreate
from laborcommons.answers.service import PublishRequest
from laborcommons.catalog import service as catalog
from laborcommons.core.deps import NodeDep, SessionDep
from laborcommons.core.errors import BadRequest, Conflict, InvalidInput, TooManyRequests
from laborcommons.web.answer_view import answer_rows, noise_words
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, editable_dataset, validation_message
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
QUESTIONS = "/datasets/{slug}/questions"
QUESTION = "/datasets/{slug}/questions/{name}"
FORM_ERRORS = (BadRequest, Conflict, InvalidInput)
ALGORITHMS = ("mean", "median", "count", "share-below", "histogram", "quantiles")


class QuestionForm(BaseModel):
    """The editor's fields, spelled as ``answers enable``'s options (text until checked)."""

    name: str = ""
    algorithm: str = "mean"
    subject: str = ""
    value: str = ""
    by: str = ""
    bounds: str = ""
    min_subjects: str = "10"
    dominance_p: str = "25"
    epsilon: str = "1"
    budget: str = "10"
    period_days: str = "30"
    audience: str = "anyone"
    below: str = ""
    below_column: str = ""
    bins: str = ""
    quantiles: str = ""

    def to_question(self) -> QuestionCreate:
        """The API's strict schema decides; blank optional fields are left out."""
        fields: dict[str, Any] = {
            "name": self.name.strip(),
            "algorithm": self.algorithm,
            "subject": self.subject.strip(),
            "value": self.value.strip() or None,
            "breakdowns": text.breakdowns(self.by),
            "bounds": text.numbers(self.bounds, "Bounds"),
            "min_subjects": self.min_subjects.strip() or None,
            "dominance_p": self.dominance_p.strip() or None,
            "epsilon": self.epsilon.strip() or None,
            "budget": self.budget.strip() or None,
            "period_days": self.period_days.strip() or None,
            "audience": self.audience.strip() or None,
            "below": self.below.strip() or None,
            "below_column": self.below_column.strip() or None,
            "bins": text.numbers(self.bins, "Bins"),
            "quantiles": text.numbers(self.quantiles, "Quantiles"),
        }
        return QuestionCreate.model_validate({k: v for k, v in fields.items() if v is not None})


class AskForm(BaseModel):
    by: str = ""


class PublishForm(BaseModel):
    by: str = ""
    slug: str = ""
    license: str = "CC-BY-4.0"
    access: str = "open"
    title: str = ""

    def to_request(self) -> PublishRequest:
        return PublishRequest.model_validate(
            {
                "by": text.columns(self.by),
                "slug": self.slug.strip(),
                "license": self.license.strip() or None,
                "access": self.access,
                "title": self.title.strip() or None,
            }
        )


def questions_page(
    request: Request,
    slug: str,
    *,
    reader: Reader,
    session: Session,
    status: int = 200,
    error: str | None = None,
    form: QuestionForm | None = None,
) -> Response:
    found = catalog.get_dataset(slug, reader=reader, session=session)
    context = {
        "dataset": catalog.dataset_public(found, reader=reader),
        "questions": service.list_questions(slug, reader=reader, session=session),
        "may_edit": may_edit(reader, owner_id=found.organization_id),
        "form": form or QuestionForm(),
        "algorithms": ALGORITHMS,
        "error": error,
    }
    api = f"/api/v1/datasets/{slug}/questions"
    return render(
        request, "answers/questions.html", context, reader=reader, status=status, alternate=api
    )


def question_page(
    request: Request,
    slug: str,
    name: str,
    *,
    reader: Reader,
    session: Session,
    status: int = 200,
    answer: AnswerPublic | None = None,
    error: str | None = None,
    error_for: str | None = None,
    publish: PublishForm | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    found, question = service.get_question(slug, name, reader=reader, session=session)
    public = service.question_public(question, found, session=session)
    editor = may_edit(reader, owner_id=found.organization_id)
    shown = answer.model_dump(mode="json") if answer is not None else None
    context = {
        "dataset": catalog.dataset_public(found, reader=reader),
        "question": public,
        "options": [",".join(b) for b in public.breakdowns],
        "answer": shown,
        "rows": answer_rows(shown, min_subjects=public.min_subjects) if shown else [],
        "noise": noise_words(shown["noise"]) if shown else "",
        "may_edit": editor,
        "log": service.question_log(slug, name, reader=reader, session=session) if editor else None,
        "publish": publish or PublishForm(by=",".join(public.breakdowns[0]), slug=f"{slug}-{name}"),
        "error": error,
        "error_for": error_for,
    }
    api = f"/api/v1/datasets/{slug}/questions"
    response = render(
        request, "answers/question.html", context, reader=reader, status=status, alternate=api
    )
    if answer is not None:  # an answer is for this reader (their budget), never shared
        response.headers["Cache-Control"] = "private, no-store"
    response.headers.update(headers or {})
    return response


@router.get(QUESTIONS)
def questions(request: Request, slug: str, reader: PageReaderDep, session: SessionDep) -> Response:
    """The questions this reader may ask; for owners and editors, the question editor."""
    return questions_page(request, slug, reader=reader, session=session)


@router.post(QUESTIONS)
def enable(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    form: Annotated[QuestionForm, Form()],
) -> Response:
    editable_dataset(slug, reader=reader, session=session)
    try:
        created = service.enable_question(slug, form.to_question(), reader=reader, session=session)
    except ValidationError as problem:
        message = validation_message(problem)
    except FORM_ERRORS as problem:
        discard_changes(session, problem)
        message = problem.message
    else:
        add_flash(request, f"Question {created.name!r} enabled for {created.audience}.")
        return RedirectResponse(QUESTION.format(slug=slug, name=created.name), status_code=303)
    return questions_page(
        request, slug, reader=reader, session=session, status=422, error=message, form=form
    )


@router.get(QUESTION)
def question(
    request: Request, slug: str, name: str, reader: PageReaderDep, session: SessionDep
) -> Response:
    """The question, its ask form, and for owners the answer log and "publish as dataset"."""
    return question_page(request, slug, name, reader=reader, session=session)


@router.post(f"{QUESTION}/answers")
def ask(
    request: Request,
    slug: str,
    name: str,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    noise: NoiseDep,
    _csrf: CsrfDep,
    form: Annotated[AskForm, Form()],
) -> Response:
    headers: dict[str, str] = {}
    try:
        answer = service.ask(
            slug,
            name,
            text.columns(form.by),
            reader=reader,
            node=node,
            session=session,
            noise=noise,
        )
    except (TooManyRequests, *FORM_ERRORS) as problem:
        discard_changes(session, problem)  # keeps the refusal's audit record
        if isinstance(problem, TooManyRequests):
            headers["Retry-After"] = str(problem.retry_after)
        return question_page(
            request,
            slug,
            name,
            reader=reader,
            session=session,
            status=problem.status_code,
            error=problem.message,
            error_for="ask",
            headers=headers,
        )
    return question_page(request, slug, name, reader=reader, session=session, answer=answer)


@router.post(f"{QUESTION}/publish")
def publish(
    request: Request,
    slug: str,
    name: str,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    noise: NoiseDep,
    _csrf: CsrfDep,
    form: Annotated[PublishForm, Form()],
) -> Response:
    editable_dataset(slug, reader=reader, session=session)
    try:
        result = service.publish_question(
            slug,
            name,
            form.to_request(),
            reader=reader,
            node=node,
            session=session,
            noise=noise,
        )
    except ValidationError as problem:
        message = validation_message(problem)
    except FORM_ERRORS as problem:
        discard_changes(session, problem)
        message = problem.message
    else:
        what = "Published" if result.created else "Unchanged"
        add_flash(
            request,
            f"{what}: {result.dataset} version {result.version}, {result.rows} rows "
            f"({result.suppressed} suppressed).",
        )
        return RedirectResponse(f"/datasets/{result.dataset}", status_code=303)
    return question_page(
        request,
        slug,
        name,
        reader=reader,
        session=session,
        status=422,
        error=message,
        error_for="publish",
        publish=form,
    )
