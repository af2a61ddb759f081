"""CLI of evidence: the metrics vocabulary, mapping columns to metrics, an entity's
evidence, deviations and verification. The CLI acts as the node admin (it sees every
source), like every command of the node's own operator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from laborcommons.access import NODE_ADMIN
from laborcommons.core.cli import command_session, console
from laborcommons.evidence import service
from laborcommons.evidence.schemas import (
    MappingCreate,
    MetricCreate,
    MetricPublic,
    Triangulation,
    VerificationIn,
)
from laborcommons.evidence.triangulation import shown
from laborcommons.evidence.vocabulary import serialize

metrics_app = typer.Typer(help="The metrics vocabulary answers are about.", no_args_is_help=True)
evidence_app = typer.Typer(
    help="Evidence: answers from every source, triangulated; deviations; verification.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="print the JSON the API serves")]


@metrics_app.command("list")
def list_metrics(as_json: JsonOption = False) -> None:
    """List the metrics: the shipped vocabulary and the node's own.

    Example: laborcommons metrics list
    """
    with command_session() as (_node, session):
        metrics = service.list_metrics(session=session)
    if as_json:
        console.print_json(data=[m.model_dump(mode="json") for m in metrics])
        return
    table = Table("key", "title", "type", "unit", "tolerance")
    for m in metrics:
        tolerance = "" if m.tolerance is None else f"{m.tolerance:g} ({m.tolerance_kind})"
        table.add_row(m.key, m.title, m.value_type, m.unit or "", tolerance)
    console.print(table)


@metrics_app.command("show")
def show_metric(key: str, as_json: JsonOption = False) -> None:
    """One metric's definition, unit, tolerance and methodology.

    Example: laborcommons metrics show monthly-gross-wage
    """
    with command_session() as (_node, session):
        metric = service.get_metric(key, session=session)
    if as_json:
        console.print_json(metric.model_dump_json())
        return
    console.print(f"{metric.key}: {metric.title} ({metric.value_type})")
    tolerance = metric.tolerance and f"{metric.tolerance:g} ({metric.tolerance_kind})"
    for label, value in (
        ("definition", metric.definition),
        ("unit", metric.unit),
        ("period", metric.period),
        ("tolerance", tolerance),
        ("qualifier", metric.qualifier),
        ("allowed", ", ".join(f"{a.value} ({a.label})" for a in metric.allowed)),
        ("designer", metric.designer),
        ("license", metric.license),
        ("methodology", metric.methodology),
    ):
        if value:
            console.print(f"  {label}: {value}", soft_wrap=True)


@metrics_app.command("create")
def create_metric(
    key: str,
    title: Annotated[str, typer.Option(help="what people call it")],
    unit: Annotated[str | None, typer.Option(help="e.g. USD/month, hours/week, share")] = None,
    value_type: Annotated[
        str, typer.Option("--type", help="number, share, boolean, category or score")
    ] = "number",
    definition: Annotated[str, typer.Option(help="what it means, exactly")] = "",
    tolerance: Annotated[float | None, typer.Option(help="deviation tolerance")] = None,
    absolute: Annotated[bool, typer.Option(help="tolerance in the unit, not relative")] = False,
) -> None:
    """Add a metric to this node's vocabulary.

    Example: laborcommons metrics create piece-rate --title "Piece rate" --unit USD/month
    --type number
    """
    with command_session() as (_node, session):
        data = MetricCreate(
            key=key,
            title=title,
            unit=unit,
            value_type=value_type,
            definition=definition,
            tolerance=tolerance,
            tolerance_kind="absolute" if absolute else "relative",
        )
        metric = service.create_metric(data, reader=NODE_ADMIN, session=session)
    console.print(f"Created metric {metric.key} ({metric.value_type}, {metric.unit or 'no unit'})")


@metrics_app.command("export")
def export_metrics(
    format: Annotated[str, typer.Option(help="ttl (SKOS Turtle) or jsonld")] = "ttl",
    base_url: Annotated[str, typer.Option(help="the node's public address")] = (
        "http://localhost:8000"
    ),
) -> None:
    """The vocabulary as SKOS (Turtle or JSON-LD), for other tools and vocabularies.

    Example: laborcommons metrics export --format ttl > metrics.ttl
    """
    if format not in ("ttl", "jsonld"):
        raise typer.BadParameter("use ttl or jsonld", param_hint="--format")
    with command_session() as (_node, session):
        metrics = service.list_metrics(session=session)
    text, _media = serialize(metrics, format, base_url=base_url)
    typer.echo(text)


@evidence_app.command("map")
def map_column(
    dataset: str,
    column: Annotated[str, typer.Option(help="the column holding the values")],
    metric: Annotated[str, typer.Option(help="the metric key")],
    version: Annotated[int | None, typer.Option(help="version number (default latest)")] = None,
    unit: Annotated[str | None, typer.Option(help="the column's unit, e.g. IDR/week")] = None,
    period: Annotated[str | None, typer.Option(help="the year the values refer to")] = None,
    period_column: Annotated[str | None, typer.Option(help="the column holding it")] = None,
    method: Annotated[
        str,
        typer.Option(
            help="self-declared, third-party-audit, worker-survey, payslip, "
            "government-record, media or other"
        ),
    ] = "other",
    qualifier: Annotated[str, typer.Option(help="category, scheme or assessment")] = "",
    kind: Annotated[str | None, typer.Option(help="facility, company or brand links")] = None,
    rates: Annotated[str | None, typer.Option(help="exchange-rates dataset")] = None,
) -> None:
    """Read a column of a linked version as a metric: each linked row becomes an answer.
    Running it again adds only what is new.

    Example: laborcommons evidence map compliance-2024 --column monthly_wage_usd
    --metric monthly-gross-wage --period 2024 --method self-declared
    """
    with command_session() as (node, session):
        data = MappingCreate.model_validate(
            {
                k: v
                for k, v in {
                    "column": column,
                    "metric": metric,
                    "unit": unit,
                    "period": period,
                    "period_column": period_column,
                    "method": method,
                    "qualifier": qualifier,
                    "kind": kind,
                    "rates": rates,
                }.items()
                if v is not None
            }
        )
        result = service.map_column(
            dataset, version, data, reader=NODE_ADMIN, session=session, node=node
        )
    console.print(
        f"Mapped {result.dataset} v{result.version} column {result.column!r} to "
        f"{result.metric} ({result.method}): {result.added} answers added, "
        f"{result.existing} already there, {result.unlinked} rows not linked, "
        f"{result.skipped_total} cells unreadable",
        soft_wrap=True,
    )
    for cell in result.skipped[:10]:
        console.print(f"  row {cell.row}, column {cell.column!r}: {cell.reason}", soft_wrap=True)


@evidence_app.command("suggest")
def suggest(
    dataset: str,
    version: Annotated[int | None, typer.Option(help="version number (default latest)")] = None,
) -> None:
    """Suggest metrics for a version's columns, from headers, units and values.

    Example: laborcommons evidence suggest compliance-2024
    """
    with command_session() as (_node, session):
        result = service.list_mappings(dataset, version, reader=NODE_ADMIN, session=session)
    table = Table("column", "metric", "unit", "score", "why")
    for s in result.suggestions:
        table.add_row(s.column, s.metric, s.unit or "", f"{s.score:.2f}", s.reason)
    console.print(f"{result.dataset} v{result.version}, linked: {', '.join(result.linked) or 'no'}")
    console.print(table)


def _print_group(group: Triangulation, metrics: dict[str, MetricPublic]) -> None:
    qualifier = f" [{group.qualifier}]" if group.qualifier else ""
    flag = " (deviation)" if group.deviates else ""
    metric = metrics.get(group.metric)
    consensus = group.consensus if metric is None else shown(group.consensus, metric)
    console.print(
        f"{group.entity} {group.name} · {group.metric}{qualifier} · "
        f"{group.period}: consensus {consensus}{flag}",
        soft_wrap=True,
    )
    table = Table("dataset", "row", "value", "as written", "method", "verification", "weight")
    for s in group.sources:
        value = str(s.value) if metric is None else shown(s.value, metric)
        mark = " (deviates)" if s.deviates else ""
        table.add_row(
            f"{s.dataset} v{s.version}",
            str(s.row),
            value + mark,
            s.original,
            s.method,
            s.verification,
            f"{s.weight:g}",
        )
    console.print(table)
    console.print(f"  {group.explanation}", soft_wrap=True)


@evidence_app.command("show")
def show(
    lcid: str,
    metric: Annotated[str | None, typer.Option(help="only this metric")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every source about an entity, per metric and period, with the consensus.

    Example: laborcommons evidence show LC-F-... --metric monthly-gross-wage
    """
    with command_session() as (_node, session):
        groups = service.entity_evidence(lcid, reader=NODE_ADMIN, session=session, metric=metric)
        metrics = {m.key: m for m in service.list_metrics(session=session)}
    if as_json:
        console.print_json(data=[g.model_dump(mode="json") for g in groups])
        return
    if not groups:
        console.print(f"No evidence about {lcid} yet.")
    for group in groups:
        _print_group(group, metrics)


