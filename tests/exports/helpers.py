"""Reading exported files back: the API response's bytes as a workbook, CSV rows or PDF text."""

import csv
import io
from urllib.parse import quote

from openpyxl import load_workbook
from pypdf import PdfReader

BOM = b"\xef\xbb\xbf"


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def export(client, roadshow, kind, fmt):
    return client.get(f"/api/v1/roadshows/{roadshow.pk}/export/", {"kind": kind, "format": fmt})


def workbook(data):
    return load_workbook(io.BytesIO(data))


def csv_rows(data):
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"))))


def pdf(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


def squeeze(text):
    """PDF text without the spaces and line breaks the layout puts in."""
    return "".join(text.split())


def attachment_header(filename):
    return f"attachment; filename*=utf-8''{quote(filename)}"
