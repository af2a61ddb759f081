"""API latency benchmark: p50/p95 of dataset GET and a rows page under 20 concurrent clients.

The load comes from wrk (Debian package), 20 connections in a closed loop.

Starts `laborcommons serve` on a free loopback port over a fresh node holding a 100,000-row
open dataset, then runs 20 client threads. Baseline in the same run: the same load on
`GET /api/v1/licenses`, which touches neither the database nor DuckDB.

Usage: python bench/api.py [--seconds N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 20
ROWS = "/api/v1/datasets/wages/versions/1/rows"
ENDPOINTS = {
    "GET /licenses (baseline: no db, no duckdb)": "/api/v1/licenses",
    "GET /datasets/wages": "/api/v1/datasets/wages",
    "GET rows ?_page=5 (one page, cached)": f"{ROWS}?_page=5",
    "GET rows ?_page=random 1..2000 (mostly uncached)": f"{ROWS}?_page=",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "laborcommons.cli", *args], env=env, check=True, capture_output=True
    )


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
            out.write(
                f"{i},{rng.choice(['BD', 'KH', 'VN'])},{rng.uniform(50, 500):.2f},"
                f"{rng.randrange(40, 72)}\n"
            )
    cli(env, "datasets", "ingest", "wages", str(data))
    return env


WRK_SCRIPT = """
math.randomseed(7)
request = function()
  local path = wrk.path
  if string.sub(path, -1) == "=" then path = path .. math.random(1, 2000) end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def load(base: str, path: str, seconds: int, script: Path) -> tuple[int, int, float, float]:
    """Closed-loop load from wrk (a C load generator, so the client is not the bottleneck)."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "-s", str(script), base + path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT"))
    _, total, errors, p50, p95 = line.split()
    return int(total), int(errors), float(p50), float(p95)


def report(name: str, result: tuple[int, int, float, float], seconds: int) -> float:
    total, errors, p50, p95 = result
    print(
        f"{name:<44} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
        f"{total / seconds:6.0f} req/s   errors {errors}"
    )
    return p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/api.py needs wrk: `make bench` installs it (Debian package wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        env = prepare(Path(tmp))
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "laborcommons.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{base}/api/v1/licenses", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            script = Path(tmp) / "report.lua"
            script.write_text(WRK_SCRIPT)
            for path in ENDPOINTS.values():  # warm up every worker and code path
                load(base, path, 2, script)
            print(
                f"wrk: {CLIENTS} concurrent connections, {args.seconds} s per endpoint, "
                f"{args.workers} server worker(s)"
            )
            results = {}
            for name, path in ENDPOINTS.items():
                results[name] = report(name, load(base, path, args.seconds, script), args.seconds)
            baseline = results["GET /licenses (baseline: no db, no duckdb)"]
            for name, p95 in results.items():
                print(f"p95 ratio to baseline {name}: {p95 / baseline:.2f}")
            print("target: p95 under 50 ms for the dataset GET and the rows page")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
