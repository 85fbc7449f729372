"""The file formats: a :class:`~exports.content.Document` written as XLSX (a
write-only openpyxl workbook: rows go straight to disk), CSV (a generator of bytes, UTF-8 with a
BOM) or PDF (WeasyPrint, from ``templates/exports/pdf/``).

``progress(rows_done)`` is called every :data:`REPORT_EVERY` rows (and at the end) so that a
background job can show how far it is.
"""

import csv
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from unionproj.money import format_money

from .content import CERTIFICATES, CSV, INT, MONEY, PDF, SCORE, TEXT, XLSX

REPORT_EVERY = 200
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
    PDF: "application/pdf",
}
BOM = "\ufeff"
MONEY_FORMAT = "#,##0.00"
SCORE_FORMAT = "0.00"
# A spreadsheet reads a cell starting with one of these as a formula (DDE, HYPERLINK…); Excel
# with a Chinese input method reads the full-width ＝ ＋ － ＠ as the ASCII ones.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# The same as a set of one-character strings: ``text[:1] in TRIGGER_SET`` is the per-cell test
# of the hot loops (no call, "" is not in it).
TRIGGER_SET = frozenset(FORMULA_TRIGGERS)


def _noop(_done):
    return None


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading single quote;
    numbers stay numbers (amounts and scores are never negative). The row loops below inline
    the same test."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_cells(cells):
    """One row's cells for ``csv.writer``: text neutralised, a Decimal in plain notation
    (``format(d, "f")``: never ``1E+2``), everything else as the writer shows it (``None`` →
    empty). One comprehension with the type tests inline: this runs for every cell."""
    return [("'" + v if v[:1] in TRIGGER_SET else v) if v.__class__ is str
            else (format(v, "f") if v.__class__ is Decimal else v)
            for v in cells]


# --- CSV ------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose ``write`` hands back the line (csv.writer → generator)."""

    def write(self, value):
        return value


def csv_chunks(document, progress=_noop):
    """The CSV file as a generator of byte chunks: a BOM, the header, the rows. A document of
    several sheets (the score sheets) becomes one table whose first column names the sheet."""
    writer = csv.writer(_Line())
    yield BOM.encode("utf-8")
    header_written, done, buffer = False, 0, []
    for sheet in document.sheets:
        prefix = [neutralise(sheet.name)] if document.csv_sheet_column else []
        if not header_written:
            head = ([document.csv_sheet_column] if document.csv_sheet_column else []) + [c.header for c in
                                                                                          sheet.columns]
            buffer.append(writer.writerow([neutralise(h) for h in head]))
            header_written = True
        writerow = writer.writerow
        for row in sheet.rows:
            buffer.append(writerow(prefix + _csv_cells(row.cells) if prefix else _csv_cells(row.cells)))
            done += 1
            if len(buffer) >= 100:
                yield "".join(buffer).encode("utf-8")
                buffer = []
            if done % REPORT_EVERY == 0:
                progress(done)
    if document.notes:  # the quorum overrides, under the table
        buffer.append(writer.writerow([]))
        buffer.extend(writer.writerow([neutralise(line)]) for line in document.notes)
    if buffer:
        yield "".join(buffer).encode("utf-8")
    progress(done)


def write_csv(document, fileobj, progress=_noop):
    for chunk in csv_chunks(document, progress):
        fileobj.write(chunk)


# --- XLSX -----------------------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "Microsoft YaHei"


class _Body(list):
    """A table row handed to ``ws.append``: its values and the styled cells they go in."""

    __slots__ = ("cells",)

    def __init__(self, values, cells):
        super().__init__(values)
        self.cells = cells


def _styled_cells(ws, columns, *, bold, fill, fonts, wrap):
    """One styled cell per column, made once per sheet: the border, the font (bold on subtotal
    and total rows), the fill, the number format of money and scores, text wrapped."""
    cells = []
    for i, column in enumerate(columns, start=1):
        cell = WriteOnlyCell(ws)
        cell.column = i
        cell.border = BORDER
        cell.font = fonts["bold" if bold else "body"]
        if fill:
            cell.fill = TOTAL_FILL
        if column.kind == MONEY:
            cell.number_format = MONEY_FORMAT
        elif column.kind == SCORE:
            cell.number_format = SCORE_FORMAT
        elif column.kind != INT:
            cell.alignment = wrap
        cells.append(cell)
    return cells


