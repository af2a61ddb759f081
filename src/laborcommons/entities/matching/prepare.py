"""Turn input records into the normalized table splink compares and blocks on.

Normalization runs once per distinct value (names and addresses repeat a lot in big lists),
so a million records cost about as much as their distinct values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from laborcommons.core.countries import country_code
from laborcommons.core.errors import InvalidInput
from laborcommons.entities.matching.normalize import (
    address_numbers,
    compact,
    normalize_address,
    normalize_name,
)

REQUIRED = ("id", "name")
OPTIONAL = ("address", "city", "postal_code", "country", "latitude", "longitude", "source")
BLOCK_CAP = 400
"""A blocking key shared by more records than this does not compare them all (quadratic
time for a word like ``garment`` in every other name): the block is cut into windows."""
WINDOW = 20
"""Records of an oversized block are sorted by name and address and compared within
windows of this many neighbours, so no record leaves matching and the cost stays linear."""
COMPARED = (
    "name_norm",
    "name_compact",
    "name_sorted",
    "address_norm",
    "numbers",
    "city",
    "postal_code",
    "country",
    "latitude",
    "longitude",
)
"""Everything the comparisons read: records equal on all of these are the same record."""
_PUNCT = r"[^0-9A-Za-z]+"


def _map_unique(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    uniques = values.dropna().unique()
    mapping = {value: function(value) for value in uniques}
    return values.map(mapping)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), None)
    return values.map(lambda value: None if value is None else str(value).strip() or None)


def _coordinate(frame: pd.DataFrame, column: str, low: float, high: float) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    values = pd.to_numeric(frame[column], errors="coerce")
    return values.where((values >= low) & (values <= high))


def _without_city(name: str, city: Any) -> str:
    """``Ningbo Tianyi Knitting`` in Ningbo is ``tianyi knitting``: the city says nothing
    about which of the city's factories it is (the city is compared on its own)."""
    if not isinstance(city, str) or not city:
        return name
    city_words = set(city.split()) - {"city"}
    kept = [word for word in name.split() if word not in city_words]
    return " ".join(kept) if kept else name


def _words_only(address: str) -> str:
    """The address without its numbers: those are compared on their own (``numbers``)."""
    return " ".join(word for word in address.split() if not word.isdigit())


def check_columns(frame: pd.DataFrame, *, what: str = "records") -> None:
    """InvalidInput naming the missing columns and duplicated ids; nothing is computed."""
    missing = [column for column in REQUIRED if column not in frame.columns]
    if missing:
        raise InvalidInput(
            f"{what}: missing column(s) {', '.join(missing)}",
            details={"missing": missing, "columns": [str(c) for c in frame.columns]},
        )
    keys = pd.DataFrame({"source": _text(frame, "source").fillna(""), "id": _text(frame, "id")})
    if keys["id"].isna().any():
        row = int(np.flatnonzero(keys["id"].isna().to_numpy())[0])
        raise InvalidInput(f"{what}: row {row + 1} has no id", details={"row": row + 1})
    duplicated = keys.duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InvalidInput(
            f"{what}: id {keys['id'].iloc[row]!r} appears more than once (row {row + 1})",
            details={"row": row + 1, "id": keys["id"].iloc[row]},
        )


