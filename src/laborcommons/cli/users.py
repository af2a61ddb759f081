"""CLI for users and API tokens; the CLI acts as the node admin.

It lives in ``cli`` rather than ``access/commands.py`` because joining a user to an
organization needs the catalog, which sits above ``access``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from laborcommons.access import request_password_reset, service
from laborcommons.access.schemas import UserCreate
from laborcommons.catalog import service as catalog
from laborcommons.core.cli import command_session, console
from laborcommons.core.errors import NotFound

users_app = typer.Typer(help="Manage users.", no_args_is_help=True)
tokens_app = typer.Typer(help="Create and revoke API tokens.", no_args_is_help=True)


@users_app.command("create")
def create_user(
    email: str,
    org: Annotated[str | None, typer.Option(help="organization slug to join")] = None,
    role: Annotated[str, typer.Option(help="owner, editor or viewer")] = "viewer",
    name: Annotated[str, typer.Option(help="display name")] = "",
    password: Annotated[
        str | None, typer.Option(help="password for web login (prompted if --ask-password)")
    ] = None,
    ask_password: Annotated[bool, typer.Option(help="prompt for a password")] = False,
    admin: Annotated[bool, typer.Option(help="make the user a node admin")] = False,
) -> None:
    """Create a user, optionally as a member of an organization.

    Example: laborcommons users create ana@union.example --org garment-union --role owner
    """
    if ask_password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with command_session() as (_node, session):
        user = service.create_user(
            UserCreate(email=email, name=name, password=password, is_admin=admin),
            session=session,
        )
        if org:
            organization = catalog.get_organization(org, session=session)
            service.add_membership(user, organization.id, role, session=session)
        console.print(f"Created user {user.email}" + (f" ({role} of {org})" if org else ""))


@users_app.command("set-password")
def set_password(email: str) -> None:
    """Set a user's web login password (prompted, never an argument).

    Example: laborcommons users set-password ana@union.example
    """
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with command_session() as (_node, session):
        service.set_password(service.get_user_by_email(email, session=session), password)
        console.print(f"Password set for {email}; every web session of it has ended")


@users_app.command("sign-out")
def sign_out(email: str) -> None:
    """End every web session of a user at once (a lost laptop, a copied cookie).

    API tokens are not touched: revoke those with `laborcommons tokens revoke`.

    Example: laborcommons users sign-out ana@union.example
    """
    with command_session() as (_node, session):
        service.end_sessions(service.get_user_by_email(email, session=session))
        console.print(f"Every web session of {email} has ended")


@users_app.command("reset-link")
def reset_link(email: str) -> None:
    """Make a one-time password-reset link for a user (24 hours), to pass on yourself when
    the node sends no e-mail; it is printed on the last line, once.

    Example: laborcommons users reset-link ana@union.example
    """
    with command_session() as (node, session):
        issued = request_password_reset(email, created_by="cli", session=session)
        if issued is None:
            raise NotFound(f"no user with e-mail {email}")
        base = node.settings.base_url.rstrip("/")
    until = f"{issued.link.expires_at:%Y-%m-%d %H:%M} UTC"
    console.print(f"Reset link for {issued.link.email}, valid once until {until}:")
    print(base + issued.path)


@tokens_app.command("create")
def create_token(
    email: str, name: Annotated[str, typer.Option(help="what the token is for")] = ""
) -> None:
    """Create an API token for a user; it is shown once, on the last line.

    Example: laborcommons tokens create ana@union.example --name "nightly sync"
    """
    with command_session() as (_node, session):
        user = service.get_user_by_email(email, session=session)
        created = service.create_token(user, name=name, session=session)
    console.print(f"Token {created.prefix}… for {email}; store it now, it is not shown again:")
    print(created.token)


@tokens_app.command("revoke")
def revoke_token(token: str) -> None:
    """Revoke a token, given in full or by its shown prefix.

    Example: laborcommons tokens revoke lct_AbCdEfGh
    """
    with command_session() as (_node, session):
        row = service.revoke_token(token, session=session)
        console.print(f"Revoked token {row.prefix}…")
