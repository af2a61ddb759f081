"""Real-looking XLS, ODS, PDF and HTML files, made in the tests (no binary fixtures)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.tables import TableStyle

SUPPLIERS: list[list[Any]] = [
    ["Supplier audit 2024"],
    [],
    ["Name", "Audited", "Workers", "Double", "Code"],
    ["Acme Garments", dt.date(2021, 1, 2), 21, 42, "01234"],
    ["Bolt Textiles", dt.date(2022, 3, 4), 5, 10.5, "00042"],
]


def xls(*sheets: tuple[str, Sequence[Sequence[Any]]], formula: bool = True) -> bytes:
    book = xlwt.Workbook()
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title, rows in sheets:
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, dates)
                elif isinstance(value, str) and value.startswith("="):
                    sheet.write(r, c, xlwt.Formula(value[1:]))
                else:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(*sheets: tuple[str, Sequence[Sequence[Any]]]) -> bytes:
    doc = OpenDocumentSpreadsheet()
    for title, rows in sheets:
        table = Table(name=title)
        for row in rows:
            tr = TableRow()
            for value in row:
                tr.addElement(_ods_cell(value))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _ods_cell(value: Any) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value)
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def pdf(
    *tables: Sequence[Sequence[str]], title: str = "Annual report", blank: bool = False
) -> bytes:
    """A report: a title paragraph, then each table (long ones split across pages, with
    the header repeated, as report generators do)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")])
    story: list[Any] = [] if blank else [Paragraph(title, getSampleStyleSheet()["Title"])]
    for rows in tables:
        story.append(PdfTable([list(r) for r in rows], repeatRows=1, style=style))
        story.append(Spacer(1, 24))
    if blank:
        from reportlab.pdfgen import canvas

        page = canvas.Canvas(buffer, pagesize=A4)
        page.rect(50, 50, 200, 200, fill=1)  # a "scan": drawing, no text
        page.save()
        return buffer.getvalue()
    doc.build(story)
    return buffer.getvalue()
