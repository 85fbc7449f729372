"""Sending an export: CSV streamed as it is written; XLSX and PDF written to a temporary file
on disk (memory stays flat) and sent from there. The Chinese file name travels as
``filename*=UTF-8''…`` (RFC 6266), with an ASCII fallback for old clients."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

SPOOL_MAX = 2 * 1024 * 1024


def export_response(export):
    if export.streams:
        response = StreamingHttpResponse(export.chunks(), content_type=export.content_type)
        response["Content-Disposition"] = content_disposition_header(True, export.filename)
    else:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX)
        export.write(spool)
        spool.seek(0)
        response = FileResponse(spool, as_attachment=True, filename=export.filename,
                                content_type=export.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(path, filename, content_type=None):
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
