"""Helpers of the project and screening page tests (their fixtures are in conftest.py).

    市总 (municipal) ── 江阴 county_a ── 澄江 town_a1      people: admin (市总), staff_a (江阴),
                    └─ 宜兴 county_b                        staff_a1 (澄江), staff_b (宜兴),
                                                            county_admin_a/b, juror
"""

from django.contrib.messages import get_messages
from django.test.utils import CaptureQueriesContext
from django.db import connection

from projects.enums import ProjectStatus
from tests.factories import ProjectFactory

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def project_of(union, campaign, status=ProjectStatus.DRAFT, **fields):
    return ProjectFactory(campaign=campaign, applicant_union=union, status=status, **fields)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
