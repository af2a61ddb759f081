"""`laborcommons entities cluster`: standalone matching of CSV files, no node needed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcommons.core.cli import console, err_console, fail
from laborcommons.core.errors import LaborCommonsError
from laborcommons.entities.matching import CLUSTER_THRESHOLD
from laborcommons.entities.matching.files import ColumnMap, cluster_files

Column = Annotated[str | None, typer.Option(help="Column holding this field (optional).")]


def cluster(
    inputs: Annotated[list[Path], typer.Argument(help="One CSV file, or two to link.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    id_column: Annotated[str, typer.Option(help="Column with each record's id.")],
    name_column: Annotated[str, typer.Option(help="Column with the name.")],
    address_column: Column = None,
    country_column: Column = None,
    city_column: Column = None,
    postal_code_column: Column = None,
    latitude_column: Column = None,
    longitude_column: Column = None,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Match probability that joins two records.")
    ] = CLUSTER_THRESHOLD,
) -> None:
    """Cluster the records of one CSV file, or link two, without a node.

    Writes one row per input record, `id,cluster_id`; records of the same real-world entity
    share a cluster id. With two inputs a third column, `source` (the input path), tells
    records with the same id apart. See docs/matching.md.

    Example: laborcommons entities cluster suppliers.csv --id-column ID --name-column Name
    --address-column Address --country-column Country --output clusters.csv
    """
    columns = ColumnMap(
        id=id_column,
        name=name_column,
        address=address_column,
        country=country_column,
        city=city_column,
        postal_code=postal_code_column,
        latitude=latitude_column,
        longitude=longitude_column,
    )
    try:
        result = cluster_files(
            list(inputs),
            columns,
            output,
            threshold=threshold,
            progress=lambda message: err_console.print(message, markup=False, highlight=False),
        )
    except LaborCommonsError as error:
        raise fail(error) from None
    clusters = result["cluster_id"].nunique()
    console.print(f"{len(result):,} records in {clusters:,} clusters written to {output}")
