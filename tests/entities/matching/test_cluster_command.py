"""`laborcommons entities cluster`: CSV in, `id,cluster_id` out, no node needed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from laborcommons.cli.main import app
from tests.entities.matching.records import records_frame

runner = CliRunner()
HEADER = {
    "id": "Facility ID",
    "name": "Facility Name",
    "address": "Address",
    "city": "City",
    "country": "Country",
}
OPTIONS = [
    "--id-column",
    "Facility ID",
    "--name-column",
    "Facility Name",
    "--address-column",
    "Address",
    "--country-column",
    "Country",
    "--city-column",
    "City",
]


def _write(frame: pd.DataFrame, path: Path, **options: str) -> Path:
    frame.drop(columns="truth").rename(columns=HEADER).to_csv(path, index=False, **options)
    return path


def _groups(frame: pd.DataFrame, key: list[str], label: str) -> set[frozenset[tuple[str, ...]]]:
    return {
        frozenset(tuple(row) for row in group[key].itertuples(index=False))
        for _, group in frame.groupby(label)
    }


def test_one_file_gives_one_row_per_record_with_shared_cluster_ids(tmp_path: Path) -> None:
    frame = records_frame()
    source = _write(frame, tmp_path / "suppliers.csv")
    output = tmp_path / "clusters.csv"
    result = runner.invoke(
        app, ["entities", "cluster", str(source), *OPTIONS, "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "20 records in 11 clusters" in result.output
    written = pd.read_csv(output, dtype=str)
    assert list(written.columns) == ["id", "cluster_id"]
    assert list(written["id"]) == list(frame["id"])
    assert _groups(written, ["id"], "cluster_id") == _groups(frame, ["id"], "truth")


def test_a_semicolon_cp1252_file_is_read(tmp_path: Path) -> None:
    frame = records_frame()
    latin = frame[frame["id"].isin(["k1", "k2", "e1", "e2"])]
    source = _write(latin, tmp_path / "latin.csv", sep=";", encoding="cp1252")
    output = tmp_path / "out.csv"
    result = runner.invoke(app, ["entities", "cluster", str(source), *OPTIONS, "-o", str(output)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(output, dtype=str).set_index("id")["cluster_id"]
    assert written["k1"] == written["k2"] != written["e1"] == written["e2"]


def test_two_files_are_linked_and_ids_stay_apart_by_source(tmp_path: Path) -> None:
    frame = records_frame()
    left = frame.iloc[::2].copy()
    right = frame.iloc[1::2].copy()
    right["id"] = left["id"].to_numpy()[: len(right)]  # the same ids, other records
    first = _write(left, tmp_path / "brand-a.csv")
    second = _write(right, tmp_path / "brand-b.csv")
    output = tmp_path / "linked.csv"
    result = runner.invoke(
        app, ["entities", "cluster", str(first), str(second), *OPTIONS, "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(output, dtype=str)
    assert list(written.columns) == ["id", "cluster_id", "source"]
    assert set(written["source"]) == {str(first), str(second)}
    truth = pd.concat([left.assign(source=str(first)), right.assign(source=str(second))])
    assert _groups(written, ["source", "id"], "cluster_id") == _groups(
        truth, ["source", "id"], "truth"
    )


def test_a_missing_column_is_named_with_exit_code_and_no_output(tmp_path: Path) -> None:
    source = _write(records_frame(), tmp_path / "suppliers.csv")
    output = tmp_path / "clusters.csv"
    options = [o if o != "City" else "Town" for o in OPTIONS]
    result = runner.invoke(app, ["entities", "cluster", str(source), *options, "-o", str(output)])
    assert result.exit_code == 7
    assert "no column 'Town'" in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_a_missing_file_and_a_duplicate_id_are_clear_errors(tmp_path: Path) -> None:
    output = tmp_path / "clusters.csv"
    missing = runner.invoke(
        app, ["entities", "cluster", str(tmp_path / "nope.csv"), *OPTIONS, "-o", str(output)]
    )
    assert missing.exit_code == 4
    assert "nope.csv: no such file" in missing.output
    frame = records_frame()
    frame.loc[3, "id"] = frame.loc[1, "id"]
    source = _write(frame, tmp_path / "dupes.csv")
    duplicate = runner.invoke(
        app, ["entities", "cluster", str(source), *OPTIONS, "-o", str(output)]
    )
    assert duplicate.exit_code == 7
    assert "row 5 repeats the id 'a2'" in duplicate.output
    assert not output.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".cluster-")] == []
