"""A fixed seeded data set, written in bulk (bulk_create in batches, COPY for the scores)."""

import datetime
import io
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from evaluations.enums import CardStatus, RoadshowStatus
from evaluations.models import Entry, JurySeat, Roadshow, Scorecard
from awards.models import Result
from evaluations.services.setup import default_rubric
from members.enums import UnionLevel
from members.models import Union, User
from projects.enums import ProjectStatus
from projects.models import Campaign, Project

PASSWORD = "Bench-pass-2026!"
BATCH = 5000
_counter = {"n": 0}


def _next(prefix):
    _counter["n"] += 1
    return f"{prefix}{_counter['n']}"


class World:
    """The unions, an admin and a campaign every figure shares."""

    def __init__(self):
        self.city = Union.objects.create(name="基准市总工会", short_name="基准市", level=UnionLevel.MUNICIPAL)
        self.county = Union.objects.create(name="基准区总工会", short_name="基准区", level=UnionLevel.COUNTY,
                                           parent=self.city)
        self.admin = User(username="bench-admin", name="基准管理员", is_admin_role=True, union=self.city)
        self.admin.set_password(PASSWORD)
        self.admin.save()
        today = timezone.localdate()
        self.campaign = Campaign.objects.create(
            year=today.year, title="基准年度工会创新工作项目", owner_union=self.city,
            filing_opens=today - datetime.timedelta(days=30), filing_deadline=today + datetime.timedelta(days=30),
            budget=Decimal("100000000.00"))
        self.rubric = default_rubric()
        self.criteria = list(self.rubric.criteria.all())
        self.password_hash = make_password(PASSWORD)


def jurors(world, count):
    users = [User(username=_next("bench-juror"), name=f"评委{i}", is_juror_role=True, juror_kind="expert",
                  password=world.password_hash) for i in range(count)]
    return User.objects.bulk_create(users, batch_size=BATCH)


def projects(world, count, status=ProjectStatus.SHORTLISTED):
    rows = [Project(campaign=world.campaign, applicant_union=world.county, title=f"职工创新项目{i:06d}",
                    category="职工帮扶服务", summary="项目简介:为职工提供服务。", budget_requested=Decimal("50000.00"),
                    status=status) for i in range(count)]
    return Project.objects.bulk_create(rows, batch_size=BATCH)


def roadshow(world, *, entries, status=RoadshowStatus.CLOSED, title=None):
    show = Roadshow.objects.create(campaign=world.campaign, title=title or _next("基准路演"),
                                   date=timezone.localdate(), rubric=world.rubric, status=status)
    made = Entry.objects.bulk_create([Entry(roadshow=show, project=p, order=i)
                                      for i, p in enumerate(projects(world, entries), start=1)], batch_size=BATCH)
    return show, made


def scored_roadshow(world, *, entries, jurors_count, status=RoadshowStatus.CLOSED, seed=7):
    """A roadshow with ``entries × jurors_count`` cards (submitted when closed) and one score per
    criterion on each: ``entries × jurors × criteria`` score rows (COPY)."""
    show, made = roadshow(world, entries=entries, status=status)
    people = jurors(world, jurors_count)
    JurySeat.objects.bulk_create([JurySeat(roadshow=show, user=u) for u in people], batch_size=BATCH)
    card_status = CardStatus.SUBMITTED if status != RoadshowStatus.SCORING else CardStatus.DRAFT
    now = timezone.now()
    cards = []
    for entry in made:
        batch = [Scorecard(entry=entry, juror=u, status=card_status,
                           submitted_at=now if card_status == CardStatus.SUBMITTED else None) for u in people]
        cards.extend(batch)
    cards = Scorecard.objects.bulk_create(cards, batch_size=BATCH)
    rng = random.Random(seed)
    buffer = io.StringIO()
    for card in cards:
        for criterion in world.criteria:
            top = int(criterion.max_points * 10)
            buffer.write(f"{card.pk}\t{criterion.pk}\t{Decimal(rng.randint(top // 2, top)) / 10}\n")
    with connection.cursor() as cur, cur.copy("COPY evaluations_score (card_id, criterion_id, value) FROM STDIN") as copy:
        copy.write(buffer.getvalue())
    return show, people, cards


def ranked_roadshow(world, *, entries, seed=11):
    """A roadshow with ``entries`` stored results (what an export reads), no cards."""
    show, made = roadshow(world, entries=entries)
    rng = random.Random(seed)
    now = timezone.now()
    results = []
    for rank, entry in enumerate(made, start=1):
        per = {str(c.pk): str(Decimal(rng.randint(100, int(c.max_points * 100))) / 100) for c in world.criteria}
        tier = "一等奖" if rank <= entries // 10 else ("二等奖" if rank <= entries // 4 else "")
        results.append(Result(roadshow=show, entry=entry, final_score=Decimal(10000 - rank) / 100, rank=rank,
                              tier=tier, tier_order=(1 if tier == "一等奖" else 2) if tier else None,
                              amount=Decimal("20000.00") if tier else Decimal("0.00"), per_criterion=per,
                              card_count=15, spread=Decimal("12.5"), computed_at=now))
    Result.objects.bulk_create(results, batch_size=BATCH)
    return show