def _fast_body_rows(ws):
    """Make ``ws.append(_Body(...))`` write each value into its column's ready-styled cell.

    openpyxl's write-only sheet turns appended values into cells one by one; a styled cell has
    to be built per value (``WriteOnlyCell`` + one style assignment per attribute, each of which
    hashes the Font/Border object to find its index: 6× the time of unstyled writing). Here the
    styles are set once per column (:func:`_styled_cells`) and every row reuses those cells:
    the sheet writer serialises a cell before the next one is asked for, so one cell per column
    is enough. Any other row (title, header, footer) takes openpyxl's own path."""
    plain = ws._values_to_row  # openpyxl 3.1: (values, row_idx) → cells, called by ws.append

    def values_to_row(values, row_idx):
        if values.__class__ is not _Body:
            yield from plain(values, row_idx)
            return
        for cell, value in zip(values.cells, values, strict=True):
            if value.__class__ is str and value[:1] in TRIGGER_SET:
                value = "'" + value
            cell.value = value
            cell.row = row_idx
            yield cell

    ws._values_to_row = values_to_row


def write_xlsx(document, fileobj, progress=_noop):
    """A write-only workbook (memory stays flat): per sheet a title row naming the campaign and
    roadshow, the Chinese header (frozen), the rows with numbers stored as numbers (money in
    ``#,##0.00``), and the footer lines. Body cells are styled once per column and reused
    (:func:`_fast_body_rows`)."""
    workbook = Workbook(write_only=True)
    done = 0
    title_font = Font(name=FONT, bold=True, size=14)
    header_font = Font(name=FONT, bold=True)
    fonts = {"body": Font(name=FONT), "bold": Font(name=FONT, bold=True)}
    wrap = Alignment(vertical="center", wrap_text=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    any_sheet = False
    for sheet in document.sheets:
        any_sheet = True
        ws = workbook.create_sheet(title=sheet.name[:31])
        for i, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        ws.freeze_panes = "A3"  # the title and the header stay in view
        ws.print_title_rows = "2:2"
        title = WriteOnlyCell(ws, value=neutralise(f"{document.title} {document.subtitle}"
                                                   + (f" · {sheet.title}" if sheet.title != document.subtitle
                                                      else "")))
        title.font = title_font
        ws.append([title])
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=neutralise(column.header))
            cell.font, cell.fill, cell.border, cell.alignment = header_font, HEADER_FILL, BORDER, center
            header.append(cell)
        ws.append(header)
        _fast_body_rows(ws)
        body = _styled_cells(ws, sheet.columns, bold=False, fill=False, fonts=fonts, wrap=wrap)
        totals = _styled_cells(ws, sheet.columns, bold=True, fill=True, fonts=fonts, wrap=wrap)
        append = ws.append
        for row in sheet.rows:
            append(_Body(row.cells, totals if row.style else body))
            done += 1
            if done % REPORT_EVERY == 0:
                progress(done)
        for line in ([""] + document.notes if document.notes else []):  # the quorum overrides
            ws.append([neutralise(line)])
        if sheet.footer:
            ws.append([])
            for line in sheet.footer:
                ws.append([neutralise(line)])
    if not any_sheet:  # a workbook needs a sheet (a jury with nobody on it)
        ws = workbook.create_sheet(title=document.subtitle[:31])
        ws.append([document.title])
        for line in document.notes:
            ws.append([neutralise(line)])
    workbook.save(fileobj)
    progress(done)


# --- PDF ------------------------------------------------------------------------------------


def _stylesheet():
    path = finders.find("css/pdf.css")
    return path


# PDF table layout, in the width unit of ``Column.width`` (half a CJK character; ~1.6 mm at the
# tables' 9 pt). A cell's padding and borders take about 2 units. Between the margins a portrait
# A4 page holds ~114 units, a landscape one ~169.
TABLE_PT = 9
UNIT_MM = 25.4 / 72 * TABLE_PT / 2
PORTRAIT_MM, LANDSCAPE_MM = 182, 269
CELL_PADDING_UNITS = 2
TEXT_MIN_UNITS = 12       # a text column keeps at least six CJK characters a line
SMALLEST_PT = 6.5


