"""Where splink runs: DuckDB embedded (the default) or a Spark session the caller owns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI, Linker

from laborcommons.core.errors import BadRequest

Backend = Literal["duckdb", "spark"]
HIGHEST = 1.0 - 1e-12
"""Splink turns a probability threshold into a weight: 1.0 would be infinite."""
Progress = Callable[[str], None]
BACKENDS = ("duckdb", "spark")
DUCKDB_MEMORY_LIMIT = "2GB"


def database_api(backend: Backend, spark: Any = None) -> Any:
    """A fresh splink database API; Spark needs the caller's SparkSession."""
    if backend == "duckdb":
        connection = duckdb.connect(":memory:")
        connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        connection.execute("SET preserve_insertion_order = false")
        return DuckDBAPI(connection)
    if backend == "spark":
        if spark is None:
            raise BadRequest("backend 'spark' needs a SparkSession (spark=...)")
        from splink import SparkAPI

        spark_api: Any = SparkAPI
        return spark_api(spark_session=spark, break_lineage_method="persist")
    raise BadRequest(f"unknown matching backend {backend!r}; use one of {', '.join(BACKENDS)}")


INTEGERS = ("unique_id", "numbers_count")
FLOATS = ("latitude", "longitude")
LISTS = ("name_tokens", "address_tokens", "numbers")


def arrow(table: pd.DataFrame) -> pa.Table:
    """The prepared table with explicit types: a column that is all nulls is still text."""
    fields = []
    for column in table.columns:
        if column in INTEGERS:
            kind: pa.DataType = pa.int64()
        elif column in FLOATS:
            kind = pa.float64()
        elif column in LISTS:
            kind = pa.list_(pa.string())
        else:
            kind = pa.string()
        fields.append(pa.field(str(column), kind))
    return pa.Table.from_pandas(table, schema=pa.schema(fields), preserve_index=False)


def register(api: Any, table: pd.DataFrame | pa.Table, backend: Backend) -> Any:
    """Register Arrow, typed (splink would otherwise guess from pandas, and alter it)."""
    return api.register(arrow(table) if isinstance(table, pd.DataFrame) else table)


def predict(
    table: pd.DataFrame | pa.Table,
    settings: dict[str, Any],
    *,
    threshold: float,
    backend: Backend,
    spark: Any = None,
) -> pd.DataFrame:
    """Scored candidate pairs (``unique_id_l < unique_id_r``) at or above ``threshold``."""
    api = database_api(backend, spark)
    registered = register(api, table, backend)
    linker = Linker(registered, settings, log_level=None)
    scored: Any = linker.inference.predict(
        threshold_match_probability=min(threshold, HIGHEST), warning_mode="never"
    )
    pairs: pd.DataFrame = scored.as_pandas_dataframe()
    return pairs


def predict_between(
    existing: pd.DataFrame,
    new: pd.DataFrame,
    settings: dict[str, Any],
    *,
    threshold: float,
    backend: Backend,
    spark: Any = None,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Scored pairs between ``existing`` and ``new`` only (never within either), and the
    label of every level of every comparison (index 0 is the null level)."""
    api = database_api(backend, spark)
    left = register(api, existing, backend)
    right = register(api, new, backend)
    linker = Linker(left, settings, log_level=None)
    scored: Any = linker.inference.predict_between(
        left, right, threshold_match_probability=min(threshold, HIGHEST), warning_mode="never"
    )
    pairs: pd.DataFrame = scored.as_pandas_dataframe()
    model = linker.misc.save_model_to_json()
    labels = {
        comparison["output_column_name"]: [
            str(level.get("label_for_charts") or level["sql_condition"])
            for level in comparison["comparison_levels"]
        ]
        for comparison in model["comparisons"]
    }
    return pairs, labels
