"""Web tables: data tables chosen by number or id, layout tables ignored, nothing fetched."""

from __future__ import annotations

from .conftest import Ingest

PAGE = """<!doctype html>
<html><head><title>Suppliers</title>
<script>var rows = "<table><tr><th>x</th></tr></table>";</script>
<link rel="stylesheet" href="http://tracker.example/style.css"></head>
<body>
<table id="layout"><tr><td><nav>Home | About</nav></td><td>
  <table id="menu"><tr><td>News</td><td>Reports</td></tr><tr><td>a</td><td>b</td></tr></table>
</td></tr></table>
<table id="contact"><tr><td>Email</td><td>info@example.org</td></tr>
  <tr><td>Phone</td><td>+880 1711</td></tr></table>
<table id="summary"><thead><tr><th>Year</th><th>Suppliers</th></tr></thead>
  <tbody><tr><td>2023</td><td>41</td></tr></tbody></table>
<table id="suppliers">
  <caption>Tier-1 suppliers</caption>
  <tr><th>Supplier</th><th>Country</th><th>Workers</th><th>Last audit</th></tr>
  <tr><td>Dhaka Knit Ltd</td><td>BD</td><td>1200</td><td>2024-03-01</td></tr>
  <tr><td>Saigon <b>Apparel</b> JSC</td><td>VN</td><td>850</td><td>2024-05-17</td></tr>
  <tr><td colspan="2">Phnom Penh Sewing</td><td>300</td><td>2023-11-30</td></tr>
</table>
</body></html>"""


def test_the_largest_data_table_is_read_and_typed(ingest: Ingest) -> None:
    done = ingest("suppliers.html", PAGE)
    assert done.report.valid, done.report
    assert done.result.sheet == "table 2 (#suppliers)"
    assert done.types() == {
        "Supplier": "string",
        "Country": "string",
        "Workers": "integer",
        "Last audit": "date",
    }
    assert done.column("Supplier") == ["Dhaka Knit Ltd", "Saigon Apparel JSC", "Phnom Penh Sewing"]
    assert done.column("Country") == ["BD", "VN", None]
    # Layout (a table of tables, the menu inside it) and the header-less contact table are
    # not data tables, so they are not listed.
    assert [(t.index, t.id, t.rows, t.columns) for t in done.report.tables] == [
        (1, "summary", 2, 2),
        (2, "suppliers", 4, 4),
    ]


def test_a_table_by_number_or_id_and_a_missing_one_named(ingest: Ingest) -> None:
    assert ingest("s.html", PAGE, table="1").column("Suppliers") == [41]
    assert ingest("s.html", PAGE, table="#summary").column("Year") == [2023]
    assert ingest("s.htm", PAGE, table="summary").result.row_count == 1
    missing = ingest("s.html", PAGE, table="menu")
    assert [issue.type for issue in missing.report.issues] == ["table-not-found"]
    assert "table 1 (#summary), table 2 (#suppliers)" in missing.report.issues[0].message
    none = ingest("none.html", "<html><body><p>No tables here</p></body></html>")
    assert [issue.type for issue in none.report.issues] == ["no-table"]


def test_hostile_html_expands_nothing_and_fetches_nothing(ingest: Ingest) -> None:
    entities = (
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        "<table><tr><th>k</th><th>v</th></tr><tr><td>&b;</td><td>&ext;</td></tr></table>"
    )
    done = ingest("hostile.html", entities)
    assert done.rows() == [{"k": "&b;", "v": "&ext;"}]  # kept as written, never expanded
    deep = (
        "<div>" * 100_000
        + "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    )
    nested = ingest("deep.html", deep)  # libxml2 stops at its depth limit: a report, no crash
    assert [issue.type for issue in nested.report.issues] == ["no-table"]
    wide = (
        "<table><tr><th>a</th><th colspan='99999999'>b</th></tr>"
        "<tr><td>1</td><td>2</td></tr></table>"
    )
    capped = ingest("wide.html", wide)
    assert [issue.type for issue in capped.report.issues] == ["too-large"]