def _text_units(text):
    """How wide ``text`` prints, in width units: a CJK (full-width) character 2, others 1."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def table_layout(columns):
    """``{"landscape", "widths" (% per column), "font_pt"}``: fixed column widths that fit A4.

    Every column is at least as wide as its header on one line (no header wraps one character
    a line, and the extracted text holds every header whole). A table wider than portrait goes
    landscape; wider still, its text columns give up their extra width (down to six characters),
    then the font shrinks to fit. Numbers never wrap (pdf.css)."""
    need = [_text_units(c.header) + CELL_PADDING_UNITS for c in columns]
    want = [max(c.width, n) for c, n in zip(columns, need, strict=True)]
    landscape = sum(want) * UNIT_MM > PORTRAIT_MM
    capacity = (LANDSCAPE_MM if landscape else PORTRAIT_MM) / UNIT_MM
    excess = sum(want) - capacity
    if excess > 0:
        slack = [w - max(n, TEXT_MIN_UNITS) if c.kind == TEXT and w > max(n, TEXT_MIN_UNITS) else 0
                 for c, n, w in zip(columns, need, want, strict=True)]
        give = min(excess, sum(slack))
        if give > 0:
            want = [w - give * sl / sum(slack) for w, sl in zip(want, slack, strict=True)]
    total = sum(want) or 1
    font_pt = TABLE_PT if total <= capacity else max(SMALLEST_PT, int(TABLE_PT * capacity / total * 2) / 2)
    return {"landscape": landscape, "widths": [round(100 * w / total, 2) for w in want], "font_pt": font_pt}


def pdf_html(document):
    """The HTML WeasyPrint renders (also handy to look at in a browser)."""
    template = ("exports/pdf/certificates.html" if document.kind == CERTIFICATES
                else "exports/pdf/document.html")
    sheets = []
    for sheet in ([] if document.kind == CERTIFICATES else document.sheets):
        kinds = [c.kind for c in sheet.columns]
        rows = [{"row": row, "cells": [{"text": pdf_text(v, k), "kind": k} for v, k in zip(row.cells, kinds,
                                                                                          strict=True)]}
                for row in sheet.rows]
        sheets.append({"sheet": sheet, "rows": rows, "groups": _groups(rows), **table_layout(sheet.columns)})
    certificates = list(document.sheets) if document.kind == CERTIFICATES else []
    return render_to_string(template, {"document": document, "sheets": sheets, "certificates": certificates})


def pdf_text(value, kind):
    if value is None or value == "":
        return ""
    if kind == MONEY and not isinstance(value, str):
        return format_money(value)
    if kind == SCORE and not isinstance(value, str):  # a score, or 无有效评分
        return f"{value:.2f}"
    return str(value)


def _groups(rows):
    """Rows split into sections where their ``group`` changes (awards: one per tier); the total
    row stays with the last section."""
    groups = []
    for item in rows:
        group = item["row"].group
        if not groups or (group and group != groups[-1]["name"]):
            groups.append({"name": group, "rows": []})
        groups[-1]["rows"].append(item)
    return groups


def write_pdf(document, fileobj, progress=_noop):
    """A4, the notice title, page numbers (``@page`` counters), table headers repeated on each
    page and rows never split (``static/css/pdf.css``); certificates one page each."""
    from weasyprint import CSS, HTML  # heavy: imported when a PDF is asked for

    html = pdf_html(document)
    progress(max(document.rows // 2, 1))
    stylesheet = _stylesheet()
    HTML(string=html, base_url=None).write_pdf(
        fileobj, stylesheets=[CSS(filename=stylesheet)] if stylesheet else None)
    progress(document.rows)


WRITERS = {XLSX: write_xlsx, CSV: write_csv, PDF: write_pdf}
EXTENSIONS = {XLSX: "xlsx", CSV: "csv", PDF: "pdf"}


def write(document, fmt, fileobj, progress=_noop):
    WRITERS[fmt](document, fileobj, progress)
