"""CSV ingest driven as a user would: bytes in, Parquet and a report out."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from laborcommons.core.errors import UnsupportedMediaType
from laborcommons.ingest import read_to_parquet

from .conftest import Ingest


def test_types_are_inferred_per_column(ingest: Ingest) -> None:
    done = ingest(
        "suppliers.csv",
        "id,name,price,active,joined,seen\n"
        "1,Acme,1.5,true,2021-01-02,2021-01-02 10:30:00\n"
        '2,"Bolt, Inc.",2,false,2021-02-03,2021-02-03 11:00:00\n',
    )
    assert done.report.valid
    assert done.types() == {
        "id": "integer",
        "name": "string",
        "price": "number",
        "active": "boolean",
        "joined": "date",
        "seen": "datetime",
    }
    assert done.rows()[1] == {
        "id": 2,
        "name": "Bolt, Inc.",
        "price": 2.0,
        "active": False,
        "joined": dt.date(2021, 2, 3),
        "seen": dt.datetime(2021, 2, 3, 11, 0),
    }
    assert done.result.row_count == 2
    assert done.result.format == "csv"


def test_utf8_bom_is_not_part_of_the_header(ingest: Ingest) -> None:
    done = ingest("bom.csv", codecs.BOM_UTF8 + "name,city\nZoë,Zürich\n".encode())
    assert list(done.types()) == ["name", "city"]
    assert done.rows() == [{"name": "Zoë", "city": "Zürich"}]


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_utf16_with_bom(ingest: Ingest, bom: bytes, codec: str) -> None:
    done = ingest("wide.csv", bom + "name,qty\nZoë,3\nŁódź,4\n".encode(codec))
    assert done.rows() == [{"name": "Zoë", "qty": 3}, {"name": "Łódź", "qty": 4}]


def test_cp1252_smart_quotes_and_euro(ingest: Ingest) -> None:
    apostrophe, dash = "\u2019", "\u2013"  # typographic: 0x92 and 0x96 in cp1252
    note = f"it{apostrophe}s {dash} fine"
    text = f"product,note,price\nShirt,“organic” cotton,€12\nCap,{note},€7\n"
    done = ingest("export.csv", text.encode("cp1252"))
    assert done.column("note") == ["“organic” cotton", note]
    assert done.column("price") == ["€12", "€7"]


def test_latin1_accents(ingest: Ingest) -> None:
    done = ingest("latin.csv", "name,city\nNuñez,Curaçao\nPeña,Säo\n".encode("latin-1"))
    assert done.rows() == [{"name": "Nuñez", "city": "Curaçao"}, {"name": "Peña", "city": "Säo"}]


def test_non_ascii_after_a_long_ascii_prefix_is_still_detected(ingest: Ingest) -> None:
    ascii_rows = "".join(f"row {i},{i}\n" for i in range(120_000))
    done = ingest("late.csv", ("name,n\n" + ascii_rows + "Muñoz,1\n").encode("cp1252"))
    assert done.report.valid
    assert done.column("name")[-1] == "Muñoz"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("semi.csv", "a;b;c\n1;x, y;3\n"),
        ("tabs.csv", "a\tb\tc\n1\tx, y\t3\n"),
        ("tabs.tsv", "a\tb\tc\n1\tx, y\t3\n"),
        ("pipes.txt", "a|b|c\n1|x, y|3\n"),
    ],
)
def test_delimiters(ingest: Ingest, name: str, text: str) -> None:
    done = ingest(name, text)
    assert done.rows() == [{"a": 1, "b": "x, y", "c": 3}]


def test_header_whitespace_is_stripped(ingest: Ingest) -> None:
    done = ingest("excel.csv", " id , name \n1,a\n")
    assert list(done.types()) == ["id", "name"]


def test_blank_header(ingest: Ingest) -> None:
    done = ingest("blank.csv", "id,,name\n1,2,3\n")
    assert done.issues() == [("blank-header", 1, "column 2")]


def test_duplicate_header_is_case_insensitive(ingest: Ingest) -> None:
    done = ingest("dupe.csv", "id,Name,name\n1,a,b\n")
    assert done.issues() == [("duplicate-header", 1, "name")]
    assert "column 2" in done.report.issues[0].message


def test_ragged_rows_are_reported_with_their_row_numbers(ingest: Ingest) -> None:
    text = 'a,b,c\n1,"two\nlines",3\n4,5\n6,7,8,9\n10,11,12\n'
    done = ingest("ragged.csv", text)
    # Rows are records (the header is row 1): the quoted line break does not count.
    assert done.issues() == [("missing-cell", 3, "c"), ("extra-cell", 4, "column 4")]
    assert not done.out.exists()


def test_a_row_two_cells_too_long_is_reported_once_with_its_real_count(ingest: Ingest) -> None:
    # DuckDB rejects such a row once per extra cell ("found 4", then "found 5").
    done = ingest("wide.csv", "a,b,c\n1,2,3\n4,5,6,7,8\n")
    assert done.issues() == [("extra-cell", 3, "column 4")]
    assert done.report.issues[0].message == "row 3 has 5 cells, the header has 3"
    assert done.report.issue_count == 1


def test_unterminated_quote(ingest: Ingest) -> None:
    done = ingest("quote.csv", 'x,y\n1,2\n"open,3\n4,5\n')
    assert done.issues() == [("csv-error", 3, None)]


def test_invalid_bytes_in_utf16_are_an_encoding_error(ingest: Ingest) -> None:
    body = "a,b\n1,2\n".encode("utf-16-le") + b"\x00\xd8" + ",3\n".encode("utf-16-le")
    done = ingest("broken.csv", codecs.BOM_UTF16_LE + body)
    assert done.issues() == [("encoding-error", 3, None)]


def test_utf8_bom_with_a_stray_byte_reads_it_as_cp1252_and_says_where(ingest: Ingest) -> None:
    done = ingest("liar.csv", codecs.BOM_UTF8 + b"a,b\n1,2\n3,\xff\n")
    assert done.report.valid
    assert done.column("b") == ["2", "ÿ"]
    assert [(w.type, w.row, w.value) for w in done.report.warnings] == [("stray-bytes", 3, "ff")]


def test_utf8_with_a_stray_byte_far_down_is_repaired_not_refused(ingest: Ingest) -> None:
    rows = "".join(f"Zoë {i},{i}\n" for i in range(100_000)).encode()
    assert len(rows) > 1024 * 1024  # past the head the encoding is first judged on
    done = ingest("stray.csv", b"name,n\n" + rows + b"Jos\xe9,1\n")
    assert done.report.valid
    assert done.column("name")[-1] == "José"
    assert done.column("name")[0] == "Zoë 0"  # the UTF-8 around it is not garbled
    assert [(w.type, w.row) for w in done.report.warnings] == [("stray-bytes", 100_002)]
    assert "read as Windows-1252 'é'" in done.report.warnings[0].message


def test_shift_jis_is_detected(ingest: Ingest) -> None:
    names = ["田中太郎", "山田花子", "佐藤次郎", "鈴木一郎", "高橋美咲", "伊藤健太"] * 20
    text = "名前,都市\n" + "".join(f"{name},東京都渋谷区\n" for name in names)
    done = ingest("japan.csv", text.encode("shift_jis"))
    assert list(done.types()) == ["名前", "都市"]
    assert done.column("名前")[:2] == ["田中太郎", "山田花子"]


def test_leading_zero_codes_stay_text(ingest: Ingest) -> None:
    done = ingest("zips.csv", "zip,n\n01234,1\n12345,2\n00501,3\n")
    assert done.types() == {"zip": "string", "n": "integer"}
    assert done.column("zip") == ["01234", "12345", "00501"]


def test_leading_zero_after_the_type_sample_still_stays_text(ingest: Ingest) -> None:
    rows = "".join(f"{10_000 + i},{i}\n" for i in range(30_000))
    done = ingest("late-zip.csv", "zip,n\n" + rows + "01234,5\n")
    assert done.types() == {"zip": "string", "n": "integer"}
    assert done.column("zip")[-1] == "01234"
    assert done.column("zip")[0] == "10000"


def test_text_after_the_type_sample_turns_the_column_to_text(ingest: Ingest) -> None:
    rows = "".join(f"{i},{i}.5\n" for i in range(30_000))
    done = ingest("late-text.csv", "n,x\n" + rows + "n/a,oops\n")
    assert done.types() == {"n": "string", "x": "string"}
    assert done.column("n")[-2:] == ["29999", "n/a"]
    assert done.result.row_count == 30_001


def test_header_only_is_valid_and_empty(ingest: Ingest) -> None:
    done = ingest("header.csv", "id,name\n")
    assert done.report.valid
    assert done.result.row_count == 0
    assert done.types() == {"id": "string", "name": "string"}


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(ingest: Ingest, content: bytes) -> None:
    done = ingest("empty.csv", content)
    assert [issue[0] for issue in done.issues()] == ["empty-file"]


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"id,name\n1,\x00\x01\x02\x03\n"]
)
def test_binary_posing_as_csv_is_refused(ingest: Ingest, content: bytes) -> None:
    with pytest.raises(UnsupportedMediaType, match=r"image\.csv.*binary"):
        ingest("image.csv", content)


@pytest.mark.parametrize("name", ["report.docx", "noextension", "data.csv.gz"])
def test_unknown_extension_is_refused(ingest: Ingest, name: str) -> None:
    with pytest.raises(UnsupportedMediaType, match="unsupported file type") as raised:
        ingest(name, "a,b\n1,2\n")
    assert raised.value.status_code == 415
    assert name in raised.value.message


def test_output_is_removed_when_the_report_is_invalid(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("a,a\n1,2\n")
    out = tmp_path / "out.parquet"
    out.write_bytes(b"stale output of an earlier upload")
    result = read_to_parquet(source, original_name="in.csv", out_path=out)
    assert not result.report.valid
    assert not out.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["in.csv"]


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    lines = (f"{i},{i % 7}.25,code{i:06d},{'true' if i % 2 else 'false'}\n" for i in range(300_000))
    source.write_text("id,x,code,flag\n" + "".join(lines))
    digests = set()
    for attempt in range(3):
        out = tmp_path / f"out{attempt}.parquet"
        read_to_parquet(source, original_name="big.csv", out_path=out)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_profile_statistics(ingest: Ingest) -> None:
    done = ingest(
        "stats.csv",
        "n,x,day,name\n1,1.5,2021-01-02,b\n3,,2021-03-04,a\n3,2.5,,a\n",
    )
    stats = {column.name: column.stats for column in done.result.columns}
    assert stats["n"] is not None and stats["x"] is not None
    assert (stats["n"].count, stats["n"].nulls, stats["n"].min, stats["n"].max) == (3, 0, 1, 3)
    assert stats["n"].mean == pytest.approx(7 / 3)
    assert stats["n"].distinct == 2
    assert (stats["x"].count, stats["x"].nulls, stats["x"].mean) == (2, 1, 2.0)
    day = stats["day"]
    assert day is not None and (day.min, day.max, day.mean) == ("2021-01-02", "2021-03-04", None)
    name = stats["name"]
    assert name is not None and (name.min, name.max, name.distinct) == ("a", "b", 2)
