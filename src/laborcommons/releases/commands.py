"""CLI of releases: list PII findings, resolve them, derive k-anonymous versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from laborcommons.access import NODE_ADMIN
from laborcommons.core.cli import command_session, console
from laborcommons.core.errors import InvalidInput
from laborcommons.privacy.kanon.hierarchies import hierarchy_file
from laborcommons.releases import service
from laborcommons.releases.schemas import HierarchySpec, KanonRequest, Resolution

releases_app = typer.Typer(
    help="Safe releases: PII findings, their resolution, k-anonymous versions.",
    no_args_is_help=True,
)
VersionOption = Annotated[int | None, typer.Option("--version", help="version (default: latest)")]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@releases_app.command("findings")
def findings(
    slug: str,
    version: VersionOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the JSON the API serves")] = False,
) -> None:
    """List the PII findings of a version (masked examples) and its lineage.

    Example: laborcommons releases findings wage-survey --version 1
    """
    with command_session() as (_node, session):
        result = service.list_findings(slug, version, reader=NODE_ADMIN, session=session)
    if as_json:
        console.print_json(result.model_dump_json())
        return
    table = Table("id", "column", "kind", "count", "share", "examples", "status", "resolution")
    for f in result.findings:
        table.add_row(
            str(f.id),
            f.column,
            f.kind,
            str(f.count),
            f"{f.share:.0%}",
            ", ".join(f.examples),
            f.status,
            f.resolution or "",
        )
    console.print(f"{result.dataset} version {result.version}")
    console.print(table)
    held = ", ".join(result.withheld_columns)
    console.print(f"Withheld from the public by: {held}" if held else "Releasable: no PII held.")


def _hierarchy(kind: str | None, path: Path | None, width: float | None) -> HierarchySpec | None:
    if path is not None:
        return HierarchySpec(kind="arx", csv=path.read_text(encoding="utf-8-sig"), file=path.name)
    return HierarchySpec.model_validate({"kind": kind, "width": width}) if kind else None


@releases_app.command("resolve")
def resolve(
    slug: str,
    finding: Annotated[int, typer.Argument(help="finding id (see `releases findings`)")],
    action: Annotated[str, typer.Option(help="drop, pseudonymize, generalize or accept")],
    version: VersionOption = None,
    justification: Annotated[str | None, typer.Option(help="accept: why it may stay")] = None,
    domain: Annotated[str | None, typer.Option(help="pseudonymize: release domain")] = None,
    hierarchy: Annotated[
        str | None, typer.Option(help="generalize: interval, date or suppress")
    ] = None,
    hierarchy_file: Annotated[
        Path | None, typer.Option(help="generalize: an ARX hierarchy CSV", exists=True)
    ] = None,
    width: Annotated[float | None, typer.Option(help="interval: first width")] = None,
    level: Annotated[int, typer.Option(help="generalize: level to apply")] = 1,
) -> None:
    """Resolve one finding; drop, pseudonymize and generalize make a derived version.

    Example: laborcommons releases resolve wage-survey 3 --version 1 --action pseudonymize
    """
    with command_session() as (node, session):
        data = Resolution.model_validate(
            {
                "action": action,
                "justification": justification,
                "domain": domain,
                "hierarchy": _hierarchy(hierarchy, hierarchy_file, width),
                "level": level,
            }
        )
        number = (
            version or service.list_findings(slug, None, reader=NODE_ADMIN, session=session).version
        )
        result = service.resolve_finding(
            slug, number, finding, data, reader=NODE_ADMIN, node=node, session=session
        )
    console.print(f"Finding {finding} ({result.finding.column}) resolved: {action}")
    if result.version is not None:
        console.print(f"New version {result.version.version}: {result.version.row_count} rows")


def _hierarchies(directory: Path | None, columns: list[str]) -> dict[str, HierarchySpec]:
    """ARX files named ``*_hierarchy_<column>.csv``; columns without one are generated."""
    if directory is None:
        return {}
    if not directory.is_dir():
        raise InvalidInput(f"hierarchy directory {directory} does not exist")
    found: dict[str, HierarchySpec] = {}
    for column in columns:
        if list(directory.glob(f"*_hierarchy_{column}.csv")):
            path = hierarchy_file(directory, column)
            text = path.read_text(encoding="utf-8-sig")
            found[column] = HierarchySpec(kind="arx", csv=text, file=path.name)
    return found


@releases_app.command("kanon")
def kanon(
    slug: str,
    quasi_identifiers: Annotated[str, typer.Option(help="columns, comma-separated")],
    k: Annotated[int, typer.Option(help="smallest class size")],
    version: VersionOption = None,
    hierarchies: Annotated[
        Path | None, typer.Option(help="directory of ARX *_hierarchy_<column>.csv files")
    ] = None,
    max_suppression: Annotated[float, typer.Option(help="share of rows that may go")] = 0.0,
    metric: Annotated[
        str, typer.Option(help="discernibility, average-class-size, loss, entropy")
    ] = "entropy",
    sensitive: Annotated[str | None, typer.Option(help="column for l-diversity")] = None,
    l_diversity: Annotated[int | None, typer.Option("--l", help="distinct l")] = None,
    target: Annotated[str | None, typer.Option(help="dataset to write to")] = None,
    report: Annotated[Path | None, typer.Option(help="write the report JSON here")] = None,
    drop: Annotated[str, typer.Option(help="direct identifier columns to leave out")] = "",
    pseudonymize: Annotated[
        str, typer.Option(help="direct identifier columns to replace by pseudonyms")
    ] = "",
    domain: Annotated[str | None, typer.Option(help="pseudonymize: release domain")] = None,
) -> None:
    """Derive a k-anonymous version of a dataset version, with its report; refused while a
    direct identifier column would stay (drop or pseudonymize it, here or first).

    Example: laborcommons releases kanon wage-survey --quasi-identifiers age,sex --k 5 --drop id
    """
    with command_session() as (node, session):
        qis = _split(quasi_identifiers)
        request = KanonRequest.model_validate(
            {
                "quasi_identifiers": qis,
                "hierarchies": _hierarchies(hierarchies, qis),
                "k": k,
                "max_suppression": max_suppression,
                "metric": metric,
                "sensitive": sensitive,
                "l": l_diversity,
                "target": target,
                "drop": _split(drop),
                "pseudonymize": _split(pseudonymize),
                "domain": domain,
            }
        )
        number = (
            version or service.list_findings(slug, None, reader=NODE_ADMIN, session=session).version
        )
        result = service.anonymize_version(
            slug, number, request, reader=NODE_ADMIN, node=node, session=session
        )
    if report is not None:
        report.write_text(json.dumps(result.report, indent=2, ensure_ascii=False))
    console.print(
        f"{result.dataset} version {result.version.version}: {result.version.row_count} rows"
    )
    console.print(f"Transformation: {json.dumps(result.report.get('transformation'))}")
