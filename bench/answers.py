"""Safe-answer benchmark: a mean wage by facility over 1,000,000 payslips.

200,000 workers at 2,000 facilities, five payslips each, generated deterministically in
DuckDB. Prints the safe answer's time uncached (``compute_answer`` with the node's OpenDP
noise: per-subject aggregation, suppression over the allowed breakdowns, noise), the raw
DuckDB ``GROUP BY`` mean of the same rows in the same run, and their ratio (median of
``--repeat`` runs each).

Then, on a real node (SQLite, an encrypted internal version of the same rows): the service's
``ask`` uncached (decrypting and loading the version, computing, storing the answer, the
budget and the audit record; each run a fresh question, so nothing is cached) and cached
(the stored answer, the budget check and the audit record).

Usage: python bench/answers.py [--repeat N] [--no-node]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from laborcommons.access import NODE_ADMIN
from laborcommons.answers import service
from laborcommons.answers.engine import compute_answer
from laborcommons.answers.noise import OpenDPNoise
from laborcommons.answers.schemas import QuestionCreate
from laborcommons.answers.spec import QuestionSpec
from laborcommons.catalog import service as catalog
from laborcommons.catalog.schemas import DatasetCreate, OrganizationCreate
from laborcommons.core.db import unit_of_work
from laborcommons.core.duck import connect, sql_string
from laborcommons.core.node import Node, open_node
from laborcommons.core.settings import Settings

PAYSLIPS = """
CREATE TABLE payslips AS
SELECT 'w' || (i // 5) AS worker,
       'F' || lpad(CAST((i // 5) % 2000 AS VARCHAR), 4, '0') AS facility,
       CASE WHEN (i // 5) % 2 = 0 THEN 'f' ELSE 'm' END AS gender,
       200.0 + ((i * 7919) % 1000) AS wage
FROM range(1000000) AS t(i)
"""
RAW = "SELECT facility, avg(wage) FROM payslips GROUP BY facility ORDER BY facility"


def timed(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-node", action="store_true", help="the engine figures only")
    args = parser.parse_args()
    con = connect()
    started = time.perf_counter()
    con.execute(PAYSLIPS)
    print(
        "1,000,000 payslips (200,000 workers, 2,000 facilities) in "
        f"{time.perf_counter() - started:.2f} s"
    )
    spec = QuestionSpec("mean", "worker", (("facility",),), value="wage", bounds=(0.0, 2000.0))
    noise = OpenDPNoise()
    answer = compute_answer(con, "payslips", spec, ("facility",), noise=noise)
    shown = sum(not cell.suppressed for cell in answer.cells)
    print(f"cells: {len(answer.cells)} ({shown} published), error_95 {answer.noise.error_95:.2f}")
    safe = timed(
        lambda: compute_answer(con, "payslips", spec, ("facility",), noise=noise), args.repeat
    )
    raw = timed(lambda: con.execute(RAW).fetchall(), args.repeat)
    print(f"safe answer uncached: {safe * 1000:.1f} ms (target < 1000 ms)")
    print(f"raw duckdb GROUP BY mean: {raw * 1000:.1f} ms")
    print(f"ratio safe/raw: {safe / raw:.2f} (target <= 3)")
    if not args.no_node:
        with tempfile.TemporaryDirectory() as home:
            node_figures(con, Path(home), args.repeat)
    return 0


def make_node(con: object, home: Path) -> Node:
    """A node initialised by the CLI, with the payslips as an internal dataset's version."""
    env = {"LABORCOMMONS_HOME": str(home), "PATH": str(Path(sys.executable).parent)}
    subprocess.run([sys.executable, "-m", "laborcommons.cli", "init"], env=env, check=True)
    csv = home / "payslips.csv"
    con.execute(f"COPY payslips TO {sql_string(str(csv))} (HEADER)")  # type: ignore[attr-defined]
    node = open_node(Settings(home=home))
    with unit_of_work(node.sessions) as session:
        org = {"slug": "union", "name": "Union", "archetype": "worker-voice"}
        catalog.create_organization(
            OrganizationCreate.model_validate(org), reader=NODE_ADMIN, session=session
        )
        dataset = {"slug": "payslips", "organization": "union", "title": "Payslips"}
        catalog.create_dataset(
            DatasetCreate.model_validate(
                {**dataset, "data_type": "working-conditions", "access": "internal"}
            ),
            reader=NODE_ADMIN,
            session=session,
        )
    started = time.perf_counter()
    with unit_of_work(node.sessions) as session:
        catalog.add_version(
            "payslips", csv, original_name=csv.name, reader=NODE_ADMIN, node=node, session=session
        )
    print(f"node: 1,000,000 rows ingested (encrypted) in {time.perf_counter() - started:.1f} s")
    return node


def ask(node: Node, name: str) -> bool:
    with unit_of_work(node.sessions) as session:
        answer = service.ask(
            "payslips",
            name,
            ["facility"],
            reader=NODE_ADMIN,
            node=node,
            session=session,
            noise=OpenDPNoise(),
        )
    return answer.cached


def node_figures(con: object, home: Path, repeat: int) -> None:
    node = make_node(con, home)
    names = [f"mean-wage-{i}" for i in range(repeat)]
    with unit_of_work(node.sessions) as session:
        for name in names:
            question = {
                "name": name,
                "algorithm": "mean",
                "subject": "worker",
                "value": "wage",
                "breakdowns": [["facility"]],
                "bounds": [0, 2000],
                "budget": 1000,
            }
            data = QuestionCreate.model_validate(question)
            service.enable_question("payslips", data, reader=NODE_ADMIN, session=session)
    fresh = iter(names)
    uncached = timed(lambda: ask(node, next(fresh)), repeat)
    assert all(ask(node, name) for name in names)  # every one is stored now
    cached = timed(lambda: ask(node, names[0]), max(repeat, 20))
    print(f"node ask uncached (decrypt, load, compute, store): {uncached * 1000:.1f} ms")
    print(f"node ask cached: {cached * 1000:.1f} ms (target < 20 ms)")
    node.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
