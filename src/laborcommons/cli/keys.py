"""CLI for the master key of encryption at rest (see docs/encryption.md)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from laborcommons.catalog.service import key_status, reseal_store, rotate_master_key
from laborcommons.core.cli import command_session, console, fail, load_node
from laborcommons.core.crypto import ensure_key_file
from laborcommons.core.errors import LaborCommonsError
from laborcommons.core.settings import Settings

keys_app = typer.Typer(help="Manage the master key of encryption at rest.", no_args_is_help=True)


def create_master_key(settings: Settings) -> None:
    """Make the key file when missing, keep an existing one; say which (also used by init)."""
    try:
        key, created = ensure_key_file(settings.key_file)
    except LaborCommonsError as error:
        raise fail(error) from None
    where = settings.key_file.resolve()
    if created:
        console.print(
            f"Created master key {key.fingerprint} in {where} (readable by its owner only). "
            "Back it up apart from the data: without it encrypted datasets cannot be read.",
            soft_wrap=True,
        )
    else:
        console.print(f"Kept the existing master key {key.fingerprint} in {where}", soft_wrap=True)


@keys_app.command("init")
def init_key() -> None:
    """Create the master key file (mode 0600) if it is missing; an existing one is kept.

    The path comes from LABORCOMMONS_MASTER_KEY_FILE (default: master.key in the home).

    Example: LABORCOMMONS_MASTER_KEY_FILE=/run/secrets/lc.key laborcommons keys init
    """
    create_master_key(Settings())


@keys_app.command("rotate")
def rotate() -> None:
    """Re-wrap every data key under a new master key; the data is not re-encrypted.

    Atomic: if anything fails, the old key file and every wrapped key stay as they were.

    Example: laborcommons keys rotate
    """
    node = load_node()
    try:
        rotation = rotate_master_key(node=node)
    except LaborCommonsError as error:
        raise fail(error) from None
    finally:
        node.dispose()
    console.print(
        f"Rotated the master key {rotation.old_fingerprint} -> {rotation.new_fingerprint}: "
        f"re-wrapped {rotation.objects} data key(s) and {rotation.other_keys} other key(s). "
        "The old key no longer opens anything; back up the new key file.",
        soft_wrap=True,
    )


@keys_app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Show the key file, its fingerprint and what is sealed under which key.

    Example: laborcommons keys status --json
    """
    with command_session() as (node, session):
        result = key_status(node=node, session=session)
    if as_json:
        console.print(json.dumps(asdict(result), indent=2), soft_wrap=True)
        return
    console.print(f"Key file: {result.key_file}", soft_wrap=True)
    if result.problem:
        console.print(f"Problem: {result.problem}", soft_wrap=True)
    else:
        private = "owner only" if result.private else "WARNING: readable by others (chmod 600)"
        console.print(f"Fingerprint: {result.fingerprint} ({private})")
    for fingerprint, count in sorted(result.sealed_objects.items()):
        mark = "" if fingerprint == result.fingerprint else "  (not the key file's key!)"
        console.print(f"Sealed objects under {fingerprint}: {count}{mark}", soft_wrap=True)
    console.print(f"Plain objects: {result.plain_objects}")
    console.print(
        f"Left over by stopped nodes: {result.leftover_files} file(s)"
        + (" (removed by `laborcommons keys reseal`)" if result.leftover_files else ""),
        soft_wrap=True,
    )
    console.print(f"In transit (running nodes): {result.in_transit_files} file(s)")


@keys_app.command("reseal")
def reseal() -> None:
    """Put every stored object in the form its datasets' levels require, and clean up.

    Encrypts what is not public/open, decrypts what is; removes temp, staging and partial
    files that stopped nodes left, and objects no version references (those only when no
    other node is running). Run it after upgrading a node that stored data before
    encryption at rest, or after a crash or an interrupted level change.

    Example: laborcommons keys reseal
    """
    with command_session() as (node, session):
        repair = reseal_store(node=node, session=session)
    console.print(
        f"Resealed {repair.resealed} object(s); removed {repair.leftovers_removed} "
        f"left-over file(s) and {repair.unreferenced_removed} unreferenced object(s)",
        soft_wrap=True,
    )
    if repair.others_running:
        console.print(
            "Another node has this home open: unreferenced objects were kept "
            "(run again with the server stopped to remove them).",
            soft_wrap=True,
        )
