"""A Frictionless Table Schema descriptor: parsed strictly, then turned into SQL conversions.

Only the parts the platform uses are supported (field types, ``format`` for dates, and the
constraints below); an unsupported or malformed descriptor is refused with InvalidInput
rather than silently ignored. Hand-written instead of using frictionless-py, which is not a
dependency and checks rows one by one in Python; here each rule is one DuckDB query.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from laborcommons.core.errors import InvalidInput
from laborcommons.ingest.inference import DATE, DATETIME
from laborcommons.ingest.sql import literal

FieldType = Literal["string", "integer", "number", "boolean", "date", "datetime", "year", "any"]
Scalar = bool | int | float | str

DUCK_TYPES: dict[str, str | None] = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "year": "INTEGER",
    "any": None,
}
ORDERED = {"integer", "number", "date", "datetime", "year"}
LOOSE_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(nan|inf|infinity)"


class Constraints(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    required: bool = False
    unique: bool = False
    enum: list[Scalar] | None = Field(default=None, min_length=1)
    minimum: Scalar | None = None
    maximum: Scalar | None = None
    pattern: str | None = None
    min_length: int | None = Field(default=None, alias="minLength", ge=0)
    max_length: int | None = Field(default=None, alias="maxLength", ge=0)


class SchemaField(BaseModel):
    model_config = ConfigDict(extra="allow")  # title, description, ... are welcome

    name: str = Field(min_length=1)
    type: FieldType = "string"
    format: str = "default"
    constraints: Constraints = Field(default_factory=Constraints)

    @model_validator(mode="after")
    def _consistent(self) -> SchemaField:
        bounds = [self.constraints.minimum, self.constraints.maximum]
        if any(bound is not None for bound in bounds) and self.type not in ORDERED:
            raise ValueError(f"minimum/maximum need an ordered type, not {self.type!r}")
        for bound in bounds:
            if bound is not None:
                python_value(self, bound)
        if self.constraints.pattern is not None:
            try:
                re.compile(self.constraints.pattern)
            except re.error as error:
                raise ValueError(f"pattern {self.constraints.pattern!r}: {error}") from None
        return self

    @property
    def duck_type(self) -> str | None:
        return DUCK_TYPES[self.type]


class TableSchema(BaseModel):
    model_config = ConfigDict(extra="allow")  # primaryKey, missingValues, ... are ignored

    fields: list[SchemaField] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_names(self) -> TableSchema:
        seen: set[str] = set()
        for field in self.fields:
            if field.name.casefold() in seen:
                raise ValueError(f"field {field.name!r} is declared twice")
            seen.add(field.name.casefold())
        return self


def parse_table_schema(descriptor: Any) -> TableSchema:
    """Validate a descriptor's shape; InvalidInput lists every problem with its location."""
    try:
        return TableSchema.model_validate(descriptor)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'schema'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise InvalidInput(f"invalid table_schema: {problems}", details=problems) from None


def python_value(field: SchemaField, value: Scalar) -> object:
    """Parse a bound from the descriptor, so a bad bound fails at parse time."""
    text = str(value)
    try:
        if field.type in ("integer", "year"):
            return int(text)
        if field.type == "number":
            return float(text)
        if field.type == "date":
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"bound {value!r} is not a {field.type}") from None


def as_text(value: Scalar) -> str:
    """A descriptor value as the text a file would hold (JSON true → 'true')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def convert_sql(field: SchemaField, raw: str) -> str:
    """SQL turning text ``raw`` into the field's type, NULL where it does not convert."""
    value = f"trim({raw})"
    custom = field.format not in ("default", "any")
    if field.type in ("integer", "year"):
        pattern = r"[+-]?[0-9]+" if field.type == "integer" else "[0-9]{4}"
        kind = "BIGINT" if field.type == "integer" else "INTEGER"
        matches = f"regexp_full_match({value}, {literal(pattern)})"
        return f"CASE WHEN {matches} THEN TRY_CAST({value} AS {kind}) END"
    if field.type == "number":
        return (
            f"CASE WHEN regexp_full_match(lower({value}), {literal(LOOSE_NUMBER)}) "
            f"THEN TRY_CAST({value} AS DOUBLE) END"
        )
    if field.type == "boolean":
        return (
            f"CASE WHEN lower({value}) IN ('true', '1') THEN true "
            f"WHEN lower({value}) IN ('false', '0') THEN false END"
        )
    if field.type in ("date", "datetime"):
        kind = "DATE" if field.type == "date" else "TIMESTAMP"
        if custom:
            return f"CAST(TRY_STRPTIME({value}, {literal(field.format)}) AS {kind})"
        pattern = DATE if field.type == "date" else f"({DATETIME}Z?|{DATE})"
        bare = f"regexp_replace({value}, 'Z$', '')"
        return (
            f"CASE WHEN regexp_full_match({value}, {literal(pattern)}) "
            f"THEN TRY_CAST({bare} AS {kind}) END"
        )
    return raw
