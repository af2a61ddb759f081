"""What every command shares: open the node, one unit of work, errors as exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy.orm import Session

from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import LaborCommonsError
from laborcommons.core.migrate import is_initialized
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings

console = Console(markup=False, highlight=False)  # user data may contain [brackets]
err_console = Console(stderr=True)


def load_node() -> Node:
    """The node in LABORCOMMONS_HOME; it must have been created by ``laborcommons init``."""
    settings = Settings()
    if not settings.home.exists() or not is_initialized(settings.resolved_database_url):
        err_console.print(
            f"[red]No node in {settings.home.resolve()}[/red]: run `laborcommons init` first "
            "(LABORCOMMONS_HOME picks the directory)."
        )
        raise typer.Exit(4)
    return open_node(settings)


def fail(error: LaborCommonsError) -> typer.Exit:
    err_console.print(f"[red]Error:[/red] {escape(error.message)}", soft_wrap=True)
    if error.details is not None:
        err_console.print_json(json.dumps(error.details, default=str))
    return typer.Exit(error.exit_code)


@contextmanager
def command_session() -> Iterator[tuple[Node, Session]]:
    """Open the node and a transaction; map domain errors to a message and an exit code."""
    node = load_node()
    try:
        with unit_of_work(node.sessions) as session:
            yield node, session
    except LaborCommonsError as error:
        raise fail(error) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        err_console.print(f"[red]Invalid input:[/red] {escape(problems)}", soft_wrap=True)
        raise typer.Exit(2) from None
    finally:
        node.dispose()
