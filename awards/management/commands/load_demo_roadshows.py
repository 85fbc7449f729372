"""The demo's roadshows: Wuxi's 2019 roadshow scored, computed and finalised (payouts pending,
a few approved), and the 2020 live roadshow in progress, so that a newcomer can see the big
screen, a juror's phone page and the award pages with data in them.

Runs after ``load_demo`` (it needs the demo's programmes, projects and jurors) and goes through
the services, so every step is in the audit trail. ``--reset`` removes the demo roadshows and
reloads the whole demo (``load_demo --reset``) first.
"""

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evaluations import queries as scoring_queries
from evaluations import services as scoring_services
from evaluations.enums import CardStatus
from evaluations.models import EvaluationEvent, Roadshow, Scorecard
from members.models import User
from projects.enums import ProjectStatus
from projects.models import Campaign
from unionproj import append_only

from ... import services
from ...models import Payout

TITLE_2019 = "2019年度无锡工会创新工作项目展评"
TITLE_2020 = "2020年度无锡工会创新工作项目展评（现场亮分）"
JURORS = [f"juror{n:02d}" for n in range(1, 13)]
# The story's dates: the 2019 roadshow (28 November 2019) is finalised and its first payouts
# approved in December 2019, not on the day the demo is loaded. The services store these as
# the dates and audit them (the event's own timestamp is when the demo ran).
FINALIZED_2019 = datetime.datetime(2019, 12, 10, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
APPROVED_2019 = datetime.datetime(2019, 12, 20, 15, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _points(juror, project, criterion):
    """A repeatable score in [60%, 100%] of the criterion's maximum, one decimal place."""
    digest = hashlib.sha256(f"{juror.username}|{project.title}|{criterion.name}".encode()).digest()
    share = Decimal(60 + digest[0] % 41) / 100
    return (criterion.max_points * share).quantize(Decimal("0.1"))


class Command(BaseCommand):
    help = "加载演示路演展评：2019 年度已评分、定稿并生成补贴；2020 年度现场亮分进行中。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除演示路演并重新加载全部演示数据。")
        parser.add_argument("--force", action="store_true", help="在 DEBUG=0 下也加载。")

    def handle(self, *args, reset=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG=0（生产配置）下加载演示数据会创建弱口令账号；确需加载请加 --force。")
        if reset:
            self._delete_demo_roadshows()
            call_command("load_demo", reset=True, force=force, stdout=self.stdout)
        admin = User.objects.get(username="admin")
        jurors = list(User.objects.filter(username__in=JURORS).order_by("username"))
        if len(jurors) != len(JURORS):
            raise CommandError("请先运行 manage.py load_demo。")
        made = [self._roadshow_2019(admin, jurors), self._roadshow_2020(admin, jurors)]
        self.stdout.write(self.style.SUCCESS(
            "演示路演：" + ";".join(f"{r.title}({r.get_status_display()})" for r in made)))

    def _delete_demo_roadshows(self):
        with transaction.atomic():
            roadshows = Roadshow.objects.filter(title__in=[TITLE_2019, TITLE_2020])
            Payout.objects.filter(roadshow__in=roadshows).delete()
            Scorecard.objects.filter(entry__roadshow__in=roadshows).delete()
            with append_only.purge_allowed():  # the demo's own audit trail goes with it
                EvaluationEvent.objects.filter(roadshow__in=roadshows).delete()
                roadshows.delete()

    def _campaign(self, year):
        return Campaign.objects.get(year=year, owner_union__name="无锡市总工会")

    def _setup(self, *, admin, jurors, campaign, title, date, live):
        existing = Roadshow.objects.filter(campaign=campaign, title=title).first()
        if existing is not None:
            return existing, False
        roadshow = scoring_services.create_roadshow(actor=admin, campaign=campaign, title=title, date=date,
                                            venue="无锡市职工服务中心", live=live)
        for project in campaign.projects.filter(status=ProjectStatus.SHORTLISTED).order_by("pk"):
            scoring_services.add_entry(actor=admin, roadshow=roadshow, project=project)
        for juror in jurors:
            scoring_services.add_juror(actor=admin, roadshow=roadshow, user=juror)
        scoring_services.start_roadshow(actor=admin, roadshow=roadshow)
        return roadshow, True

    def _score(self, card, criteria):
        scores = {str(c.pk): str(_points(card.juror, card.entry.project, c)) for c in criteria}
        scoring_services.submit_card(actor=card.juror, card=card, scores=scores, comment="项目特色鲜明，成效明显。")

    @transaction.atomic
    def _roadshow_2019(self, admin, jurors):
        roadshow, new = self._setup(admin=admin, jurors=jurors, campaign=self._campaign(2019), title=TITLE_2019,
                                    date=datetime.date(2019, 11, 28), live=False)
        if not new:
            return roadshow
        criteria = list(scoring_queries.criteria_of(roadshow))
        for card in Scorecard.objects.filter(entry__roadshow=roadshow).select_related("juror", "entry__project"):
            self._score(card, criteria)
        scoring_services.close_roadshow(actor=admin, roadshow=roadshow)
        # The job's body, here and now: the demo must not depend on a running worker.
        services.compute_results(roadshow_id=roadshow.pk)
        roadshow.refresh_from_db()
        services.finalize(actor=admin, roadshow=roadshow, at=FINALIZED_2019)
        for payout in Payout.objects.filter(roadshow=roadshow).order_by("-amount", "pk")[:3]:
            services.approve_payout(actor=admin, payout=payout, at=APPROVED_2019)
        roadshow.refresh_from_db()
        return roadshow

    @transaction.atomic
    def _roadshow_2020(self, admin, jurors):
        roadshow, new = self._setup(admin=admin, jurors=jurors, campaign=self._campaign(2020), title=TITLE_2020,
                                    date=datetime.date(2020, 12, 10), live=True)
        if not new:
            return roadshow
        criteria = list(scoring_queries.criteria_of(roadshow))
        entries = list(scoring_queries.entries_of(roadshow))
        # The first entry has been scored and closed; the second is open, half the jury done.
        first, second = entries[0], entries[1]
        scoring_services.open_entry(actor=admin, entry=first)
        for card in Scorecard.objects.filter(entry=first).select_related("juror", "entry__project"):
            self._score(card, criteria)
        scoring_services.close_entry(actor=admin, entry=first)
        scoring_services.open_entry(actor=admin, entry=second)
        cards = Scorecard.objects.filter(entry=second, status=CardStatus.DRAFT).select_related("juror", "entry__project")
        for card in list(cards.order_by("juror__username"))[: len(jurors) // 2]:
            self._score(card, criteria)
        roadshow.refresh_from_db()
        return roadshow
