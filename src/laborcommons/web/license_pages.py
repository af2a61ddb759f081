"""The license table and the Creative Commons chooser (a plain GET form, no JavaScript)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from laborcommons.access.deps import PageReaderDep
from laborcommons.catalog.licenses import LICENSES, LicenseQuestions, choose_license
from laborcommons.core.errors import BadRequest
from laborcommons.web.rendering import render

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
    for name in QUESTIONS:
        value = request.query_params.get(name)
        if value is None:
            continue
        if value not in {"yes", "no"}:
            raise BadRequest(f"{name} must be yes or no, not {value!r}")
        answers[name] = value == "yes"
    return answers or None


@router.get("/licenses/choose")
def chooser(request: Request, reader: PageReaderDep) -> Response:
    answers = parse_answers(request)
    questions = LicenseQuestions.model_validate(answers or {})
    recommendation = choose_license(questions) if answers is not None else None
    context = {
        "questions": QUESTIONS,
        "answers": questions.model_dump(),
        "recommendation": recommendation,
    }
    return render(request, "choose.html", context, reader=reader)
