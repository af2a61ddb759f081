"""Documentation stays true: every command has help with an example and is in docs/cli.md."""

from __future__ import annotations

import re

import typer
from typer.main import get_command

from laborcommons.cli.main import app
from tests.conftest import PROJECT_ROOT


def _commands(group: typer.Typer) -> list[tuple[str, str]]:
    root = get_command(group)
    found: list[tuple[str, str]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            found += [(f"{name} {n}", c.help or "") for n, c in sub.items()]
        else:
            found.append((name, command.help or ""))
    return found


def test_every_command_has_an_example_and_docs() -> None:
    # Each domain documents its commands in its own page; docs/cli.md indexes them.
    docs = "\n".join(p.read_text() for p in sorted((PROJECT_ROOT / "docs").glob("*.md")))
    commands = _commands(app)
    assert len(commands) >= 17
    for name, help_text in commands:
        assert "Example:" in help_text, f"`laborcommons {name}` help has no example"
        assert f"`laborcommons {name}" in docs, f"`laborcommons {name}` is not in docs/"


def test_every_validation_issue_type_is_documented() -> None:
    from laborcommons.ingest.issues import ISSUE_TYPES

    docs = (PROJECT_ROOT / "docs" / "validation.md").read_text()
    documented = set(re.findall(r"^### `?([a-z-]+)`?", docs, flags=re.MULTILINE))
    assert set(ISSUE_TYPES) <= documented, sorted(set(ISSUE_TYPES) - documented)


def test_readme_opens_with_the_two_commands() -> None:
    head = (PROJECT_ROOT / "README.md").read_text().splitlines()[:6]
    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)
