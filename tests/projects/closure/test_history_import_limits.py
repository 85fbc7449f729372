"""Issue 21 item 8: the history import is bounded — the file's size, its rows, the errors it
reports (reading stops there) — so a file of 100 000 bad rows is a short answer, not a 44 s
check and a 66 MB page."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.importer import import_history
from projects.models import Project

from .test_history_import import GOOD_PROJECTS, workbook

pytestmark = pytest.mark.django_db

BAD = [2016, "坏行", "不存在的工会", "职工帮扶服务", "已立项", None, None, None]


def _bad_rows(n):
    return [[2016, f"坏行{i}", "不存在的工会", "职工帮扶服务", "已立项", None, None, None] for i in range(n)]


def test_reading_stops_at_the_error_cap(people, tree, settings):
    settings.HISTORY_IMPORT_MAX_ERRORS = 20
    report = import_history(actor=people["admin"], file=workbook(_bad_rows(300), None))
    assert len(report.errors) == 20 and report.truncated
    assert [e.row for e in report.errors] == list(range(2, 22))
    assert not Project.objects.exists()


def test_a_few_errors_are_all_reported_and_not_truncated(people, tree, settings):
    settings.HISTORY_IMPORT_MAX_ERRORS = 20
    report = import_history(actor=people["admin"], file=workbook(_bad_rows(5), None))
    assert len(report.errors) == 5 and not report.truncated


def test_a_sheet_over_the_row_cap_is_refused_even_when_every_row_is_good(people, tree, settings):
    settings.HISTORY_IMPORT_MAX_ROWS = 4
    report = import_history(actor=people["admin"], file=workbook(GOOD_PROJECTS, None))
    assert [(e.sheet, e.row) for e in report.errors] == [("项目", 6)]
    assert "4" in report.errors[0].message
    assert not Project.objects.exists()
    settings.HISTORY_IMPORT_MAX_ROWS = 5
    assert import_history(actor=people["admin"], file=workbook(GOOD_PROJECTS, None)).ok


def test_a_file_over_the_size_cap_is_refused_by_the_page_before_it_is_read(client, people, tree, settings):
    content = workbook(_bad_rows(50), None).getvalue()
    settings.HISTORY_IMPORT_MAX_BYTES = len(content) - 1
    client.force_login(people["admin"])
    response = client.post("/history-import/", {"file": SimpleUploadedFile("history.xlsx", content)})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "文件过大" in response.context["form"].errors["file"][0]


def test_a_large_bad_file_answers_quickly_with_a_short_page(client, people, tree):
    """The defaults: 10 000 bad rows stop at 200 errors (the issue's file had 100 000)."""
    content = workbook(_bad_rows(10_000), None).getvalue()
    client.force_login(people["admin"])
    start = time.monotonic()
    response = client.post("/history-import/", {"file": SimpleUploadedFile("history.xlsx", content)})
    elapsed = time.monotonic() - start
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors-truncated"' in page
    assert len(response.context["report"].errors) == 200
    assert len(page) < 200_000 and elapsed < 20
