"""Ingest benchmark: our end-to-end ingest vs DuckDB's own CSV-to-Parquet copy.

Generates a 1,000,000-row, 12-column CSV of mixed types, then measures, each in a fresh
process so peak memory is its own:
- ours: file -> validated, profiled Parquet version stored in a fresh SQLite node
  (``catalog.add_version``, the same path the API and CLI take);
- baseline: ``COPY (SELECT * FROM read_csv(file)) TO parquet`` in plain DuckDB.

Usage: python bench/ingest.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = ["id", "facility", "country", "workers", "wage", "share_women", "audited",
          "audit_date", "updated_at", "postcode", "category", "note"]  # fmt: skip
COUNTRIES = ["BD", "KH", "CN", "IN", "ID", "PK", "VN", "TR", "LK", "MM"]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(7)
    start = date(2020, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for i in range(rows):
            day = start + timedelta(days=rng.randrange(1800))
            out.write(
                f'{i},"Factory {rng.randrange(50000)}, Ltd",{rng.choice(COUNTRIES)},'
                f"{rng.randrange(20, 9000)},{rng.uniform(50, 600):.2f},{rng.random():.3f},"
                f"{'true' if rng.random() < 0.5 else 'false'},{day.isoformat()},"
                f"{day.isoformat()} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00,"
                f"{rng.randrange(100000):05d},{rng.choice(['wages', 'hours', 'safety'])},"
                f'"said ""ok"" on visit {rng.randrange(9)}"\n'
            )


def run_ours(csv_path: str) -> dict[str, float]:
    from laborcommons.access import NODE_ADMIN
    from laborcommons.catalog import service
    from laborcommons.catalog.schemas import DatasetCreate, OrganizationCreate
    from laborcommons.core.db import unit_of_work
    from laborcommons.core.migrate import upgrade_database
    from laborcommons.core.node import open_node
    from laborcommons.core.settings import Settings

    home = Path(tempfile.mkdtemp(prefix="lc-bench-"))
    settings = Settings(home=home)
    upgrade_database(settings.resolved_database_url)
    node = open_node(settings)
    with unit_of_work(node.sessions) as session:
        org = OrganizationCreate(slug="bench", name="Bench", archetype="advocate")
        service.create_organization(org, reader=NODE_ADMIN, session=session)
        data = DatasetCreate(slug="big", organization="bench", title="Big", data_type="other")
        service.create_dataset(data, reader=NODE_ADMIN, session=session)
    started = time.perf_counter()
    with unit_of_work(node.sessions) as session:
        created = service.add_version(
            "big",
            Path(csv_path),
            original_name="big.csv",
            reader=NODE_ADMIN,
            node=node,
            session=session,
        )
    seconds = time.perf_counter() - started
    assert created.row_count > 0
    return {"seconds": seconds, "rows": created.row_count}


def run_duckdb(csv_path: str) -> dict[str, float]:
    import duckdb

    out = Path(tempfile.mkdtemp(prefix="lc-bench-duck-")) / "out.parquet"
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute(f"COPY (SELECT * FROM read_csv('{csv_path}')) TO '{out}' (FORMAT PARQUET)")
    return {"seconds": time.perf_counter() - started, "rows": 0}


def measure(mode: str, csv_path: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CSV"))
    args = parser.parse_args()
    if args.child:
        mode, csv_path = args.child
        result = run_ours(csv_path) if mode == "ours" else run_duckdb(csv_path)
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "bench.csv"
        generate(csv_path, args.rows)
        size = csv_path.stat().st_size / 2**20
        print(f"input: {args.rows:,} rows x {len(HEADER)} columns, {size:.0f} MiB CSV")
        runs: dict[str, list[dict[str, float]]] = {"duckdb": [], "ours": []}
        for _ in range(args.repeat):  # alternate, so machine noise hits both alike
            runs["duckdb"].append(measure("duckdb", csv_path))
            runs["ours"].append(measure("ours", csv_path))
        baseline, ours = median_run(runs["duckdb"]), median_run(runs["ours"])
        print(f"median of {args.repeat} alternating runs, each in a fresh process")
    print(
        f"duckdb COPY csv->parquet (baseline): {baseline['seconds']:.2f} s, "
        f"peak {baseline['peak_mib']:.0f} MiB"
    )
    print(
        f"laborcommons ingest (end to end):    {ours['seconds']:.2f} s, "
        f"peak {ours['peak_mib']:.0f} MiB"
    )
    print(f"rows per second (ours): {ours['rows'] / ours['seconds']:,.0f}")
    print(f"ratio ours/duckdb: {ours['seconds'] / baseline['seconds']:.2f} (target <= 2)")
    print(f"peak memory ours: {ours['peak_mib']:.0f} MiB (target < 1024)")


if __name__ == "__main__":
    main()
