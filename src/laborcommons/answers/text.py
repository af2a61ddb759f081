"""Question parameters written as text, the one reading shared by the CLI and the web form.

``a,b;c`` is two breakdowns (``a`` by ``b``, and ``c``); numbers are comma-separated. The
web form's fields use the same spelling as ``answers enable``'s options, so what an owner
learns in one works in the other.
"""

from __future__ import annotations

from laborcommons.core.errors import BadRequest


def columns(text: str) -> list[str]:
    """``a, b`` as ``["a", "b"]``: entries trimmed, empty ones dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def numbers(text: str | None, option: str) -> list[float] | None:
    """Comma-separated numbers, or None when not given; ``option`` names the field."""
    if text is None or not text.strip():
        return None
    try:
        return [float(part) for part in columns(text)]
    except ValueError:
        raise BadRequest(f"{option} takes numbers separated by commas, not {text!r}") from None


def breakdowns(text: str) -> list[list[str]]:
    """``a,b;c``: breakdowns separated by ``;``, each a ``,``-separated column set."""
    return [columns(part) for part in text.split(";") if part.strip()]
