"""CLI of access: groups, grants, access requests and the audit trail (as the node admin)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from laborcommons.access import audit, checkpoint, grants, groups, requests, trail
from laborcommons.access.policy import NODE_ADMIN
from laborcommons.access.schemas import (
    AccessRequestApproval,
    AccessRequestDecline,
    GrantCreate,
    GroupCreate,
)
from laborcommons.core.cli import command_session, console, err_console

audit_app = typer.Typer(help="Read and verify the audit trail.", no_args_is_help=True)
groups_app = typer.Typer(help="Groups (coalitions of organizations).", no_args_is_help=True)
grants_app = typer.Typer(
    help="Grants of access to datasets, and access requests.", no_args_is_help=True
)


@audit_app.command("verify")
def verify(
    checkpoint_file: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="a file from `audit checkpoint`: also prove nothing before it "
            "was removed or rewritten",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ] = None,
) -> None:
    """Recompute the keyed hash chain; exit 1 if any record was edited, deleted or reordered.

    With --checkpoint, also exit 1 when records up to that checkpoint are gone or rewritten
    (which a whole-database rewrite could otherwise hide), or its signature is wrong.

    Example: laborcommons audit verify --checkpoint audit-2026-12-01.json
    """
    with command_session() as (_node, session):
        result = audit.verify(session)
        problems = list(result.problems)
        if checkpoint_file is not None:
            text = checkpoint_file.read_text(encoding="utf-8", errors="replace")
            problems += checkpoint.check_checkpoint(text, session=session)
    if not problems:
        anchored = " and holds the checkpoint" if checkpoint_file is not None else ""
        console.print(
            f"Audit trail intact{anchored}: {result.checked} records, head at seq {result.head_seq}"
        )
        return
    for problem in problems:
        err_console.print(f"[red]Broken:[/red] {problem}", soft_wrap=True)
    err_console.print(f"{len(problems)} problem(s) in {result.checked} records")
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def make_checkpoint(
    output: Annotated[
        Path | None, typer.Option(help="write the checkpoint here (default: print it)")
    ] = None,
) -> None:
    """Write a signed checkpoint of the trail's head (count, last hash, time) as JSON.

    Keep it away from the node (another machine, a printout): `audit verify --checkpoint`
    then proves no record up to it was removed or rewritten, even by someone who could
    rewrite the whole database. Refused when the trail does not verify.

    Example: laborcommons audit checkpoint --output audit-2026-12-01.json
    """
    with command_session() as (_node, session):
        signed = checkpoint.make_checkpoint(session=session)
    text = json.dumps(signed, indent=2) + "\n"
    if output is None:
        console.print(text, soft_wrap=True, markup=False, highlight=False, end="")
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"Checkpoint of {signed['count']} records written to {output}", soft_wrap=True)


def adopt_legacy_audit_trail() -> None:
    """For `laborcommons init`: key a trail written before keyed chains (once)."""
    with command_session() as (_node, session):
        adopted = audit.adopt_legacy_trail(session)
    if adopted:
        console.print(
            f"Audit trail keyed: {adopted} earlier records keep plain SHA-256 hashes, "
            "anchored by the keyed records after them"
        )


@audit_app.command("trail")
def show_trail(
    slug: str,
    action: Annotated[str | None, typer.Option(help="action prefix, e.g. rows.")] = None,
    limit: Annotated[int, typer.Option(help="newest records to show")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON lines")] = False,
) -> None:
    """Show a dataset's trail, newest first.

    Example: laborcommons audit trail wages-2025 --action rows.
    """
    with command_session() as (_node, session):
        page = trail.dataset_trail(
            slug, reader=NODE_ADMIN, session=session, action=action, page_size=limit
        )
    if as_json:
        for item in page.items:
            console.print(item.model_dump_json(), soft_wrap=True)
        return
    table = Table("seq", "time", "actor", "action", "level", "outcome", "purpose", "details")
    for r in page.items:
        table.add_row(
            str(r.seq),
            r.created_at.isoformat(timespec="seconds"),
            r.actor,
            r.action,
            r.level or "",
            r.outcome,
            r.purpose or "",
            json.dumps(r.details, ensure_ascii=False),
        )
    console.print(table)
    console.print(f"{len(page.items)} of {page.total} records")


@groups_app.command("create")
def create_group(
    slug: str,
    owner: Annotated[str, typer.Option(help="slug of the owning organization")],
    name: Annotated[str, typer.Option(help="display name")],
    description: Annotated[str, typer.Option(help="what the coalition is")] = "",
) -> None:
    """Create a group owned by an organization (which becomes its first member).

    Example: laborcommons groups create asia-floor-wage --owner garment-union --name "AFW"
    """
    with command_session() as (_node, session):
        data = GroupCreate(slug=slug, owner=owner, name=name, description=description)
        group = groups.create_group(data, reader=NODE_ADMIN, session=session)
        console.print(f"Created group {group.slug}, owned by {owner}")


def _set_member(slug: str, organization: str, *, member: bool) -> None:
    with command_session() as (_node, session):
        group = groups.set_group_member(
            slug, organization, member=member, reader=NODE_ADMIN, session=session
        )
        public = groups.group_public(group, session=session)
        console.print(f"Group {public.slug}: {', '.join(public.members)}")


@groups_app.command("add-member")
def add_member(slug: str, organization: str) -> None:
    """Add an organization to a group.

    Example: laborcommons groups add-member asia-floor-wage worker-voice-bd
    """
    _set_member(slug, organization, member=True)


@groups_app.command("remove-member")
def remove_member(slug: str, organization: str) -> None:
    """Remove an organization from a group (its members lose group grants at once).

    Example: laborcommons groups remove-member asia-floor-wage worker-voice-bd
    """
    _set_member(slug, organization, member=False)


@groups_app.command("list")
def list_groups() -> None:
    """List groups and their member organizations.

    Example: laborcommons groups list
    """
    with command_session() as (_node, session):
        items = groups.list_groups(reader=NODE_ADMIN, session=session)
    table = Table("slug", "name", "owner", "members")
    for g in items:
        table.add_row(g.slug, g.name, g.owner, ", ".join(g.members))
    console.print(table)


@grants_app.command("create")
def create_grant(
    slug: str,
    organization: Annotated[str | None, typer.Option(help="grantee organization slug")] = None,
    user: Annotated[str | None, typer.Option(help="grantee user e-mail")] = None,
    group: Annotated[str | None, typer.Option(help="grantee group slug")] = None,
    agreement: Annotated[str, typer.Option(help="agreement reference")] = "",
    purpose: Annotated[str, typer.Option(help="what the grantee may use the rows for")] = "",
    starts: Annotated[datetime | None, typer.Option(help="start (UTC), default now")] = None,
    expires: Annotated[datetime | None, typer.Option(help="expiry (UTC)")] = None,
    version: Annotated[
        list[int] | None,
        typer.Option(help="open only this version number (repeat for several); default: all"),
    ] = None,
) -> None:
    """Grant a dataset's rows to an organization, a user or a group.

    Without --version the grant opens every version, including versions uploaded later.

    Example: laborcommons grants create wages-2025 --organization legal-aid --agreement
    "DSA-2025-14" --purpose "wage-theft case" --expires 2026-06-30 --version 2
    """
    with command_session() as (_node, session):
        data = GrantCreate(
            organization=organization,
            user=user,
            group=group,
            agreement=agreement,
            purpose=purpose,
            starts_at=starts,
            expires_at=expires,
            versions=version or None,
        )
        grant = grants.create_grant(slug, data, reader=NODE_ADMIN, session=session)
        public = grants.grant_public(grant, session=session)
        console.print(f"Created grant {grant.id} on {slug}: it opens {public.covers}")


@grants_app.command("revoke")
def revoke_grant(grant_id: int) -> None:
    """Revoke a grant; it stops working on the grantee's next request.

    Example: laborcommons grants revoke 12
    """
    with command_session() as (_node, session):
        grant = grants.revoke_grant(grant_id, reader=NODE_ADMIN, session=session)
        console.print(f"Revoked grant {grant.id}")


@grants_app.command("list")
def list_grants(slug: str) -> None:
    """List a dataset's grants with their state.

    Example: laborcommons grants list wages-2025
    """
    with command_session() as (_node, session):
        items = grants.list_grants(slug, reader=NODE_ADMIN, session=session)
    table = Table("id", "grantee", "agreement", "state", "effective", "expires", "purpose")
    for g in items:
        only = f" (versions {', '.join(map(str, g.versions))} only)" if g.versions else ""
        table.add_row(
            str(g.id),
            f"{g.grantee_kind}:{g.grantee}",
            g.agreement,
            g.state + only,
            "yes" if g.effective else "no",
            g.expires_at.isoformat(timespec="minutes") if g.expires_at else "never",
            g.purpose,
        )
    console.print(table)


@grants_app.command("requests")
def list_requests(slug: str) -> None:
    """List the access requests for a dataset.

    Example: laborcommons grants requests wages-2025
    """
    with command_session() as (_node, session):
        items = requests.dataset_requests(slug, reader=NODE_ADMIN, session=session)
    table = Table("id", "requester", "organization", "status", "purpose", "note")
    for r in items:
        table.add_row(str(r.id), r.requester, r.organization or "", r.status, r.purpose, r.note)
    console.print(table)


@grants_app.command("approve")
def approve_request(
    request_id: int,
    agreement: Annotated[str, typer.Option(help="agreement reference")],
    expires: Annotated[datetime, typer.Option(help="expiry of the grant (UTC)")],
    note: Annotated[str, typer.Option(help="note to the requester")] = "",
    to_organization: Annotated[
        bool, typer.Option(help="grant to the organization the request was made for")
    ] = False,
    version: Annotated[
        list[int] | None,
        typer.Option(help="open only this version number (repeat for several); default: all"),
    ] = None,
) -> None:
    """Approve an access request: creates a grant to the requester.

    Refused for an internal dataset (a grant there gives no access): move it to named first.
    Without --version the grant opens every version, including versions uploaded later.

    Example: laborcommons grants approve 3 --agreement DSA-2025-14 --expires 2026-06-30
    """
    with command_session() as (_node, session):
        data = AccessRequestApproval(
            agreement=agreement,
            expires_at=expires,
            note=note,
            grantee="organization" if to_organization else "user",
            versions=version or None,
        )
        request = requests.approve_request(request_id, data, reader=NODE_ADMIN, session=session)
        public = requests.request_publics([request], session=session)[0]
        console.print(
            f"Approved request {request.id}: grant {request.grant_id} opens {public.grant_covers}"
        )


@grants_app.command("decline")
def decline_request(
    request_id: int, note: Annotated[str, typer.Option(help="why, for the requester")]
) -> None:
    """Decline an access request with a note the requester sees.

    Example: laborcommons grants decline 3 --note "no agreement on file"
    """
    with command_session() as (_node, session):
        requests.decline_request(
            request_id, AccessRequestDecline(note=note), reader=NODE_ADMIN, session=session
        )
        console.print(f"Declined request {request_id}")
