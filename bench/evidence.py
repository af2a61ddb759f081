"""Evidence benchmark: mapping linked rows to a metric, and triangulating every facility.

20,000 facilities with two sources each (a self-declared wage, a survey's), as two open
datasets on a real node (SQLite). The rows are linked by writing their row links directly
(linking has its own benchmark, bench/matching.py), so only evidence is timed:

- ``map_column`` of each source (read the column in DuckDB, normalize, insert the answers),
  against the physical floor: DuckDB reading the same column of the same Parquet file;
- ``deviations`` over all 20,000 facility groups (visibility, names, the weighted median,
  tolerance and robust z-score per group, the explanation), against DuckDB computing a plain
  median per facility over the same 40,000 values;
- ``entity_evidence`` for one facility (the evidence panel's query), median of 20 runs.

Usage: python bench/evidence.py [--facilities N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import insert, select

from laborcommons.access import ANONYMOUS, NODE_ADMIN
from laborcommons.catalog import service as catalog
from laborcommons.catalog.schemas import DatasetCreate, OrganizationCreate
from laborcommons.core import stable_id
from laborcommons.core.db import unit_of_work
from laborcommons.core.duck import connect, parquet_source, sql_string
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings
from laborcommons.entities.models import Entity, RowLink
from laborcommons.evidence import service as evidence
from laborcommons.evidence.models import EvidenceAnswer
from laborcommons.evidence.schemas import MappingCreate

SOURCES = {  # slug: (method, how the wage is drawn from the facility number i)
    "declarations": (
        "self-declared",
        "150 + (i * 7919) % 200 + CASE WHEN i % 7 = 0 THEN 120 ELSE 0 END",
    ),
    "survey": ("worker-survey", "150 + (i * 7919) % 200 + (i % 5) - 2"),
}


def timed(run: Callable[[], object], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def make_node(home: Path, facilities: int) -> Node:
    env = {"LABORCOMMONS_HOME": str(home), "PATH": str(Path(sys.executable).parent)}
    subprocess.run([sys.executable, "-m", "laborcommons.cli", "init"], env=env, check=True)
    node = open_node(Settings(home=home))
    con = connect()
    with unit_of_work(node.sessions) as session:
        org = {"slug": "exchange", "name": "Exchange", "archetype": "compliance-aggregator"}
        catalog.create_organization(
            OrganizationCreate.model_validate(org), reader=NODE_ADMIN, session=session
        )
        for slug, (_method, wage) in SOURCES.items():
            data = {
                "slug": slug,
                "organization": "exchange",
                "title": slug,
                "access": "open",
                "license": "CC-BY-4.0",
                "data_type": "working-conditions",
            }
            catalog.create_dataset(
                DatasetCreate.model_validate(data), reader=NODE_ADMIN, session=session
            )
            csv = home / f"{slug}.csv"
            con.execute(
                f"COPY (SELECT 'F' || i AS facility, {wage} AS wage FROM range({facilities}) "
                f"t(i)) TO {sql_string(str(csv))} (HEADER)"
            )
            catalog.add_version(
                slug, csv, original_name=csv.name, reader=NODE_ADMIN, node=node, session=session
            )
    with unit_of_work(node.sessions) as session:
        taken: set[str] = set()
        rows = []
        for i in range(facilities):
            lcid = stable_id.mint("facility", "BD", f"F{i}", taken=taken.__contains__)
            taken.add(lcid)
            rows.append(
                {
                    "lcid": lcid,
                    "kind": "facility",
                    "name": f"F{i}",
                    "name_ascii": f"f{i}",
                    "country": "BD",
                    "status": "active",
                }
            )
        session.execute(insert(Entity), rows)
        ids = list(session.scalars(select(Entity.id).order_by(Entity.id)))
        for slug in SOURCES:
            version = catalog.get_version(slug, None, reader=NODE_ADMIN, session=session)
            links = [
                {
                    "version_id": version.id,
                    "kind": "facility",
                    "row_number": n + 1,
                    "entity_id": ids[n],
                    "status": "linked",
                    "method": "identifier",
                }
                for n in range(facilities)
            ]
            session.execute(insert(RowLink), links)
    return node


def map_source(node: Node, slug: str) -> int:
    method = SOURCES[slug][0]
    options = {"column": "wage", "metric": "monthly-gross-wage", "period": "2025", "method": method}
    data = MappingCreate.model_validate(options)
    with unit_of_work(node.sessions) as session:
        return evidence.map_column(
            slug, None, data, reader=NODE_ADMIN, session=session, node=node
        ).added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=20_000)
    args = parser.parse_args()
    n = args.facilities
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        node = make_node(Path(home), n)
        print(
            f"{n:,} facilities, 2 linked sources: set up in {time.perf_counter() - started:.1f} s"
        )
        con = connect()
        for slug in SOURCES:
            with unit_of_work(node.sessions) as session:
                version = catalog.get_version(slug, None, reader=NODE_ADMIN, session=session)
                parquet = node.store.path_for(version.parquet_sha256)
            column = f"SELECT wage FROM {parquet_source(parquet)}"
            floor = timed(partial(lambda query: con.execute(query).fetchall(), column), 5)
            mapped = timed(partial(map_source, node, slug))
            print(
                f"map {slug}: {mapped * 1000:.0f} ms for {n:,} answers "
                f"({n / mapped:,.0f} answers/s); DuckDB reading the column: {floor * 1000:.1f} ms; "
                f"ratio {mapped / floor:.0f}"
            )
        with unit_of_work(node.sessions) as session:
            values = session.execute(select(EvidenceAnswer.entity_id, EvidenceAnswer.value)).all()
        con.execute("CREATE TABLE answers (entity INTEGER, value DOUBLE)")
        con.executemany("INSERT INTO answers VALUES (?, ?)", values)
        floor = timed(
            lambda: con.execute(
                "SELECT entity, median(value) FROM answers GROUP BY entity"
            ).fetchall(),
            5,
        )
        found: list[object] = []

        def triangulate() -> None:
            with unit_of_work(node.sessions) as session:
                found[:] = evidence.deviations(reader=ANONYMOUS, session=session)

        whole = timed(triangulate, 3)
        print(
            f"deviations over {n:,} groups: {whole * 1000:.0f} ms ({len(found):,} deviate); "
            f"DuckDB median per facility: {floor * 1000:.1f} ms; ratio {whole / floor:.0f}"
        )
        with unit_of_work(node.sessions) as session:
            lcid = session.scalars(select(Entity.lcid).order_by(Entity.id)).first()

        def panel() -> None:
            with unit_of_work(node.sessions) as session:
                evidence.entity_evidence(str(lcid), reader=ANONYMOUS, session=session)

        print(f"entity evidence (one facility): {timed(panel, 20) * 1000:.1f} ms")
        node.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
