"""Inputs of bench/matching.py: labeled and unlabeled record sets from ../shared/data.

Each loader returns records (``id``, ``name``, ``address``, ``city``, ``postal_code``,
``country``, ``source``) and, when the set has ground truth, a ``truth`` column.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
COLUMNS = ["id", "name", "address", "city", "postal_code", "country", "source"]


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    for column in COLUMNS:
        if column not in rows.columns:
            rows[column] = None
    extra = ["truth"] if "truth" in rows.columns else []
    return rows[COLUMNS + extra].reset_index(drop=True)


def restaurants() -> pd.DataFrame:
    """Fodor's vs Zagat's, phone dropped (it makes the task trivial)."""
    folder = DATA / "matching" / "restaurants"
    fodors = pd.read_csv(folder / "fodors.csv", dtype=str).assign(source="fodors")
    zagats = pd.read_csv(folder / "zagats.csv", dtype=str).assign(source="zagats")
    pairs = pd.read_csv(folder / "matches_fodors_zagats.csv", dtype=str)
    partner = dict(zip(pairs["zagats_id"], pairs["fodors_id"], strict=True))
    fodors["truth"] = "f" + fodors["id"]
    zagats["truth"] = [("f" + partner[i]) if i in partner else "z" + i for i in zagats["id"]]
    rows = pd.concat([fodors, zagats], ignore_index=True).rename(columns={"addr": "address"})
    return _frame(rows)


def chicago() -> pd.DataFrame:
    """Early-childhood sites from 10 source files; truth per site."""
    path = DATA / "matching" / "chicago-early-childhood" / "csv_example_input_with_true_ids.csv"
    raw = pd.read_csv(path, dtype=str)
    rows = pd.DataFrame(
        {
            "id": raw["Id"],
            "name": raw["Site name"],
            "address": raw["Address"],
            "postal_code": raw["Zip"],
            "city": "Chicago",
            "truth": raw["True Id"],
        }
    )
    return _frame(rows)


def oar_training() -> tuple[pd.DataFrame, list[tuple[str, str, bool]]]:
    """The registry's labeled facility pairs: records, and (id, id, is_match) pairs."""
    raw = json.loads((DATA / "facilities" / "oar-lists" / "training.json").read_text())
    records: dict[str, dict[str, str]] = {}
    labels = []
    for kind in ("match", "distinct"):
        for pair in raw[kind]:
            a, b = pair["__value__"] if isinstance(pair, dict) else pair
            for record in (a, b):
                records[str(record["id"])] = {k: str(v) for k, v in record.items()}
            labels.append((str(a["id"]), str(b["id"]), kind == "match"))
    return _frame(pd.DataFrame(list(records.values()))), labels


def oar_lists() -> pd.DataFrame:
    """The 14 contributed facility lists (no truth): country, name, address."""
    frames = []
    for path in sorted((DATA / "facilities" / "oar-lists").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["source"] = path.stem
        frame["id"] = [f"{path.stem}-{n}" for n in range(len(frame))]
        frames.append(frame)
    return _frame(pd.concat(frames, ignore_index=True))


def wikirate_suppliers() -> pd.DataFrame:
    """Brand supplier map (no country column, coordinates where known; no truth)."""
    raw = pd.read_csv(DATA / "facilities" / "wikirate-supply-chain-map.csv", dtype=str)
    coordinates = raw["supplier_latlon"].fillna("").str.strip("[]").str.split(",", expand=True)
    rows = pd.DataFrame(
        {
            "id": [f"w{n}" for n in range(len(raw))],
            "name": raw["supplier_name"],
            "address": raw["supplier_address"],
            "source": raw["company_name"],
        }
    )
    rows = _frame(rows)
    rows["latitude"] = pd.to_numeric(coordinates[0], errors="coerce")
    rows["longitude"] = pd.to_numeric(coordinates.get(1), errors="coerce")
    return rows


def companies() -> pd.DataFrame:
    """Transparency Index vs KnowTheChain 2021 companies with an ISIN: ISINs give truth."""
    fti = pd.read_csv(DATA / "brands" / "fti-2023" / "Transparency.csv", dtype=str, skiprows=4)
    fti = fti.dropna(subset=["ISIN"]).drop_duplicates("Company")
    workbook = openpyxl.load_workbook(
        DATA / "brands" / "knowthechain" / "2021-KTC-AF-Benchmark-Dataset.xlsx",
        read_only=True,
        data_only=True,
    )
    rows = list(workbook["1) Benchmark Scoring"].iter_rows(values_only=True))
    header = [str(cell) for cell in rows[2]]
    ktc = pd.DataFrame(rows[3:], columns=header).dropna(subset=["Company", "ISIN"])
    owner = {
        isin: name
        for name, isins in zip(fti["Company"], fti["ISIN"], strict=True)
        for isin in isins.split(";")
    }
    left = pd.DataFrame(
        {"id": fti["Company"], "name": fti["Company"], "source": "fti", "truth": fti["Company"]}
    )
    right = pd.DataFrame(
        {
            "id": ktc["Company"],
            "name": ktc["Company"],
            "source": "ktc",
            "country": ktc["Headquarters"],
            "truth": [
                owner.get(i, "ktc:" + c) for i, c in zip(ktc["ISIN"], ktc["Company"], strict=True)
            ],
        }
    )
    return _frame(pd.concat([left, right], ignore_index=True))


def living_wage_brands() -> pd.DataFrame:
    """Brand names of the living-wage scores (no truth; checks names-only speed)."""
    raw = json.loads((DATA / "wages" / "fashionchecker" / "brands.json").read_text())
    rows = pd.DataFrame({"name": [str(n) for n in raw["content"]]}).drop_duplicates("name")
    rows["id"] = [f"b{n}" for n in range(len(rows))]
    return _frame(rows)


def demo(records: int, seed: int = 7) -> pd.DataFrame:
    from laborcommons.demo import generate_facility_records

    rows = pd.DataFrame(generate_facility_records(records, seed=seed))
    return _frame(rows.rename(columns={"cluster": "truth"}))
