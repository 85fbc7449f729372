"""Issue 21 item 8: a pure juror (the juror role only), even one with a union, sees only the
roadshows they sit on and their own score cards — on every API list endpoint (generated from the
URL configuration, so a new endpoint is covered the day it is added) and on the pages."""

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from rest_framework.test import APIClient

from evaluations import services as evaluation_services
from evaluations.queries import cards_for_juror
from projects.enums import ProjectStatus, ReplicationStatus
from projects.models import Project, ReplicationPlan
from tests.factories import JurorFactory, ProjectFactory, RoadshowFactory, shortlisted


def _api_list_paths():
    """Every router list URL under /api/v1/ taking no argument (``api-…-list``)."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif (pattern.name or "").endswith("-list"):
                yield prefix + str(pattern.pattern), pattern.name

    return sorted({"/" + path.replace("^", "").replace("$", ""): name
                   for path, name in walk(get_resolver().url_patterns)
                   if path.startswith("api/v1/") and "<" not in path and "(?P" not in path}.items())


LIST_PATHS = _api_list_paths()
# What a juror's list may hold: their roadshows, their cards; and the public reference data every
# signed-in user reads (the union tree to name unions, the campaigns: public calls for proposals),
# which is no union's record. Everything else is empty (or refused).
PUBLIC = {"api-union-list", "api-campaign-list"}


@pytest.fixture
def juror_world(people, tree, campaign):
    """A juror of county A's union on one roadshow; around them, of their own union: drafts,
    submitted and closed projects, a replication plan; and a roadshow they do not sit on."""
    juror = JurorFactory(username="juror_with_union", union=tree["county_a"])
    assert (juror.is_juror_role, juror.is_staff_role, juror.is_admin_role, juror.is_county_admin_role) == (
        True, False, False, False)
    for status in (ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.APPROVED):
        ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=status)
    closed = ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.CLOSED)
    ReplicationPlan.objects.create(source_project=closed, adopting_union=tree["county_a"], plan="仅本会可见的推广方案",
                                   status=ReplicationStatus.values[0], year=2026)
    mine = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[shortlisted(campaign, tree["county_b"])],
                           jurors=[juror], title="我的路演")
    evaluation_services.start_roadshow(actor=people["admin"], roadshow=mine)
    RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[shortlisted(campaign, tree["county_a"])],
                    jurors=[], title="别人的路演")
    return juror, mine, campaign


def test_every_api_list_endpoint_is_found():
    names = {name for _path, name in LIST_PATHS}
    assert {"api-project-list", "api-replication-plan-list", "api-roadshow-list", "api-scorecard-list"} <= names


@pytest.mark.parametrize("path, name", LIST_PATHS, ids=[name for _p, name in LIST_PATHS])
def test_a_juror_with_a_union_lists_only_their_roadshows_and_cards(juror_world, path, name):
    juror, mine, campaign = juror_world
    client = APIClient()
    client.force_authenticate(juror)
    response = client.get(path, {"year": campaign.year})  # the unit ranking's list needs a year
    if response.status_code in (403, 404) or name in PUBLIC:
        return
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    if name == "api-roadshow-list":
        assert [r["id"] for r in rows] == [mine.pk]
    elif name == "api-scorecard-list":
        assert {r["id"] for r in rows} == set(cards_for_juror(juror).values_list("pk", flat=True))
        assert rows
    else:
        assert rows == [], f"{path} shows a juror {len(rows)} rows"


def _page_paths():
    """Every page URL taking no argument (not the API, the admin, the schema or the health check)."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    skip = ("api/", "django-admin/", "healthz/", "accounts/", "i18n/", "static/", "media/")
    return sorted({"/" + path.replace("^", "").replace("$", "") for path in walk(get_resolver().url_patterns)
                   if "<" not in path and "(?P" not in path and not path.startswith(skip)})


PAGE_PATHS = _page_paths()


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_a_juror_with_a_union_sees_no_other_record_on_any_page(client, juror_world, path):
    juror, mine, _campaign = juror_world
    client.force_login(juror)
    response = client.get(path)
    assert response.status_code in (200, 302, 403, 404, 405), path
    page = response.content.decode(errors="replace")
    for hidden in list(Project.objects.exclude(roadshow_entries__roadshow=mine)
                       .values_list("title", flat=True)) + ["仅本会可见的推广方案", "别人的路演"]:
        assert hidden not in page, f"{path} shows {hidden}"
