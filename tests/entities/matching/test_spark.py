"""The same pipeline on Spark local mode gives the DuckDB answer (slow: starts a JVM)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from laborcommons.entities.matching import cluster_records, match_against
from tests.conftest import require
from tests.entities.matching.records import records_frame

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require(shutil.which("java") is not None, "Java 17 is needed for Spark")
    pyspark_sql = pytest.importorskip("pyspark.sql")
    from splink.backends.spark import similarity_jar_location

    scratch: Path = tmp_path_factory.mktemp("spark")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("laborcommons-matching-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.local.dir", str(scratch))
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
    yield session
    session.stop()


def test_spark_clusters_like_duckdb(spark: Any) -> None:
    frame = records_frame()
    records = frame.drop(columns="truth")
    on_duckdb = cluster_records(records)
    on_spark = cluster_records(records, backend="spark", spark=spark)
    assert on_spark.equals(on_duckdb)
    truth = {frozenset(g["id"]) for _, g in frame.groupby("truth")}
    assert {frozenset(g["id"]) for _, g in on_spark.groupby("cluster_id")} == truth


def test_spark_matches_against_existing_entities_like_duckdb(spark: Any) -> None:
    frame = records_frame().drop(columns="truth")
    existing = frame.iloc[::2].assign(id=lambda d: "E-" + d["id"])
    new = frame.iloc[1::2]
    on_duckdb = match_against(new, existing)
    on_spark = match_against(new, existing, backend="spark", spark=spark)
    assert [(r.id, r.status, r.new_group) for r in on_spark.records] == [
        (r.id, r.status, r.new_group) for r in on_duckdb.records
    ]
    for left, right in zip(on_spark.records, on_duckdb.records, strict=True):
        assert [c.entity_id for c in left.candidates] == [c.entity_id for c in right.candidates]
        for a, b in zip(left.candidates, right.candidates, strict=True):
            assert a.match_weight == pytest.approx(b.match_weight, abs=1e-3)
