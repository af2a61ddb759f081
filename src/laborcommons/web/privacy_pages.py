"""The privacy page of a version: PII findings with resolve forms, k-anonymity, lineage.

Editors and owners only (the services decide: hidden datasets 404, others 401/403).
A failed form is re-rendered with its error and nothing of the attempt is kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from laborcommons.access import Reader
from laborcommons.access.deps import PageReaderDep
from laborcommons.core.deps import DbId, NodeDep, SessionDep
from laborcommons.core.errors import BadRequest, Conflict, InvalidInput
from laborcommons.releases import service
from laborcommons.releases.schemas import HierarchySpec, KanonRequest, Resolution
from laborcommons.web.csrf import CsrfDep
from laborcommons.web.forms import discard_changes, split_list
from laborcommons.web.rendering import add_flash, render

router = APIRouter()
PAGE = "/datasets/{slug}/versions/{number}/privacy"
FORM_ERRORS = (BadRequest, Conflict, InvalidInput)
MAX_HIERARCHY_BYTES = 5 * 1024 * 1024


class ResolveForm(BaseModel):
    action: str = ""
    justification: str = ""
    domain: str = ""
    hierarchy: str = ""
    hierarchy_csv: str = ""
    width: str = ""
    level: str = "1"

    def to_resolution(self) -> Resolution:
        spec = None
        if self.action == "generalize" and self.hierarchy:
            spec = {
                "kind": self.hierarchy,
                "csv": self.hierarchy_csv or None,
                "width": self.width or None,
            }
        return Resolution.model_validate(
            {
                "action": self.action,
                "justification": self.justification or None,
                "domain": self.domain.strip() or None,
                "hierarchy": spec,
                "level": self.level or 1,
            }
        )


class KanonForm(BaseModel):
    quasi_identifiers: str = ""
    k: str = "5"
    max_suppression: str = "0"
    metric: str = "entropy"
    sensitive: str = ""
    l: str = ""  # noqa: E741
    target: str = ""
    drop: str = ""
    pseudonymize: str = ""
    domain: str = ""

    def to_request(self, hierarchies: dict[str, HierarchySpec]) -> KanonRequest:
        return KanonRequest.model_validate(
            {
                "quasi_identifiers": split_list(self.quasi_identifiers),
                "k": self.k,
                "max_suppression": self.max_suppression or 0,
                "metric": self.metric,
                "sensitive": self.sensitive.strip() or None,
                "l": self.l.strip() or None,
                "target": self.target.strip() or None,
                "hierarchies": hierarchies,
                "drop": split_list(self.drop),
                "pseudonymize": split_list(self.pseudonymize),
                "domain": self.domain.strip() or None,
            }
        )


def _problem(error: ValidationError) -> str:
    return "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())


def privacy_page(
    request: Request,
    slug: str,
    number: int,
    *,
    reader: Reader,
    session: Any,
    status: int = 200,
    error: str | None = None,
    error_for: str | None = None,
    kanon_form: KanonForm | None = None,
) -> Response:
    result = service.list_findings(slug, number, reader=reader, session=session)
    derivation = result.lineage.steps[0].derivation or {}
    context = {
        "result": result,
        "error": error,
        "error_for": error_for,
        "kanon": kanon_form or KanonForm(),
        "report": derivation.get("report"),
    }
    api = f"/api/v1/datasets/{slug}/versions/{number}/findings"
    return render(request, "privacy.html", context, reader=reader, status=status, alternate=api)


@router.get(PAGE)
def findings_page(
    request: Request, slug: str, number: int, reader: PageReaderDep, session: SessionDep
) -> Response:
    return privacy_page(request, slug, number, reader=reader, session=session)


@router.post("/datasets/{slug}/versions/{number}/findings/{finding_id}/resolve")
def resolve(
    request: Request,
    slug: str,
    number: int,
    finding_id: DbId,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    form: Annotated[ResolveForm, Form()],
) -> Response:
    try:
        result = service.resolve_finding(
            slug,
            number,
            finding_id,
            form.to_resolution(),
            reader=reader,
            node=node,
            session=session,
        )
    except ValidationError as problem:
        message = _problem(problem)
    except FORM_ERRORS as problem:
        discard_changes(session, problem)
        message = problem.message
    else:
        finding = result.finding
        if result.version is None:
            add_flash(request, f"Accepted: {finding.column} ({finding.kind}).")
            return RedirectResponse(PAGE.format(slug=slug, number=number), status_code=303)
        new = result.version.version
        add_flash(request, f"Version {new}: {finding.column} resolved by {finding.resolution}.")
        return RedirectResponse(PAGE.format(slug=slug, number=new), status_code=303)
    return privacy_page(
        request,
        slug,
        number,
        reader=reader,
        session=session,
        status=422,
        error=message,
        error_for=f"finding-{finding_id}",
    )


def _uploaded_hierarchies(files: list[UploadFile], columns: list[str]) -> dict[str, HierarchySpec]:
    """ARX files named ``*_hierarchy_<column>.csv``, matched to the quasi-identifiers."""
    found: dict[str, HierarchySpec] = {}
    for upload in files:
        name = upload.filename or ""
        column = next((c for c in columns if name.endswith(f"_hierarchy_{c}.csv")), None)
        if not name:
            continue
        if column is None:
            raise InvalidInput(
                f"{name}: not named *_hierarchy_<column>.csv for one of the quasi-identifiers",
                details={"file": name},
            )
        data = upload.file.read(MAX_HIERARCHY_BYTES + 1)
        if len(data) > MAX_HIERARCHY_BYTES:
            raise InvalidInput(f"{name} is larger than {MAX_HIERARCHY_BYTES} bytes")
        try:
            found[column] = HierarchySpec(kind="arx", csv=data.decode("utf-8-sig"), file=name)
        except UnicodeDecodeError:
            raise InvalidInput(f"{name} is not UTF-8 text", details={"file": name}) from None
    return found


@router.post("/datasets/{slug}/versions/{number}/kanon")
def kanon(
    request: Request,
    slug: str,
    number: int,
    reader: PageReaderDep,
    session: SessionDep,
    node: NodeDep,
    _csrf: CsrfDep,
    form: Annotated[KanonForm, Form()],
    hierarchy_files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    try:
        columns = split_list(form.quasi_identifiers)
        hierarchies = _uploaded_hierarchies(hierarchy_files or [], columns)
        result = service.anonymize_version(
            slug, number, form.to_request(hierarchies), reader=reader, node=node, session=session
        )
    except ValidationError as problem:
        message = _problem(problem)
    except FORM_ERRORS as problem:
        discard_changes(session, problem)
        message = problem.message
    else:
        add_flash(
            request,
            f"k-anonymous version {result.version.version} of {result.dataset}: "
            f"{result.version.row_count} rows.",
        )
        target = PAGE.format(slug=result.dataset, number=result.version.version)
        return RedirectResponse(target, status_code=303)
    return privacy_page(
        request,
        slug,
        number,
        reader=reader,
        session=session,
        status=422,
        error=message,
        error_for="kanon",
        kanon_form=form,
    )
