"""XML: each record is a child of the root; its child elements and attributes are columns.

Parsed twice with defusedxml's streaming iterparse (DTDs and entities are refused, so
billion-laughs and external-entity files never expand): pass 1 picks the record element
(the most frequent tag among the root's first 1000 children) and collects columns in
first-seen order; pass 2 writes the rows. Rows are record positions (first record = 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from laborcommons.ingest import issues
from laborcommons.ingest.encoding import refuse_binary
from laborcommons.ingest.headers import check_header
from laborcommons.ingest.readers.base import ROW_COLUMN, ReadRequest, Staged, StagedColumn
from laborcommons.ingest.readers.text_stage import TextStageWriter, stage_name

PEEK = 1000
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_xml(req: ReadRequest) -> Staged | None:
    """Stage an XML file's records as text columns."""
    with req.source.open("rb") as stream:
        head = stream.read(8192)
    if not head.startswith(UTF16_BOMS):
        refuse_binary(head, req.name)
    try:
        survey = _survey(req.source)
        if survey is None:
            issues.add(req.report, "empty-file", f"{req.name} has no records under its root")
            return None
        tag, names = survey
        if not check_header(names, report=req.report, row=None, label=lambda i: names[i]):
            return None
        path = req.scratch / "xml.parquet"
        with TextStageWriter(path, len(names)) as writer:
            position = {name: index for index, name in enumerate(names)}
            for number, record in enumerate(_records(req.source, tag), start=1):
                texts: list[str | None] = [None] * len(names)
                for name, text in record.items():
                    texts[position[name]] = text
                writer.add(number, texts)
    except DefusedXmlException as error:
        message = f"{req.name}: {error} (DTDs and entities are not accepted)"
        issues.add(req.report, "xml-forbidden", message)
        return None
    except ParseError as error:
        line, column = error.position
        message = f"{req.name} line {line}, column {column}: {error.msg}"
        issues.add(req.report, "invalid-xml", message, row=line)
        return None
    columns = [StagedColumn(stage_name(i), name, None) for i, name in enumerate(names)]
    return Staged(path, columns, row_column=ROW_COLUMN, header_row=None)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children_of_root(path: Path) -> Iterator[Any]:
    """Yield each complete child of the root, freeing it once the caller is done."""
    depth = 0
    root: Any = None
    events = iterparse(
        str(path),
        events=("start", "end"),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    for event, element in events:
        if event == "start":
            depth += 1
            if depth == 1:
                root = element
            continue
        depth -= 1
        if depth == 1:
            yield element
            element.clear()
            root.clear()  # drop the root's references to finished records


def _fields(record: Any) -> dict[str, str | None]:
    """Columns of one record: ``@attribute``s, then child elements (first of a repeated tag)."""
    values: dict[str, str | None] = {}
    for key, value in record.attrib.items():
        values.setdefault("@" + _local(key), value)
    children = list(record)
    if not children and record.text and record.text.strip():
        values.setdefault(_local(record.tag), record.text.strip())
    for child in children:
        text = "".join(child.itertext()).strip()
        values.setdefault(_local(child.tag), text or None)
    return values


def _survey(path: Path) -> tuple[str, list[str]] | None:
    """Pass 1: the record tag and its columns in first-seen order (None if no records)."""
    counts: Counter[str] = Counter()
    columns: dict[str, dict[str, None]] = {}
    for seen, element in enumerate(_children_of_root(path)):
        tag = _local(element.tag)
        if seen < PEEK:
            counts[tag] += 1
        names = columns.setdefault(tag, {})
        for name in _fields(element):
            names.setdefault(name, None)
    if not counts:
        return None
    tag = counts.most_common(1)[0][0]
    return (tag, list(columns[tag])) if columns[tag] else None


def _records(path: Path, tag: str) -> Iterator[dict[str, str | None]]:
    """Pass 2: the fields of every record element."""
    for element in _children_of_root(path):
        if _local(element.tag) == tag:
            yield _fields(element)
