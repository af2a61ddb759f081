"""The `laborcommons` command: the root app mounts each domain's commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from laborcommons.access.commands import adopt_legacy_audit_trail, audit_app, grants_app, groups_app
from laborcommons.answers.commands import answers_app
from laborcommons.catalog.commands import datasets_app, licenses_app, orgs_app
from laborcommons.cli.keys import create_master_key, keys_app
from laborcommons.cli.users import tokens_app, users_app
from laborcommons.core.cli import console
from laborcommons.core.migrate import upgrade_database
from laborcommons.core.node import prepare_home, secret_key_for
from laborcommons.core.settings import Settings
from laborcommons.demo.commands import demo
from laborcommons.entities.commands import entities_app
from laborcommons.evidence.commands import evidence_app, metrics_app
from laborcommons.harvest.commands import harvest_app
from laborcommons.privacy.commands import privacy_app
from laborcommons.releases.commands import releases_app

app = typer.Typer(
    help="LaborCommons: an open data node for labor-rights and supply-chain data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def node_options(
    home: Annotated[
        Path | None, typer.Option(help="node data directory (sets LABORCOMMONS_HOME)")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (sets LABORCOMMONS_DATABASE_URL)")
    ] = None,
    max_upload_bytes: Annotated[
        int | None, typer.Option(help="upload size limit (sets LABORCOMMONS_MAX_UPLOAD_BYTES)")
    ] = None,
) -> None:
    """Flags override the environment for this invocation (and a server it starts)."""
    for name, value in (
        ("LABORCOMMONS_HOME", home),
        ("LABORCOMMONS_DATABASE_URL", database_url),
        ("LABORCOMMONS_MAX_UPLOAD_BYTES", max_upload_bytes),
    ):
        if value is not None:
            os.environ[name] = str(value)


app.add_typer(orgs_app, name="orgs")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(datasets_app, name="datasets")
app.add_typer(licenses_app, name="licenses")
app.add_typer(entities_app, name="entities")
app.add_typer(groups_app, name="groups")
app.add_typer(grants_app, name="grants")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(privacy_app, name="privacy")
app.add_typer(releases_app, name="releases")
app.add_typer(answers_app, name="answers")
app.add_typer(metrics_app, name="metrics")
app.add_typer(evidence_app, name="evidence")
app.add_typer(harvest_app, name="harvest")
app.command("demo")(demo)


@app.command()
def init() -> None:
    """Create or upgrade the node in LABORCOMMONS_HOME (safe to run again).

    Example: LABORCOMMONS_HOME=./node laborcommons init
    """
    settings = Settings()
    prepare_home(settings)  # 0700 directories, a 0600 database file before SQLite makes it
    secret_key_for(settings.home)
    upgrade_database(settings.resolved_database_url)
    create_master_key(settings)  # encryption at rest; an existing key is kept
    adopt_legacy_audit_trail()  # key an audit trail written before keyed chains (once)
    console.print(f"Node ready in {settings.home.resolve()}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Serve the web UI and the API.

    Example: laborcommons serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from laborcommons.core.cli import load_node

    load_node().dispose()
    console.print(f"Serving LaborCommons on http://{host}:{port}")
    uvicorn.run(
        "laborcommons.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def main() -> None:
    app()
