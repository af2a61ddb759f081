"""Validating a file against a Frictionless Table Schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from laborcommons.core.errors import InvalidInput

from .conftest import Ingest

SUPPLIERS = (
    "id,name,workers,country,joined,code\n"
    "1,Acme,120,BD,2021-01-02,0001\n"
    "2,,many,VN,2021-13-01,0002\n"
    "3,Bolt,-5,XX,2021-02-03,x3\n"
    "3,Core,40,IN,,0004\n"
)

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"unique": True}},
        {"name": "name", "type": "string", "constraints": {"required": True}},
        {"name": "workers", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "country", "constraints": {"enum": ["BD", "VN", "IN"]}},
        {"name": "joined", "type": "date"},
        {"name": "code", "constraints": {"pattern": "[0-9]{4}"}},
    ]
}


def test_type_and_constraint_errors_carry_rows_columns_and_values(ingest: Ingest) -> None:
    done = ingest("suppliers.csv", SUPPLIERS, table_schema=SCHEMA)
    found = [(issue.type, issue.row, issue.column, issue.value) for issue in done.report.issues]
    assert found == [
        ("constraint-error", 3, "name", None),
        ("type-error", 3, "workers", "many"),
        ("type-error", 3, "joined", "2021-13-01"),
        ("constraint-error", 4, "workers", "-5"),
        ("constraint-error", 4, "country", "XX"),
        ("constraint-error", 4, "code", "x3"),
        ("constraint-error", 5, "id", "3"),
    ]
    messages = " | ".join(issue.message for issue in done.report.issues)
    assert "row 3, column 'workers': 'many', expected type integer" in messages
    assert "expected one of BD, VN, IN" in messages
    assert not done.out.exists()


def test_valid_file_takes_the_schema_types(ingest: Ingest) -> None:
    text = "code,amount,when,flag\n0042,1,01/02/2021,1\n0007,2.5,03/04/2021,false\n"
    schema = {
        "fields": [
            {"name": "code", "type": "integer"},
            {"name": "amount", "type": "number"},
            {"name": "when", "type": "date", "format": "%d/%m/%Y"},
            {"name": "flag", "type": "boolean"},
        ]
    }
    done = ingest("typed.csv", text, table_schema=schema)
    assert done.report.valid
    assert done.types() == {
        "code": "integer",
        "amount": "number",
        "when": "date",
        "flag": "boolean",
    }
    assert done.rows()[0] == {"code": 42, "amount": 1.0, "when": dt.date(2021, 2, 1), "flag": True}


def test_columns_outside_the_schema_are_still_inferred(ingest: Ingest) -> None:
    schema = {"fields": [{"name": "id", "type": "string"}]}
    done = ingest("extra.csv", "id,n\n1,5\n2,6\n", table_schema=schema)
    assert done.types() == {"id": "string", "n": "integer"}
    assert done.column("id") == ["1", "2"]


def test_missing_schema_field(ingest: Ingest) -> None:
    schema = {"fields": [{"name": "id"}, {"name": "country"}]}
    done = ingest("short.csv", "id,name\n1,a\n", table_schema=schema)
    assert done.issues() == [("schema-field-missing", 1, "country")]


def test_every_error_is_counted_but_at_most_1000_are_listed(ingest: Ingest) -> None:
    text = "n\n" + "x\n" * 1500
    done = ingest("many.csv", text, table_schema={"fields": [{"name": "n", "type": "integer"}]})
    assert done.report.issue_count == 1500
    assert len(done.report.issues) == 1000
    assert done.report.issues[0].row == 2


def test_json_values_are_checked_too(ingest: Ingest) -> None:
    schema = {"fields": [{"name": "age", "type": "integer", "constraints": {"maximum": 120}}]}
    done = ingest("people.json", '[{"age": 30}, {"age": 130}]', table_schema=schema)
    assert done.issues() == [("constraint-error", 2, "age")]


@pytest.mark.parametrize(
    ("descriptor", "complaint"),
    [
        ([], "JSON object"),
        ({}, "fields"),
        ({"fields": []}, "at least 1"),
        ({"fields": [{"type": "integer"}]}, "fields.0: 'name' is a required property"),
        ({"fields": [{"name": "a", "type": "text"}]}, "field 'a': field type \"text\""),
        ({"fields": [{"name": "a", "constraints": {"minimum": 1}}]}, "field 'a': constraint"),
        (
            {"fields": [{"name": "a", "type": "date", "constraints": {"maximum": "soon"}}]},
            "field 'a': Value error, bound 'soon'",
        ),
        ({"fields": [{"name": "a", "constraints": {"pattern": "("}}]}, "field 'a': Value error"),
        ({"fields": [{"name": "a", "constraints": {"sorted": True}}]}, "sorted"),
        ({"fields": [{"name": "a"}, {"name": "A"}]}, "declared twice"),
        # the official profile, checked by frictionless-py (these used to pass unchecked)
        ({"fields": [{"name": "a"}], "missingValues": "NA"}, "missingValues"),
        ({"fields": [{"name": "a"}], "primaryKey": "b"}, "primary key \"['b']\""),
        (
            {"fields": [{"name": "ok", "type": "boolean", "trueValues": "yes"}]},
            "field 'ok': 'yes' is not of type 'array' at property 'trueValues'",
        ),
        ({"fields": [{"name": "n", "type": "integer", "trueValues": ["y"]}]}, "field 'n'"),
        (
            {
                "fields": [
                    {"name": "ok", "type": "boolean", "trueValues": ["y"], "falseValues": ["y"]}
                ]
            },
            "both trueValues and falseValues",
        ),
        ({"fields": [{"name": "a"}], "primaryKey": ["a", "a"]}, "primaryKey names a field twice"),
    ],
)
def test_invalid_descriptor_is_refused(ingest: Ingest, descriptor: Any, complaint: str) -> None:
    with pytest.raises(InvalidInput, match="invalid table_schema") as raised:
        ingest("any.csv", "a\n1\n", table_schema=descriptor)
    assert complaint in raised.value.message
    assert raised.value.status_code == 422


def test_missing_values_are_the_declared_ones(ingest: Ingest) -> None:
    text = "id,score,note\n1,NA,-\n2,,\n3,7,ok\n"
    schema = {
        "missingValues": ["NA", "-"],
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "score", "type": "integer"},
            {"name": "note", "type": "string"},
        ],
    }
    done = ingest("scores.csv", text, table_schema=schema)
    assert done.column("score") == [None, None, 7]
    assert done.column("note") == [None, None, "ok"]
    refused = ingest("scores.csv", text, table_schema={**schema, "missingValues": [""]})
    assert refused.issues() == [("type-error", 2, "score")]  # NA is a value again


def test_true_and_false_values_are_matched_exactly(ingest: Ingest) -> None:
    field = {"name": "paid", "type": "boolean", "trueValues": ["ja"], "falseValues": ["nein"]}
    done = ingest("pay.csv", "paid\nja\nnein\n\n", table_schema={"fields": [field]})
    assert done.column("paid") == [True, False, None]
    refused = ingest("pay.csv", "paid\nja\ntrue\nJa\n", table_schema={"fields": [field]})
    assert refused.issues() == [("type-error", 3, "paid"), ("type-error", 4, "paid")]


def test_primary_key_refuses_repeats_naming_both_rows(ingest: Ingest) -> None:
    text = "site,year,workers\nA,2020,1\nB,2020,2\nA,2021,3\nA,2020,4\n,2022,5\n"
    schema = {
        "primaryKey": ["site", "year"],
        "fields": [{"name": "site"}, {"name": "year", "type": "integer"}, {"name": "workers"}],
    }
    done = ingest("sites.csv", text, table_schema=schema)
    assert sorted(done.issues()) == [
        ("primary-key-error", 5, "site"),
        ("primary-key-error", 6, "site"),
    ]
    messages = [issue.message for issue in done.report.issues]
    assert "row 5: primary key (site, year) = (A, 2020) repeats row 2" in messages
    assert "row 6: primary key (site, year) has an empty field" in messages
    assert not done.out.exists()  # nothing stored
    fixed = text.replace("A,2020,4", "C,2020,4").replace(",2022", "D,2022")
    unique = ingest("sites.csv", fixed, table_schema=schema)
    assert unique.report.valid


def test_primary_key_as_one_name_compares_typed_values(ingest: Ingest) -> None:
    schema = {"primaryKey": "id", "fields": [{"name": "id", "type": "integer"}]}
    done = ingest("ids.csv", "id\n1\n01\n", table_schema=schema)
    assert [issue.message for issue in done.report.issues] == [
        "row 3: primary key (id) = (1) repeats row 2"
    ]
