"""Build the whole demo: organizations, their dataset files, and the answer key.

Each part draws from its own ``random.Random`` seeded from the demo seed and the part's
name, so changing one writer never shifts the rows of another.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from laborcommons.demo import datasets
from laborcommons.demo.compliance import write_audit_findings, write_certificates
from laborcommons.demo.datasets import DatasetSpec
from laborcommons.demo.declarations import write_declarations
from laborcommons.demo.facilities import generate_facilities
from laborcommons.demo.formats import write_csv
from laborcommons.demo.grievances import write_grievances
from laborcommons.demo.models import DemoBundle, DemoFile, Facility, WrittenFile
from laborcommons.demo.organizations import ORGANIZATIONS
from laborcommons.demo.scorecard import write_scorecard
from laborcommons.demo.supplier_lists import (
    assign_brands,
    write_harbor,
    write_lumen,
    write_velta,
)
from laborcommons.demo.wages import write_reference_wages, write_wage_survey

DATASETS_DIR = "datasets"
TRUTH_DIR = "truth"
DECLARATIONS_TRUTH = "wage_declarations.csv"

Writer = Callable[[Path, random.Random, Sequence[Facility]], WrittenFile]


def _part(seed: int, name: str) -> random.Random:
    """An independent random stream for one part of the demo."""
    return random.Random(f"{seed}:{name}")  # noqa: S311 - reproducible, not secret


def _write_facilities(path: Path, facilities: Sequence[Facility]) -> None:
    header = (
        "facility_key",
        "name",
        "address",
        "city",
        "postal_code",
        "country",
        "lat",
        "lon",
        "sector",
        "workers_min",
        "workers_max",
    )
    rows = (
        (
            f.key,
            f.name,
            f.address,
            f.city,
            f.postal_code,
            f.country,
            f"{f.lat:.5f}",
            f"{f.lon:.5f}",
            f.sector,
            f.workers_min,
            f.workers_max,
        )
        for f in facilities
    )
    write_csv(path, header, rows)


def _write_truth(path: Path, written: Sequence[tuple[DatasetSpec, WrittenFile]]) -> None:
    rows = ((spec.slug, row, key) for spec, result in written for row, key in result.truth)
    write_csv(path, ("dataset_slug", "row_number", "facility_key"), rows)


def _write_datasets(
    out: Path, truth: Path, seed: int, facilities: Sequence[Facility]
) -> list[tuple[DatasetSpec, WrittenFile]]:
    harbor, velta, lumen = assign_brands(_part(seed, "brands"), facilities)
    # The survey visits factories the brands list, so its published wage indications sit
    # beside those brands' supply relations on the facility pages.
    listed = list({f.key: f for f in [*harbor, *velta, *lumen]}.values())
    per_part: list[tuple[DatasetSpec, Writer]] = [
        (datasets.WAGES, lambda out, rng, _all: write_wage_survey(out, rng, listed)),
        (datasets.AUDITS, write_audit_findings),
        (datasets.GRIEVANCES, write_grievances),
        (datasets.CERTIFICATES, write_certificates),
    ]
    written = [
        (datasets.HARBOR, write_harbor(out, _part(seed, "harbor"), harbor)),
        (datasets.VELTA, write_velta(out, _part(seed, "velta"), velta)),
        (datasets.LUMEN, write_lumen(out, _part(seed, "lumen"), lumen)),
    ]
    written += [(spec, write(out, _part(seed, spec.slug), facilities)) for spec, write in per_part]
    survey = next(result for spec, result in written if spec is datasets.WAGES)
    declarations = write_declarations(
        out, truth / DECLARATIONS_TRUTH, _part(seed, "declarations"), facilities, survey
    )
    written.append((datasets.DECLARATIONS, declarations))
    written.append((datasets.SCORECARD, write_scorecard(out, _part(seed, "scorecard"))))
    written.append((datasets.REFERENCE_WAGES, write_reference_wages(out)))
    return written


def generate_demo(out_dir: Path, *, seed: int = 2026, facilities: int = 2000) -> DemoBundle:
    """Write every demo dataset under ``out_dir`` and return their catalog metadata.

    Datasets go to ``out_dir/datasets``; the true facilities and the row-to-facility
    ground truth go to ``out_dir/truth``, apart, so they are never ingested by mistake.
    """
    data_dir, truth_dir = out_dir / DATASETS_DIR, out_dir / TRUTH_DIR
    data_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    true_facilities = list(generate_facilities(_part(seed, "facilities"), facilities))
    written = _write_datasets(data_dir, truth_dir, seed, true_facilities)
    facilities_path = truth_dir / "facilities.csv"
    ground_truth_path = truth_dir / "ground_truth.csv"
    _write_facilities(facilities_path, true_facilities)
    _write_truth(ground_truth_path, written)
    files: list[DemoFile] = [
        spec.file(result.path, rows=result.rows, coverage=result.coverage, sheet=result.sheet)
        for spec, result in written
    ]
    return DemoBundle(
        organizations=list(ORGANIZATIONS),
        files=files,
        ground_truth_path=ground_truth_path,
        facilities_path=facilities_path,
        declarations_truth_path=truth_dir / DECLARATIONS_TRUTH,
    )
