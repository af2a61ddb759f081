"""JSON arrays of objects and JSON Lines."""

from __future__ import annotations

import codecs
import datetime as dt
import json

import pytest

from .conftest import Ingest


def test_array_of_objects(ingest: Ingest) -> None:
    records = [
        {
            "id": 1,
            "name": "Acme",
            "since": "2021-01-02",
            "tags": ["a", "b"],
            "hq": {"city": "Oslo"},
        },
        {"id": 2, "name": "Bolt", "zip": "01234", "tags": [], "score": 2.5},
    ]
    done = ingest("suppliers.json", json.dumps(records))
    assert done.report.valid
    assert done.types() == {
        "id": "integer",
        "name": "string",
        "since": "date",
        "tags": "string",
        "hq": "string",
        "zip": "string",
        "score": "number",
    }
    first, second = done.rows()
    assert first["since"] == dt.date(2021, 1, 2)
    assert json.loads(first["tags"]) == ["a", "b"]
    assert json.loads(first["hq"]) == {"city": "Oslo"}
    assert (second["zip"], second["hq"], second["score"]) == ("01234", None, 2.5)


def test_mixed_value_types_become_text(ingest: Ingest) -> None:
    done = ingest("mixed.json", '[{"v": 1}, {"v": "two"}, {"v": true}]')
    assert done.types() == {"v": "string"}
    assert done.column("v") == ["1", "two", "true"]


def test_json_lines(ingest: Ingest) -> None:
    done = ingest("events.jsonl", '{"id": 1, "ok": true}\n{"id": 2, "ok": false}\n')
    assert done.result.format == "jsonl"
    assert done.rows() == [{"id": 1, "ok": True}, {"id": 2, "ok": False}]


def test_ndjson_in_utf16(ingest: Ingest) -> None:
    done = ingest("w.ndjson", codecs.BOM_UTF16_LE + '{"name": "Zoë"}\n'.encode("utf-16-le"))
    assert done.rows() == [{"name": "Zoë"}]


def test_invalid_json_names_the_line(ingest: Ingest) -> None:
    done = ingest("bad.json", '[{"a": 1},\n {"a": 2,,}]')
    assert done.issues() == [("invalid-json", 2, None)]
    assert "bad.json line 2" in done.report.issues[0].message


def test_invalid_json_lines_names_the_line(ingest: Ingest) -> None:
    done = ingest("bad.jsonl", '{"a": 1}\n{"a": 2}\n{"a": \n{"a": 4}\n')
    assert done.issues() == [("invalid-json", 3, None)]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("object.json", '{"a": 1}'),
        ("scalars.json", "[1, 2, 3]"),
        ("mixed.json", '[{"a": 1}, 2]'),
        ("array.jsonl", '[{"a": 1}]\n'),
    ],
)
def test_not_records(ingest: Ingest, name: str, text: str) -> None:
    done = ingest(name, text)
    assert [issue[0] for issue in done.issues()] == ["json-not-records"]


@pytest.mark.parametrize("text", ["[]", "  [ ]\n", "\n"])
def test_no_records_is_an_empty_file(ingest: Ingest, text: str) -> None:
    done = ingest("empty.json", text)
    assert [issue[0] for issue in done.issues()] == ["empty-file"]
