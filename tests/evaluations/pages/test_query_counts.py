"""The juror list, the live console, the big screen and the results page cost the same number
of queries for 3 and for 30 entries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Scorecard
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    JurorFactory,
    RoadshowFactory,
    UnionFactory,
    full_scores,
    shortlisted,
)



def _scored_roadshow(size, n):
    """A live roadshow of ``size`` entries and three jurors, started, the first entry scored and
    closed, the second open."""
    city = UnionFactory(name=f"市总{n}")
    county = UnionFactory(name=f"区总{n}", parent=city)
    admin = AdminFactory(union=city)
    campaign = CampaignFactory(owner_union=city)
    jurors = [JurorFactory() for _ in range(3)]
    projects = [shortlisted(campaign, county) for _ in range(size)]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=projects, jurors=jurors, live=True,
                               date=datetime.date(2026, 6, n))
    services.start_roadshow(actor=admin, roadshow=roadshow)
    first, second = roadshow.entries.order_by("order")[:2]
    services.open_entry(actor=admin, entry=first)
    for juror in jurors:
        services.submit_card(actor=juror, card=Scorecard.objects.get(entry=first, juror=juror),
                             scores=full_scores(roadshow))
    services.close_entry(actor=admin, entry=first)
    services.open_entry(actor=admin, entry=second)
    services.save_draft(actor=jurors[0], card=Scorecard.objects.get(entry=second, juror=jurors[0]),
                        scores=full_scores(roadshow))
    return roadshow, admin, jurors[0]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _counts_for(client_for, urls_of):
    counts = []
    for n, size in enumerate((3, 30), start=1):
        roadshow, admin, juror = _scored_roadshow(size, n)
        counts.append({name: _count(client_for(user(admin, juror)), url)
                       for name, (user, url) in urls_of(roadshow).items()})
    return counts


def test_pages_cost_the_same_queries_for_3_and_30_entries(client_for, db):
    def urls_of(roadshow):
        def as_admin(admin, juror):
            return admin

        def as_juror(admin, juror):
            return juror

        # The juror's (the first juror's: the lowest id) cards: the first entry's submitted, the
        # second's open with a full draft.
        submitted, drafted = (Scorecard.objects.filter(entry=entry).order_by("juror_id").first()
                              for entry in roadshow.entries.order_by("order")[:2])
        return {
            "juror list": (as_juror, "/score/"),
            "juror card, submitted": (as_juror, f"/score/cards/{submitted.pk}/"),
            "juror card, open": (as_juror, f"/score/cards/{drafted.pk}/"),
            "juror summary": (as_juror, "/score/summary/"),
            "live banner": (as_juror, f"/score/roadshows/{roadshow.pk}/now/"),
            "console": (as_admin, f"/roadshows/{roadshow.pk}/live/"),
            "console progress": (as_admin, f"/roadshows/{roadshow.pk}/live/progress/"),
            "screen": (as_admin, f"/roadshows/{roadshow.pk}/screen/panel/"),
            "results": (as_admin, f"/roadshows/{roadshow.pk}/results/"),
            "setup": (as_admin, f"/roadshows/{roadshow.pk}/"),
            "roadshow list": (as_admin, "/roadshows/"),
        }

    small, large = _counts_for(client_for, urls_of)
    assert small == large
