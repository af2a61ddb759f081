"""CLI of entities: parse, call one service, print. The CLI acts as the node admin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from laborcommons.access import NODE_ADMIN
from laborcommons.core.cli import command_session, console, err_console, fail, load_node
from laborcommons.core.errors import InvalidInput, LaborCommonsError
from laborcommons.entities import service
from laborcommons.entities.schemas import (
    BulkReview,
    ColumnMapping,
    EntitySummary,
    LinkJobCreate,
    MergeRequest,
    SplitRequest,
)

entities_app = typer.Typer(
    help="Shared identities: facilities, companies, brands.", no_args_is_help=True
)
review_app = typer.Typer(
    help="The review queue of candidate pairs.\n\nExample: laborcommons entities review list",
    no_args_is_help=True,
)

from laborcommons.entities.cluster_command import cluster  # noqa: E402

entities_app.command("cluster")(cluster)
entities_app.add_typer(review_app, name="review")


def _print_entities(items: list[EntitySummary]) -> None:
    table = Table("lcid", "kind", "name", "country", "city", "status")
    for item in items:
        table.add_row(
            item.lcid, item.kind, item.name, item.country or "", item.city or "", item.status
        )
    console.print(table)


@entities_app.command("search")
def search(
    q: Annotated[str | None, typer.Argument(help="name, in its script or transliterated")] = None,
    country: Annotated[str | None, typer.Option(help="ISO code or name")] = None,
    kind: Annotated[str | None, typer.Option(help="facility, company or brand")] = None,
    scheme: Annotated[str | None, typer.Option(help="identifier scheme, e.g. lei")] = None,
    identifier: Annotated[str | None, typer.Option(help="identifier value")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Search entities by name, country, kind or identifier.

    Example: laborcommons entities search "Dhaka Knit" --country BD
    """
    with command_session() as (_node, session):
        result = service.search_entities(
            q=q,
            country=country,
            kind=kind,
            scheme=scheme,
            identifier=identifier,
            page=page,
            reader=NODE_ADMIN,
            session=session,
        )
    _print_entities(result.items)
    err_console.print(f"{result.total} entities (page {page})")


@entities_app.command("show")
def show(lcid: str) -> None:
    """Show one entity as JSON (an alias shows the canonical entity).

    Example: laborcommons entities show FBDSXQKDW9EDDD
    """
    with command_session() as (_node, session):
        named, canonical = service.resolve_entity(lcid, session=session)
        public = service.entity_public(
            canonical, reader=NODE_ADMIN, session=session, relations_page=None
        )
    if named.id != canonical.id:
        err_console.print(f"{named.lcid} was merged into {canonical.lcid}")
    console.print_json(public.model_dump_json())


@entities_app.command("merge")
def merge(
    lcid: str,
    into: Annotated[str, typer.Option(help="lcid that survives")],
    reason: Annotated[str, typer.Option(help="why (kept in the history)")],
) -> None:
    """Merge an entity into another; its lcid becomes an alias.

    Example: laborcommons entities merge FBDSXQKDW9EDDD --into FBDA2BMZXA92VS --reason "same site"
    """
    with command_session() as (_node, session):
        data = MergeRequest(into=into, reason=reason)
        entity = service.merge_entities(lcid, data, actor=NODE_ADMIN, session=session)
        console.print(f"Merged {lcid} into {entity.lcid}")


