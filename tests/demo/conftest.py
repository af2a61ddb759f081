"""One generated demo shared by the read-only tests of this folder (it takes under a second)."""

from __future__ import annotations

import csv

import pytest

from laborcommons.demo import DemoBundle, generate_demo


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> DemoBundle:
    return generate_demo(tmp_path_factory.mktemp("demo"), seed=2026)


@pytest.fixture(scope="session")
def truth(bundle: DemoBundle) -> dict[str, list[tuple[int, str]]]:
    """Ground truth grouped by dataset slug, in file order."""
    by_slug: dict[str, list[tuple[int, str]]] = {}
    with bundle.ground_truth_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_slug.setdefault(row["dataset_slug"], []).append(
                (int(row["row_number"]), row["facility_key"])
            )
    return by_slug


@pytest.fixture(scope="session")
def facilities(bundle: DemoBundle) -> dict[str, dict[str, str]]:
    with bundle.facilities_path.open(newline="", encoding="utf-8") as handle:
        return {row["facility_key"]: row for row in csv.DictReader(handle)}
