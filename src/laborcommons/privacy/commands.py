"""CLI of privacy: standalone tools over files (no node needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from pydantic import ValidationError

from laborcommons.core.cli import console, err_console, fail
from laborcommons.core.errors import LaborCommonsError
from laborcommons.privacy.kanon.anonymize import KAnonymityParameters, MetricName
from laborcommons.privacy.kanon.files import anonymize_csv, parse_generators, read_csv_table
from laborcommons.privacy.pii import scan_table

privacy_app = typer.Typer(
    help="Privacy tools: k-anonymity, pseudonyms, PII scan.", no_args_is_help=True
)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@privacy_app.command("kanon")
def kanon(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="input CSV")],
    quasi_identifiers: Annotated[
        str, typer.Option(help="quasi-identifier columns, comma-separated")
    ],
    output: Annotated[Path, typer.Option(help="where to write the anonymized CSV")],
    k: Annotated[int, typer.Option("--k", help="smallest class size")] = 5,
    hierarchies: Annotated[
        Path | None, typer.Option(help="directory of ARX files *_hierarchy_<column>.csv")
    ] = None,
    generate: Annotated[
        list[str] | None,
        typer.Option(help="COLUMN=interval[:WIDTH] or COLUMN=date instead of a file"),
    ] = None,
    max_suppression: Annotated[
        float, typer.Option(help="share of records that may be suppressed, 0 to 1")
    ] = 0.0,
    metric: Annotated[
        str, typer.Option(help="entropy, loss, discernibility or average-class-size")
    ] = "entropy",
    sensitive: Annotated[str | None, typer.Option(help="sensitive column (l-diversity)")] = None,
    l_diversity: Annotated[
        int, typer.Option("--l", help="distinct sensitive values per class")
    ] = 1,
    seed: Annotated[int, typer.Option(help="seed of the output row shuffle")] = 0,
    report: Annotated[Path | None, typer.Option(help="where to write the JSON report")] = None,
    drop: Annotated[
        str, typer.Option(help="direct identifier columns to leave out, comma-separated")
    ] = "",
    countries: Annotated[
        str, typer.Option(help="ISO codes of the data's countries (for the ID scan)")
    ] = "",
) -> None:
    """Find the optimal k-anonymous generalization of a CSV file and write it.

    Columns that hold direct identifiers (names, IDs, phones, e-mails) are refused unless
    left out with --drop: k-anonymity only generalizes the quasi-identifiers.

    Example: laborcommons privacy kanon adult.csv --hierarchies ./hierarchies
    --quasi-identifiers sex,age,race --k 5 --max-suppression 0.04 --metric entropy
    --output out.csv --report report.json
    """
    try:
        parameters = KAnonymityParameters(
            quasi_identifiers=_split(quasi_identifiers),
            k=k,
            max_suppression=max_suppression,
            metric=_metric(metric),
            sensitive=sensitive,
            l_diversity=l_diversity,
            seed=seed,
        )
        result = anonymize_csv(
            source,
            parameters=parameters,
            hierarchies=hierarchies,
            generated=parse_generators(generate or []),
            output=output,
            report=report,
            drop=_split(drop),
            countries=_split(countries),
        )
    except LaborCommonsError as error:
        raise fail(error) from None
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        err_console.print(f"Invalid parameters: {problems}", soft_wrap=True, markup=False)
        raise typer.Exit(2) from None
    levels = ", ".join(f"{column}={level}" for column, level in result.transformation.items())
    console.print(f"Transformation: {levels}")
    console.print(
        f"{parameters.metric}: {result.metric_value:.6f}; {result.records_out} of "
        f"{result.records_in} records written, {result.suppressed} suppressed; "
        f"k={result.k_achieved}"
    )
    console.print(
        f"Average prosecutor risk {result.risk_before.average_prosecutor_risk:.4f} -> "
        f"{result.risk_after.average_prosecutor_risk:.4f}; highest "
        f"{result.risk_before.highest_risk:.4f} -> {result.risk_after.highest_risk:.4f}"
    )


def _metric(name: str) -> MetricName:
    for choice in ("entropy", "loss", "discernibility", "average-class-size"):
        if name == choice:
            return choice
    raise typer.BadParameter(
        f"{name!r}: choose entropy, loss, discernibility or average-class-size",
        param_hint="--metric",
    )


@privacy_app.command("scan")
def scan(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="input CSV")],
    countries: Annotated[
        str, typer.Option(help="ISO codes of the data's countries, comma-separated")
    ] = "",
    max_rows: Annotated[int, typer.Option(help="rows to look at")] = 20_000,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Scan a CSV file's columns for direct identifiers (exit 1 when any is found).

    Example: laborcommons privacy scan cases.csv --countries BD,VN
    """
    try:
        table, _ = read_csv_table(source)
    except LaborCommonsError as error:
        raise fail(error) from None
    report = scan_table(
        pa.Table.from_pandas(table, preserve_index=False),
        countries=_split(countries),
        max_rows=max_rows,
    )
    if as_json:
        console.print(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    elif not report.findings:
        console.print(f"No direct identifiers found in {report.rows_scanned} rows.")
    for finding in [] if as_json else report.findings:
        console.print(
            f"{finding.column}: {finding.kind} ({finding.detail}) in {finding.matches} of "
            f"{finding.checked} values, e.g. {', '.join(finding.examples)}"
        )
    if report.findings:
        raise typer.Exit(1)
