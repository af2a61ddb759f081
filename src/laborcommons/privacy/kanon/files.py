"""k-anonymize CSV files: what ``laborcommons privacy kanon`` does, without a node."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa

from laborcommons.core.errors import BadRequest, InvalidInput
from laborcommons.privacy.kanon.anonymize import (
    KAnonymityParameters,
    KAnonymityReport,
    anonymize,
)
from laborcommons.privacy.kanon.hierarchies import (
    Hierarchy,
    date_hierarchy,
    hierarchy_file,
    interval_hierarchy,
    read_hierarchy,
)
from laborcommons.privacy.pii.scan import scan_table

DELIMITERS = ";,\t|"


def read_csv_table(path: Path) -> tuple[pd.DataFrame, str]:
    """Every cell as text, the delimiter guessed from the header line (ARX files use ``;``)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"{path.name} is not UTF-8 text (line {line}, byte {error.start}); "
            "save it as UTF-8 and try again",
            details={"file": path.name, "line": line},
        ) from None
    header = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=header.count)
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InvalidInput(f"{path.name}: {error}", details={"file": path.name}) from None
    return table, delimiter


def parse_generators(specs: list[str]) -> dict[str, str]:
    """``age=interval``, ``age=interval:5`` or ``hired=date`` into column -> spec."""
    parsed = {}
    for spec in specs:
        column, _, kind = spec.partition("=")
        if not column or kind.split(":", 1)[0] not in ("interval", "date"):
            raise BadRequest(
                f"--generate {spec!r}: expected COLUMN=interval, COLUMN=interval:WIDTH "
                "or COLUMN=date",
                details={"option": "--generate", "value": spec},
            )
        parsed[column.strip()] = kind
    return parsed


def load_hierarchies(
    table: pd.DataFrame, directory: Path | None, columns: list[str], generated: Mapping[str, str]
) -> dict[str, Hierarchy]:
    """Generated hierarchies where asked for, ARX files from ``directory`` for the rest."""
    result = {}
    for column in columns:
        if column not in table.columns:
            raise InvalidInput(
                f"quasi-identifier {column!r} is not a column of the input "
                f"(columns: {', '.join(table.columns)})",
                details={"column": column},
            )
        values = table[column].tolist()
        spec = generated.get(column)
        if spec and spec.startswith("interval"):
            _, _, width = spec.partition(":")
            result[column] = interval_hierarchy(
                column, values, width=_width(width, column) if width else None
            )
        elif spec == "date":
            result[column] = date_hierarchy(column, values)
        elif directory is None:
            raise InvalidInput(
                f"no hierarchy for {column!r}: give --hierarchies DIR or --generate",
                details={"column": column},
            )
        else:
            if not directory.is_dir():
                raise InvalidInput(
                    f"hierarchy directory {directory} does not exist",
                    details={"directory": str(directory)},
                )
            result[column] = read_hierarchy(hierarchy_file(directory, column), column)
    return result


def _width(text: str, column: str) -> float:
    try:
        width = float(text)
    except ValueError:
        width = 0.0
    if not width > 0:
        raise BadRequest(
            f"interval width for {column!r} must be a positive number, not {text!r}",
            details={"column": column, "value": text},
        )
    return width


def anonymize_csv(
    source: Path,
    *,
    parameters: KAnonymityParameters,
    hierarchies: Path | None,
    generated: Mapping[str, str],
    output: Path,
    report: Path | None,
    drop: Sequence[str] = (),
    countries: Sequence[str] = (),
) -> KAnonymityReport:
    """Read, anonymize, then write the output and the report (nothing is written on error)."""
    table, delimiter = read_csv_table(source)
    columns = parameters.quasi_identifiers
    table = table.drop(columns=_known_columns(table, drop))
    _refuse_identifiers(table, kept=set(table.columns) - set(columns), countries=countries)
    if parameters.sensitive and parameters.sensitive not in table.columns:
        raise InvalidInput(
            f"sensitive column {parameters.sensitive!r} is not a column of the input",
            details={"column": parameters.sensitive},
        )
    result = anonymize(table, load_hierarchies(table, hierarchies, columns, generated), parameters)
    result.table.to_csv(output, sep=delimiter, index=False, lineterminator="\n")
    if report is not None:
        report.write_text(
            json.dumps(result.report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return result.report


def _known_columns(table: pd.DataFrame, names: Sequence[str]) -> list[str]:
    if unknown := sorted(set(names) - set(table.columns)):
        raise InvalidInput(
            f"--drop names columns the input does not have: {', '.join(unknown)}",
            details={"field": "drop", "columns": unknown},
        )
    return list(names)


def _refuse_identifiers(table: pd.DataFrame, *, kept: set[str], countries: Sequence[str]) -> None:
    """k-anonymity generalizes quasi-identifiers only: a direct identifier left in any other
    column singles a person out whatever k is, so it must be dropped first (as releases do)."""
    found = scan_table(pa.Table.from_pandas(table, preserve_index=False), countries=countries)
    if columns := sorted({f.column for f in found.findings if f.column in kept}):
        raise InvalidInput(
            f"columns {', '.join(columns)} hold direct identifiers and would stay in the "
            "output; leave them out with --drop (or make them quasi-identifiers)",
            details={"field": "drop", "columns": columns},
        )
