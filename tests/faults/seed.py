"""Writes a fault test's data into the private stack's database, through the services (as the
other tests do), and prints what the test needs (ids, API tokens) as one JSON line.

    DATABASE_URL=postgres://…/private python -m tests.faults.seed closed '{"admins": 2}'
"""

import json
import sys


def _world():
    from members.enums import UnionLevel
    from tests.factories import AdminFactory, CampaignFactory, UnionFactory

    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    county = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city)
    return city, county, campaign, AdminFactory


def _token(user):
    from members.credentials import issue_token

    return issue_token(user=user)


def closed(admins=1, totals=(("95", "90", "85"), ("80", "80", "80"), ("50", "60", "70")), tiers=None, compute=False):
    """A closed roadshow (every card submitted), its tiers, ``admins`` admin tokens; computed
    when ``compute``."""
    from awards import services as award_services
    from tests.factories import ScoredRoadshowFactory

    city, county, campaign, admin_factory = _world()
    people = [admin_factory(username=f"admin{i + 1}", union=city) for i in range(admins)]
    roadshow = ScoredRoadshowFactory(actor=people[0], campaign=campaign, union=county,
                                     totals=[list(t) for t in totals]).roadshow
    award_services.save_tiers(actor=people[0], roadshow=roadshow,
                        tiers=tiers or [{"name": "一等", "quota_count": 2, "amount": "1000"}])
    if compute:
        award_services.compute_results(roadshow_id=roadshow.pk)
    return {"roadshow": roadshow.pk, "admin_tokens": [_token(u) for u in people]}


def scoring(entries=4, jurors=6):
    """A roadshow in scoring: ``jurors`` × ``entries`` draft cards, each juror's API token."""
    from evaluations.models import Scorecard
    from tests.factories import JurorFactory, RoadshowFactory, shortlisted

    city, county, campaign, admin_factory = _world()
    admin = admin_factory(username="admin1", union=city)
    people = [JurorFactory(username=f"juror{i + 1:02d}") for i in range(jurors)]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, title="故障演练路演", started=True, jurors=people,
                               projects=[shortlisted(campaign, county, title=f"故障演练项目{i + 1}")
                                         for i in range(entries)])
    tokens = {u.pk: _token(u) for u in people}
    cards = [{"id": c.pk, "token": tokens[c.juror_id]}
             for c in Scorecard.objects.filter(entry__roadshow=roadshow).order_by("pk")]
    criteria = [{"id": c.pk, "max": str(c.max_points)} for c in roadshow.rubric.criteria.all()]
    return {"roadshow": roadshow.pk, "admin_token": _token(admin), "cards": cards, "criteria": criteria}


SCENARIOS = {"closed": closed, "scoring": scoring}


def main():
    import django

    django.setup()
    from django.conf import settings

    # Fast hashing for the seeded users (they sign in with tokens), set before any hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    scenario, options = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    from django.db import transaction

    with transaction.atomic():
        answer = SCENARIOS[scenario](**options)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