def prepare(frame: pd.DataFrame, *, keys: bool = True) -> pd.DataFrame:
    """The comparison table: one row per record, ``unique_id`` is the row number
    (``keys=False``: without blocking keys, for ``distinct_records`` to add them)."""
    full_names = _map_unique(_text(frame, "name"), normalize_name).fillna("")
    addresses = _map_unique(_text(frame, "address"), normalize_address).fillna("")
    cities = _map_unique(_text(frame, "city"), normalize_address)
    names = pd.Series(
        [_without_city(name, city) for name, city in zip(full_names, cities, strict=True)],
        index=frame.index,
        dtype=object,
    )
    tokens = names.map(lambda name: tuple(sorted(set(name.split()))))
    table = pd.DataFrame(
        {
            "unique_id": np.arange(len(frame), dtype=np.int64),
            "name_norm": names.replace("", None),
            "name_compact": names.map(compact).replace("", None),
            "name_sorted": tokens.map(" ".join).replace("", None),
            "name_tokens": tokens.map(lambda words: list(words) or None),
            "address_norm": addresses.map(_words_only).replace("", None),
            "address_tokens": addresses.map(
                lambda text: sorted(set(_words_only(text).split())) or None
            ),
            "numbers": _map_unique(_text(frame, "address"), address_numbers).map(
                lambda numbers: list(numbers) if isinstance(numbers, tuple) and numbers else None
            ),
            "city": cities.replace("", None),
            "postal_code": _text(frame, "postal_code")
            .str.replace(_PUNCT, "", regex=True)
            .str.upper()
            .replace("", None),
            "country": _map_unique(_text(frame, "country"), country_code),
            "latitude": _coordinate(frame, "latitude", -90, 90),
            "longitude": _coordinate(frame, "longitude", -180, 180),
        }
    )
    table["numbers_count"] = table["numbers"].map(lambda values: len(values) if values else 0)
    table["country"] = table["country"].astype(object).where(table["country"].notna(), None)
    table.index = pd.RangeIndex(len(table))
    if keys:
        add_blocking_keys(table, tokens.reset_index(drop=True))
    return table


def distinct_records(table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per distinct record (equal on every compared field) with fresh blocking
    keys, and the distinct row of each input row.

    Forty copies of a facility are one record to compare and cluster: they cannot crowd a
    block past its cap, break into singletons when a large component is cut, or make their
    own words look common; and the rows around a pair stop counting once per copy.
    """
    columns = {
        column: table[column].map(lambda v: " ".join(v) if isinstance(v, list) else v)
        for column in COMPARED
    }
    codes = (
        pd.DataFrame(columns).groupby(list(COMPARED), dropna=False, sort=False).ngroup().to_numpy()
    )
    _, first = np.unique(codes, return_index=True)
    distinct = table.iloc[first].reset_index(drop=True)
    distinct["unique_id"] = np.arange(len(distinct), dtype=np.int64)
    tokens = distinct["name_tokens"].map(lambda words: list(words) if words else [])
    add_blocking_keys(distinct, tokens)
    return distinct, codes


def add_blocking_keys(table: pd.DataFrame, tokens: pd.Series) -> None:
    """Keys each blocking rule joins on: the two rarest name words, a name prefix, numbers."""
    exploded = tokens.explode().dropna()
    frequency = exploded.map(exploded.value_counts())
    ranked = (
        pd.DataFrame({"row": exploded.index, "token": exploded.values, "freq": frequency.values})
        .sort_values(["row", "freq", "token"], kind="stable")
        .groupby("row", sort=False)
    )
    rare1 = ranked.nth(0).set_index("row")["token"]
    rare2 = ranked.nth(1).set_index("row")["token"]
    table["block_rare1"] = rare1.reindex(table.index)
    table["block_rare2"] = rare2.reindex(table.index)
    prefix = table["name_compact"].str.slice(0, 7)
    table["block_prefix"] = prefix.where(table["name_compact"].str.len() >= 4)
    numbers = table["numbers"].map(
        lambda values: " ".join(values) if values and len(values) >= 2 else None
    )
    table["block_numbers"] = numbers
    order = table.sort_values(["name_compact", "address_norm", "unique_id"], kind="stable").index
    for column in ("block_rare1", "block_rare2", "block_prefix", "block_numbers"):
        table[column] = windowed(table[column], order)


def windowed(key: pd.Series, order: pd.Index) -> pd.Series:
    """The key, with a block of more than ``BLOCK_CAP`` records cut into windows of
    ``WINDOW`` neighbours in ``order`` (``garment#0``, ``garment#1``, ...)."""
    counts = key.map(key.value_counts())
    oversized = (counts > BLOCK_CAP).fillna(False).astype(bool)
    if oversized.any():
        ranked = key[oversized].reindex(order).dropna()
        rank = ranked.groupby(ranked, sort=False).cumcount() // WINDOW
        key = key.astype(object).copy()
        key.loc[rank.index] = ranked + "#" + rank.astype(str)
    return key.astype(object).where(key.notna(), None)
