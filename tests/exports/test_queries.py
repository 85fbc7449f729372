"""Queries per export do not grow with the number of entries (3 vs 30)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import services as award_services

from tests.exports.roadshows import sized
from .helpers import body, export

CASES = [(kind, fmt) for kind in ("awards", "ranking", "scoresheets", "payouts") for fmt in ("xlsx", "csv", "pdf")]
CASES.append(("certificates", "pdf"))


def count_queries(client, roadshow, kind, fmt):
    with CaptureQueriesContext(connection) as ctx:
        response = export(client, roadshow, kind, fmt)
        body(response)  # a streamed CSV runs its queries while it is sent
    assert response.status_code == 200, (kind, fmt, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def small_and_large(admin, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        small = sized(admin, campaign, 3, "小路演")
        large = sized(admin, campaign, 30, "大路演")
    for roadshow in (small, large):
        roadshow.refresh_from_db()
        award_services.finalize(actor=admin, roadshow=roadshow)
    return small, large


@pytest.mark.parametrize("kind, fmt", CASES)
def test_queries_per_export_do_not_grow_with_entries(client, admin, small_and_large, kind, fmt):
    small, large = small_and_large
    client.force_login(admin)
    count_queries(client, small, kind, fmt)  # warm caches (content types, session)
    assert count_queries(client, small, kind, fmt) == count_queries(client, large, kind, fmt)
