"""CLI of harvesting: add, list, run (now or when due, for cron) and remove sources."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from laborcommons.access import NODE_ADMIN
from laborcommons.core.cli import command_session, console, fail, load_node
from laborcommons.core.errors import BadRequest, LaborCommonsError
from laborcommons.harvest import service
from laborcommons.harvest.schemas import RunResult, SourceCreate

harvest_app = typer.Typer(
    help="Harvest other catalogs (CKAN, DCAT) and list their datasets here.",
    no_args_is_help=True,
)


@harvest_app.command("add")
def add(
    slug: str,
    kind: Annotated[str, typer.Option(help="ckan or dcat")],
    url: Annotated[str, typer.Option(help="ckan: the site's base URL; dcat: the catalog URL")],
    every: Annotated[
        int | None, typer.Option(help="minutes between scheduled runs (see `run --due`)")
    ] = None,
) -> None:
    """Add a catalog to harvest.

    Example: laborcommons harvest add partner --kind ckan --url https://data.example.org --every 60
    """
    with command_session() as (_node, session):
        data = SourceCreate.model_validate(
            {"slug": slug, "kind": kind, "url": url, "interval_minutes": every}
        )
        source = service.add_source(data, reader=NODE_ADMIN, session=session)
    console.print(f"Added harvest source {source.slug} ({source.kind} {source.url})")


@harvest_app.command("list")
def list_sources() -> None:
    """List harvest sources and how their last run went.

    Example: laborcommons harvest list
    """
    with command_session() as (_node, session):
        found = service.list_sources(reader=NODE_ADMIN, session=session)
    table = Table("slug", "kind", "url", "every", "status", "finished", "entries", "error")
    for s in found.items:
        finished = f"{s.finished_at:%Y-%m-%d %H:%M}" if s.finished_at else ""
        every = str(s.interval_minutes or "")
        table.add_row(
            s.slug, s.kind, s.url, every, s.status, finished, str(s.last_count), s.last_error
        )
    console.print(table)


def _report(result: RunResult) -> None:
    s = result.source
    if result.interrupted:
        console.print(f"{s.slug}: counted as failed: {result.interrupted}")
    if s.status == "failed":
        console.print(f"{s.slug}: failed: {s.last_error}")
        return
    console.print(
        f"{s.slug}: ok, {s.last_count} entries "
        f"(added {result.added}, updated {result.updated}, removed {result.removed})"
    )


@harvest_app.command("run")
def run(
    slug: Annotated[str | None, typer.Argument(help="the source to run now")] = None,
    due: Annotated[
        bool, typer.Option("--due", help="run every source whose interval passed")
    ] = False,
) -> None:
    """Harvest a source now, or (--due, from cron or a systemd timer) every source due.

    Exits 1 when a run failed. Example: laborcommons harvest run --due
    """
    if (slug is None) == (not due):
        raise fail(BadRequest("name one source or pass --due, not both"))
    node = load_node()
    try:
        if due:
            results = service.run_due(reader=NODE_ADMIN, sessions=node.sessions)
        else:
            assert slug is not None
            results = [service.run_source(slug, reader=NODE_ADMIN, sessions=node.sessions)]
    except LaborCommonsError as error:
        raise fail(error) from None
    finally:
        node.dispose()
    for result in results:
        _report(result)
    if due and not results:
        console.print("No source is due.")
    if any(r.source.status == "failed" for r in results):
        raise typer.Exit(1)


@harvest_app.command("remove")
def remove(slug: str) -> None:
    """Remove a source and every entry harvested from it.

    Example: laborcommons harvest remove partner
    """
    with command_session() as (_node, session):
        service.remove_source(slug, reader=NODE_ADMIN, session=session)
    console.print(f"Removed harvest source {slug}")
