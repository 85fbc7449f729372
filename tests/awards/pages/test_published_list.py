"""The published award lists (/published/), reached from a filer's home page (issue 22 item 8)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ScoredRoadshowFactory


def test_a_filer_finds_the_published_lists_from_home(client_as, people, publicity):
    client = client_as(people["staff_b"])
    home = client.get("/").content.decode()
    assert 'data-testid="published-link"' in home and 'href="/published/"' in home
    page = client.get("/published/")
    assert page.status_code == 200
    assert [r.pk for r in page.context["page"].object_list] == [publicity.pk]
    assert f"/roadshows/{publicity.pk}/published/" in page.content.decode()


def test_unpublished_roadshows_are_not_listed(client_as, people, computed):
    page = client_as(people["staff_a"]).get("/published/")
    assert list(page.context["page"].object_list) == []
    assert 'data-testid="empty-state"' in page.content.decode()


@pytest.mark.parametrize("bad", ["abc", "-1", "99999", "9" * 30])
def test_a_bad_page_number_is_no_error(client_as, people, finalized, bad):
    assert client_as(people["staff_a"]).get(f"/published/?page={bad}").status_code == 200


def test_the_list_costs_the_same_queries_for_one_and_three(client_as, people, admin, campaign, tree, finalized):
    client = client_as(people["staff_a"])
    client.get("/published/")
    with CaptureQueriesContext(connection) as one:
        client.get("/published/")
    for n in range(2):
        extra = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_a"],
                                      totals=[["80", "80", "80"]], title=f"加场{n}").roadshow
        # Listed states only matter here, not how they were reached (that is tested elsewhere).
        extra.status = "finalized"
        extra.save(update_fields=["status"])
    with CaptureQueriesContext(connection) as three:
        response = client.get("/published/")
    assert len(response.context["page"].object_list) == 3
    assert len(three) == len(one)
