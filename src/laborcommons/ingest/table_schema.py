"""A Frictionless Table Schema descriptor: parsed strictly, then turned into SQL conversions.

The descriptor is first checked against the official Table Schema profile (frictionless-py's,
see ``table_schema_profile``), then narrowed to the parts the platform supports (field
types, ``format`` for dates, the constraints below, ``missingValues``, ``trueValues``,
``falseValues`` and ``primaryKey``); anything else is refused with InvalidInput rather than
silently ignored. Rows are not checked with frictionless-py, which goes row by row in
Python; here each rule is one DuckDB query.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from laborcommons.core.errors import InvalidInput
from laborcommons.ingest.inference import DATE, DATETIME
from laborcommons.ingest.sql import literal
from laborcommons.ingest.table_schema_profile import profile_problems

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
SPEC_TRUE = ["true", "True", "TRUE", "1"]  # the spec's defaults, when only one list is given
SPEC_FALSE = ["false", "False", "FALSE", "0"]
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
    model_config = ConfigDict(extra="allow", populate_by_name=True)  # title, description, ...

    name: str = Field(min_length=1)
    type: FieldType = "string"
    format: str = "default"
    constraints: Constraints = Field(default_factory=Constraints)
    true_values: list[str] | None = Field(default=None, alias="trueValues")
    false_values: list[str] | None = Field(default=None, alias="falseValues")

    @model_validator(mode="after")
    def _consistent(self) -> SchemaField:
        declared = self.true_values is not None or self.false_values is not None
        if declared and self.type != "boolean":
            raise ValueError(f"trueValues/falseValues need type boolean, not {self.type!r}")
        both = set(self.true_values or ()) & set(self.false_values or ())
        if both:
            raise ValueError(f"{sorted(both)} are both trueValues and falseValues")
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
    model_config = ConfigDict(extra="allow", populate_by_name=True)  # foreignKeys, ... unused

    fields: list[SchemaField] = Field(min_length=1)
    missing_values: list[str] = Field(default=[""], alias="missingValues")
    primary_key: list[str] = Field(default_factory=list, alias="primaryKey")

    @field_validator("primary_key", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _distinct_names(self) -> TableSchema:
        seen: set[str] = set()
        for field in self.fields:
            if field.name.casefold() in seen:
                raise ValueError(f"field {field.name!r} is declared twice")
            seen.add(field.name.casefold())
        names = {field.name for field in self.fields}
        for key in self.primary_key:
            if key not in names:
                raise ValueError(f"primaryKey names {key!r}, which is not a field")
        if len(set(self.primary_key)) != len(self.primary_key):
            raise ValueError("primaryKey names a field twice")
        return self


def parse_table_schema(descriptor: Any) -> TableSchema:
    """Validate a descriptor against the official profile, then against what is supported;
    InvalidInput lists every problem with its location (the field's name where it has one)."""
    problems = profile_problems(descriptor)
    if problems:
        text = "; ".join(problems)
        raise InvalidInput(f"invalid table_schema: {text}", details=text)
    try:
        return TableSchema.model_validate(descriptor)
    except ValidationError as error:
        found = "; ".join(
            f"{_where(descriptor, problem['loc'])}: {problem['msg']}" for problem in error.errors()
        )
        raise InvalidInput(f"invalid table_schema: {found}", details=found) from None


def _where(descriptor: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """A problem's location, naming the field (``field 'age'.type``) rather than its index."""
    parts = [str(part) for part in loc]
    if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
        name = descriptor["fields"][loc[1]].get("name")
        parts[:2] = [f"field {name!r}"]
    return ".".join(parts) or "schema"


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
    if field.type == "boolean" and (field.true_values or field.false_values):
        # Declared values are matched exactly (case and all), as the spec says.
        return (
            f"CASE WHEN {value} IN ({_texts(field.true_values or SPEC_TRUE)}) THEN true "
            f"WHEN {value} IN ({_texts(field.false_values or SPEC_FALSE)}) THEN false END"
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


def _texts(values: list[str] | None) -> str:
    """An SQL list of text literals; NULL alone for none, so ``IN`` matches nothing."""
    return ", ".join(literal(value) for value in values) if values else "NULL"


def missing_sql(schema: TableSchema, cell: str) -> str:
    """SQL giving NULL where text ``cell`` is one of the schema's ``missingValues``."""
    if not schema.missing_values:
        return cell
    return f"CASE WHEN {cell} IN ({_texts(schema.missing_values)}) THEN NULL ELSE {cell} END"
