"""CLI of safe answers: enable questions, list them, ask them, read the owner's log.

The CLI acts as the node admin, but ``ask`` answers exactly as for any reader: the same
suppression, noise (OpenDP, never seeded), cache and budget (the admin's own ledger).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from laborcommons.access import NODE_ADMIN
from laborcommons.answers import service, text
from laborcommons.answers.noise import OpenDPNoise
from laborcommons.answers.schemas import AnswerPublic, QuestionCreate
from laborcommons.core.cli import command_session, console
from laborcommons.core.errors import BadRequest

answers_app = typer.Typer(
    help="Safe answers: approved questions on restricted data, only safe aggregates leave.",
    no_args_is_help=True,
)


def _question(options: dict[str, Any]) -> QuestionCreate:
    if options["below"] is not None and options["below_column"] is not None:
        raise BadRequest("give --below or --below-column, not both")
    for name in ("bounds", "bins", "quantiles"):
        options[name] = text.numbers(options[name], f"--{name}")
    options["breakdowns"] = text.breakdowns(options.pop("by"))
    return QuestionCreate.model_validate({k: v for k, v in options.items() if v is not None})


@answers_app.command("enable")
def enable(
    dataset: str,
    name: str,
    algorithm: Annotated[
        str, typer.Option(help="mean, median, count, share-below, histogram or quantiles")
    ],
    subject: Annotated[str, typer.Option(help="the column naming a person (counted once)")],
    by: Annotated[str, typer.Option(help="allowed breakdowns: COL[,COL][;COL...]")],
    value: Annotated[str | None, typer.Option(help="the value column")] = None,
    bounds: Annotated[str | None, typer.Option(help="clamp range LO,HI")] = None,
    min_subjects: Annotated[int | None, typer.Option(help="distinct subjects per cell")] = None,
    dominance_p: Annotated[float | None, typer.Option(help="p% dominance rule")] = None,
    epsilon: Annotated[float | None, typer.Option(help="privacy cost of one answer")] = None,
    budget: Annotated[float | None, typer.Option(help="epsilon per reader per period")] = None,
    audience: Annotated[
        str | None, typer.Option(help="anyone, group:SLUG or org:SLUG (default anyone)")
    ] = None,
    below: Annotated[float | None, typer.Option(help="share-below: the threshold")] = None,
    below_column: Annotated[
        str | None, typer.Option(help="share-below: COL, or DATASET:COL[@JOIN_COLUMN]")
    ] = None,
    bins: Annotated[str | None, typer.Option(help="histogram: edges a,b,c")] = None,
    quantiles: Annotated[str | None, typer.Option(help="quantiles: 0.25,0.5,0.75")] = None,
) -> None:
    """Enable a question on a dataset, after the checks that its answers can be made safe.

    Example: laborcommons answers enable wage-survey mean-wage --algorithm mean
    --subject worker_id --value wage --by facility --bounds 0,1000
    """
    options = dict(locals())
    slug = options.pop("dataset")
    with command_session() as (_node, session):
        data = _question(options)
        result = service.enable_question(slug, data, reader=NODE_ADMIN, session=session)
    breakdowns = "; ".join(", ".join(b) or "(total)" for b in result.breakdowns)
    console.print(
        f"Enabled {result.name} ({result.algorithm}) on {slug} for {result.audience}: "
        f"by {breakdowns}, at least {result.min_subjects} subjects per cell, epsilon "
        f"{result.epsilon} per answer, budget {result.budget} per reader per "
        f"{result.period_days} days"
    )


@answers_app.command("list")
def list_questions(
    dataset: str,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON the API serves")] = False,
) -> None:
    """List a dataset's questions.

    Example: laborcommons answers list wage-survey
    """
    with command_session() as (_node, session):
        questions = service.list_questions(dataset, reader=NODE_ADMIN, session=session)
    if as_json:
        console.print_json(data=[q.model_dump(mode="json") for q in questions])
        return
    table = Table("name", "algorithm", "subject", "value", "breakdowns", "audience", "epsilon")
    for q in questions:
        breakdowns = "; ".join(",".join(b) or "(total)" for b in q.breakdowns)
        table.add_row(
            q.name,
            q.algorithm,
            q.subject,
            q.value or "",
            breakdowns,
            q.audience,
            f"{q.epsilon} of {q.budget}",
        )
    console.print(table)


def _print_answer(answer: AnswerPublic) -> None:
    table = Table(*answer.by, "value", "suppressed")
    extra = sorted({k for c in answer.cells for k in c.group} - set(answer.by))
    for name in extra:
        table.add_column(name)
    for cell in answer.cells:
        shown = "" if cell.value is None else f"{cell.value:.6g}"
        groups = [str(cell.group.get(column, "")) for column in answer.by]
        table.add_row(
            *groups, shown, cell.reason or "", *[str(cell.group.get(k, "")) for k in extra]
        )
    console.print(
        f"{answer.question} ({answer.algorithm}) on version {answer.version}"
        f"{' (cached)' if answer.cached else ''}"
    )
    console.print(table)
    console.print(
        f"Noise: {answer.noise.mechanism}, epsilon {answer.noise.epsilon}, "
        f"error at 95% ±{answer.noise.error_95:.4g}. Budget: spent {answer.budget.spent}, "
        f"left {answer.budget.left}, renews {answer.budget.renews_at.isoformat()}"
    )


@answers_app.command("ask")
def ask(
    dataset: str,
    name: str,
    by: Annotated[str | None, typer.Option(help="one allowed breakdown: COL[,COL]")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON the API serves")] = False,
) -> None:
    """Ask a question, answered as for any reader (suppression, noise, cache, budget).

    Example: laborcommons answers ask wage-survey mean-wage --by facility
    """
    with command_session() as (node, session):
        answer = service.ask(
            dataset,
            name,
            text.columns(by) if by is not None else None,
            reader=NODE_ADMIN,
            node=node,
            session=session,
            noise=OpenDPNoise(),
        )
    if as_json:
        console.print_json(answer.model_dump_json())
        return
    _print_answer(answer)


@answers_app.command("log")
def log(
    dataset: str,
    name: str,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON the API serves")] = False,
) -> None:
    """Who asked a question, what, and how much budget each reader used.

    Example: laborcommons answers log wage-survey mean-wage
    """
    with command_session() as (_node, session):
        result = service.question_log(dataset, name, reader=NODE_ADMIN, session=session)
    if as_json:
        console.print_json(result.model_dump_json())
        return
    budgets = Table("reader", "answers", "spent", "left", "renews at")
    for b in result.budgets:
        budgets.add_row(
            b.reader, str(b.answers), f"{b.spent:g}", f"{b.left:g}", b.renews_at.isoformat()
        )
    entries = Table("at", "reader", "outcome", "version", "by", "cached", "epsilon", "cohorts")
    for e in result.entries:
        entries.add_row(
            e.at.isoformat(),
            e.reader,
            e.outcome,
            str(e.version or ""),
            ",".join(e.by),
            str(e.cached),
            f"{e.epsilon_spent:g}",
            ",".join(map(str, e.cohort_sizes)),
        )
    console.print(budgets)
    console.print(entries)


@answers_app.command("publish")
def publish(
    dataset: str,
    name: str,
    by: Annotated[str, typer.Option(help="the allowed breakdown to publish: COL[,COL]")],
    as_slug: Annotated[str, typer.Option("--as", help="the published dataset's slug")],
    license_id: Annotated[str, typer.Option("--license", help="SPDX license identifier")],
    access: Annotated[str, typer.Option(help="internal|named|group|public|open")] = "open",
    title: Annotated[str | None, typer.Option(help="the published dataset's title")] = None,
) -> None:
    """Publish a question's safe answer as a dataset (a derived version with lineage).

    Example: laborcommons answers publish wage-survey mean-wage --by facility
    --as wage-indications --license CC-BY-4.0 --access open
    """
    with command_session() as (node, session):
        request = service.PublishRequest.model_validate(
            {"by": text.columns(by), "slug": as_slug, "license": license_id, "access": access}
            | ({"title": title} if title else {})
        )
        result = service.publish_question(
            dataset,
            name,
            request,
            reader=NODE_ADMIN,
            node=node,
            session=session,
            noise=OpenDPNoise(),
        )
    state = "published" if result.created else "unchanged (the same answer is the latest)"
    console.print(
        f"{result.organization}~{result.dataset} version {result.version}: {state}; "
        f"{result.rows} rows, {result.suppressed} suppressed, linked {result.linked}"
    )
