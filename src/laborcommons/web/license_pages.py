"""The license table and the Creative Commons chooser (a plain GET form, no JavaScript)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog import service
from laborcommons.catalog.licenses import LICENSES, LicenseQuestions, choose_license
from laborcommons.catalog.schemas import DatasetPublic, DatasetUpdate
from laborcommons.core.deps import SessionDep
from laborcommons.core.errors import BadRequest, InvalidInput, LaborCommonsError
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, editable_dataset, validation_message
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
QUESTIONS = {
    "waive_all_rights": "Do you want to give up all rights, so anyone may use the data "
    "without even naming you?",
    "allow_commercial": "May others use the data commercially?",
    "allow_modifications": "May others share modified or combined versions of the data?",
    "require_share_alike": "Must those modified versions be shared under the same license?",
}


@router.get("/licenses")
def licenses(request: Request, reader: PageReaderDep) -> Response:
    context = {"licenses": list(LICENSES.values())}
    return render(request, "licenses.html", context, reader=reader, alternate="/api/v1/licenses")


def parse_answers(request: Request) -> dict[str, bool] | None:
    """Answers from ``?question=yes|no``; None until the form has been submitted."""
    answers: dict[str, bool] = {}
    for name in QUESTIONS:  # ``dataset`` names the dataset to apply the answer to
        value = request.query_params.get(name)
        if value is None:
            continue
        if value not in {"yes", "no"}:
            raise BadRequest(f"{name} must be yes or no, not {value!r}")
        answers[name] = value == "yes"
    return answers or None


def target_dataset(slug: str | None, *, reader: Reader, session: Session) -> DatasetPublic | None:
    """The dataset the chooser was opened for, if this reader may change it; otherwise the
    page is the plain chooser (a hidden or foreign dataset changes nothing on it)."""
    if not slug:
        return None
    try:
        found = editable_dataset(slug, reader=reader, session=session)
    except LaborCommonsError:
        return None
    return service.dataset_public(found, reader=reader)


def chooser_page(
    request: Request, reader: Reader, *, status: int = 200, **context: Any
) -> Response:
    answers = parse_answers(request)
    questions = LicenseQuestions.model_validate(answers or {})
    recommendation = choose_license(questions) if answers is not None else None
    values = {
        "questions": QUESTIONS,
        "answers": questions.model_dump(),
        "recommendation": recommendation,
        "target": None,
        "apply_error": "",
        **context,
    }
    return render(request, "choose.html", values, reader=reader, status=status)


@router.get("/licenses/choose")
def chooser(request: Request, reader: PageReaderDep, session: SessionDep) -> Response:
    target = target_dataset(request.query_params.get("dataset"), reader=reader, session=session)
    return chooser_page(request, reader, target=target)


@router.post("/datasets/{slug}/license")
def apply_license(
    request: Request,
    slug: str,
    reader: PageReaderDep,
    session: SessionDep,
    _csrf: CsrfDep,
    license: Annotated[str, Form()] = "",
) -> Response:
    """The chooser's answer, applied: the publishing rules of ``update_dataset`` decide."""
    found = editable_dataset(slug, reader=reader, session=session)
    target = service.dataset_public(found, reader=reader)
    try:
        service.update_dataset(slug, DatasetUpdate(license=license), reader=reader, session=session)
    except ValidationError as error:
        message = validation_message(error)
    except InvalidInput as error:
        discard_changes(session, error)
        message = error.message
    else:
        add_flash(request, f"License {license} applied to {target.title}.")
        return RedirectResponse(f"/datasets/{slug}/edit#license", status_code=303)
    return chooser_page(request, reader, status=422, target=target, apply_error=message)
