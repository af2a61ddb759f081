"""CLI for organizations, datasets and licenses: parse, call one service, print."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog import service
from laborcommons.catalog.licenses import LICENSES, LicenseQuestions, choose_license
from laborcommons.catalog.schemas import DatasetCreate, OrganizationCreate
from laborcommons.core.cli import command_session, console, err_console

orgs_app = typer.Typer(help="The organizations registry.", no_args_is_help=True)
datasets_app = typer.Typer(help="Datasets, versions and exports.", no_args_is_help=True)
licenses_app = typer.Typer(help="Licenses and the license chooser.", no_args_is_help=True)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@orgs_app.command("create")
def create_organization(
    slug: str,
    name: Annotated[str, typer.Option(help="display name")],
    archetype: Annotated[str, typer.Option(help="advocate, compliance-aggregator, ...")],
    countries: Annotated[str | None, typer.Option(help="ISO codes, comma-separated")] = None,
    website: Annotated[str | None, typer.Option()] = None,
    contact: Annotated[str | None, typer.Option()] = None,
    data_types: Annotated[str | None, typer.Option(help="comma-separated data types")] = None,
) -> None:
    """Register an organization.

    Example: laborcommons orgs create garment-union --name "Garment Union" --archetype advocate
    """
    with command_session() as (_node, session):
        data = OrganizationCreate.model_validate(
            {
                "slug": slug,
                "name": name,
                "archetype": archetype,
                "countries": _split(countries),
                "website": website,
                "contact": contact,
                "data_types": _split(data_types),
            }
        )
        organization = service.create_organization(data, reader=NODE_ADMIN, session=session)
        console.print(f"Created organization {organization.slug} ({organization.name})")


@orgs_app.command("list")
def list_organizations(
    archetype: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str | None, typer.Option()] = None,
    data_type: Annotated[str | None, typer.Option()] = None,
) -> None:
    """List the registry, optionally filtered.

    Example: laborcommons orgs list --archetype worker-voice
    """
    with command_session() as (_node, session):
        page = service.list_organizations(
            reader=NODE_ADMIN,
            session=session,
            archetype=archetype,
            country=country,
            data_type=data_type,
        )
    table = Table("slug", "name", "archetype", "countries", "datasets")
    for org in page.items:
        table.add_row(
            org.slug, org.name, org.archetype, ",".join(org.countries), str(org.dataset_count)
        )
    console.print(table)


@orgs_app.command("show")
def show_organization(slug: str) -> None:
    """Show one organization as JSON.

    Example: laborcommons orgs show garment-union
    """
    with command_session() as (_node, session):
        org = service.get_organization(slug, session=session)
        public = service.organization_public(org, reader=NODE_ADMIN, session=session)
    console.print_json(public.model_dump_json())


@orgs_app.command("approve")
def approve_organization(slug: str) -> None:
    """Approve an organization registered while the node requires approval (it joins the
    registry).

    Example: laborcommons orgs approve river-union
    """
    with command_session() as (_node, session):
        org = service.approve_organization(slug, reader=NODE_ADMIN, session=session)
        console.print(f"Approved {org.slug} ({org.name}): it is in the registry now")


@datasets_app.command("create")
def create_dataset(
    slug: str,
    org: Annotated[str, typer.Option(help="owning organization slug")],
    title: Annotated[str, typer.Option()],
    data_type: Annotated[str, typer.Option(help="working-conditions, supply-chain, ...")],
    license: Annotated[str | None, typer.Option(help="SPDX id, e.g. CC-BY-4.0")] = None,
    access: Annotated[str, typer.Option(help="internal|named|group|public|open")] = "internal",
    description: Annotated[str, typer.Option()] = "",
    coverage: Annotated[str | None, typer.Option(help="ISO codes, comma-separated")] = None,
) -> None:
    """Create a dataset (metadata only; add rows with `datasets ingest`).

    Example: laborcommons datasets create wages-2025 --org garment-union --title "Wages 2025"
    --data-type working-conditions --license CC-BY-4.0 --access open
    """
    with command_session() as (_node, session):
        data = DatasetCreate.model_validate(
            {
                "slug": slug,
                "organization": org,
                "title": title,
                "data_type": data_type,
                "license": license,
                "access": access,
                "description": description,
                "coverage": _split(coverage),
            }
        )
        dataset = service.create_dataset(data, reader=NODE_ADMIN, session=session)
        console.print(f"Created dataset {dataset.slug} ({dataset.access})")


@datasets_app.command("list")
def list_datasets(
    q: Annotated[str | None, typer.Option(help="search text")] = None,
    org: Annotated[str | None, typer.Option(help="organization slug")] = None,
) -> None:
    """List datasets.

    Example: laborcommons datasets list --q wages
    """
    with command_session() as (_node, session):
        page = service.list_datasets(
            reader=NODE_ADMIN, session=session, q=q, organization=org, page_size=200
        )
    table = Table("slug", "title", "organization", "access", "license", "version")
    for d in page.items:
        table.add_row(
            d.slug,
            d.title,
            d.organization,
            d.access,
            d.license.id if d.license else "-",
            str(d.latest_version or "-"),
        )
    console.print(table)


@datasets_app.command("reindex")
def reindex() -> None:
    """Rebuild the full-text search index of datasets and organizations.

    The index follows every change by itself; rebuild after restoring a database backup
    or changing what is indexed.

    Example: laborcommons datasets reindex
    """
    with command_session() as (_node, session):
        datasets, organizations = service.reindex(session=session)
    console.print(f"Indexed {datasets} datasets and {organizations} organizations")


@datasets_app.command("show")
def show_dataset(slug: str) -> None:
    """Show one dataset's metadata and versions as JSON.

    Example: laborcommons datasets show wages-2025
    """
    with command_session() as (_node, session):
        public = service.dataset_metadata(slug, reader=NODE_ADMIN, session=session)
        versions = service.list_versions(slug, reader=NODE_ADMIN, session=session, node=None)
    body = public.model_dump(mode="json")
    body["versions"] = [v.model_dump(mode="json", exclude={"columns"}) for v in versions]
    console.print_json(json.dumps(body))


@datasets_app.command("ingest")
def ingest(
    slug: str,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    sheet: Annotated[str | None, typer.Option(help="XLSX/XLS/ODS sheet name")] = None,
    page: Annotated[int | None, typer.Option(help="PDF: page whose table to read")] = None,
    table: Annotated[
        str | None, typer.Option(help="PDF/HTML: table number (HTML: or id); default largest")
    ] = None,
    message: Annotated[str, typer.Option(help="what changed in this version")] = "",
    schema: Annotated[Path | None, typer.Option(help="Table Schema JSON file")] = None,
) -> None:
    """Validate a file and store it as the dataset's next version.

    Example: laborcommons datasets ingest wages-2025 survey.xlsx --sheet Data --message "Q1"
    """
    descriptor = json.loads(schema.read_text()) if schema else None
    with (
        command_session() as (node, session),
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        progress.add_task(f"Validating and storing {file.name}", total=None)
        created = service.add_version(
            slug,
            file,
            original_name=file.name,
            reader=NODE_ADMIN,
            node=node,
            session=session,
            sheet=sheet,
            page=page,
            table=table,
            message=message,
            table_schema=descriptor,
        )
    if not created.created:
        console.print(f"Identical content is already version {created.version}; nothing new.")
    else:
        console.print(f"Version {created.version}: {created.row_count} rows")
    if created.sheet and created.format in ("pdf", "html"):
        console.print(f"Read {created.sheet}")
    columns = ", ".join(f"{c.name} ({c.type})" for c in created.columns)
    console.print(f"Columns: {columns}", soft_wrap=True)


@datasets_app.command("export")
def export(
    slug: str,
    format: Annotated[
        str, typer.Option(help="csv, tsv, json, jsonl, xlsx, parquet, or original (the upload)")
    ],
    output: Annotated[Path, typer.Option(help="file to write")],
    version: Annotated[int | None, typer.Option(help="version number; latest by default")] = None,
    safe: Annotated[
        bool,
        typer.Option(
            help="CSV/TSV: apostrophe before text a spreadsheet would run as a formula; "
            "--no-safe writes cells exactly as stored"
        ),
    ] = True,
    entities: Annotated[
        bool,
        typer.Option(
            "--entities",
            help="add lcid, link_status and one column per identifier scheme "
            "(the entities each row was linked to)",
        ),
    ] = False,
) -> None:
    """Export a version to a file, or its original upload (--format original).

    Example: laborcommons datasets export suppliers --format csv --entities --output ids.csv
    """
    if entities and format == "original":
        raise typer.BadParameter(
            "the original upload has no entity columns", param_hint="--entities"
        )
    details: dict[str, object] = {"format": format, "safe": safe, "output": output.name}
    if entities:
        details["entities"] = True
    with command_session() as (node, session):
        found = service.readable_version(
            slug, version, reader=NODE_ADMIN, session=session, action="rows.export", details=details
        )
        if format == "original":
            result = service.original_file(found, node=node)
        else:
            service.check_export_format(found, format)
            added = None
            if entities:
                added = service.added_row_columns(
                    service.ENTITY_COLUMNS,
                    found,
                    reader=NODE_ADMIN,
                    session=session,
                    action="rows.export",
                )
            result = service.export_version(found, format, node=node, safe=safe, added=added)
        try:
            if result.path is None:  # a sealed version's export, built in memory
                output.write_bytes(result.content or b"")
            else:
                shutil.copyfile(result.path, output)
        finally:
            if result.temporary and result.path is not None:
                result.path.unlink(missing_ok=True)
        console.print(f"Wrote {output} (version {found.number}, {found.row_count} rows)")
        if result.altered != "none":
            console.print(
                f"Cells altered ({result.altered}): text starting with = + - @, tab or "
                "carriage return got a leading apostrophe; --no-safe writes them as stored"
            )


@licenses_app.command("list")
def list_licenses() -> None:
    """List the licenses and what each allows.

    Example: laborcommons licenses list
    """
    table = Table("id", "attribution", "share-alike", "non-commercial", "no-derivatives", "open")
    for lic in LICENSES.values():
        marks = [lic.attribution, lic.share_alike, lic.non_commercial, lic.no_derivatives, lic.open]
        table.add_row(lic.id, *("yes" if m else "no" for m in marks))
    console.print(table)


@licenses_app.command("choose")
def choose(
    waive_all_rights: Annotated[bool | None, typer.Option(help="give up all rights?")] = None,
    allow_commercial: Annotated[bool | None, typer.Option(help="allow commercial use?")] = None,
    allow_modifications: Annotated[bool | None, typer.Option(help="allow changes?")] = None,
    require_share_alike: Annotated[bool | None, typer.Option(help="require share-alike?")] = None,
) -> None:
    """Answer the Creative Commons questions (asked when not given) and get a license.

    Example: laborcommons licenses choose --no-waive-all-rights --no-allow-commercial
    --allow-modifications --require-share-alike
    """
    waive = _ask(waive_all_rights, "Waive all rights (public domain)?", False)
    answers = LicenseQuestions(waive_all_rights=waive)
    if not waive:
        answers.allow_commercial = _ask(allow_commercial, "Allow commercial use?", True)
        answers.allow_modifications = _ask(allow_modifications, "Allow modified versions?", True)
        if answers.allow_modifications:
            answers.require_share_alike = _ask(
                require_share_alike, "Require share-alike for modified versions?", False
            )
    result = choose_license(answers)
    console.print(f"Recommended: {result.license.id}", style="bold")
    console.print(result.explanation, soft_wrap=True)


def _ask(given: bool | None, question: str, default: bool) -> bool:
    return given if given is not None else typer.confirm(question, default=default)