@evidence_app.command("deviations")
def deviations(
    metric: Annotated[str | None, typer.Option(help="only this metric")] = None,
    dataset: Annotated[str | None, typer.Option(help="only groups with this dataset")] = None,
    as_json: JsonOption = False,
) -> None:
    """Where sources disagree: entity, metric, period, the sources and why.

    Example: laborcommons evidence deviations --metric monthly-gross-wage --json
    """
    with command_session() as (_node, session):
        found = service.deviations(
            reader=NODE_ADMIN, session=session, metric=metric, dataset=dataset
        )
        metrics = {m.key: m for m in service.list_metrics(session=session)}
    if as_json:
        console.print_json(data=[g.model_dump(mode="json") for g in found])
        return
    console.print(f"{len(found)} deviation(s)")
    for group in found:
        _print_group(group, metrics)


@evidence_app.command("verify")
def verify(
    answer_id: int,
    status: Annotated[
        str,
        typer.Option(help="flagged, unverified, community-verified or steward-verified"),
    ],
    comment: Annotated[str, typer.Option(help="why (kept with the change)")] = "",
) -> None:
    """Set an answer's verification status (kept in its history and the audit trail).

    Example: laborcommons evidence verify 42 --status flagged --comment "payslips disagree"
    """
    with command_session() as (_node, session):
        data = VerificationIn.model_validate({"status": status, "comment": comment})
        result = service.verify_answer(answer_id, data, reader=NODE_ADMIN, session=session)
    answer = result.answer
    console.print(
        f"Answer {answer.id} ({answer.entity}, {answer.metric}, {answer.period}) is now "
        f"{answer.verification}"
    )


@evidence_app.command("attach")
def attach(
    answer_id: int,
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="the file")],
    comment: Annotated[str, typer.Option(help="what it shows")] = "",
) -> None:
    """Attach a file to an answer as its evidence (stored sealed, shown to whoever may see
    the answer).

    Example: laborcommons evidence attach 42 payslip-march.pdf --comment "March payslip"
    """
    with command_session() as (node, session):
        result = service.attach_file(
            answer_id,
            path.read_bytes(),
            filename=path.name,
            comment=comment,
            reader=NODE_ADMIN,
            session=session,
            node=node,
        )
    console.print(f"Attached {result.filename} ({result.size_bytes} bytes) to answer {answer_id}")