@entities_app.command("split")
def split(
    lcid: str,
    parts: Annotated[Path, typer.Argument(help="JSON list of parts (name, address, ...)")],
    reason: Annotated[str, typer.Option(help="why (kept in the history)")],
) -> None:
    """Split an entity into new ones described in a JSON file.

    Example: laborcommons entities split FBDSXQKDW9EDDD parts.json --reason "two buildings"
    """
    with command_session() as (_node, session):
        try:
            described = json.loads(parts.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InvalidInput(f"{parts}: not a readable JSON list of parts ({error})") from None
        data = SplitRequest.model_validate({"parts": described, "reason": reason})
        result = service.split_entity(lcid, data, actor=NODE_ADMIN, session=session)
    console.print(f"Split {result.original} into {', '.join(p.lcid for p in result.parts)}")


def _mapping(mapping: str | None, name_column: str | None) -> ColumnMapping | None:
    if mapping:
        source = Path(mapping)
        text = source.read_text(encoding="utf-8") if source.is_file() else mapping
        try:
            return ColumnMapping.model_validate(json.loads(text))
        except ValueError as error:
            raise InvalidInput(f"--mapping is not a JSON column mapping: {error}") from None
    return ColumnMapping(name=name_column) if name_column else None


@entities_app.command("link")
def link(
    dataset: str,
    version: Annotated[int | None, typer.Option(help="version number (latest)")] = None,
    kind: Annotated[str, typer.Option(help="facility, company or brand")] = "facility",
    mapping: Annotated[str | None, typer.Option(help="JSON mapping or a file with it")] = None,
    name_column: Annotated[str | None, typer.Option(help="only a name column")] = None,
    dry_run: Annotated[bool, typer.Option(help="show what would happen, change nothing")] = False,
    upper: Annotated[float | None, typer.Option(help="link at or above")] = None,
    lower: Annotated[float | None, typer.Option(help="review at or above")] = None,
) -> None:
    """Link a dataset version's rows to entities (columns suggested when not given).

    Example: laborcommons entities link supplier-list --kind facility --dry-run
    """
    with command_session() as (node, session):
        data = LinkJobCreate.model_validate(
            {
                "dataset": dataset,
                "version": version,
                "kind": kind,
                "dry_run": dry_run,
                "mapping": _mapping(mapping, name_column),
                "upper": upper,
                "lower": lower,
            }
        )
        job_id = service.create_link_job(data, reader=NODE_ADMIN, session=session).id
    node = load_node()
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    try:
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task("Linking", total=None)

            def progress(done: int, total: int, message: str) -> None:
                bar.update(task, completed=done, total=total or None, description=message)

            result = service.execute_link_job(
                job_id, reader=NODE_ADMIN, node=node, progress=progress
            )
    except LaborCommonsError as error:
        raise fail(error) from None
    finally:
        node.dispose()
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    prefix = "Dry run (nothing changed)" if result.dry_run else f"Link job {result.id}"
    console.print(f"{prefix}: {counts}")
    for outcome in result.outcomes:
        console.print(f"row {outcome.row}: {outcome.status} {outcome.entity or ''} {outcome.name}")


@entities_app.command("export")
def export(
    format: Annotated[str, typer.Option(help="csv, json or geojson")] = "json",
    what: Annotated[str, typer.Option(help="entities or relations (CSV)")] = "entities",
    kind: Annotated[str | None, typer.Option()] = None,
    output: Annotated[Path | None, typer.Option(help="file (stdout when omitted)")] = None,
) -> None:
    """Export entities and relations as CSV, JSON or GeoJSON.

    Example: laborcommons entities export --format geojson --output facilities.geojson
    """
    with command_session() as (_node, session):
        _, body = service.export_entities(
            format, reader=NODE_ADMIN, session=session, kind=kind, what=what
        )
    if output is None:
        typer.echo(body, nl=False)
    else:
        output.write_text(body, encoding="utf-8")
        err_console.print(f"Wrote {output}")


@entities_app.command("changes")
def changes(
    since: Annotated[int, typer.Option(min=0, help="last event id you have seen")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """Print entity events after an event id (merges, splits, new identifiers), as JSON.

    Example: laborcommons entities changes --since 120
    """
    with command_session() as (_node, session):
        page = service.changes_since(since, limit=limit, reader=NODE_ADMIN, session=session)
    console.print_json(page.model_dump_json())


@review_app.command("list")
def review_list(
    dataset: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str, typer.Option(help="open, accepted, rejected or all")] = "open",
    page: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """List review candidates with their match probability.

    Example: laborcommons entities review list --dataset supplier-list
    """
    with command_session() as (_node, session):
        result = service.list_candidates(
            reader=NODE_ADMIN, session=session, status=status, dataset=dataset, page=page
        )
    table = Table("id", "dataset", "row", "record", "candidate", "probability", "status")
    for item in result.items:
        table.add_row(
            str(item.id),
            f"{item.dataset} v{item.version}",
            str(item.row),
            str(item.record.get("name")),
            f"{item.entity.lcid} {item.entity.name}",
            f"{item.probability:.3f}",
            item.status,
        )
    console.print(table)
    err_console.print(f"{result.total} candidates")


def _decide(action: Literal["accept", "reject"], ids: list[int], reason: str) -> None:
    with command_session() as (_node, session):
        data = BulkReview(ids=ids, action=action, reason=reason)
        result = service.bulk_review(data, reader=NODE_ADMIN, session=session)
    for item in result.decided:
        console.print(
            f"{item.id}: {item.status} (row {item.row} of {item.dataset}, {item.entity.lcid})"
        )


@review_app.command("accept")
def review_accept(
    ids: Annotated[list[int], typer.Argument(help="candidate ids")],
    reason: Annotated[str, typer.Option()] = "",
) -> None:
    """Accept candidates: link their rows to the entity (stored as must-link).

    Example: laborcommons entities review accept 12 13 --reason "same address"
    """
    _decide("accept", ids, reason)


@review_app.command("reject")
def review_reject(
    ids: Annotated[list[int], typer.Argument(help="candidate ids")],
    reason: Annotated[str, typer.Option()] = "",
) -> None:
    """Reject candidates (stored as cannot-link; never asked again).

    Example: laborcommons entities review reject 14 --reason "different city"
    """
    _decide("reject", ids, reason)
