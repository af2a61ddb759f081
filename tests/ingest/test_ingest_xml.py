"""XML records, and the DTD/entity attacks that must never expand."""

from __future__ import annotations

import pytest

from laborcommons.core.errors import UnsupportedMediaType

from .conftest import Ingest

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rows><row><name>&lol9;</name></row></rows>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rows [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rows><row><name>&secret;</name></row></rows>
"""


def test_records_with_attributes(ingest: Ingest) -> None:
    xml = """<?xml version="1.0" encoding="UTF-8"?>
    <facilities xmlns="urn:example">
      <source>registry export</source>
      <facility id="1" country="BD"><name>Dhaka Knit</name><workers>1200</workers></facility>
      <facility id="2" country="VN">
        <name>Saigon Sew</name><workers>300</workers><since>2019-05-01</since>
      </facility>
      <facility id="3" country="IN"><name>Tiruppur &amp; Co</name></facility>
    </facilities>"""
    done = ingest("facilities.xml", xml)
    assert done.report.valid
    assert done.types() == {
        "@id": "integer",
        "@country": "string",
        "name": "string",
        "workers": "integer",
        "since": "date",
    }
    assert done.column("name") == ["Dhaka Knit", "Saigon Sew", "Tiruppur & Co"]
    assert done.column("workers") == [1200, 300, None]
    assert done.result.row_count == 3


def test_leading_zero_text_stays_text(ingest: Ingest) -> None:
    done = ingest("z.xml", "<r><i><zip>01234</zip></i><i><zip>98765</zip></i></r>")
    assert done.types() == {"zip": "string"}
    assert done.column("zip") == ["01234", "98765"]


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, XXE])
def test_dtds_and_entities_are_forbidden(ingest: Ingest, attack: str) -> None:
    done = ingest("attack.xml", attack)
    assert [issue[0] for issue in done.issues()] == ["xml-forbidden"]
    assert "root:" not in done.report.model_dump_json()
    assert "lollollol" not in done.report.model_dump_json()


def test_malformed_xml_names_the_line(ingest: Ingest) -> None:
    done = ingest("bad.xml", "<rows>\n<row><a>1</a></row>\n<row><a>2</b></row>\n</rows>")
    assert done.issues() == [("invalid-xml", 3, None)]


def test_root_without_records_is_empty(ingest: Ingest) -> None:
    done = ingest("empty.xml", "<rows/>")
    assert [issue[0] for issue in done.issues()] == ["empty-file"]


def test_binary_posing_as_xml_is_refused(ingest: Ingest) -> None:
    with pytest.raises(UnsupportedMediaType, match=r"blob\.xml"):
        ingest("blob.xml", b"<rows>\x00\x00\x01\x02</rows>")
