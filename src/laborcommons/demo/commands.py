"""CLI for the demo node."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress

from laborcommons.core.cli import command_session, console, err_console


def demo(
    seed: Annotated[int, typer.Option(help="generator seed (same seed, same data)")] = 2026,
    facilities: Annotated[int, typer.Option(help="number of true facilities")] = 2000,
) -> None:
    """Fill the node with realistic generated demo data (idempotent).

    Example: laborcommons demo --seed 2026
    """
    from laborcommons.demo.service import seed_demo

    with (
        command_session() as (node, session),
        Progress(console=err_console, transient=True) as progress,
    ):
        task = progress.add_task("Generating demo data", total=None)

        def show(slug: str) -> None:
            progress.update(task, description=f"Ingesting {slug}")

        summary = seed_demo(
            node=node, session=session, seed=seed, facilities=facilities, on_dataset=show
        )
    for line in summary:
        console.print(line)
