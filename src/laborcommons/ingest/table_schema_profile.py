"""The official Table Schema profile, as frictionless-py checks it (no download at run time).

Each field is checked on its own first, so a problem is reported with the name of the field
it is in; then the whole descriptor (``missingValues``, ``primaryKey``, ...).
"""

from __future__ import annotations

from typing import Any


def profile_problems(descriptor: Any) -> list[str]:
    """What the Table Schema profile says is wrong with ``descriptor`` (empty when valid)."""
    import frictionless  # imported here: a few hundred milliseconds, needed only by uploads

    if not isinstance(descriptor, dict):
        return ["schema: must be a JSON object"]
    problems: list[str] = []
    fields = descriptor.get("fields")
    for index, field in enumerate(fields if isinstance(fields, list) else []):
        if not isinstance(field, dict):
            problems.append(f"fields.{index}: must be a JSON object")
            continue
        name = field.get("name")
        where = f"field {name!r}" if isinstance(name, str) else f"fields.{index}"
        report = frictionless.Field.validate_descriptor(field)
        problems += [f"{where}: {error.note}" for error in report.errors]
    if problems:
        return problems
    report = frictionless.Schema.validate_descriptor(descriptor)
    return [f"schema: {error.note}" for error in report.errors]
