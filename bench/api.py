"""API latency benchmark: p50/p95 of dataset GET and a rows page under 20 concurrent clients.

Starts `laborcommons serve` on a free loopback port over a fresh node holding a 100,000-row
open dataset, then runs 20 client threads. Baseline in the same run: the same load on
`GET /api/v1/licenses`, which touches neither the database nor DuckDB.

Usage: python bench/api.py [--requests N]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

CLIENTS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "laborcommons.cli", *args], env=env, check=True,
                   capture_output=True)  # fmt: skip


def prepare(home: Path) -> dict[str, str]:
    env = {**os.environ, "LABORCOMMONS_HOME": str(home)}
    cli(env, "init")
    cli(env, "orgs", "create", "bench", "--name", "Bench", "--archetype", "advocate")
    dataset = ["wages", "--org", "bench", "--title", "Wages", "--data-type", "working-conditions"]
    cli(env, "datasets", "create", *dataset, "--license", "CC-BY-4.0", "--access", "open")
    rng = random.Random(1)
    data = home / "wages.csv"
    with data.open("w") as out:
        out.write("id,country,wage,hours\n")
        for i in range(100_000):
            out.write(f"{i},{rng.choice(['BD', 'KH', 'VN'])},{rng.uniform(50, 500):.2f},"
                      f"{rng.randrange(40, 72)}\n")  # fmt: skip
    cli(env, "datasets", "ingest", "wages", str(data))
    return env


def load(base: str, path: str, requests: int) -> list[float]:
    def worker(_: int) -> list[float]:
        timings = []
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
        return timings

    with ThreadPoolExecutor(CLIENTS) as pool:
        return [t for chunk in pool.map(worker, range(CLIENTS)) for t in chunk]


def report(name: str, timings: list[float]) -> float:
    cuts = statistics.quantiles(timings, n=100)
    print(f"{name:<44} p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms   n={len(timings)}")
    return cuts[94]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50, help="per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp))
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "laborcommons.cli", "serve", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{base}/api/v1/licenses", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            load(base, "/api/v1/datasets/wages", 5)  # warm up
            print(f"{CLIENTS} concurrent clients, {args.requests} requests each")
            baseline = report("GET /licenses (baseline: no db, no duckdb)",
                              load(base, "/api/v1/licenses", args.requests))  # fmt: skip
            dataset = report("GET /datasets/wages",
                             load(base, "/api/v1/datasets/wages", args.requests))  # fmt: skip
            rows = report("GET /datasets/wages/versions/1/rows?_page=5",
                          load(base, "/api/v1/datasets/wages/versions/1/rows?_page=5",
                               args.requests))  # fmt: skip
            print(f"p95 ratio dataset/baseline: {dataset / baseline:.2f}; "
                  f"rows/baseline: {rows / baseline:.2f} (target p95 < 50 ms)")  # fmt: skip
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
